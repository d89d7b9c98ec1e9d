#!/usr/bin/python3
"""qABCs (Debian `qabcs-data`) English alphabet voices -> speech clips.

    /usr/bin/python3 models/recipe/data/real/qabcs.py [--out data/real/qabcs] [--cache data/cache] [--limit N]

usr/share/qabcs/abcs/<lang>/abc1.json lists, per letter, the letter's clip ("sound_letter", sounds/alpha/<l>.ogg)
and five pictures with a "name" and a "sound_pic" (sounds/words/<name>.ogg). Two English sets:
- en (US, 44.1 kHz, 26 letters + 130 words): a microphone recording as far as can be told: its noise floor runs
  flat up to 18 kHz, and nothing in upstream says it was synthesised. Speaker unknown; group "en".
- en_gb (UK, 24 kHz, 2 letters + 30 words; "inheritsFrom" en and overrides some clips and names): synthetic.
  Upstream's CONTRIBUTORS credits "google.com : text to speech", its scripts/google*.sh render clips with Google
  Cloud Text-to-Speech (LINEAR16, whose default rate is 24 kHz) and convert them with ffmpeg's libvorbis, and the
  en_gb files are exactly 24 kHz libvorbis files, like the de/fr/be sets. Marked speaker "synthetic", group
  "en_gb_synthetic", and in source.json.
Text: a word clip's text is the picture's name from abc1.json (en_gb's override if any, e.g. DOUGHNUT), else its
file name with '_' as a space; a letter clip's text is the letter ("A"), except en_gb's Z, said "zed".
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import small_common as sc  # noqa: E402

PACKAGE = 'qabcs-data'
ABCS_DIR = 'usr/share/qabcs/abcs'
SETS = (('en', '', 'en'), ('en_gb', 'synthetic', 'en_gb_synthetic'))   # (folder, speaker, group)
LETTER_WORDS = {('en_gb', 'z'): 'Zed'}
LICENCE_QUOTE = 'Files: * Copyright: 2019-2020 DanSoft <dik@inbox.ru> License: GPL-3+'


def picture_names(abcs_dir, lang):
    """{sound file name: picture name} from <lang>/abc1.json, following inheritsFrom (the child's entries win)."""
    path = os.path.join(abcs_dir, lang, 'abc1.json')
    with open(path, encoding='utf-8') as f:
        doc = json.load(f)
    parent = doc.get('general', {}).get('inheritsFrom')
    merged = {}
    if parent:
        pdoc = json.load(open(os.path.join(abcs_dir, parent), encoding='utf-8'))
        for entry in pdoc.get('letters', []):
            for letter, cats in entry.items():
                for cat, v in cats.items():
                    if isinstance(v, dict):
                        merged[(letter, cat)] = dict(v)
    for entry in doc.get('letters', []):
        for letter, cats in entry.items():
            for cat, v in cats.items():
                if isinstance(v, dict):
                    merged.setdefault((letter, cat), {}).update(v)
    names = {}
    for (letter, cat), v in sorted(merged.items()):
        if v.get('name'):
            pic = v.get('sound_pic') or v['name'].lower().replace(' ', '_') + '.ogg'
            names[pic] = v['name']
            names.setdefault(v['name'].lower().replace(' ', '_') + '.ogg', v['name'])
    return names


def list_clips(abcs_dir):
    """[(lang, kind, path, text)] for the English sets' clips, sorted."""
    out = []
    for lang, _, _ in SETS:
        names = picture_names(abcs_dir, lang)
        alpha = os.path.join(abcs_dir, lang, 'sounds/alpha')
        for f in sorted(os.listdir(alpha)) if os.path.isdir(alpha) else []:
            if f.endswith('.ogg'):
                letter = f[:-4].lower()
                out.append((lang, 'alpha', os.path.join(alpha, f), LETTER_WORDS.get((lang, letter), letter.upper())))
        words = os.path.join(abcs_dir, lang, 'sounds/words')
        for f in sorted(os.listdir(words)) if os.path.isdir(words) else []:
            if f.endswith('.ogg'):
                out.append((lang, 'words', os.path.join(words, f), names.get(f, f[:-4].replace('_', ' ').upper())))
    return out


def extract(abcs_dir, out, limit=None):
    os.makedirs(os.path.join(out, 'wav'), exist_ok=True)
    meta = {lang: (spk, grp) for lang, spk, grp in SETS}
    clips = list_clips(abcs_dir)
    rows = []
    for lang, kind, src, text in clips[:limit] if limit else clips:
        stem = os.path.basename(src)[:-4].lower().replace('-', '_')
        cid = 'qabcs_%s_%s_%s' % (lang, kind, stem)
        dst = os.path.join(out, 'wav', cid + '.wav')
        if not os.path.exists(dst):
            sc.to_wav(src, dst)
        spk, grp = meta[lang]
        rows.append(dict(id=cid, wav='wav/%s.wav' % cid, duration_s=round(sc.wav_seconds(dst), 3),
                         speaker=spk, group=grp, text=text))
    sc.write_clips(rows, out)
    return rows


def main(argv=None):
    repo = sc.repo_root()
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(repo, 'data/real/qabcs'))
    ap.add_argument('--cache', default=os.path.join(repo, 'data/cache'))
    ap.add_argument('--limit', type=int, default=None)
    a = ap.parse_args(argv)
    sc.need_sox('qabcs')
    root = sc.fetch(PACKAGE, a.cache, os.path.join(ABCS_DIR, 'en/abc1.json'))
    rows = extract(os.path.join(root, ABCS_DIR), a.out, a.limit)
    quote = sc.check_quote(sc.copyright_text(root, PACKAGE), LICENCE_QUOTE, PACKAGE)
    n_syn = sum(1 for r in rows if r['speaker'] == 'synthetic')
    info = dict(source='qabcs', package=PACKAGE, version=sc.package_version(root, PACKAGE),
                licence='GPL-3+ (debian/copyright: "%s")' % quote, **sc.summary_counts(rows),
                synthetic={'en_gb': 'Google Cloud Text-to-Speech (upstream CONTRIBUTORS: "google.com : text to '
                                    'speech"; 24 kHz like its scripts/google*.sh output)', 'clips': n_syn},
                notes=('en (US): one recorded voice, speaker unknown (group "en"); en_gb (UK): synthetic, speaker '
                       '"synthetic". Words from abc1.json picture names; letters as letters (en_gb Z = "zed").'))
    sc.write_source(a.out, info)
    print('[qabcs] %d clips (%d synthetic), %.1f s -> %s' % (len(rows), n_syn, info['hours'] * 3600, a.out),
          file=sys.stderr)


if __name__ == '__main__':
    main()

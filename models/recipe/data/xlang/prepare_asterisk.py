#!/usr/bin/python3
"""prepare_asterisk: real speech in Spanish, French, Italian and Russian (Debian's Asterisk prompt packages)
with approximate ARPAbet labels, as manifests dump_features.ts can read (cross-language acoustic training).

    nice -n 10 /usr/bin/python3 models/recipe/data/xlang/prepare_asterisk.py [--out data/real-xl]
        [--cache data/cache] [--sources es-core,fr-core,it-core,ru-core] [--dev-share 0.05]
    /usr/bin/python3 models/recipe/data/xlang/prepare_asterisk.py --local LIST.tsv --out DIR   # no apt

Sources (see models/recipe/data/README.md): `asterisk-core-sounds-<lang>` ships the prompt texts
(usr/share/doc/<pkg>/core-sounds-<lang>.txt.gz, lines `name: text`, `name` = the clip's path under the
voice folder); its `-g722` variant has the audio at 16 kHz (G.722, decoded with ffmpeg), its `-wav` variant at
8 kHz (used, through sox, only when ffmpeg is missing). `asterisk-prompt-es-co`, `-fr-armelle` and
`-it-menardi` are fetched only to check for a prompt text list and to record their licence: they have none
(their wording is their own translation, not the core-sounds text), so they are left out, reason in summary.json.
`asterisk-core-sounds-en` is never touched.

Per clip: the text is cleaned (a leading `name:` echo removed; Italian ' ? ' restored to 'è'; a text that is
wholly `[...]`, `(...)` or `<...>` is non-speech; a bracket holding only a symbol, `a [@]`, is removed; any other
bracket is an annotation that may or may not be spoken: dropped; another prompt's `name:` inside the text (two
prompts run together) and symbols espeak would read unreliably (# * @ $ % / = + < > & ~ |) drop the clip; digits
are left to espeak-ng, which says them in the language, unless they are most of the text; KNOWN_BAD lists
text-list errors), phonemised by ipa_map.py (espeak-ng IPA -> ARPAbet; an unmapped symbol or a switch to another
language drops the clip; a one-character `letters/` prompt is spelt by name), converted to 16 kHz mono 16-bit
PCM (resumable: an existing wav is kept, dropped clips' wavs included) and kept if 0.3-15 s long and said at a
plausible rate (at most 1.8 x the source's median phonemes per second, at least 1 per second). About
--dev-share of each source's clips go to dev, chosen by a hash of the clip id.

--local LIST.tsv (rows `wav<TAB>text<TAB>voice`, voice an espeak-ng voice such as es-419, fr, it, ru; a relative
wav path is relative to the list) runs the same text, phoneme, audio and manifest steps on local files; the
source is `local-<voice>`. It is what the tests use.

Writes, in --out: <source>/wav/<id>.wav, train.tsv and dev.tsv (corpus manifest format, no header:
id wav_path duration_s voice augment text phonemes; wav_path relative to --out, voice `xl-<lang>-core`,
augment `none`, text in the original language) and summary.json (per source: package versions and licences,
clips kept per split, hours, dropped counts by reason, unmapped IPA symbol counts, examples).
"""
import argparse
import collections
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'real'))
import ipa_map  # noqa: E402
import small_common as sc  # noqa: E402

# lang -> voice folder under usr/share/asterisk/sounds and the espeak-ng voice that matches its accent
CORE = {
    'es': ('es_MX_f_Allison', 'es-419'),
    'fr': ('fr_CA_f_June', 'fr'),
    'it': ('it_IT_m_Carlo', 'it'),
    'ru': ('ru_RU_f_IvrvoiceRU', 'ru'),
}
PROMPT_PACKAGES = ('asterisk-prompt-es-co', 'asterisk-prompt-fr-armelle', 'asterisk-prompt-it-menardi')
# licences of the packages whose copyright file is not machine-readable: (name, sentence it states)
FREE_FORM_LICENCES = {
    'asterisk-prompt-es-co': ('GPL-2', 'the Free Software Foundation; version 2 dated June, 1991'),
    'asterisk-prompt-fr-armelle': ('BSD-style (Michel Gutierrez)',
                                   'Redistribution and use, with or without modification, are permitted'),
}
# text-list errors found by reading the lists: (lang, prompt name) -> why the clip is left out
KNOWN_BAD = {('es', 'digits/0'): "the list gives 'diez' (ten) for zero"}
# text-list repairs per language: the Italian list lost its 'è' in eight lines ("La conferenza ? piena")
TEXT_FIXES = {'it': [(re.compile(r'(?<=\s)\?(?=\s)'), 'è')]}
MIN_S, MAX_S = 0.3, 15.0
DEV_SHARE = 0.05
MAX_RATE_RATIO = 1.8      # phonemes per second above 1.8 x the source's median: text and audio disagree
MIN_RATE = 1.0            # under one phoneme per second: the audio says more than the text
PROMPT_NAME = re.compile(r'[a-z]+(?:-[a-z0-9_]+)+:')
BAD_SYMBOLS = re.compile(r'[#*@$%/=+<>&~|\\{}]')
DROP_CHARS = dict.fromkeys(map(ord, '"“”«»„…–—'), ' ')


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ text

def clean_text(name, text, lang=''):
    """A prompt text -> (text to phonemise, None) or (None, drop reason)."""
    if (lang, name) in KNOWN_BAD:
        return None, 'known text-list error'
    t = text.strip()
    for pattern, repl in TEXT_FIXES.get(lang, ()):
        t = pattern.sub(repl, t)
    if t.lower().startswith(name.lower() + ':'):
        t = t[len(name) + 1:].strip()
    if not t:
        return None, 'empty text'
    if PROMPT_NAME.search(t):
        return None, 'another prompt merged into the text'
    if re.fullmatch(r'\s*[\[(<][^\])>]*[\])>]\s*', t):
        return None, 'non-speech'
    t = re.sub(r'[\[(]([^\])\w]*)[\])]', ' ', t)
    if re.search(r'[\[\]()]', t):
        return None, 'annotation in brackets'
    if BAD_SYMBOLS.search(t):
        return None, 'symbols'
    t = ' '.join(t.translate(DROP_CHARS).split())
    letters = sum(c.isalpha() for c in t)
    digits = sum(c.isdigit() for c in t)
    if letters == 0 or digits > letters:
        return None, 'mostly digits or symbols'
    return t, None


def read_prompts(path):
    """core-sounds-<lang>.txt.gz -> {name: text} (comment lines start with ';')."""
    with gzip.open(path, 'rt', encoding='utf-8-sig') as f:
        lines = f.read().split('\n')
    prompts = {}
    for line in lines:
        if not line.strip() or line.lstrip().startswith(';'):
            continue
        name, sep, text = line.partition(':')
        if sep:
            prompts[name.strip()] = text.strip()
    return prompts


# ------------------------------------------------------------------ packages

def dep5_licence(copyright_text, lang):
    """The License: of the stanza of a machine-readable copyright file whose Files: covers `lang`'s clips
    (`<lang>-*`, else `*`)."""
    found = {}
    for stanza in re.split(r'\n\s*\n', copyright_text):
        files = re.search(r'^Files:\s*(.+)$', stanza, re.M)
        lic = re.search(r'^License:\s*(\S.*)$', stanza, re.M)
        if files and lic:
            for pattern in files.group(1).split():
                found[pattern] = lic.group(1).strip()
    return found.get(lang + '-*', found.get('*', ''))


def licence_of(root, package, lang=''):
    text = sc.copyright_text(root, package)
    if text.startswith('Format:'):
        return dep5_licence(text, lang)
    name, quote = FREE_FORM_LICENCES[package]
    sc.check_quote(text, quote, package)
    return '%s ("%s")' % (name, quote)


def audio_variant():
    """('g722', ffmpeg) when ffmpeg can decode G.722 (16 kHz sources), else ('wav', None) (8 kHz, sox)."""
    ffmpeg = shutil.which('ffmpeg')
    return ('g722', ffmpeg) if ffmpeg else ('wav', None)


def fetch_core(lang, cache):
    """Fetch the text package and the audio variant of one language -> dict describing the source."""
    folder, voice = CORE[lang]
    meta = 'asterisk-core-sounds-' + lang
    txt = 'usr/share/doc/%s/core-sounds-%s.txt.gz' % (meta, lang)
    meta_root = sc.fetch(meta, cache, txt, log)
    variant, _ = audio_variant()
    audio_pkg = '%s-%s' % (meta, variant)
    audio_root = sc.fetch(audio_pkg, cache, 'usr/share/asterisk/sounds/' + folder, log)
    return dict(source=lang + '-core', lang=lang, espeak=voice, variant=variant, texts=os.path.join(meta_root, txt),
                audio=os.path.join(audio_root, 'usr/share/asterisk/sounds', folder),
                packages={p: dict(version=sc.package_version(r, p), licence=licence_of(r, p, lang))
                          for p, r in ((meta, meta_root), (audio_pkg, audio_root))})


def text_lists(root):
    """Files in a package that could be a list of prompt texts."""
    hits = []
    for d, _, files in os.walk(root):
        for f in files:
            if re.search(r'\.(txt|csv|tsv|lst|xml|json)(\.gz)?$', f.lower()):
                hits.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(hits)


def check_prompt_package(package, cache):
    """A voice-prompt package: fetched to look for a text list and read its licence; left out without one."""
    root = sc.fetch(package, cache, 'usr/share/doc/%s/copyright' % package, log)
    lists = text_lists(root)
    clips = sum(len([f for f in fs if not f.endswith(('.txt', '.gz'))])
                for d, _, fs in os.walk(os.path.join(root, 'usr/share/asterisk')))
    info = dict(version=sc.package_version(root, package), licence=licence_of(root, package),
                clips_in_package=clips, text_lists=lists)
    if not lists:
        info['left_out'] = ('no prompt text list in the package, only clips named by prompt id (the core-sounds '
                            'text of the same id is another translation and voice, unchecked against this audio)')
    return info


# ------------------------------------------------------------------ audio

def convert(src, dst, variant):
    """One clip -> 16 kHz mono 16-bit PCM WAV at dst (kept if it exists)."""
    if os.path.exists(dst):
        return
    if variant == 'g722':
        tmp = dst + '.tmp.wav'
        cmd = ['ffmpeg', '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'g722', '-i', src,
               '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', tmp]
        p = subprocess.run(cmd, stderr=subprocess.PIPE)
        if p.returncode:
            raise SystemExit('ffmpeg failed on %s: %s' % (src, p.stderr.decode(errors='replace')))
        os.replace(tmp, dst)
    else:
        sc.to_wav(src, dst)


def clip_id(source, name):
    return 'xl_%s_%s' % (source.replace('-', '_'), re.sub(r'[^A-Za-z0-9]+', '_', name).strip('_'))


def is_dev(cid, share):
    return int(hashlib.sha1(cid.encode()).hexdigest()[:8], 16) / 0x100000000 < share


# ------------------------------------------------------------------ building

def new_stats():
    return dict(seen=0, dropped=collections.Counter(), unmapped=collections.Counter())


def process(items, source, voice_label, espeak, out, stats, share):
    """items: (name, audio path, text, variant) -> manifest rows (dicts), stats updated."""
    rows = []
    wav_dir = os.path.join(out, source, 'wav')
    os.makedirs(wav_dir, exist_ok=True)
    for name, src, text, variant in items:
        stats['seen'] += 1
        cleaned, reason = clean_text(name, text, source.split('-')[0])
        if reason is None:
            spell = name.startswith('letters/') and len(cleaned) == 1
            phones, unmapped, reason, ipa = ipa_map.phonemize(cleaned, espeak, spell)
            stats['unmapped'].update(unmapped)
        if reason is not None:
            stats['dropped'][reason] += 1
            continue
        cid = clip_id(source, name)
        dst = os.path.join(wav_dir, cid + '.wav')
        convert(src, dst, variant)
        seconds = sc.wav_seconds(dst)
        if not MIN_S <= seconds <= MAX_S:
            stats['dropped']['shorter than %.1f s' % MIN_S if seconds < MIN_S else 'longer than %g s' % MAX_S] += 1
            continue
        rows.append(dict(id=cid, wav=os.path.relpath(dst, out), duration_s=seconds, voice=voice_label,
                         text=cleaned, phonemes=phones, ipa=ipa, split='dev' if is_dev(cid, share) else 'train'))
    return rate_filter(rows, stats)


def phone_rate(row):
    return sum(1 for p in row['phonemes'].split() if p != '|') / row['duration_s']


def rate_filter(rows, stats):
    """Drop clips said implausibly fast or slow for their text (a text that belongs to other audio, or two
    prompts' texts run together): over MAX_RATE_RATIO x the source's median phonemes per second, or under
    MIN_RATE."""
    if not rows:
        return rows
    rates = sorted(phone_rate(r) for r in rows)
    top = MAX_RATE_RATIO * rates[len(rates) // 2]
    kept = []
    for r in rows:
        rate = phone_rate(r)
        if rate > top or rate < MIN_RATE:
            stats['dropped']['speaking rate %s' % ('too fast' if rate > top else 'too slow')] += 1
        else:
            kept.append(r)
    return kept


def core_items(src):
    """Pair the prompt texts with the clips (names compared exactly, then case-insensitively)."""
    ext = '.' + src['variant']
    audio = {}
    for d, _, files in os.walk(src['audio']):
        for f in files:
            if f.endswith(ext):
                audio[os.path.relpath(os.path.join(d, f), src['audio'])[:-len(ext)]] = os.path.join(d, f)
    lower = {k.lower(): k for k in audio}
    prompts = read_prompts(src['texts'])
    items, matched = [], set()
    for name, text in sorted(prompts.items()):
        key = name if name in audio else lower.get(name.lower())
        if key is None or key in matched:
            continue
        matched.add(key)
        items.append((key, audio[key], text, src['variant']))
    missing = dict(text_without_audio=len(prompts) - len(items), audio_without_text=len(audio) - len(matched))
    return items, missing


def finish_stats(stats, rows):
    """Counts, hours, drops, unmapped symbols and three examples of one source's kept rows."""
    s = dict(seen=stats['seen'])
    for split in ('train', 'dev'):
        mine = [r for r in rows if r['split'] == split]
        s.setdefault('clips', {})[split] = len(mine)
        s.setdefault('hours', {})[split] = round(sum(r['duration_s'] for r in mine) / 3600, 4)
    s['dropped'] = dict(stats['dropped'].most_common())
    s['unmapped'] = dict(stats['unmapped'].most_common())
    longer = [r for r in rows if len(r['text'].split()) >= 2]
    s['examples'] = [dict((k, r[k]) for k in ('id', 'text', 'ipa', 'phonemes'))
                     for r in (longer[len(longer) * i // 3] for i in range(3) if longer)]
    return s


def write_manifests(rows, out):
    for split in ('train', 'dev'):
        path = os.path.join(out, split + '.tsv')
        with open(path + '.tmp', 'w', encoding='utf-8') as f:
            for r in sorted((r for r in rows if r['split'] == split), key=lambda r: r['id']):
                cells = [r['id'], r['wav'], '%.3f' % r['duration_s'], r['voice'], 'none', r['text'], r['phonemes']]
                f.write('\t'.join(' '.join(str(c).split()) for c in cells) + '\n')
        os.replace(path + '.tmp', path)


def build_packages(args):
    sc.need_sox('prepare_asterisk')
    summary = dict(audio_decoder=audio_variant()[0], sources={}, left_out={})
    rows = []
    for source in args.sources.split(','):
        lang = source.split('-')[0]
        t0 = time.time()
        src = fetch_core(lang, args.cache)
        items, missing = core_items(src)
        stats = new_stats()
        mine = process(items, source, 'xl-%s-core' % lang, src['espeak'], args.out, stats, args.dev_share)
        rows += mine
        info = finish_stats(stats, mine)
        info.update(missing, espeak_voice=src['espeak'], audio_variant=src['variant'], packages=src['packages'],
                    seconds_to_build=round(time.time() - t0, 1))
        summary['sources'][source] = info
        log('[xl] %s: %d train / %d dev clips, %.2f h, dropped %s, unmapped %s (%.0f s)' % (
            source, info['clips']['train'], info['clips']['dev'], info['hours']['train'] + info['hours']['dev'],
            info['dropped'], info['unmapped'], time.time() - t0))
    for package in PROMPT_PACKAGES:
        info = check_prompt_package(package, args.cache)
        (summary['left_out'] if 'left_out' in info else summary['sources'])[package] = info
        log('[xl] %s: %s' % (package, info.get('left_out', 'has text lists %s: add a reader' % info['text_lists'])))
    return rows, summary


def build_local(args):
    """--local LIST.tsv: wav<TAB>text<TAB>voice rows, no apt."""
    sc.need_sox('prepare_asterisk')
    base = os.path.dirname(os.path.abspath(args.local))
    groups = collections.defaultdict(list)
    with open(args.local, encoding='utf-8') as f:
        for n, line in enumerate(f):
            cells = line.rstrip('\n').split('\t')
            if len(cells) < 3:
                continue
            wav, text, voice = cells[:3]
            groups[voice].append(('%s_%d' % (os.path.splitext(os.path.basename(wav))[0], n),
                                  os.path.join(base, wav), text, 'wav'))
    summary = dict(audio_decoder='sox', sources={}, left_out={})
    rows = []
    for voice, items in sorted(groups.items()):
        source = 'local-' + voice
        stats = new_stats()
        mine = process(items, source, 'xl-%s-local' % voice, voice, args.out, stats, args.dev_share)
        rows += mine
        summary['sources'][source] = finish_stats(stats, mine)
    return rows, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    root = sc.repo_root()
    ap.add_argument('--out', default=os.path.join(root, 'data/real-xl'))
    ap.add_argument('--cache', default=os.path.join(root, 'data/cache'))
    ap.add_argument('--sources', default='es-core,fr-core,it-core,ru-core')
    ap.add_argument('--dev-share', type=float, default=DEV_SHARE)
    ap.add_argument('--local', help='wav<TAB>text<TAB>voice list instead of the Debian packages')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows, summary = build_local(args) if args.local else build_packages(args)
    write_manifests(rows, args.out)
    sc.write_json(os.path.join(args.out, 'summary.json'), summary)
    train = [r for r in rows if r['split'] == 'train']
    log('[xl] wrote %s: %d train (%.2f h), %d dev (%.2f h)' % (
        args.out, len(train), sum(r['duration_s'] for r in train) / 3600, len(rows) - len(train),
        sum(r['duration_s'] for r in rows if r['split'] == 'dev') / 3600))


if __name__ == '__main__':
    main()

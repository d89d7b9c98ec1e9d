#!/usr/bin/python3
"""Warzone 2100 (Debian `warzone2100-data`) tutorial narration -> real English speech clips.

    /usr/bin/python3 models/recipe/data/real/warzone2100.py [--out data/real/warzone2100] [--cache data/cache] [--limit N]

usr/share/games/warzone2100/base.wz is a zip. Its script/tutorial.js lists the tutorial's console lines as
objects {"audio": "tutN.ogg", ..., "message": _("text"), ...}; the clip is audio/tutorial/tutN.ogg (11,025 Hz
Ogg Vorbis, one female narrator). Entries whose message is `undefined` (the clip is played with no text) are
left out, as are the tutorial clips the script does not use. Speaker and group: "narrator".
"""
import argparse
import os
import re
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import small_common as sc  # noqa: E402

PACKAGE = 'warzone2100-data'
WZ = 'usr/share/games/warzone2100/base.wz'
SCRIPT = 'script/tutorial.js'
AUDIO_DIR = 'audio/tutorial/'
LICENCE_QUOTE = 'Files: * Copyright: 1999-2004, Eidos Interactive 2005-2013, Warzone 2100 Project License: GPL-2+'
ENTRY = re.compile(r'\{\s*"audio"\s*:\s*"([^"]+)"(.*?)\}', re.S)
MESSAGE = re.compile(r'"message"\s*:\s*(?:_\(\s*"((?:[^"\\]|\\.)*)"\s*\)|(undefined))')


def script_lines(js):
    """[(audio file, text or None)] in script order, from tutorial.js's console table."""
    out = []
    for m in ENTRY.finditer(js):
        msg = MESSAGE.search(m.group(2))
        if not msg:
            continue
        text = None if msg.group(2) else re.sub(r'\\(.)', r'\1', msg.group(1))
        out.append((m.group(1), text))
    return out


def extract(wz_path, out, limit=None):
    os.makedirs(os.path.join(out, 'wav'), exist_ok=True)
    rows = []
    with zipfile.ZipFile(wz_path) as z:
        names = set(z.namelist())
        lines = script_lines(z.read(SCRIPT).decode('utf-8'))
        no_text = sum(1 for _, t in lines if t is None)
        missing = [a for a, t in lines if t is not None and AUDIO_DIR + a not in names]
        for audio, text in lines:
            if text is None or AUDIO_DIR + audio not in names:
                continue
            if limit and len(rows) >= limit:
                break
            cid = 'warzone2100_' + audio.rsplit('.', 1)[0]
            dst = os.path.join(out, 'wav', cid + '.wav')
            if not os.path.exists(dst):
                sc.to_wav(audio, dst, src_type='ogg', data=z.read(AUDIO_DIR + audio))
            rows.append(dict(id=cid, wav='wav/%s.wav' % cid, duration_s=round(sc.wav_seconds(dst), 3),
                             speaker='narrator', group='narrator', text=text))
        used = {AUDIO_DIR + a for a, _ in lines}
        unused = sum(1 for n in names if n.startswith(AUDIO_DIR) and n.endswith('.ogg') and n not in used)
    sc.write_clips(rows, out)
    return rows, dict(script_entries=len(lines), entries_without_text=no_text, missing_audio=missing,
                      tutorial_clips_not_in_script=unused)


def main(argv=None):
    repo = sc.repo_root()
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(repo, 'data/real/warzone2100'))
    ap.add_argument('--cache', default=os.path.join(repo, 'data/cache'))
    ap.add_argument('--limit', type=int, default=None)
    a = ap.parse_args(argv)
    sc.need_sox('warzone2100')
    root = sc.fetch(PACKAGE, a.cache, WZ)
    rows, info = extract(os.path.join(root, WZ), a.out, a.limit)
    quote = sc.check_quote(sc.copyright_text(root, PACKAGE), LICENCE_QUOTE, PACKAGE)
    src = dict(source='warzone2100', package=PACKAGE, version=sc.package_version(root, PACKAGE),
               licence='GPL-2+ (debian/copyright: "%s")' % quote, **sc.summary_counts(rows), **info,
               notes='Tutorial narration (one female narrator) mapped to its text by script/tutorial.js; '
                     'entries with no message left out.')
    sc.write_source(a.out, src)
    print('[warzone2100] %d clips, %.1f s -> %s' % (len(rows), src['hours'] * 3600, a.out), file=sys.stderr)


if __name__ == '__main__':
    main()

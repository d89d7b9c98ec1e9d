#!/usr/bin/python3
"""Kajongg (Debian `kajongg`) voices -> real English speech clips.

    /usr/bin/python3 models/recipe/data/real/kajongg.py [--out data/real/kajongg] [--cache data/cache] [--limit N]

The game ships four English voices, one folder each (usr/share/kajongg/voices/{female1,female2,male1,male2};
the German ones under voices/de are left out), with 42 Ogg Vorbis clips per voice at 44.1 kHz named by code:
tiles b1-b9 (bamboo), c1-c9 (character), s1-s9 (the game's "stone" suit), dragons db/dg/dr (white/green/red:
Tile.white, green, red = 'b', 'g', 'r' in the game's tile.py), winds we/ws/ww/wn, and the calls chow, pung, kong,
mahjongg, originalcall, violatesoriginalcall, dangerousgame, nochoice (the game's message names).

The spoken words are not in the game's data, so WORDING below was worked out by listening with PocketSphinx
(en-us acoustic model): every clip decoded with a grammar of candidate wordings, then each suit word scored
alone. Findings: the tiles are said "<suit> <number>" in all four voices; the "stone" suit is said "circle"
(circle beat stone, dot, dots, circles, coin, ball... on 33 of 36 clips); "character" won 22 of 36 against
characters/char/crack (6/5/1: fast speech, not another word); winds are the bare direction ("east", not "east
wind"); dragons are "white/green/red dragon"; "violates the original call" (the game writes "violates Original
Call"); mahjongg is "mah jong". The text column holds these words in the game's own style ("Bamboo 1").
Each voice is its own speaker and its own group (dev/test splits keep a voice out of training).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import small_common as sc  # noqa: E402

PACKAGE = 'kajongg'
VOICES_DIR = 'usr/share/kajongg/voices'
VOICES = ('female1', 'female2', 'male1', 'male2')
SUITS = {'b': 'Bamboo', 'c': 'Character', 's': 'Circle'}
DRAGONS = {'b': 'White Dragon', 'g': 'Green Dragon', 'r': 'Red Dragon'}
WINDS = {'e': 'East', 's': 'South', 'w': 'West', 'n': 'North'}
CALLS = {'chow': 'Chow', 'pung': 'Pung', 'kong': 'Kong', 'mahjongg': 'Mah Jong', 'originalcall': 'Original Call',
         'violatesoriginalcall': 'Violates the Original Call', 'dangerousgame': 'Dangerous Game',
         'nochoice': 'No Choice'}
LICENCE_QUOTE = ('The following files are copyright of Wolfgang Rohdewald <wolfgang@rohdewald.de> and licensed '
                 'under the GPL v2 or later license')


def wording(code):
    """The words spoken in the clip with this file-name code, or None for an unknown code."""
    if len(code) == 2 and code[0] in SUITS and code[1] in '123456789':
        return '%s %s' % (SUITS[code[0]], code[1])
    if len(code) == 2 and code[0] == 'd' and code[1] in DRAGONS:
        return DRAGONS[code[1]]
    if len(code) == 2 and code[0] == 'w' and code[1] in WINDS:
        return WINDS[code[1]]
    return CALLS.get(code)


def list_clips(voices_dir):
    """[(voice, code, path, text)] for the English voices' .ogg files, sorted; unknown codes are reported."""
    out, unknown = [], []
    for voice in VOICES:
        d = os.path.join(voices_dir, voice)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith('.ogg'):
                continue
            code = name[:-4]
            text = wording(code)
            if text is None:
                unknown.append('%s/%s' % (voice, name))
                continue
            out.append((voice, code, os.path.join(d, name), text))
    return out, unknown


def extract(voices_dir, out, limit=None, log=print):
    clips, unknown = list_clips(voices_dir)
    os.makedirs(os.path.join(out, 'wav'), exist_ok=True)
    rows = []
    for voice, code, src, text in clips[:limit] if limit else clips:
        cid = 'kajongg_%s_%s' % (voice, code)
        dst = os.path.join(out, 'wav', cid + '.wav')
        if not os.path.exists(dst):
            sc.to_wav(src, dst)
        rows.append(dict(id=cid, wav='wav/%s.wav' % cid, duration_s=round(sc.wav_seconds(dst), 3),
                         speaker=voice, group=voice, text=text))
    sc.write_clips(rows, out)
    if unknown:
        log('[kajongg] left out %d clips with unknown codes: %s' % (len(unknown), ', '.join(unknown)))
    return rows, unknown


def main(argv=None):
    repo = sc.repo_root()
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(repo, 'data/real/kajongg'))
    ap.add_argument('--cache', default=os.path.join(repo, 'data/cache'))
    ap.add_argument('--limit', type=int, default=None)
    a = ap.parse_args(argv)
    sc.need_sox('kajongg')
    root = sc.fetch(PACKAGE, a.cache, os.path.join(VOICES_DIR, 'female1'))
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    rows, unknown = extract(os.path.join(root, VOICES_DIR), a.out, a.limit, log)
    quote = sc.check_quote(open(os.path.join(root, VOICES_DIR, 'female1/COPYRIGHT')).read(), LICENCE_QUOTE, PACKAGE)
    sc.check_quote(sc.copyright_text(root, PACKAGE), 'Files: * Copyright: 2020 Friedrich W. H. Kossebau', PACKAGE)
    info = dict(source='kajongg', package=PACKAGE, version=sc.package_version(root, PACKAGE),
                licence='GPL-2+ (voices/*/COPYRIGHT: "%s."; debian/copyright: Files: * License: GPL-2+)' % quote,
                **sc.summary_counts(rows),
                notes=('Four English voices (2 female, 2 male), one folder each; speaker = group = voice folder. '
                       'Text = the words heard in the clip (see kajongg.py: worked out with PocketSphinx, e.g. the '
                       '"stone" suit is said "circle"). German voices (voices/de) left out. %d unknown codes left out.'
                       % len(unknown)))
    sc.write_source(a.out, info)
    log('[kajongg] %d clips, %.1f s, %d voices -> %s' % (len(rows), info['hours'] * 3600, info['speakers'], a.out))


if __name__ == '__main__':
    main()

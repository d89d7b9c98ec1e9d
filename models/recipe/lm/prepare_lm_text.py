#!/usr/bin/python3
"""prepare_lm_text: the word-LM's text and vocabulary, from the speech corpus text (standard library only).

    /usr/bin/python3 models/recipe/lm/prepare_lm_text.py [--corpus data/corpus] [--cache data/cache] [--out data/lm]

Reads CORPUS/sentences.tsv (id, source, text, split, tts_text; written by models/recipe/data/prepare_text.py)
and, for extra text, the same sources through prepare_text's own extractors (CACHE/x, unpacked by
fetch_sources.sh): the sentences prepare_text dropped only because a word was not in CMUdict or the
sentence was longer than 20 words, plus the descriptions in cataclysm's other JSON files. Those are new
sentences for the LM (their rare words become <unk>).

Held out, never trained on:
  * every dev/test sentence of the corpus (the acoustic evaluation sets; alpha/beta are tuned on dev);
  * LM_TEST_N random corpus train-split sentences: the LM's own test set (perplexity, OOV rate),
    and the pool the homophone benchmark draws from (make_homophone_set.py).
Extra sentences equal to a held-out sentence are dropped (they cannot be: extra text is, by
construction, text prepare_text did not keep; the check is there anyway).

Isolated words: people also say one word on its own (a command, a name, an answer), and an LM that has
only read whole sentences gives "<eos> word <eos>" so little probability that the decoder splits a long
word into several short ones ("inability" -> "in a dull sea"). --isolated-words F adds F x (number of
sentences) one-word lines after the vocabulary is chosen (the vocabulary is the same with or without
them). Each word is drawn from the vocabulary in proportion to count^0.5, as the isolated-word speech
corpus draws its words (models/recipe/data/prepare_words.py), and only from that corpus's train words
(its hash split), so the words its dev and test sets say alone are never seen alone here either.

Transcripts of the acoustic training speech: --transcripts A.tsv,B.tsv adds their text as lines, also after
the vocabulary is chosen (their rare words become <unk>). The real-speech manifests (data/real*/train.tsv,
text in the sixth column) and plain WAV<TAB>TEXT manifests are read. Every text of --heldout A.tsv,... (the
dev and test manifests of that speech) is dropped from them, as are the corpus's held-out sentences, so the
LM never reads a line the dev and test sets say.

Writes, in OUT:
  train.txt        one sentence per line, lower-case words separated by spaces (no <eos>: the trainer adds it)
  test.txt         the LM test set (LM_TEST_N corpus sentences), same form
  heldout-ids.tsv  id<TAB>text of test.txt, so other scripts can trace a test sentence to the corpus
  dev.txt          the corpus dev+test sentences (perplexity on the acoustic evaluation text)
  vocab.txt        <unk>, <eos>, then the VOCAB_SIZE most frequent training words that CMUdict knows
  lm-text.json     sizes, sources, OOV rates: what export_lm.py copies into the package provenance
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
import prepare_text  # noqa: E402  (the corpus extractors and normaliser: one definition of "a sentence")
from prepare_words import word_split  # noqa: E402  (the isolated-word corpus's train/dev/test split of words)

CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
VOCAB_SIZE = 10000
UNK, EOS = "<unk>", "<eos>"
LM_TEST_N = 3000
EXTRA_MAX_WORDS = 40      # extra sentences may be longer than the corpus's 20 words
EXTRA_MIN_WORDS = 2
ISOLATED_WORDS = 0.05     # one-word lines, as a fraction of the training sentences


def lexicon_words(path: str) -> set:
    """CMUdict spellings, lower case, variants '(2)' folded: the words the recogniser can produce."""
    words = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                words.add(re.sub(r"\(\d+\)$", "", parts[0]).lower())
    return words


class AnyWord:
    """A 'lexicon' that knows every word: prepare_text.normalise then filters by form only, not by CMUdict."""

    def __contains__(self, word):
        return True


def read_corpus(path: str):
    """-> list of (id, source, text, split)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            rows.append((parts[0], parts[1], parts[2], parts[3]))
    return rows


def extra_sentences(cache_x: str, known: set):
    """Sentences of the corpus sources that the corpus did not keep, normalised the corpus's way. -> {source: [text]}"""
    prepare_text.MIN_WORDS, prepare_text.MAX_WORDS = EXTRA_MIN_WORDS, EXTRA_MAX_WORDS
    anyword = AnyWord()
    out = collections.defaultdict(list)
    seen = set(known)
    for name, _pkg, fn in prepare_text.SOURCES:
        if name == "moby-dick":
            continue            # archaic; the corpus already takes a little of it
        n = 0
        for _path, chunk in fn(cache_x):
            for sent in prepare_text.split_sentences(chunk):
                r = prepare_text.normalise(sent, anyword)
                if r is None or r[0] in seen:
                    continue
                seen.add(r[0])
                out[name].append(r[0])
                n += 1
        print(f"[lm-text] extra {name:20s} {n:7d} sentences", flush=True)
    # cataclysm's other JSON text (item and place descriptions): modern, plain, full sentences only
    n = 0
    for path, chunk in prepare_text.cataclysm_texts(cache_x, ""):
        if "/npcs/" in path or "/snippets/" in path:
            continue
        for sent in prepare_text.split_sentences(chunk):
            r = prepare_text.normalise(sent, anyword)
            if r is None or r[0] in seen or len(r[0].split()) < 4:
                continue
            seen.add(r[0])
            out["cataclysm-descriptions"].append(r[0])
            n += 1
    print(f"[lm-text] extra {'cataclysm-descriptions':20s} {n:7d} sentences", flush=True)
    return out


def manifest_texts(paths: str):
    """Texts of WAV<TAB>TEXT manifests, or of the real-speech manifests (text in the sixth column)."""
    out = []
    for path in filter(None, paths.split(",")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                text = parts[1] if len(parts) == 2 else parts[5] if len(parts) >= 6 else ""
                text = " ".join(text.lower().split())
                if text:
                    out.append(text)
    return out


def isolated_word_lines(vocab_words, counts, n: int, rng: random.Random):
    """n one-word lines: vocabulary words of the isolated-word corpus's train split, drawn by count^0.5."""
    pool = [w for w in vocab_words if w.isalpha() and word_split(w) == "train"]
    if n <= 0 or not pool:
        return []
    return rng.choices(pool, [counts[w] ** 0.5 for w in pool], k=n)


def oov_rate(sentences, vocab: set) -> float:
    words = [w for s in sentences for w in s.split()]
    return sum(w not in vocab for w in words) / max(1, len(words))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(REPO, "data/corpus"))
    ap.add_argument("--cache", default=os.path.join(REPO, "data/cache"))
    ap.add_argument("--out", default=os.path.join(REPO, "data/lm"))
    ap.add_argument("--cmudict", default=CMUDICT)
    ap.add_argument("--vocab-size", type=int, default=VOCAB_SIZE)
    ap.add_argument("--test-n", type=int, default=LM_TEST_N)
    ap.add_argument("--no-extra", action="store_true", help="corpus sentences only")
    ap.add_argument("--seed", type=int, default=4321)
    ap.add_argument("--isolated-words", type=float, default=ISOLATED_WORDS,
                    help="one-word lines to add, as a fraction of the sentences (0: none)")
    ap.add_argument("--transcripts", default="", help="manifests of training speech whose texts are added (comma-separated)")
    ap.add_argument("--heldout", default="", help="manifests whose texts are never trained on (comma-separated)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    rows = read_corpus(os.path.join(a.corpus, "sentences.tsv"))
    heldout_eval = [r for r in rows if r[3] in ("dev", "test")]
    train_rows = [r for r in rows if r[3] == "train"]
    rng = random.Random(a.seed)
    test_ids = set(r[0] for r in rng.sample(train_rows, min(a.test_n, len(train_rows) // 10)))
    test_rows = [r for r in train_rows if r[0] in test_ids]
    never_train = set(r[2] for r in heldout_eval) | set(r[2] for r in test_rows)
    corpus_train = [r[2] for r in train_rows if r[0] not in test_ids and r[2] not in never_train]
    print(f"[lm-text] corpus: {len(train_rows)} train rows -> {len(corpus_train)} LM train, {len(test_rows)} LM test; "
          f"{len(heldout_eval)} dev/test rows held out", flush=True)

    extra = {}
    cache_x = os.path.join(a.cache, "x")
    if not a.no_extra and os.path.isdir(cache_x):
        extra = extra_sentences(cache_x, set(r[2] for r in rows))
    elif not a.no_extra:
        print(f"[lm-text] no source cache at {cache_x}: corpus sentences only", flush=True)
    extra_all = [s for v in extra.values() for s in v if s not in never_train]

    train = corpus_train + extra_all
    rng.shuffle(train)
    lex = lexicon_words(a.cmudict)
    counts = collections.Counter(w for s in train for w in s.split())
    in_lex = [(w, c) for w, c in counts.items() if w in lex]
    in_lex.sort(key=lambda wc: (-wc[1], wc[0]))
    vocab_words = [w for w, _ in in_lex[: a.vocab_size]]
    vocab = set(vocab_words)
    isolated = isolated_word_lines(vocab_words, counts, round(a.isolated_words * len(train)), rng)
    heldout_texts = never_train | set(manifest_texts(a.heldout))
    transcripts = [t for t in manifest_texts(a.transcripts) if t not in heldout_texts]
    transcript_words = sum(len(t.split()) for t in transcripts)
    sentences = train
    train = sentences + isolated + transcripts
    rng.shuffle(train)

    def write(name, sentences):
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            for s in sentences:
                f.write(s + "\n")

    write("train.txt", train)
    write("test.txt", [r[2] for r in test_rows])
    write("dev.txt", [r[2] for r in heldout_eval])
    write("vocab.txt", [UNK, EOS] + vocab_words)
    with open(os.path.join(a.out, "heldout-ids.tsv"), "w", encoding="utf-8") as f:
        for r in test_rows:
            f.write(f"{r[0]}\t{r[2]}\n")

    n_words = sum(counts.values()) + len(isolated) + transcript_words
    lexicon_outside_vocab = len(lex - vocab)
    summary = {
        "corpus": os.path.relpath(os.path.join(a.corpus, "sentences.tsv"), REPO),
        "seed": a.seed,
        "trainSentences": len(sentences),
        "isolatedWordLines": len(isolated),
        "isolatedWordVocabulary": len(set(isolated)),
        "transcriptLines": len(transcripts),
        "transcriptWords": transcript_words,
        "transcriptSources": [os.path.relpath(p, REPO) for p in filter(None, a.transcripts.split(","))],
        "trainWords": n_words,
        "corpusTrainSentences": len(corpus_train),
        "extraSentences": {k: len(v) for k, v in extra.items()},
        "testSentences": len(test_rows),
        "devTestSentences": len(heldout_eval),
        "distinctTrainWords": len(counts),
        "vocabularySize": len(vocab_words) + 2,
        "lexiconWords": len(lex),
        "lexiconWordsOutsideVocabulary": lexicon_outside_vocab,
        "oovRate": {"train": round(oov_rate(sentences, vocab), 4),
                    "test": round(oov_rate([r[2] for r in test_rows], vocab), 4),
                    "devTest": round(oov_rate([r[2] for r in heldout_eval], vocab), 4)},
        "lastVocabularyWordCount": in_lex[min(a.vocab_size, len(in_lex)) - 1][1] if in_lex else 0,
    }
    json.dump(summary, open(os.path.join(a.out, "lm-text.json"), "w"), indent=1)
    print(f"[lm-text] {len(isolated)} isolated-word lines ({len(set(isolated))} distinct words); "
          f"{len(transcripts)} transcript lines", flush=True)
    print(f"[lm-text] train {len(sentences)} sentences, {n_words} words ({len(counts)} distinct); vocabulary {len(vocab_words)}+2 "
          f"(last word seen {summary['lastVocabularyWordCount']}x); OOV train {summary['oovRate']['train']:.2%} "
          f"test {summary['oovRate']['test']:.2%} dev/test {summary['oovRate']['devTest']:.2%}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""make_dev_lists: the two dev lists decoder and LM settings are chosen on (decode_sweep.ts, tune_lm.ts).

  /usr/bin/python3 models/recipe/eval/make_dev_lists.py [--data data] [--out data/evals] [--seed 1]
      [--tts 150] [--real 150]

Reads the dev sets through data/evalroot (so that every path names its group for decode_sweep's
`--groups tts=/corpus/,real=/real/,words=/corpus-words/`):
  corpus/dev-heldout.tsv             held-out TTS voices, clean sentences
  real/dev-real-<source>.tsv         dev-real, every source
  corpus-words/dev-heldout.tsv       isolated words and 1-3 word phrases, held-out voices, clean
  corpus-words/dev-heldout-noisy.tsv the same, noisy
and writes, rows `WAV<TAB>TEXT` with paths relative to --out:
  lm-dev-words.tsv   --tts TTS clips, --real dev-real clips (a seeded draw) and every clean isolated-word clip
  dev-rest.tsv       every other clip of those sets (the noisy isolated words included)
Test sets and data/real-eval are never read.
"""
import argparse
import glob
import os
import random
import sys


def read_rows(tsv):
    base = os.path.dirname(os.path.abspath(tsv))
    rows = []
    with open(tsv, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            wav, sep, text = line.partition("\t")
            if not sep:
                raise SystemExit("%s: expected WAV<TAB>TEXT, got %r" % (tsv, line[:80]))
            rows.append((os.path.join(base, wav), text))
    return rows


def draw(rows, n, rng):
    """n rows drawn without replacement (in the set's order), and the rest."""
    idx = set(rng.sample(range(len(rows)), min(n, len(rows))))
    return [r for i, r in enumerate(rows) if i in idx], [r for i, r in enumerate(rows) if i not in idx]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="data")
    ap.add_argument("--out", default="data/evals")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tts", type=int, default=150)
    ap.add_argument("--real", type=int, default=150)
    a = ap.parse_args()
    root = os.path.join(a.data, "evalroot")
    need = [os.path.join(root, p) for p in ("corpus/dev-heldout.tsv", "corpus-words/dev-heldout.tsv",
                                            "corpus-words/dev-heldout-noisy.tsv")]
    real_sets = sorted(glob.glob(os.path.join(root, "real", "dev-real-*.tsv")))
    missing = [p for p in need if not os.path.exists(p)] + ([] if real_sets else [os.path.join(root, "real/dev-real-*.tsv")])
    if missing:
        raise SystemExit("make_dev_lists: missing %s (npm run data:all builds them)" % ", ".join(missing))
    rng = random.Random("dev-lists:%d" % a.seed)
    tts_pick, tts_rest = draw(read_rows(need[0]), a.tts, rng)
    real_all = [r for s in real_sets for r in read_rows(s)]
    real_pick, real_rest = draw(real_all, a.real, rng)
    words, words_noisy = read_rows(need[1]), read_rows(need[2])
    os.makedirs(a.out, exist_ok=True)
    out_abs = os.path.abspath(a.out)
    # paths relative to the list through evalroot's links (os.path.relpath keeps them: abspath does not resolve links)
    for name, rows in (("lm-dev-words.tsv", tts_pick + real_pick + words),
                       ("dev-rest.tsv", tts_rest + real_rest + words_noisy)):
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            for wav, text in rows:
                f.write("%s\t%s\n" % (os.path.relpath(wav, out_abs), text))
        print("[dev-lists] %s: %d clips" % (os.path.join(a.out, name), len(rows)), file=sys.stderr)
    print("[dev-lists] lm-dev-words: %d TTS, %d real, %d isolated words; dev-rest: %d TTS, %d real, %d noisy words"
          % (len(tts_pick), len(real_pick), len(words), len(tts_rest), len(real_rest), len(words_noisy)), file=sys.stderr)


if __name__ == "__main__":
    main()

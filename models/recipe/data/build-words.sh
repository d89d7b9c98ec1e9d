#!/usr/bin/env bash
# The isolated-word corpus (npm run corpus:words): 1-3 word utterances, train rows in the training voices,
# dev/test rows (words never said alone in training) in the held-out voices, then their features (dump_all.sh).
#   bash models/recipe/data/build-words.sh [--hours 1.2] [--jobs 2]
# Needs the sentence corpus (npm run corpus) for its word counts and lexicon. Resumable: rendered wavs are kept.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
HOURS=1.2
JOBS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --hours) HOURS=$2; shift 2;;
    --jobs) JOBS=$2; shift 2;;
    -h|--help) sed -n 2,5p "$0"; exit 0;;
    *) echo "unknown argument: $1" >&2; exit 2;;
  esac
done
cd "$ROOT"
bash "$ROOT/models/recipe/data-link.sh"
[ -f data/corpus/word-counts-train.tsv ] || { echo "no data/corpus/word-counts-train.tsv: run npm run corpus first" >&2; exit 1; }
/usr/bin/python3 "$HERE/prepare_words.py" --corpus data/corpus --out data/words-text
/usr/bin/python3 "$HERE/synthesize.py" --text data/words-text --out data/corpus-words --hours "$HOURS" --jobs "$JOBS" \
  --seed 7 --cache data/cache/espeak
[ -d data/evalroot ] && ln -sfn ../corpus-words data/evalroot/corpus-words
bash models/recipe/dump_all.sh data/corpus-words data/features words-
echo "[words] done: data/corpus-words (eval sets dev-heldout.tsv, test-heldout.tsv), data/features/words-{train,dev,test}"

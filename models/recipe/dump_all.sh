#!/usr/bin/env bash
# Features for every split of the corpus, computed by the app's own featurizer, in 2 parallel parts.
#   bash models/recipe/dump_all.sh [CORPUS_DIR=data/corpus] [OUT=data/features] [PREFIX]
# Each split goes to OUT/PREFIXsplit (PREFIX words-: data/features/words-train, as build-words.sh does).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash models/recipe/data-link.sh
CORPUS=${1:-data/corpus}
OUT=${2:-data/features}
PREFIX=${3:-}
for split in train dev test; do
  [ -f "$CORPUS/$split.tsv" ] || continue
  rm -rf "$OUT/$PREFIX$split"
  npx tsx models/recipe/dump_features.ts --manifest "$CORPUS/$split.tsv" --out "$OUT/$PREFIX$split" --part 0/2 &
  npx tsx models/recipe/dump_features.ts --manifest "$CORPUS/$split.tsv" --out "$OUT/$PREFIX$split" --part 1/2 &
  wait
done
du -sh "$OUT"/*

#!/usr/bin/env bash
# Features for every split of the corpus, computed by the app's own featurizer, in 2 parallel parts (dump_parts.sh).
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
  bash models/recipe/dump_parts.sh "$CORPUS/$split.tsv" "$OUT/$PREFIX$split"
done
du -sh "$OUT"/*

#!/usr/bin/env bash
# Packs the feature shards for a GPU machine that takes at most 64 MiB per transfer.
#   bash models/recipe/ship_features.sh [FEATURES=data/features] [OUT=.ship] [PART_MIB=44]
# Writes OUT/dev.tar.xz (the dev features: enough for a smoke run), OUT/train.tar.xz.NN
# (the train features, split into PART_MIB parts) and OUT/SHA256SUMS. xz's delta filter
# (distance = one frame of nMels bytes) packs the uint8 log-mels to about 56 %.
# On the GPU machine, models/recipe/gpu_train.sh gathers the parts and trains.
set -euo pipefail
cd "$(dirname "$0")/../.."
FEAT=${1:-data/features}
OUT=${2:-.ship}
PART_MIB=${3:-44}
[ -f "$FEAT/train/features.json" ] || { echo "no features in $FEAT/train: run npm run features first" >&2; exit 1; }
DIST=$(node -e "const m=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')); console.log(m.type==='logmel'?m.nMels:m.nMfcc)" "$FEAT/train/features.json")
rm -rf "$OUT"; mkdir -p "$OUT"
XZ="xz -T2 --delta=dist=$DIST --lzma2=preset=6"
tar -C "$FEAT" -cf - dev | $XZ > "$OUT/dev.tar.xz"
tar -C "$FEAT" -cf - train | $XZ | split -b "${PART_MIB}M" -d -a 2 - "$OUT/train.tar.xz."
(cd "$OUT" && sha256sum dev.tar.xz train.tar.xz.* > SHA256SUMS)
ls -la "$OUT"
echo "raw $(du -sh "$FEAT/train" | cut -f1) train -> $(cat "$OUT"/train.tar.xz.* | wc -c) bytes in $(ls "$OUT"/train.tar.xz.* | wc -l) parts"

#!/usr/bin/env bash
# Real speech in other languages (Spanish, French, Italian, Russian Asterisk prompts, Debian packages) with
# approximate ARPAbet labels, for cross-language acoustic training: xlang/prepare_asterisk.py fetches and
# converts the clips and writes data/real-xl/{train,dev}.tsv and summary.json, then dump_features.ts writes
# data/features/xl-train and xl-dev. See models/recipe/data/README.md.
#   bash models/recipe/data/build-xlang.sh [--out data/real-xl] [--cache data/cache] [--features data/features]
#        [--sources fr-core,it-core,ru-core] [--no-features]
# es-core is built only when asked for: its speaker (Allison Smith) also recorded asterisk-core-sounds-en, which
# this project never uses, so that a set made from it stays free of any speaker the model has heard.
# Resumable: packages already extracted under <cache>/pkgs are not fetched again and converted clips are kept
# (prepare_asterisk.py skips them); manifests and features are rewritten each time (about a minute).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT="$REPO/data/real-xl"
CACHE="$REPO/data/cache"
FEATURES="$REPO/data/features"
SOURCES="fr-core,it-core,ru-core"
DUMP=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --cache) CACHE=$2; shift 2 ;;
    --features) FEATURES=$2; shift 2 ;;
    --sources) SOURCES=$2; shift 2 ;;
    --no-features) DUMP=0; shift ;;
    *) echo "build-xlang.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in sox espeak-ng; do
  command -v "$tool" >/dev/null || { echo "build-xlang.sh: $tool is missing (apt-get install sox espeak-ng)" >&2; exit 1; }
done
command -v ffmpeg >/dev/null || echo "build-xlang.sh: ffmpeg is missing: using the 8 kHz -wav packages (apt-get install ffmpeg for the 16 kHz G.722 ones)" >&2
cd "$REPO"
bash models/recipe/data-link.sh
mkdir -p "$OUT" "$CACHE"
nice -n 10 /usr/bin/python3 "$HERE/xlang/prepare_asterisk.py" --out "$OUT" --cache "$CACHE" --sources "$SOURCES"
[ "$DUMP" = 1 ] || exit 0
for split in train dev; do
  rm -rf "$FEATURES/xl-$split"
  nice -n 10 npx tsx models/recipe/dump_features.ts --manifest "$OUT/$split.tsv" --out "$FEATURES/xl-$split"
done
du -sh "$FEATURES/xl-train" "$FEATURES/xl-dev"

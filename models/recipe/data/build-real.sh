#!/usr/bin/env bash
# Real English speech for training and dev/test-real: fetch and extract every source (Debian packages, see
# models/recipe/data/README.md), then build the manifests with real/build_real.py. Resumable: a source whose
# source.json exists is not extracted again (--force reruns its extractor, which itself skips converted clips),
# and build_real.py keeps its agreement scores in <real>/<source>/scores.tsv.
#   bash models/recipe/data/build-real.sh [--real data/real] [--cache data/cache] [--jobs 2]
#        [--sources "bass fotaq kajongg qabcs warzone2100"] [--force] [-- extra build_real.py options]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
REAL="$REPO/data/real"
CACHE="$REPO/data/cache"
JOBS=2
SOURCES="bass fotaq kajongg qabcs warzone2100"
FORCE=0
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --real) REAL=$2; shift 2 ;;
    --cache) CACHE=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --sources) SOURCES=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "build-real.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in sox pocketsphinx_batch; do
  command -v "$tool" >/dev/null || { echo "build-real.sh: $tool is missing (apt-get install sox libsox-fmt-all pocketsphinx pocketsphinx-en-us)" >&2; exit 1; }
done
mkdir -p "$REAL" "$CACHE"
for s in $SOURCES; do
  if [ "$FORCE" = 0 ] && [ -f "$REAL/$s/source.json" ] && [ -f "$REAL/$s/clips.tsv" ]; then
    echo "[real] $s: extracted already ($REAL/$s)"
    continue
  fi
  echo "[real] $s: extracting"
  nice -n 10 /usr/bin/python3 "$HERE/real/$s.py" --out "$REAL/$s" --cache "$CACHE"
done
nice -n 10 /usr/bin/python3 "$HERE/real/build_real.py" --real "$REAL" --jobs "$JOBS" --sources "${SOURCES// /,}" "${EXTRA[@]}"

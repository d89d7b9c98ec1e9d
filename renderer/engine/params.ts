/**
 * Every default of the engine in one place (whisper.h style: defaultParams(), then change what you need).
 * createEngine (engine.ts) and the older createRecognizer (pipeline/recognizer.ts) both start from here.
 */
import type { BackendName } from '../../models/rnn/backend';
import type { LexiconBeamDecoderConfig } from './decoding/lexicon-beam-decoder';
import type { Hotword } from './decoding/hotwords';
import type { EndpointConfig } from './transcript/endpointer';

export interface EngineParams {
  /** 'auto' picks the fastest backend measured on this model, never one slower than the CPU path. */
  backend: 'auto' | BackendName;
  /** Rescore with the language model, when one is given. */
  useLm: boolean;
  /**
   * The LM's shallow-fusion weights: alpha (LM weight) and beta (word bonus). Either one left out is the LM
   * package's tuned value (model.json output.alpha / output.beta, written by models/recipe/eval/tune_lm.ts).
   */
  lmWeights: { alpha?: number; beta?: number };
  /** Words or phrases to boost, with an optional bonus: "kubernetes" or "kubernetes:4". */
  hotwords: string[];
  /** Extra pronunciations, CMUdict format (`word PH PH ...`). */
  userLexicon?: string;
  /** 'beam' (lexicon/prefix beam search) or 'greedy' (best path). */
  decoder: 'beam' | 'greedy';
  beam: Partial<LexiconBeamDecoderConfig>;
  /** Endpointing margins (transcript/endpointer.ts defaultEndpointConfig for what is left out). */
  endpoint: Partial<EndpointConfig>;
  /**
   * Readable text (punctuation, capitals, spelled guesses) when those models are given; false gives the
   * recogniser's raw lower-case words. Default true.
   */
  readable?: boolean;
  /**
   * Block size of Engine.transcribe() and of file streams, in seconds of input audio (100 ms; the app's
   * microphone posts 10 ms blocks). The transcript does not depend on it.
   */
  blockSeconds: number;
}

export function defaultParams(): EngineParams {
  // unigramWeight: the word-frequency prior when no LM runs; lmLookahead: that prior as the LM's
  // stand-in inside words. Both chosen on 60 dev-heldout utterances (WER 115 → 103 % without the LM,
  // 108 → 96 % with it, for the first bundled model). tentativeMargin: the partial shows a word that
  // has begun once it is about 5 % as likely as the best hypothesis (e^-3); display only, finals
  // unchanged. test/bench/first-partial.ts --margins 2,3,4 (10 ms blocks, the LM on), first partial
  // after speech onset p50 / p95 ms, first shown word kept, clips with text before the onset:
  //   300 held-out test clips: margin 2 110 / 181, 75 kept, 0;  3: 101 / 171, 71, 0;  4: 100 / 161, 67, 0
  //   249 real recordings:     margin 2 141 / 361, 48 kept, 1;  3: 130 / 340, 42, 1;  4: 121 / 331, 38, 2
  // 3 shows text sooner without showing more of it before the speech; 4 starts to.
  // beamWidth 24 (the decoder's own default 12) and blankPenalty 1.5 (LexiconBeamDecoderConfig.blankPenalty),
  // with the LM's alpha 0.9 (was 0.7; models/default/lm/model.json), chosen with the acoustic model bundled before
  // 6f06127 (the same network, trained 1.7 CPU-hours less; not re-tuned for today's) on the 300 dev clips
  // data/evals/lm-dev.tsv (models/recipe/eval/decode_sweep.ts; WER with the LM, TTS / real / all):
  //   before (beam 12, no blank penalty, alpha 0.7)   54.1 / 71.8 / 61.5 %
  //   beam 24, blank penalty 1.5, alpha 0.9           39.6 / 61.1 / 48.6 %   (the default)
  //   beam 48, blank penalty 1.5, alpha 0.9           33.8 / 57.9 / 43.9 %
  // Beam 48 is better still but costs 1.8x the whole pipeline's CPU (bench --quick, LM on: 0.045 -> 0.083 RTF in
  // one busy run; decoder 0.013 -> 0.036, LM 0.011 -> 0.027) and p95 block time 77 -> 464 ms (10 ms blocks);
  // beam 24 keeps most of the gain. On 150 of those clips (every 2nd; 57.7 % before): beam 12 / 16 / 24 / 32 / 48
  // with blank penalty 1.5 and alpha 0.9 52.5 / 50.1 / 47.4 / 46.2 / 43.2 %; blank penalty 0 / 0.5 / 1 / 1.5 / 2 / 3
  // at beam 12, alpha 0.7 57.7 / 54.9 / 53.4 / 52.4 / 52.0 / 54.7 %; alpha 0.5 / 0.7 / 0.9 / 1.1 at beam 48
  // 50.9 / 46.2 / 43.2 / 44.3 %.
  // Beam 48 since session 9, when the decoder (an object spread in carriedHyp: decoder RTF 0.020 -> 0.008) and the
  // int8 models (wasm-int8.ts: the LM's output layer, the acoustic GRU matrices) made room for it. On the 500 dev
  // clips of data/evals/lm-dev-words.tsv (150 TTS, 150 real, 200 isolated words), the session-8 model, WER with the
  // LM, all / TTS / real / words:
  //   beam 24   51.14 / 38.15 / 57.69 / 89.42 %     beam 32   48.41 / 35.07 / 54.84 / 88.69 %
  //   beam 40   47.92 / 34.20 / 55.93 / 84.67 %     beam 48   47.22 / 33.65 / 55.49 / 82.48 %
  //   int8 acoustic model and LM: beam 24 50.53, beam 48 47.27, beam 64 46.41 %
  // On every other clip (250): beam 48 46.79, 64 45.52 %; narrower pruning costs more than it saves (beam 48 with
  // beamLogProb 12: 48.23; pruneLogProb -6: 47.72; beam 64 with beamLogProb 12: 47.47 %). Whole-pipeline CPU RTF
  // with the LM, int8 models, 63 s of held-out clips, three interleaved runs: beam 24 0.029-0.046, 48 0.041-0.061,
  // 64 0.047-0.057, 96 0.056-0.069: 64 would take the rest of the 0.05 budget on a quiet machine, 48 leaves room.
  // Beam 128 since session 11, when the LM became self-normalised and is read sparsely (a word's logit less the
  // package's log Z, no softmax over 10,002 words: models/language/lm-context-tree.ts) and the decoder stopped
  // building strings and reusing nothing (same hypotheses, less garbage). Whole-clip wall RTF, 60 lm-dev-words
  // clips beside a training job (test/bench/lm-profile.ts --backend wasm-simd --lm-backend wasm-simd --beam N):
  // the session-10 LM at beam 48 0.0366; the new LM, sparse, at beam 96 / 128 / 160 0.0359 / 0.0365 / 0.0417.
  // WER with the LM, data/evals/lm-dev-words.tsv / dev-rest.tsv (the session-10 acoustic model; all / TTS / real):
  //   session-10 LM, beam 48        42.82 (29.46 / 50.99) / 42.53 (30.06 / 58.40) %
  //   new LM, sparse, beam 96       38.82 (25.04 / 47.80) / 41.12 (28.31 / 57.68) %
  //                   beam 128      38.73 (24.17 / 48.46) / 40.60 (27.74 / 57.25) %
  //                   beam 160      37.96 (23.85 / 47.25) / 40.16 (27.23 / 56.96) %
  // CLI on the bench's 12 clips (node main/cli/bin.mjs transcribe, peak RSS MiB / CPU s incl. load): beam 48 156 /
  // 3.55, 96 161 / 3.97, 128 177 / 4.53, 160 191 / 5.07 (the session-10 LM at 48: 172 / 3.12). 128 keeps the
  // release's memory and leaves RTF headroom; 160 is 0.4-0.8 points better on the dev sets for 12 % more CPU.
  // Blank penalty 1.5 -> 2 in session 12, re-tuned with the LM's word bonus once the LM shared <unk> by word counts
  // (output.unknownWords; beta 1 -> 0.2 in models/default/lm/model.json). lm-dev-words / dev-rest, the released
  // acoustic model, beam 128 (decode_sweep.ts): blank penalty 1.5, beta 0.1 37.47 / 38.60 %; 1, beta 0.1 39.31 /
  // 39.62; 2, beta 0.1 36.98 / 38.00; 2.5, beta 0.1 36.94 / 39.18; 3, beta 0.1 39.10 / 40.04; 2, beta 0.2
  // 36.57 / 38.04 (chosen: the lowest sum); 2, beta 0.3 36.41 / 38.25.
  return {
    backend: 'auto',
    useLm: true,
    lmWeights: {},
    hotwords: [],
    decoder: 'beam',
    beam: { unigramWeight: 1, lmLookahead: 1, tentativeMargin: 3, beamWidth: 128, blankPenalty: 2 },
    endpoint: {},
    blockSeconds: 0.1,
  };
}

/** Defaults under `params`, one level deep for the nested groups (beam, endpoint, lmWeights). */
export function withDefaults(params: Partial<EngineParams> = {}): EngineParams {
  const d = defaultParams();
  return {
    ...d,
    ...params,
    lmWeights: { ...d.lmWeights, ...params.lmWeights },
    beam: { ...d.beam, ...params.beam },
    endpoint: { ...d.endpoint, ...params.endpoint },
  };
}

/** Parses hotword strings ("word" or "word phrase:bonus") into the decoder's form. */
export function parseHotwords(list: readonly string[]): Hotword[] {
  return list
    .map((h) => h.trim())
    .filter(Boolean)
    .map((h) => {
      const m = /^(.*?)(?::\s*(-?\d+(?:\.\d+)?))?$/.exec(h)!;
      const hotword: Hotword = { phrase: m[1].trim().toLowerCase(), bonus: m[2] !== undefined ? Number(m[2]) : 3 };
      return hotword;
    });
}

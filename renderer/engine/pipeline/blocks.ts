/**
 * What flows through the streaming pipeline (recognize.ts), one value per audio block the caller sends.
 * Each stage adds its own part and passes on what the later ones (and the caller) still need:
 *
 *   AudioBlock  --resampleTo-->  SampleBlock  --featurize-->  FeatureBlock  --normalize-->  NormalizedBlock
 *   --stackFrames-->  StepBlock  --acousticStep-->  PosteriorBlock (a LogProbChunk)  --transcribe-->
 *   --readable-->  EngineUpdate
 *
 * Inside a block the stages still work one token at a time (a feature frame per hop, an RNN step per
 * stacked frame, a decoder step per row); the block only groups what one audio block produced, so that
 * the caller gets one update per block it sent, and a slow stage sees the work queued, never dropped.
 */
import type { Segment } from '../transcript/segment';

/** Audio as the caller has it: mono samples in [-1, 1] at `sampleRate` Hz (any rate, any length). */
export interface AudioBlock {
  sampleRate: number;
  samples: Float32Array;
}

/** The level meter of the audio that came in (before resampling): Σx² over `count` samples. */
export interface Level {
  sumSquares: number;
  count: number;
}

/** resampleTo: the block at the model's rate (empty when the resampler still holds it). */
export interface SampleBlock {
  samples: Float32Array;
  level: Level;
}

/** featurize: the raw feature frames (log-mel/MFCC) the block completed, for the spectrogram and the next stage. */
export interface FeatureBlock {
  features: Float32Array[];
  level: Level;
}

/** normalize: the same frames normalised with the model's statistics (copies: `features` stays raw). */
export interface NormalizedBlock extends FeatureBlock {
  normalized: Float32Array[];
}

/** stackFrames: the RNN inputs (one per step) the block completed. */
export interface StepBlock extends FeatureBlock {
  inputs: Float32Array[];
}

/** acousticStep: steps × K log-posteriors (a LogProbChunk). */
export interface PosteriorBlock extends FeatureBlock {
  logProbs: Float32Array;
  steps: number;
}

/** What one audio block changed (one per block sent; one more at the end of input). */
export interface EngineUpdate {
  /** Segments that became final, in order. */
  finals: Segment[];
  /** The utterance being decoded (grey in the UI), or null. */
  partial: Segment | null;
  /** Feature frames computed for this block (raw log-mel/MFCC), for a spectrogram. */
  features: Float32Array[];
  /** RMS level of the block's audio, dBFS (-Infinity for none). */
  level: number;
  /** Acoustic steps run for this block. */
  steps: number;
  /**
   * Input samples (at the caller's rate) this update covers: Σ over a stream = every sample sent. Always set by
   * the pipeline (optional only so that updates made by hand, in tests, need not say).
   */
  samples?: number;
}

/**
 * Time spent in each stage since a stream started, in milliseconds of the engine's clock
 * (performance.now by default; EngineOptions.clock can make it CPU time).
 */
export interface StageTimes {
  /** Level meter, resampling, features, normalisation, frame stacking. */
  featuresMs: number;
  /** The RNN forward pass. */
  acousticMs: number;
  /** CTC decoding and endpointing (includes the LM scorer's time when one is set). */
  decoderMs: number;
  /** Punctuation, capitals and spelled guesses (readable.ts); 0 without those models. */
  readableMs: number;
}

export function zeroStageTimes(): StageTimes {
  return { featuresMs: 0, acousticMs: 0, decoderMs: 0, readableMs: 0 };
}

/** Where a stage adds its time: the stream's StageTimes and the clock that measures it. */
export interface StageClock {
  times: StageTimes;
  now: () => number;
}

/** dBFS of a level meter (-Infinity when it saw no samples). */
export function levelDb(level: Level): number {
  return level.count ? 10 * Math.log10(level.sumSquares / level.count + 1e-12) : -Infinity;
}

/**
 * The engine's entry: what the app, the worker, the CLI, the recipe's tools and the benches import (they
 * import nothing else from renderer/engine or from the model runtime in models/rnn, models/language,
 * models/package; .ci/dependency-cruiser.cjs checks it). Free of Node imports: it runs in the worker.
 * Node callers import node/index.ts, which adds loading from paths, audio files and evaluation sets.
 *
 *   defaultParams()                       every default (LM weights, backend, beam, endpointing, block size...)
 *   createEngine(models, params)          loads the packages, builds lexicon + LM scorer + readable models
 *   engine.stream(audio$)                 live: AudioBlock$ → EngineUpdate$ through the RxJS pipeline
 *   engine.streamBlocks(blocks)           the same, reading the blocks at the engine's pace (files)
 *   engine.transcribe(samples, rate)      offline, through the same pipeline
 *   engine.dispose()                      frees every model it owns
 */

// the engine
export { createEngine, audioBlocks, loadPackageInput } from './engine';
export type {
  Engine,
  EngineInfo,
  EngineModels,
  EngineOptions,
  PackageInput,
  StreamOptions,
  TranscribeResult,
} from './engine';
export { defaultParams, withDefaults, parseHotwords } from './params';
export type { EngineParams } from './params';
export { levelDb, zeroStageTimes } from './pipeline/blocks';
export type {
  AudioBlock,
  EngineUpdate,
  FeatureBlock,
  Level,
  NormalizedBlock,
  PosteriorBlock,
  SampleBlock,
  StageClock,
  StageTimes,
  StepBlock,
} from './pipeline/blocks';
export type { AcousticModel } from './pipeline/acoustic-model';
export type { Scorer } from '../../models/language/scorer';

// the pipeline's operators, in the order the data flows (recognize() pipes them all)
export { recognize, type RecognizeOptions } from './pipeline/recognize';
export { resampleTo } from './pipeline/operators/resample.operator';
export { featurize } from './pipeline/operators/featurize.operator';
export { normalize } from './pipeline/operators/normalize.operator';
export { stackFrames } from './pipeline/operators/stack-frames.operator';
export { acousticStep, type StepModel } from './pipeline/operators/acoustic-step.operator';
export { transcribe, type TranscribedChunk, type TranscribeOptions } from './transcript/transcribe.operator';
export { readable } from './transcript/readable.operator';

// audio
export { resample, Resampler } from './audio/resampler';
export {
  decodeWav,
  decodeWavFrames,
  downmix,
  encodeWav16,
  isWav,
  parseWavLayout,
  WAV_SAMPLE_RATES,
  WavError,
} from './audio/wav';
export type { DecodedAudio, WavLayout, WavTruncation } from './audio/wav';
// the stages' own classes, which the operators drive (for benches that time them without RxJS)
export { Featurizer } from './features/featurizer';
export { featureSize } from './features/log-mel';
export { Normalizer } from './features/normalizer';
export { Stacker } from './features/stacker';
export { Transcriber } from './transcript/transcriber';
export { GreedyDecoder } from './decoding/greedy-decoder';
export type { CtcDecoder, DecodeResult } from './decoding/decode-result';
export type { EndpointConfig } from './transcript/endpointer';
export { defaultEndpointConfig } from './transcript/endpointer';

// transcripts and their formats
export { settledSegments } from './transcript/segment';
export type { Segment } from './transcript/segment';
export type { DecodedWord, WordAlternative } from './decoding/decode-result';
export {
  APP_EXPORT_FORMAT_NAMES,
  isAppExportFormatName,
  isTranscriptFormatName,
  renderTranscript,
  TRANSCRIPT_FORMAT_NAMES,
  transcriptFormat,
} from './export/formats';
export type { AppExportFormatName, RenderContext, TranscriptFormat, TranscriptFormatName } from './export/formats';
export { toJson, toTranscriptJson, parseTranscriptJson } from './export/json';
export { toSrt } from './export/srt';
export { toTsvLine } from './export/tsv';
export { toTxt } from './export/txt';
export { toVtt } from './export/vtt';

// lexicon
export { ARPABET_39, checkUserLexicon } from './decoding/lexicon';
export type { LexiconProblem } from './decoding/lexicon';
export { buildLexiconTrie, LexiconTrie } from './decoding/lexicon-trie';
export type { BuiltLexicon, LexiconTrieData } from './decoding/lexicon-trie';

// metrics
export { addCounts, countErrors, normalizeText, ZERO_COUNTS } from './metrics/error-rate';
export type { ErrorCounts } from './metrics/error-rate';
export { alignToReference } from './metrics/align';

// the model runtime, as far as callers need it: packages, backends, the language model
export { describePackage, loadModelPackage, parseModelPackage } from '../../models/package/load-package';
export type { LoadedPackage, PackageDescription } from '../../models/package/load-package';
export type { CtcOutputSpec, FeatureSpec, LayerSpec, ModelJson, StackingSpec } from '../../models/package/model-spec';
export { memorySource, zipSource } from '../../models/package/package-source';
export { writeModelPackage } from '../../models/package/write-package';
export type { WritePackageOptions } from '../../models/package/write-package';
export { dequantizeRows, quantizeRows } from '../../models/package/safetensors';
export type { FloatDtype } from '../../models/package/safetensors';
export type { PackageSource } from '../../models/package/package-source';
export { ALL_BACKENDS, availableBackends, isGpuJsBackend } from '../../models/rnn/backend';
export type { BackendName } from '../../models/rnn/backend';
export { chooseBackend } from '../../models/rnn/choose-backend';
export type { BackendTiming } from '../../models/rnn/choose-backend';
export type { Tensor } from '../../models/rnn/tensor';
export { createLanguageModel } from '../../models/language/language-model';
export type { LanguageModel } from '../../models/language/language-model';
export { LmVocabulary } from '../../models/language/lm-vocabulary';
export { seededRng } from '../../models/language/seeded-rng';
export { lmBackendFor } from '../../models/language/lm-scorer';
export type { LmScorer, LmScorerOptions } from '../../models/language/lm-scorer';

/**
 * The recognition engine's public API (sherpa-onnx style: a recognizer holds the models, a stream
 * holds one audio stream's state).
 *
 *     const recognizer = await createRecognizer(acousticPkg, lmPkg, defaultRecognizerConfig());
 *     const stream = recognizer.createStream();
 *     stream.acceptWaveform(48000, block);            // any block size, any rate
 *     const update = await stream.decode();           // { finals, partial, features, level }
 *     ...
 *     const last = await stream.finish();             // end of input: the partial becomes final
 *     recognizer.dispose();                           // frees GPU resources
 *
 * Data flow inside a stream (one direction):
 *   samples → Resampler → Featurizer (meyda) → Normalizer → Stacker → RNN (gpu.js or reference)
 *   → log-posteriors → CTC decoder (lexicon prefix-tree beam search, optional LM scorer)
 *   → Transcriber (endpointing: final segments + one partial)
 *
 * The same audio gives the same transcript whatever the block sizes: every stage buffers exactly,
 * the RNN is bit-identical under chunking, and the decoder and endpointer advance one step at a time.
 */
import type { LoadedPackage } from '../../../models/package/load-package';
import type { BackendName } from '../../../models/rnn/backend';
import { chooseBackend, type BackendTiming, type ChooseBackendOptions } from '../../../models/rnn/choose-backend';
import type { LayerSpec } from '../../../models/package/model-spec';
import type { TensorMap } from '../../../models/rnn/tensor';
import type { RnnStack, RnnState } from '../../../models/rnn/rnn-types';
import { Resampler } from '../audio/resampler';
import type { CtcDecoder, DecodeResult } from '../decoding/decode-result';
import { GreedyDecoder } from '../decoding/greedy-decoder';
import { HotwordBooster } from '../decoding/hotwords';
import { defaultLexiconBeamConfig, LexiconBeamDecoder, type LexiconBeamDecoderConfig } from '../decoding/lexicon-beam-decoder';
import { buildLexiconTrie, type BuiltLexicon } from '../decoding/lexicon-trie';
import { defaultPrefixBeamConfig, PrefixBeamDecoder } from '../decoding/prefix-beam-decoder';
import type { Scorer } from '../../../models/language/scorer';
import { Featurizer } from '../features/featurizer';
import { Normalizer } from '../features/normalizer';
import { Stacker } from '../features/stacker';
import { defaultEndpointConfig, type EndpointConfig } from '../transcript/endpointer';
import type { Segment } from '../transcript/segment';
import { Transcriber } from '../transcript/transcriber';
import { ReadableText, type ReadableModels } from '../transcript/readable';
import { createAcousticModel, type AcousticModel } from './acoustic-model';
import { defaultParams, parseHotwords, type EngineParams } from '../params';

/** The engine's parameters (params.ts) less those the host applies itself (the LM weights, the block size). */
export type RecognizerConfig = Omit<EngineParams, 'lmWeights' | 'blockSeconds'>;

/** defaultParams() (params.ts: every default and why) as a RecognizerConfig. */
export function defaultRecognizerConfig(): RecognizerConfig {
  const { lmWeights: _weights, blockSeconds: _block, ...config } = defaultParams();
  return config;
}

/** What one decode() call changed. */
export interface TranscriptUpdate {
  /** Segments that became final since the last call, in order. */
  finals: Segment[];
  /** The utterance being decoded (grey in the UI), or null. */
  partial: Segment | null;
  /** Feature frames computed since the last call (raw log-mel/MFCC), for a spectrogram. */
  features: Float32Array[];
  /** RMS level of the audio accepted since the last call, dBFS (-Infinity for none). */
  level: number;
  /** Acoustic steps run since the last call. */
  steps: number;
}

export interface RecognizerInfo {
  backend: BackendName;
  /** How 'auto' chose: ms per RNN step of each backend measured at start (empty when one was named). */
  backendTimings: BackendTiming[];
  acousticName: string;
  lmName: string | null;
  /** Lexicon words given without a pronunciation: they cannot be recognized until given one. */
  unknownWords: string[];
  /** Hotwords not in the lexicon. */
  unknownHotwords: string[];
}

export interface Recognizer {
  readonly info: RecognizerInfo;
  readonly model: AcousticModel;
  /** Endpointing margins, defaults filled in. */
  readonly endpoint: EndpointConfig;
  /** The readable-text models in use, or null (config.readable false, or none given). */
  readonly readable: ReadableModels | null;
  /** A fresh decoder for one stream (it holds that stream's beam). */
  createDecoder(): CtcDecoder;
  createStream(): RecognizerStream;
  dispose(): void;
}

/**
 * Time spent in each stage of one stream since it was created or reset, in milliseconds of the
 * recognizer's clock (performance.now by default; CreateRecognizerOptions.clock can make it CPU time).
 */
export interface StageTimes {
  /** acceptWaveform: level meter, resampling, features, normalisation, frame stacking. */
  featuresMs: number;
  /** The RNN forward pass over the queued steps. */
  acousticMs: number;
  /** CTC decoding and endpointing (includes the LM scorer's time when one is set). */
  decoderMs: number;
  /** Punctuation, capitals and spelled guesses (readable.ts); 0 without those models. */
  readableMs: number;
}

export interface RecognizerStream {
  /** Queues audio: mono samples in [-1, 1] at `sampleRate` Hz (resampled to the model's rate). */
  acceptWaveform(sampleRate: number, samples: Float32Array): void;
  /** Runs everything the queued audio allows. Calls must not overlap (await each). */
  decode(): Promise<TranscriptUpdate>;
  /** End of input: flushes the resampler and the decoder; the partial becomes final. */
  finish(): Promise<TranscriptUpdate>;
  /** All final segments so far. */
  finals(): readonly Segment[];
  /** Forgets all audio and text; the models stay loaded. */
  reset(): void;
  /** Seconds of audio accepted so far (at the model's rate). */
  readonly seconds: number;
  /** Cumulative time per stage (for benchmarks and the engine's stats). */
  readonly stageTimes: Readonly<StageTimes>;
}

export { parseHotwords };

export interface CreateRecognizerOptions {
  /** The language model scorer (built from the LM package by the LM module). */
  scorer?: Scorer | null;
  /** Backends 'auto' may time (default: all available). */
  autoCandidates?: BackendName[];
  /** Milliseconds clock for RecognizerStream.stageTimes (default performance.now). */
  clock?: () => number;
  /**
   * How 'auto' times the backends: default chooseBackend, here, whose winning stack is kept. A host
   * may time them elsewhere and return only the winner's name (the CLI times them in a worker
   * thread, so that gpu.js and the losers' kernels never stay in its memory); the recognizer then
   * builds that backend.
   */
  chooseBackend?: (layers: LayerSpec[], weights: TensorMap, options: ChooseBackendOptions) => Promise<{ backend: BackendName; timings: BackendTiming[]; stack?: RnnStack }>;
  /**
   * A phoneme model's lexicon built elsewhere, from this package's lexicon and word counts and
   * config.userLexicon, as buildLexiconTrie does (the CLI builds it in its model-loading worker);
   * by default it is built here from acoustic.files.
   */
  lexicon?: BuiltLexicon;
  /** The punctuation and spelling models (readable.ts); used unless config.readable is false. */
  readable?: ReadableModels | null;
}

export async function createRecognizer(
  acoustic: LoadedPackage,
  lm: LoadedPackage | null,
  config: RecognizerConfig = defaultRecognizerConfig(),
  options: CreateRecognizerOptions = {},
): Promise<Recognizer> {
  let backend: BackendName;
  let backendTimings: BackendTiming[] = [];
  let timedStack: RnnStack | undefined;
  if (config.backend === 'auto') {
    const choice = await (options.chooseBackend ?? chooseBackend)(acoustic.json.layers, acoustic.tensors, { candidates: options.autoCandidates });
    backend = choice.backend;
    backendTimings = choice.timings;
    timedStack = choice.stack;
  } else {
    backend = config.backend;
  }
  let model: AcousticModel;
  try {
    model = await createAcousticModel(acoustic, backend, timedStack);
  } catch (e) {
    timedStack?.dispose();
    throw e;
  }
  const output = model.output;
  let lexicon: BuiltLexicon | null = null;
  if (output.units === 'phonemes') {
    const text = acoustic.files.lexicon;
    if (options.lexicon !== undefined) lexicon = options.lexicon;
    else if (text === undefined) throw new Error(`${acoustic.source}: a phoneme model needs a lexicon file`);
    else lexicon = buildLexiconTrie({ alphabet: output.alphabet, lexicon: text, userLexicon: config.userLexicon, wordCounts: acoustic.files.wordCounts });
  }
  const scorer = config.useLm ? options.scorer ?? null : null;
  const hotwords = parseHotwords(config.hotwords);
  const unknownHotwords = lexicon ? new HotwordBooster(hotwords).words().filter((w) => !lexicon.trie.hasWord(w)) : [];
  const endpoint: EndpointConfig = { ...defaultEndpointConfig(), ...config.endpoint };

  const makeDecoder = (): CtcDecoder => {
    if (config.decoder === 'greedy') return new GreedyDecoder(output, { secondsPerStep: model.secondsPerStep }, lexicon?.trie);
    if (lexicon) {
      const beam: LexiconBeamDecoderConfig = { ...defaultLexiconBeamConfig(), ...config.beam, secondsPerStep: model.secondsPerStep, hotwords };
      return new LexiconBeamDecoder(output, lexicon.trie, beam, scorer);
    }
    return new PrefixBeamDecoder(output, { ...defaultPrefixBeamConfig(), secondsPerStep: model.secondsPerStep }, scorer);
  };

  const readable = config.readable !== false && options.readable && (options.readable.punctuator || options.readable.speller) ? options.readable : null;
  const info: RecognizerInfo = {
    backend: model.rnn.backend,
    backendTimings,
    acousticName: model.name,
    lmName: scorer && lm ? lm.json.name : null,
    unknownWords: lexicon?.unknown ?? [],
    unknownHotwords,
  };
  return {
    info,
    model,
    endpoint,
    readable,
    createDecoder: makeDecoder,
    createStream: () => new Stream(model, makeDecoder(), endpoint, options.clock ?? (() => performance.now()), readable),
    dispose: () => model.rnn.dispose(),
  };
}

class Stream implements RecognizerStream {
  private resampler: Resampler | null = null;
  private readonly featurizer: Featurizer;
  private readonly normalizer: Normalizer;
  private readonly stacker: Stacker;
  private readonly transcriber: Transcriber;
  private state: RnnState;
  /**
   * Stacked, normalised RNN inputs not yet run: pendingSteps × inputSize values at the start (grows
   * as needed). decode() swaps it with `runBuffer`, so audio accepted while the RNN still reads a
   * chunk (a gpu.js backend awaits between steps) lands in the other buffer.
   */
  private stepBuffer: Float32Array;
  private runBuffer: Float32Array;
  private pendingSteps = 0;
  private pendingFeatures: Float32Array[] = [];
  private sumSquares = 0;
  private nLevel = 0;
  private samplesIn = 0;
  private busy = false;
  private readonly times: StageTimes = { featuresMs: 0, acousticMs: 0, decoderMs: 0, readableMs: 0 };
  private readonly readable: ReadableText | null;

  constructor(
    private readonly model: AcousticModel,
    private readonly decoder: CtcDecoder,
    endpoint: EndpointConfig,
    private readonly clock: () => number,
    readable: ReadableModels | null = null,
  ) {
    this.readable = readable ? new ReadableText(readable) : null;
    this.featurizer = new Featurizer(model.features);
    this.normalizer = new Normalizer(model.features.normalization, this.featurizer.size);
    this.stacker = new Stacker(model.stacking.frames, model.stacking.stride, this.featurizer.size);
    this.transcriber = new Transcriber(decoder, endpoint, model.secondsPerStep, model.output.alphabet.length);
    this.state = model.rnn.initialState(1);
    this.stepBuffer = new Float32Array(16 * model.rnn.inputSize);
    this.runBuffer = new Float32Array(16 * model.rnn.inputSize);
  }

  get stageTimes(): Readonly<StageTimes> {
    return this.times;
  }

  get seconds(): number {
    return this.samplesIn / this.model.features.sampleRate;
  }

  acceptWaveform(sampleRate: number, samples: Float32Array): void {
    if (!(Number.isFinite(sampleRate) && sampleRate > 0)) throw new RangeError(`acceptWaveform: sample rate ${sampleRate} is not a finite positive number`);
    const t0 = this.clock();
    let sumSquares = 0;
    for (let i = 0; i < samples.length; i++) sumSquares += samples[i] * samples[i];
    this.sumSquares += sumSquares;
    this.nLevel += samples.length;
    const target = this.model.features.sampleRate;
    if (!this.resampler || this.resampler.inRate !== sampleRate) {
      if (this.resampler) this.feed(this.resampler.flush());
      this.resampler = new Resampler(sampleRate, target);
    }
    this.feed(this.resampler.push(samples));
    this.times.featuresMs += this.clock() - t0;
  }

  private feed(samples: Float32Array): void {
    if (!samples.length) return;
    this.samplesIn += samples.length;
    for (const f of this.featurizer.push(samples)) {
      // the raw frame goes to the spectrogram; the normalised copy on to the stacker
      this.pendingFeatures.push(f);
      for (const step of this.stacker.push([this.normalizer.apply(Float32Array.from(f))])) this.queueStep(step);
    }
  }

  private queueStep(step: Float32Array): void {
    const size = this.model.rnn.inputSize;
    if ((this.pendingSteps + 1) * size > this.stepBuffer.length) {
      const grown = new Float32Array(2 * this.stepBuffer.length);
      grown.set(this.stepBuffer.subarray(0, this.pendingSteps * size));
      this.stepBuffer = grown;
    }
    this.stepBuffer.set(step, this.pendingSteps * size);
    this.pendingSteps++;
  }

  async decode(): Promise<TranscriptUpdate> {
    if (this.busy) throw new Error('RecognizerStream.decode: a previous decode() has not finished');
    this.busy = true;
    try {
      const n = this.pendingSteps;
      const x = this.stepBuffer;
      this.stepBuffer = this.runBuffer;
      this.runBuffer = x;
      this.pendingSteps = 0;
      let finals: Segment[] = [];
      let partial = this.transcriber.transcript.partial;
      if (n > 0) {
        const t0 = this.clock();
        const logProbs = await this.model.rnn.forward(x.subarray(0, n * this.model.rnn.inputSize), n, this.state);
        const t1 = this.clock();
        const update = await this.transcriber.push({ logProbs, steps: n });
        this.times.acousticMs += t1 - t0;
        this.times.decoderMs += this.clock() - t1;
        finals = update.finals;
        partial = update.partial;
        if (this.readable) {
          const t2 = this.clock();
          for (const f of finals) await this.readable.final(f);
          if (partial) partial = await this.readable.partial(partial);
          this.times.readableMs += this.clock() - t2;
        }
      }
      const level = this.nLevel ? 10 * Math.log10(this.sumSquares / this.nLevel + 1e-12) : -Infinity;
      this.sumSquares = 0;
      this.nLevel = 0;
      const features = this.pendingFeatures;
      this.pendingFeatures = [];
      return { finals, partial, features, level, steps: n };
    } finally {
      this.busy = false;
    }
  }

  async finish(): Promise<TranscriptUpdate> {
    if (this.resampler) this.feed(this.resampler.flush());
    const last = await this.decode();
    const t0 = this.clock();
    const flushed = await this.transcriber.flush();
    const t1 = this.clock();
    this.times.decoderMs += t1 - t0;
    if (this.readable) {
      for (const f of flushed.finals) await this.readable.final(f);
      this.times.readableMs += this.clock() - t1;
    }
    return { ...last, finals: [...last.finals, ...flushed.finals], partial: null };
  }

  finals(): readonly Segment[] {
    return this.transcriber.transcript.finals;
  }

  reset(): void {
    this.resampler = null;
    this.featurizer.reset();
    this.normalizer.reset();
    this.stacker.reset();
    this.transcriber.reset();
    this.state = this.model.rnn.initialState(1);
    this.pendingSteps = 0;
    this.pendingFeatures = [];
    this.samplesIn = 0;
    this.times.featuresMs = this.times.acousticMs = this.times.decoderMs = this.times.readableMs = 0;
    this.readable?.reset();
  }
}

export type { DecodeResult };

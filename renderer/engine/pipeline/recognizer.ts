/**
 * The recognizer: the models of one recognition setup, built once (the acoustic RNN on its backend, the
 * lexicon, the decoder settings with the LM scorer, the readable-text models). createEngine (../engine.ts)
 * builds one and runs each stream through the RxJS pipeline (recognize.ts) with a decoder from
 * createDecoder(): every stream state (resampler, features, RNN state, beam, endpointer) lives in the
 * pipeline's operators, one set per subscription.
 */
import type { LoadedPackage } from '../../../models/package/load-package';
import type { BackendName } from '../../../models/rnn/backend';
import { chooseBackend, type BackendTiming, type ChooseBackendOptions } from '../../../models/rnn/choose-backend';
import type { LayerSpec } from '../../../models/package/model-spec';
import type { TensorMap } from '../../../models/rnn/tensor';
import type { RnnStack } from '../../../models/rnn/rnn-types';
import type { CtcDecoder } from '../decoding/decode-result';
import { GreedyDecoder } from '../decoding/greedy-decoder';
import { HotwordBooster } from '../decoding/hotwords';
import {
  defaultLexiconBeamConfig,
  LexiconBeamDecoder,
  type LexiconBeamDecoderConfig,
} from '../decoding/lexicon-beam-decoder';
import { buildLexiconTrie, type BuiltLexicon } from '../decoding/lexicon-trie';
import { defaultPrefixBeamConfig, PrefixBeamDecoder } from '../decoding/prefix-beam-decoder';
import type { Scorer } from '../../../models/language/scorer';
import { defaultEndpointConfig, type EndpointConfig } from '../transcript/endpointer';
import type { ReadableModels } from '../transcript/readable';
import { createAcousticModel, type AcousticModel } from './acoustic-model';
import { defaultParams, parseHotwords, type EngineParams } from '../params';

/** The engine's parameters (params.ts) less those the host applies itself (the LM weights, the block size). */
export type RecognizerConfig = Omit<EngineParams, 'lmWeights' | 'blockSeconds'>;

/** defaultParams() (params.ts: every default and why) as a RecognizerConfig. */
export function defaultRecognizerConfig(): RecognizerConfig {
  const { lmWeights: _weights, blockSeconds: _block, ...config } = defaultParams();
  return config;
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
  dispose(): void;
}

export { parseHotwords };

export interface CreateRecognizerOptions {
  /** The language model scorer (built from the LM package by the LM module). */
  scorer?: Scorer | null;
  /** Backends 'auto' may time (default: all available). */
  autoCandidates?: BackendName[];
  /**
   * How 'auto' times the backends: default chooseBackend, here, whose winning stack is kept. A host
   * may time them elsewhere and return only the winner's name (the CLI times them in a worker
   * thread, so that gpu.js and the losers' kernels never stay in its memory); the recognizer then
   * builds that backend.
   */
  chooseBackend?: (
    layers: LayerSpec[],
    weights: TensorMap,
    options: ChooseBackendOptions,
  ) => Promise<{ backend: BackendName; timings: BackendTiming[]; stack?: RnnStack }>;
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
    const choice = await (options.chooseBackend ?? chooseBackend)(acoustic.json.layers, acoustic.tensors, {
      candidates: options.autoCandidates,
    });
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
    else
      lexicon = buildLexiconTrie({
        alphabet: output.alphabet,
        lexicon: text,
        userLexicon: config.userLexicon,
        wordCounts: acoustic.files.wordCounts,
      });
  }
  const scorer = config.useLm ? (options.scorer ?? null) : null;
  const hotwords = parseHotwords(config.hotwords);
  const unknownHotwords = lexicon ? new HotwordBooster(hotwords).words().filter((w) => !lexicon.trie.hasWord(w)) : [];
  const endpoint: EndpointConfig = { ...defaultEndpointConfig(), ...config.endpoint };

  const makeDecoder = (): CtcDecoder => {
    if (config.decoder === 'greedy')
      return new GreedyDecoder(output, { secondsPerStep: model.secondsPerStep }, lexicon?.trie);
    if (lexicon) {
      const beam: LexiconBeamDecoderConfig = {
        ...defaultLexiconBeamConfig(),
        ...config.beam,
        secondsPerStep: model.secondsPerStep,
        hotwords,
      };
      return new LexiconBeamDecoder(output, lexicon.trie, beam, scorer);
    }
    return new PrefixBeamDecoder(
      output,
      { ...defaultPrefixBeamConfig(), secondsPerStep: model.secondsPerStep },
      scorer,
    );
  };

  const readable =
    config.readable !== false && options.readable && (options.readable.punctuator || options.readable.speller)
      ? options.readable
      : null;
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
    dispose: () => model.rnn.dispose(),
  };
}

/**
 * Checks a parsed model.json against the contract in model-spec.ts and returns it typed.
 * Errors are ModelPackageErrors naming the file and the field ('layers[1].inputSize'), with expected and found values.
 */

import {
  type Activation,
  type CellType,
  type CtcOutputSpec,
  type FeatureSpec,
  type LayerSpec,
  type LmOutputSpec,
  type ModelJson,
  type StackingSpec,
  type Seq2SeqOutputSpec,
  type TaggerCase,
  type TaggerOutputSpec,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
} from './model-spec';
import { ModelPackageError } from './package-error';
import { normalizePackagePath } from './package-source';

const KINDS = ['acoustic', 'language', 'punctuation', 'spelling'] as const;
const TAGGER_CASES: readonly TaggerCase[] = ['lower', 'capitalized', 'upper', 'mixed'];
/** Sane bounds: a foreign package must not make the engine loop or allocate without end. */
const MAX_LOOKAHEAD = 16;
const MAX_SPELLING = 64;
const CELLS: readonly CellType[] = ['vanilla', 'gru', 'lstm'];
const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu'];

type JsonObject = Record<string, unknown>;

/** A value for messages: JSON, cut to 60 characters; `nothing` when absent. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- reached only for what JSON.stringify skips
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

class Checker {
  constructor(readonly file: string) {}

  fail(field: string, problem: string, expected?: string, found?: string): never {
    throw new ModelPackageError({ file: this.file, field, problem, expected, found });
  }

  object(value: unknown, field: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(field, 'must be an object', 'an object', show(value));
    return value as JsonObject;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value === '')
      this.fail(field, 'must be a non-empty string', 'a string', show(value));
    return value;
  }

  integer(value: unknown, field: string, min: number): number {
    if (!Number.isSafeInteger(value) || (value as number) < min)
      this.fail(field, `must be an integer >= ${min}`, `an integer >= ${min}`, show(value));
    return value as number;
  }

  finite(value: unknown, field: string, { min, above }: { min?: number; above?: number } = {}): number {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (min === undefined || value >= min) &&
      (above === undefined || value > above);
    if (!ok) {
      const bound = min !== undefined ? ` >= ${min}` : above !== undefined ? ` > ${above}` : '';
      this.fail(field, `must be a finite number${bound}`, `a number${bound}`, show(value));
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, field: string, options: readonly T[], what: string): T {
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      this.fail(field, `unknown ${what}`, `one of ${options.join(', ')}`, show(value));
    }
    return value as T;
  }

  /** A package-relative file path; returned normalized ('./a\\b' → 'a/b'). */
  path(value: unknown, field: string): string {
    const path = normalizePackagePath(this.string(value, field));
    if (path === null)
      this.fail(field, 'must be a path inside the package (no "..", not absolute)', 'a relative path', show(value));
    return path;
  }

  numberArray(value: unknown, field: string, length: number, min?: { above: number }): number[] {
    if (!Array.isArray(value)) this.fail(field, 'must be an array of numbers', `${length} numbers`, show(value));
    const array = value as unknown[];
    if (array.length !== length)
      this.fail(
        field,
        'has the wrong length (one value per feature dimension)',
        `${length} values`,
        `${array.length} values`,
      );
    array.forEach((v, i) => this.finite(v, `${field}[${i}]`, min ?? {}));
    return array as number[];
  }
}

/** Feature vector length the featurizer produces: log-mel bands, or MFCC coefficients. */
export function featureSize(features: FeatureSpec): number {
  return features.type === 'logmel' ? features.nMels : (features.nMfcc as number);
}

/** Validates a parsed model.json. Paths inside (weights, lexicon, ...) come back normalized. */
export function validateModelJson(value: unknown, file = 'model.json'): ModelJson {
  const check = new Checker(file);
  const root = check.object(value, '(root)');

  if (root.format !== MODEL_FORMAT) {
    check.fail('format', 'not an Earshot model package', JSON.stringify(MODEL_FORMAT), show(root.format));
  }
  const version = check.integer(root.version, 'version', 1);
  if (version > MODEL_FORMAT_VERSION) {
    check.fail(
      'version',
      'this package was made by a newer Earshot; update the app',
      `format version ${MODEL_FORMAT_VERSION} or lower`,
      `version ${version}`,
    );
  }
  const kind = check.oneOf(root.kind, 'kind', KINDS, 'model kind');
  const name = check.string(root.name, 'name');
  if (root.description !== undefined && typeof root.description !== 'string') {
    check.fail('description', 'must be a string', 'a string', show(root.description));
  }
  const weights = check.path(root.weights, 'weights');
  if (root.provenance !== undefined) check.object(root.provenance, 'provenance');

  if (!Array.isArray(root.layers) || root.layers.length === 0) {
    check.fail('layers', 'must be a non-empty array', 'at least one layer', show(root.layers));
  }
  const layers = (root.layers as unknown[]).map((raw, l) => validateLayer(check, raw, `layers[${l}]`));
  for (let l = 1; l < layers.length; l++) {
    if (layers[l].inputSize !== layers[l - 1].hiddenSize) {
      check.fail(
        `layers[${l}].inputSize`,
        `layer sizes do not chain: must equal layers[${l - 1}].hiddenSize`,
        String(layers[l - 1].hiddenSize),
        String(layers[l].inputSize),
      );
    }
  }

  const output = check.object(root.output, 'output');
  const model: ModelJson = {
    ...(root as object),
    format: MODEL_FORMAT,
    version,
    kind,
    name,
    weights,
    layers,
  } as ModelJson;

  if (kind === 'acoustic') {
    const features = validateFeatures(check, root.features);
    const stacking = validateStacking(check, root.stacking);
    const inputSize = featureSize(features) * stacking.frames;
    if (layers[0].inputSize !== inputSize) {
      const sizeName = features.type !== 'logmel' ? `nMfcc ${features.nMfcc}` : `nMels ${features.nMels}`;
      check.fail(
        'layers[0].inputSize',
        `must equal feature size × stacking frames (${sizeName} × ${stacking.frames} frames)`,
        String(inputSize),
        String(layers[0].inputSize),
      );
    }
    if (output.type !== 'ctc')
      check.fail('output.type', 'an acoustic model needs a CTC output', '"ctc"', show(output.type));
    model.features = features;
    model.stacking = stacking;
    model.output = validateCtcOutput(check, output);
  } else if (kind === 'punctuation') {
    if (output.type !== 'tagger')
      check.fail('output.type', 'a punctuation model needs a tagger output', '"tagger"', show(output.type));
    const tagger = validateTaggerOutput(check, output);
    if (layers[0].inputSize !== tagger.embeddingSize) {
      check.fail(
        'layers[0].inputSize',
        'must equal output.embeddingSize (a word embedding is the first layer input)',
        String(tagger.embeddingSize),
        String(layers[0].inputSize),
      );
    }
    model.output = tagger;
  } else if (kind === 'spelling') {
    if (output.type !== 'seq2seq')
      check.fail('output.type', 'a spelling model needs a seq2seq output', '"seq2seq"', show(output.type));
    const seq = validateSeq2SeqOutput(check, output);
    if (!Array.isArray(root.encoder) || root.encoder.length === 0) {
      check.fail('encoder', 'must be a non-empty array (the encoder layers)', 'at least one layer', show(root.encoder));
    }
    const encoder = (root.encoder as unknown[]).map((raw, l) => validateLayer(check, raw, `encoder[${l}]`));
    for (let l = 1; l < encoder.length; l++) {
      if (encoder[l].inputSize !== encoder[l - 1].hiddenSize) {
        check.fail(
          `encoder[${l}].inputSize`,
          `layer sizes do not chain: must equal encoder[${l - 1}].hiddenSize`,
          String(encoder[l - 1].hiddenSize),
          String(encoder[l].inputSize),
        );
      }
    }
    if (encoder[0].inputSize !== seq.embeddingSize) {
      check.fail(
        'encoder[0].inputSize',
        'must equal output.embeddingSize (a symbol embedding is the encoder input)',
        String(seq.embeddingSize),
        String(encoder[0].inputSize),
      );
    }
    const context = encoder[encoder.length - 1].hiddenSize;
    if (layers[0].inputSize !== seq.embeddingSize + context) {
      check.fail(
        'layers[0].inputSize',
        'must equal output.embeddingSize + the last encoder hiddenSize (the decoder reads [symbol embedding; encoder state])',
        String(seq.embeddingSize + context),
        String(layers[0].inputSize),
      );
    }
    for (let l = 0; l < layers.length; l++) {
      if (layers[l].hiddenSize !== context) {
        check.fail(
          `layers[${l}].hiddenSize`,
          'must equal the last encoder hiddenSize (the encoder state starts every decoder layer)',
          String(context),
          String(layers[l].hiddenSize),
        );
      }
    }
    model.encoder = encoder;
    model.output = seq;
  } else {
    if (output.type !== 'lm')
      check.fail('output.type', 'a language model needs an LM output', '"lm"', show(output.type));
    const lm = validateLmOutput(check, output);
    if (layers[0].inputSize !== lm.embeddingSize) {
      check.fail(
        'layers[0].inputSize',
        'must equal output.embeddingSize (a word embedding is the first layer input)',
        String(lm.embeddingSize),
        String(layers[0].inputSize),
      );
    }
    model.output = lm;
  }
  return model;
}

function validateLayer(check: Checker, raw: unknown, field: string): LayerSpec {
  const layer = check.object(raw, field);
  const cell = check.oneOf(layer.cell, `${field}.cell`, CELLS, 'cell type');
  const spec: LayerSpec = {
    cell,
    inputSize: check.integer(layer.inputSize, `${field}.inputSize`, 1),
    hiddenSize: check.integer(layer.hiddenSize, `${field}.hiddenSize`, 1),
  };
  if (layer.activation !== undefined)
    spec.activation = check.oneOf(layer.activation, `${field}.activation`, ACTIVATIONS, 'activation');
  return spec;
}

/**
 * Sane ranges for the feature spec: a value outside them is a corrupt or foreign package, and
 * letting it through would make the engine hang (a 2^30 Hz model rate makes the resampler produce
 * samples forever) or allocate gigabytes (a 2^30-sample window).
 */
export const FEATURE_LIMITS = {
  /** Hz: what audio interfaces and WAV files offer. */
  sampleRate: { min: 1000, max: 768_000 },
  /** Samples per analysis window (a power of two). */
  windowSize: { min: 16, max: 65_536 },
  /** Largest inputScale: 32768 (int16 units) is the norm; 1e6 leaves room, float32 features stay finite. */
  inputScaleMax: 1e6,
} as const;

function validateFeatures(check: Checker, raw: unknown): FeatureSpec {
  const f = check.object(raw, 'features');
  const type = check.oneOf(f.type, 'features.type', ['logmel', 'mfcc', 'sphinx-mfcc'] as const, 'feature type');
  const windowSize = check.integer(f.windowSize, 'features.windowSize', 2);
  // sphinx-mfcc zero-pads its window to fftSize, so only fftSize must be a power of two
  const sphinx = type === 'sphinx-mfcc';
  if (!sphinx && (windowSize & (windowSize - 1)) !== 0)
    check.fail(
      'features.windowSize',
      'must be a power of two (the FFT needs it)',
      'a power of two',
      String(windowSize),
    );
  const { sampleRate: rate, windowSize: win, inputScaleMax } = FEATURE_LIMITS;
  if (windowSize < win.min || windowSize > win.max) {
    check.fail(
      'features.windowSize',
      'is out of range',
      `${sphinx ? 'a size' : 'a power of two'} from ${win.min} to ${win.max}`,
      String(windowSize),
    );
  }
  const fftSize = sphinx ? check.integer(f.fftSize, 'features.fftSize', windowSize) : windowSize;
  if (sphinx && ((fftSize & (fftSize - 1)) !== 0 || fftSize > win.max)) {
    check.fail(
      'features.fftSize',
      'must be a power of two from windowSize to the largest window',
      `a power of two from ${windowSize} to ${win.max}`,
      String(fftSize),
    );
  }
  const nMels = check.integer(f.nMels, 'features.nMels', 1);
  if (nMels > fftSize / 2) {
    check.fail(
      'features.nMels',
      'cannot exceed the FFT bins (windowSize / 2)',
      `at most ${fftSize / 2}`,
      String(nMels),
    );
  }
  const sampleRate = check.finite(f.sampleRate, 'features.sampleRate', { above: 0 });
  if (sampleRate < rate.min || sampleRate > rate.max) {
    check.fail('features.sampleRate', 'is out of range', `${rate.min} to ${rate.max} Hz`, String(sampleRate));
  }
  const hopSize = check.integer(f.hopSize, 'features.hopSize', 1);
  if (hopSize > windowSize) {
    check.fail(
      'features.hopSize',
      'cannot exceed features.windowSize (windows would skip audio)',
      `at most ${windowSize}`,
      String(hopSize),
    );
  }
  const inputScale = check.finite(f.inputScale, 'features.inputScale', { above: 0 });
  if (inputScale > inputScaleMax)
    check.fail('features.inputScale', 'is out of range', `at most ${inputScaleMax}`, String(inputScale));
  const dither = check.finite(f.dither, 'features.dither', { min: 0 });
  if (dither >= inputScale) {
    check.fail(
      'features.dither',
      'must be below features.inputScale (the noise would drown full-scale audio)',
      `less than ${inputScale}`,
      String(dither),
    );
  }
  const features: FeatureSpec = {
    sampleRate,
    windowSize,
    hopSize,
    type,
    nMels,
    windowing: check.oneOf(f.windowing, 'features.windowing', ['hanning', 'hamming'] as const, 'windowing'),
    inputScale,
    dither,
    normalization: null,
  };
  if (sphinx) {
    if (features.windowing !== 'hamming')
      check.fail(
        'features.windowing',
        "must be hamming for sphinx-mfcc (PocketSphinx's window)",
        'hamming',
        String(features.windowing),
      );
    features.fftSize = fftSize;
    features.lowFreq = check.finite(f.lowFreq, 'features.lowFreq', { min: 0 });
    features.highFreq = check.finite(f.highFreq, 'features.highFreq', { above: features.lowFreq });
    if (features.highFreq > sampleRate / 2)
      check.fail(
        'features.highFreq',
        'cannot exceed half the sample rate',
        `at most ${sampleRate / 2}`,
        String(features.highFreq),
      );
    features.preEmphasis = check.finite(f.preEmphasis, 'features.preEmphasis', { min: 0 });
    if (features.preEmphasis >= 1)
      check.fail('features.preEmphasis', 'must be below 1', 'from 0 to below 1', String(features.preEmphasis));
    features.lifter = check.integer(f.lifter, 'features.lifter', 0);
  }
  if (type !== 'logmel') {
    features.nMfcc = check.integer(f.nMfcc, 'features.nMfcc', 1);
    if (features.nMfcc > nMels)
      check.fail(
        'features.nMfcc',
        'cannot exceed nMels (coefficients come from the mel bands)',
        `at most ${nMels}`,
        String(features.nMfcc),
      );
  } else if (f.nMfcc !== undefined) {
    features.nMfcc = check.integer(f.nMfcc, 'features.nMfcc', 1); // ignored for logmel; still must be sane
  }
  if (f.normalization !== null) {
    const n = check.object(f.normalization, 'features.normalization');
    const size = featureSize(features);
    features.normalization = {
      mean: check.numberArray(n.mean, 'features.normalization.mean', size),
      std: check.numberArray(n.std, 'features.normalization.std', size, { above: 0 }),
    };
    if (n.running !== undefined) {
      const r = check.object(n.running, 'features.normalization.running');
      features.normalization.running = {
        priorFrames: check.integer(r.priorFrames, 'features.normalization.running.priorFrames', 1),
        windowFrames: check.integer(r.windowFrames, 'features.normalization.running.windowFrames', 1),
      };
    }
  }
  return features;
}

function validateStacking(check: Checker, raw: unknown): StackingSpec {
  const s = check.object(raw, 'stacking');
  return {
    frames: check.integer(s.frames, 'stacking.frames', 1),
    stride: check.integer(s.stride, 'stacking.stride', 1),
  };
}

function validateCtcOutput(check: Checker, o: JsonObject): CtcOutputSpec {
  const units = check.oneOf(o.units, 'output.units', ['phonemes', 'characters'] as const, 'output units');
  if (!Array.isArray(o.alphabet) || o.alphabet.length < 2) {
    check.fail(
      'output.alphabet',
      'must be an array of at least 2 symbols (the blank and one unit)',
      'an array of strings',
      show(o.alphabet),
    );
  }
  const alphabet = o.alphabet as unknown[];
  const seen = new Map<string, number>();
  alphabet.forEach((symbol, i) => {
    if (typeof symbol !== 'string' || symbol === '')
      check.fail(`output.alphabet[${i}]`, 'must be a non-empty string', 'a symbol', show(symbol));
    const first = seen.get(symbol);
    if (first !== undefined)
      check.fail(`output.alphabet[${i}]`, `duplicates output.alphabet[${first}]`, 'unique symbols', show(symbol));
    seen.set(symbol, i);
  });
  if (!Number.isSafeInteger(o.blank) || (o.blank as number) < 0 || (o.blank as number) >= alphabet.length) {
    check.fail(
      'output.blank',
      'the alphabet has no CTC blank at this index',
      `an index in 0..${alphabet.length - 1}`,
      show(o.blank),
    );
  }
  const spec: CtcOutputSpec = { type: 'ctc', units, alphabet: alphabet as string[], blank: o.blank as number };
  if (units === 'phonemes') spec.lexicon = check.path(o.lexicon, 'output.lexicon');
  else if (o.lexicon !== undefined) spec.lexicon = check.path(o.lexicon, 'output.lexicon');
  if (o.wordCounts !== undefined) spec.wordCounts = check.path(o.wordCounts, 'output.wordCounts');
  if (o.wordSeparator !== undefined) {
    if (typeof o.wordSeparator !== 'string' || !seen.has(o.wordSeparator) || seen.get(o.wordSeparator) === o.blank) {
      check.fail(
        'output.wordSeparator',
        'must be a (non-blank) symbol of output.alphabet',
        'a symbol of the alphabet',
        show(o.wordSeparator),
      );
    }
    spec.wordSeparator = o.wordSeparator;
  }
  return spec;
}

function validateLmOutput(check: Checker, o: JsonObject): LmOutputSpec {
  const spec: LmOutputSpec = {
    type: 'lm',
    vocabulary: check.path(o.vocabulary, 'output.vocabulary'),
    unk: check.string(o.unk, 'output.unk'),
    eos: check.string(o.eos, 'output.eos'),
    embeddingSize: check.integer(o.embeddingSize, 'output.embeddingSize', 1),
    alpha: check.finite(o.alpha, 'output.alpha'),
    beta: check.finite(o.beta, 'output.beta'),
  };
  if (spec.unk === spec.eos)
    check.fail('output.eos', 'must differ from output.unk', `not ${show(spec.unk)}`, show(spec.eos));
  if (o.selfNormalized !== undefined) {
    const sn = check.object(o.selfNormalized, 'output.selfNormalized');
    spec.selfNormalized = {
      logZ: check.finite(sn.logZ, 'output.selfNormalized.logZ'),
      logZStd: check.finite(sn.logZStd, 'output.selfNormalized.logZStd'),
      penalty: check.finite(sn.penalty, 'output.selfNormalized.penalty'),
    };
  }
  if (o.unknownWords !== undefined) {
    const uw = check.object(o.unknownWords, 'output.unknownWords');
    spec.unknownWords = {
      counts: check.path(uw.counts, 'output.unknownWords.counts'),
      add: check.finite(uw.add, 'output.unknownWords.add', { above: 0 }),
    };
  }
  return spec;
}

function symbolList(check: Checker, value: unknown, field: string, min: number): string[] {
  if (!Array.isArray(value) || value.length < min)
    check.fail(field, `must be an array of at least ${min} strings`, `${min}+ strings`, show(value));
  const list = (value as unknown[]).map((v, i) => check.string(v, `${field}[${i}]`));
  const seen = new Set<string>();
  list.forEach((v, i) => {
    if (seen.has(v)) check.fail(`${field}[${i}]`, 'duplicate symbol', 'unique symbols', show(v));
    seen.add(v);
  });
  return list;
}

function validateTaggerOutput(check: Checker, o: JsonObject): TaggerOutputSpec {
  if (!Array.isArray(o.cases) || o.cases.length === 0)
    check.fail('output.cases', 'must be a non-empty array', `some of ${TAGGER_CASES.join(', ')}`, show(o.cases));
  const cases = (o.cases as unknown[]).map((c, i) => check.oneOf(c, `output.cases[${i}]`, TAGGER_CASES, 'case'));
  if (!Array.isArray(o.marks) || o.marks.length === 0)
    check.fail('output.marks', 'must be a non-empty array of strings', "e.g. ['', ',', '.']", show(o.marks));
  const marks = (o.marks as unknown[]).map((m, i) => {
    if (typeof m !== 'string' || m.length > 3 || /[\sA-Za-z0-9]/.test(m))
      check.fail(
        `output.marks[${i}]`,
        "must be a short punctuation string ('' for none)",
        "'', ',', '.', '?', '!'",
        show(m),
      );
    return m;
  });
  if (new Set(marks).size !== marks.length)
    check.fail('output.marks', 'must not repeat a mark', 'unique marks', show(marks));
  const lookahead = check.integer(o.lookahead, 'output.lookahead', 0);
  if (lookahead > MAX_LOOKAHEAD)
    check.fail('output.lookahead', 'is out of range', `0 to ${MAX_LOOKAHEAD} words`, String(lookahead));
  const spec: TaggerOutputSpec = {
    type: 'tagger',
    vocabulary: check.path(o.vocabulary, 'output.vocabulary'),
    unk: check.string(o.unk, 'output.unk'),
    pad: check.string(o.pad, 'output.pad'),
    embeddingSize: check.integer(o.embeddingSize, 'output.embeddingSize', 1),
    cases,
    marks,
    lookahead,
  };
  if (spec.unk === spec.pad)
    check.fail('output.pad', 'must differ from output.unk', `not ${show(spec.unk)}`, show(spec.pad));
  if (o.mixedCase !== undefined) spec.mixedCase = check.path(o.mixedCase, 'output.mixedCase');
  if (o.segmentEnd !== undefined) {
    if (typeof o.segmentEnd !== 'boolean')
      check.fail('output.segmentEnd', 'must be true or false', 'a boolean', show(o.segmentEnd));
    if (o.segmentEnd && !marks.includes('.'))
      check.fail('output.segmentEnd', "needs '.' among the marks", "'.' in output.marks", show(marks));
    if (o.segmentEnd && !cases.includes('capitalized'))
      check.fail('output.segmentEnd', "needs the 'capitalized' case", "'capitalized' in output.cases", show(cases));
    spec.segmentEnd = o.segmentEnd;
  }
  if (o.midSentenceCapitalBias !== undefined) {
    if (typeof o.midSentenceCapitalBias !== 'number' || !Number.isFinite(o.midSentenceCapitalBias))
      check.fail('output.midSentenceCapitalBias', 'must be a finite number', 'e.g. -1', show(o.midSentenceCapitalBias));
    if (!cases.includes('capitalized'))
      check.fail(
        'output.midSentenceCapitalBias',
        "needs the 'capitalized' case",
        "'capitalized' in output.cases",
        show(cases),
      );
    spec.midSentenceCapitalBias = o.midSentenceCapitalBias;
  }
  return spec;
}

function validateSeq2SeqOutput(check: Checker, o: JsonObject): Seq2SeqOutputSpec {
  const maxLength = check.integer(o.maxLength, 'output.maxLength', 1);
  if (maxLength > MAX_SPELLING)
    check.fail('output.maxLength', 'is out of range', `1 to ${MAX_SPELLING} symbols`, String(maxLength));
  const spec: Seq2SeqOutputSpec = {
    type: 'seq2seq',
    direction: check.oneOf(o.direction, 'output.direction', ['p2g', 'g2p'] as const, 'direction'),
    source: symbolList(check, o.source, 'output.source', 1),
    target: symbolList(check, o.target, 'output.target', 2),
    embeddingSize: check.integer(o.embeddingSize, 'output.embeddingSize', 1),
    maxLength,
  };
  // the phoneme side is ARPAbet-like (capitals, no stress digits): a g2p output becomes a Pronunciations line the
  // lexicon reads
  const [phonemes, field] =
    spec.direction === 'p2g' ? [spec.source, 'output.source'] : [spec.target.slice(0, -1), 'output.target'];
  phonemes.forEach((p, i) => {
    if (!/^[A-Z]{1,4}$/.test(p))
      check.fail(
        `${field}[${i}]`,
        `is not a phoneme (the ${spec.direction === 'p2g' ? 'source' : 'target'} of a ${spec.direction} model)`,
        'capital letters, e.g. "AH"',
        show(p),
      );
  });
  return spec;
}

/**
 * The model package's `model.json`, as typed data.
 *
 * A package is a folder (or a .zip of one) holding `model.json` plus safetensors weights.
 * The training recipe (models/recipe/export.py) writes exactly this; the engine reads exactly this.
 *
 * Tensor names and shapes (row-major, PyTorch layout; G = gates per cell: vanilla 1, gru 3 (r,z,n), lstm 4 (i,f,g,o)):
 *   layers.{l}.W_ax   (G·H, I)    input weights            (PyTorch weight_ih_l{l})
 *   layers.{l}.W_aa   (G·H, H)    recurrent weights        (PyTorch weight_hh_l{l})
 *   layers.{l}.b_a    (H)         vanilla only: b_a of the seed's a<t> = g1(W_aa a<t-1> + W_ax x<t> + b_a)
 *   layers.{l}.b_ax   (G·H)       gru/lstm only            (PyTorch bias_ih_l{l})
 *   layers.{l}.b_aa   (G·H)       gru/lstm only            (PyTorch bias_hh_l{l})
 *   output.W_ya       (K, H_last) y<t> = softmax(W_ya a<t> + b_y)
 *   output.b_y        (K)
 *   embedding         (V, E)      language and punctuation models: row v is the input vector x<t> of word v
 * Spelling models (an encoder-decoder) add:
 *   encoder.embedding (S, E)      row s is the encoder input of source symbol s
 *   encoder.layers.{l}.*          the encoder's layers (`encoder` in model.json), named like layers.{l}.*
 *   decoder.embedding (T+1, E)    row t is the decoder input after target symbol t; the last row is <s>
 *   layers.{l}.*, output.*        the decoder; its first input is [decoder embedding ; encoder final state]
 */

export const MODEL_FORMAT = 'earshot-model';
/** Highest `version` this engine reads. A newer package is refused with a clear error. */
export const MODEL_FORMAT_VERSION = 1;

export type CellType = 'vanilla' | 'gru' | 'lstm';
export type Activation = 'tanh' | 'relu';

export interface LayerSpec {
  cell: CellType;
  inputSize: number;
  hiddenSize: number;
  /** g1 for the vanilla cell (default tanh); ignored by gru/lstm. */
  activation?: Activation;
}

export interface FeatureSpec {
  sampleRate: number; // Hz the model expects; input is resampled to this
  windowSize: number; // samples per analysis window (power of two: meyda's FFT), e.g. 512 = 32 ms at 16 kHz
  hopSize: number; // samples between window starts, e.g. 160 = 10 ms
  /**
   * 'sphinx-mfcc': PocketSphinx's cepstra (renderer/engine/features/sphinx-mfcc.ts); needs the five fields after
   * `windowing`.
   */
  type: 'logmel' | 'mfcc' | 'sphinx-mfcc';
  nMels: number; // mel bands (log-mel output size, or filters under the MFCC)
  nMfcc?: number; // coefficients kept when type = 'mfcc' or 'sphinx-mfcc'
  windowing: 'hanning' | 'hamming';
  // sphinx-mfcc: FFT size (power of two ≥ windowSize; the window is zero-padded), e.g. 512 for a 410-sample window
  fftSize?: number;
  lowFreq?: number; // sphinx-mfcc: lower edge of the filter bank, Hz (130)
  highFreq?: number; // sphinx-mfcc: upper edge of the filter bank, Hz (6800)
  preEmphasis?: number; // sphinx-mfcc: y[n] = x[n] - preEmphasis·x[n-1] over the stream (0.97)
  lifter?: number; // sphinx-mfcc: sinusoidal lifter length, 0 for none (22)
  inputScale: number; // samples in [-1, 1] are multiplied by this before the FFT (32768: int16 scale)
  // amplitude (after inputScale) of deterministic pseudo-random noise added so digital silence never occurs
  dither: number;
  /**
   * Per-dimension mean and std of the features over the training set; x' = (x - mean) / std. With
   * `running`, the mean is a per-stream running estimate that starts at `mean` (worth `priorFrames`
   * frames) and averages the stream's own frames, at most the last ~`windowFrames` of them
   * (renderer/engine/features/normalizer.ts has the recurrence).
   */
  normalization: { mean: number[]; std: number[]; running?: RunningNormalization } | null;
}

export interface RunningNormalization {
  priorFrames: number; // weight of the stored mean, in frames (>= 1)
  windowFrames: number; // frames after which the running mean becomes an exponential average (>= 1)
}

export interface StackingSpec {
  frames: number; // consecutive feature vectors concatenated into one RNN input
  stride: number; // feature frames advanced per RNN step
}

export interface CtcOutputSpec {
  type: 'ctc';
  units: 'phonemes' | 'characters';
  /** Output symbols in order of the output layer's rows; alphabet[blank] is the CTC blank. */
  alphabet: string[];
  blank: number;
  /** Phoneme models: package-relative path of the pronunciation lexicon (`WORD PH1 PH2 ...` per line). */
  lexicon?: string;
  /** Optional word frequencies (`word<TAB>count`) used to pick among homophones when no LM is loaded. */
  wordCounts?: string;
  /** Character models: the symbol that separates words (e.g. " "). */
  wordSeparator?: string;
}

export interface LmOutputSpec {
  type: 'lm';
  /** Package-relative path of the vocabulary, one word per line, in output-row order. Includes <unk> and <eos>. */
  vocabulary: string;
  unk: string; // '<unk>'
  eos: string; // '<eos>'
  embeddingSize: number;
  /** Shallow-fusion weights tuned on a dev set: score += alpha·log P_LM(word | history) + beta. */
  alpha: number;
  beta: number;
  /**
   * Present when the LM was trained self-normalised (train_lm.py --self_norm: a (log Z)² penalty beside the
   * cross-entropy), so that log P(w | h) ≈ logit(w) − logZ for any history: a decoder may then compute only the
   * logits of the words it asks about, not the softmax over the whole vocabulary. logZ and logZStd: the mean and
   * spread of the log-sum-exp of the logits on held-out text; penalty: the training weight.
   */
  selfNormalized?: { logZ: number; logZStd: number; penalty: number };
  /**
   * How <unk>'s probability is shared among the words outside the vocabulary (a class model:
   * P(w | h) = P(<unk> | h) · P(w | <unk>)). `counts`: package-relative `word<TAB>count` file of words outside
   * the vocabulary (from text); `add`: the count every word outside the vocabulary gets on top, so that
   *     P(w | <unk>) = (count(w) + add) / (Σ counts + add · N),   N = the words outside the vocabulary.
   * Absent: every such word gets 1 / N.
   */
  unknownWords?: { counts: string; add: number };
}

/**
 * The punctuation-and-case tagger (kind 'punctuation'): a word RNN whose output row case·|marks| + mark is the tag of
 * the word `lookahead` steps back: its case (cases[i]) and the mark that follows it (marks[j], '' = none).
 */
export interface TaggerOutputSpec {
  type: 'tagger';
  /** Package-relative path of the input vocabulary, one lower-case word per line; includes unk and pad. */
  vocabulary: string;
  unk: string; // '<unk>'
  /** Input after the last word to flush the look-ahead. */
  pad: string; // '<pad>'
  embeddingSize: number;
  /** 'lower' | 'capitalized' | 'upper' | 'mixed' (mixed: the form from `mixedCase`, else capitalised). */
  cases: TaggerCase[];
  /** Marks written after a word; '' is none. */
  marks: string[];
  /** k: the tag of word t comes out after reading word t+k (k pads flush the last k). */
  lookahead: number;
  /** Optional package-relative `lower<TAB>Mixed` list (McDonald, iPhone). */
  mixedCase?: string;
  /**
   * The end of a final segment (a pause) ends a sentence: its last word takes '.' unless the model gave it
   * a sentence-ending mark, and the next segment's first word is capitalised. Default false (the model's tags alone).
   */
  segmentEnd?: boolean;
  /**
   * Added to the 'capitalized' scores (log-probabilities) of a word that does not start a sentence, when its case
   * is chosen for the mark already chosen (the mark never changes): a word starts a sentence when it is the
   * session's first, follows a word tagged '.', '?' or '!', or (with segmentEnd) opens a final. Negative: a capital
   * inside a sentence, a proper-noun claim, needs more confidence than the model's argmax. Default 0.
   */
  midSentenceCapitalBias?: number;
}

export type TaggerCase = 'lower' | 'capitalized' | 'upper' | 'mixed';

/** An encoder-decoder over symbols (kind 'spelling'): phonemes → letters ('p2g') or letters → phonemes ('g2p'). */
export interface Seq2SeqOutputSpec {
  type: 'seq2seq';
  direction: 'p2g' | 'g2p';
  /** Encoder input symbols, in encoder.embedding row order. */
  source: string[];
  /** Decoder output symbols in output row order; the last is the end symbol. */
  target: string[];
  embeddingSize: number;
  /** Longest output, in symbols. */
  maxLength: number;
}

export type ModelKind = 'acoustic' | 'language' | 'punctuation' | 'spelling';

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: ModelKind;
  name: string;
  description?: string;
  features?: FeatureSpec; // acoustic only
  stacking?: StackingSpec; // acoustic only
  layers: LayerSpec[];
  /** Spelling models: the encoder's layers (`layers` is the decoder). */
  encoder?: LayerSpec[];
  output: CtcOutputSpec | LmOutputSpec | TaggerOutputSpec | Seq2SeqOutputSpec;
  /** Package-relative path of the safetensors file. */
  weights: string;
  /** Free-form record of how the model was made: data, voices, steps, metrics. */
  provenance?: Record<string, unknown>;
}

/** Gates per cell: the G in the tensor shapes above. */
export function gatesPerCell(cell: CellType): number {
  return cell === 'vanilla' ? 1 : cell === 'gru' ? 3 : 4;
}

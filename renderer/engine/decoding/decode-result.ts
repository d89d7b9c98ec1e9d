/**
 * What every CTC decoder returns, and the incremental decoder contract.
 *
 * Times are seconds: step index × secondsPerStep + the decoder's offset (set by reset()).
 */

export interface WordAlternative {
  word: string;
  /** Log-domain score of the alternative spelling: the LM term alpha·logP + beta when a scorer chose,
   *  else the log relative frequency among the homophones. Higher is better. */
  score: number;
  /**
   * 0..1: this spelling's share of the homophone set the decoder weighed (the emitted word and its
   * alternatives): by the LM's P(word | history) when a scorer chose, else by word frequency
   * (homophone-shares.ts). What the app shows, and how it leaves out implausible spellings.
   */
  probability: number;
}

export interface DecodedWord {
  word: string;
  /** Seconds: first frame of the word's first unit. */
  start: number;
  /** Seconds: end of the last frame of the word's last unit. */
  end: number;
  /**
   * 0..1: mean over the word's units of the unit's peak acoustic posterior P(unit | frame) along
   * the decoded path (the height of each CTC spike). Same measure in every decoder.
   */
  confidence: number;
  /** True when the word is not in the lexicon (characters: spelled freely; phonemes: `/PH PH/` shown as is). */
  unknown?: boolean;
  /** Other spellings of the same pronunciation (homophones), best first. */
  alternatives?: WordAlternative[];
  /**
   * True for the word still being spoken, in a partial result only: the decoder's best guess from
   * the sounds heard so far (lexicon decoder: the most frequent word under the best hypothesis's
   * prefix-tree node; character decoder: the letters so far). It changes as more audio arrives;
   * a final result never has one. Shown lighter in the app; never exported.
   */
  tentative?: boolean;
  /**
   * The word as the recogniser wrote it, when the display differs (readable.ts): `word` then holds the
   * displayed form (case, the mark after it, a spelled guess) and `raw` the lower-case word or `/PH PH/`.
   */
  raw?: string;
  /** A spelled guess for sounds outside the lexicon (`unknown`): the phonemes heard, e.g. 'T IH L AE N D'. */
  phonemes?: string;
  /** True when `word` is the speller's guess, not a lexicon word. */
  guess?: boolean;
}

export interface DecodeResult {
  words: DecodedWord[];
  /** Words joined by single spaces. */
  text: string;
  /** Non-blank unit ids of the best path, repeats collapsed (CTC label sequence). */
  units: number[];
}

export const EMPTY_DECODE_RESULT: DecodeResult = Object.freeze({ words: [], text: '', units: [] });

/** The CTC output description a decoder needs (a CtcOutputSpec from model.json fits). */
export interface CtcAlphabet {
  /** What the units are; decides how the greedy decoder forms words. Default 'phonemes'. */
  units?: 'phonemes' | 'characters';
  /** Unit symbols in output-row order; K = alphabet.length. */
  alphabet: readonly string[];
  /** Row of the CTC blank. */
  blank: number;
  /** Symbol separating words (character models: ' '), if the alphabet has one. */
  wordSeparator?: string;
}

/**
 * Incremental CTC decoder (DeepSpeech-style init → next → decode):
 *
 *     decoder.reset(0);
 *     for (const chunk of chunks) await decoder.next(chunk.logProbs, chunk.steps);   // steps × K log-probs
 *     showGrey(decoder.partial());
 *     const final = await decoder.finalize();
 *
 * Feeding the same steps in any chunking gives identical results.
 */
export interface CtcDecoder {
  /** True when `next`/`finalize` really need to await (a Scorer is set); false: the *Sync methods work. */
  readonly isAsync: boolean;
  /** Steps consumed since the last reset. */
  readonly stepsDecoded: number;
  /** Starts a new utterance whose step 0 is at `offsetSeconds` (default 0). */
  reset(offsetSeconds?: number): void;
  /** Consumes `steps` rows of K natural-log probabilities (row-major, steps × K). Calls are serialized. */
  next(logProbs: Float32Array, steps: number): Promise<void>;
  /** Same as `next` without a Promise. Throws when the decoder has a scorer (isAsync). */
  nextSync(logProbs: Float32Array, steps: number): void;
  /** The current best hypothesis; cheap, does not change state. */
  partial(): DecodeResult;
  /** Ends the utterance: flushes the last word, adds the LM end-of-sentence score, returns the best. */
  finalize(): Promise<DecodeResult>;
  /** Same as `finalize` without a Promise. Throws when isAsync. */
  finalizeSync(): DecodeResult;
  /** Steps since the best path's last non-blank (and non-separator) frame; all steps when none. */
  trailingBlankSteps(): number;
}

export interface DecoderTiming {
  /** Seconds of audio per acoustic step (hop × stride / sampleRate), e.g. 0.03. */
  secondsPerStep: number;
}

/** Joins words into display text. */
export function joinWords(words: readonly DecodedWord[]): string {
  return words.map((w) => w.word).join(' ');
}

/** Numerically stable log(exp(a) + exp(b)). */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** Checks the shape of a `next` call; throws a RangeError naming both sizes. */
export function checkLogProbs(logProbs: Float32Array, steps: number, k: number): void {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
  if (logProbs.length < steps * k) {
    throw new RangeError(
      `logProbs holds ${logProbs.length} values, expected steps × K = ${steps} × ${k} = ${steps * k}`,
    );
  }
}

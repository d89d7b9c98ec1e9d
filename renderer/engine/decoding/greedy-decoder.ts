/**
 * Greedy (best-path) CTC decoding: argmax per step, collapse repeats, drop blanks.
 *
 * Characters: units are spelled into words split at the word separator; with a lexicon, words
 * missing from it are flagged `unknown` and homophones are listed as alternatives.
 * Phonemes: runs between separators (or the whole utterance when the alphabet has none) are
 * split into lexicon words (lexicon-segmenter); phonemes no word covers are shown as `/PH PH/`
 * with `unknown: true`.
 *
 * Never awaits: `next` returns an already-resolved Promise.
 */

import {
  checkLogProbs,
  EMPTY_DECODE_RESULT,
  joinWords,
  type CtcAlphabet,
  type CtcDecoder,
  type DecodeResult,
  type DecodedWord,
} from './decode-result';
import { sharesOfAlternatives } from './homophone-shares';
import type { LexiconTrie } from './lexicon-trie';
import { segmentUnits } from './lexicon-segmenter';

export interface GreedyDecoderConfig {
  /** Seconds of audio per acoustic step. */
  secondsPerStep: number;
}

export function defaultGreedyConfig(): GreedyDecoderConfig {
  return { secondsPerStep: 0.03 };
}

/** One collapsed emission on the best path: `unit` held from firstStep to lastStep. */
interface Token {
  unit: number;
  firstStep: number;
  lastStep: number;
  /** Highest posterior of `unit` over its frames (0..1). */
  peak: number;
}

const RESOLVED: Promise<void> = Promise.resolve();

export class GreedyDecoder implements CtcDecoder {
  readonly isAsync = false;
  private readonly k: number;
  private readonly blank: number;
  private readonly separator: number;
  private readonly characters: boolean;
  private offsetSeconds = 0;
  private steps = 0;
  private prevUnit = -1; // argmax of the previous step (blank included), -1 at start
  private tokens: Token[] = [];
  private lastSpeechStep = -1;
  private cached: DecodeResult | null = null;

  constructor(
    private readonly alphabet: CtcAlphabet,
    private readonly config: GreedyDecoderConfig = defaultGreedyConfig(),
    private readonly lexicon?: LexiconTrie,
  ) {
    this.k = alphabet.alphabet.length;
    this.blank = alphabet.blank;
    this.separator = alphabet.wordSeparator !== undefined ? alphabet.alphabet.indexOf(alphabet.wordSeparator) : -1;
    this.characters = alphabet.units === 'characters';
  }

  get stepsDecoded(): number {
    return this.steps;
  }

  reset(offsetSeconds = 0): void {
    this.offsetSeconds = offsetSeconds;
    this.steps = 0;
    this.prevUnit = -1;
    this.tokens = [];
    this.lastSpeechStep = -1;
    this.cached = EMPTY_DECODE_RESULT;
  }

  next(logProbs: Float32Array, steps: number): Promise<void> {
    this.nextSync(logProbs, steps);
    return RESOLVED;
  }

  nextSync(logProbs: Float32Array, steps: number): void {
    const k = this.k;
    checkLogProbs(logProbs, steps, k);
    for (let s = 0; s < steps; s++) {
      const row = s * k;
      let best = 0;
      let bestLp = logProbs[row];
      for (let u = 1; u < k; u++) {
        const lp = logProbs[row + u];
        if (lp > bestLp) {
          bestLp = lp;
          best = u;
        }
      }
      const t = this.steps++;
      if (best !== this.blank) {
        const p = Math.exp(bestLp);
        const last = this.tokens[this.tokens.length - 1];
        if (best === this.prevUnit && last !== undefined) {
          last.lastStep = t;
          if (p > last.peak) last.peak = p;
        } else {
          this.tokens.push({ unit: best, firstStep: t, lastStep: t, peak: p });
        }
        if (best !== this.separator) this.lastSpeechStep = t;
      }
      this.prevUnit = best;
    }
    if (steps > 0) this.cached = null;
  }

  trailingBlankSteps(): number {
    return this.steps - 1 - this.lastSpeechStep;
  }

  partial(): DecodeResult {
    if (this.cached === null) this.cached = this.build();
    return this.cached;
  }

  finalize(): Promise<DecodeResult> {
    return Promise.resolve(this.finalizeSync());
  }

  finalizeSync(): DecodeResult {
    return this.partial();
  }

  private build(): DecodeResult {
    const words: DecodedWord[] = [];
    let group: Token[] = [];
    const flush = (): void => {
      if (group.length > 0) {
        if (this.characters) words.push(this.spelledWord(group));
        else words.push(...this.phonemeWords(group));
      }
      group = [];
    };
    for (const tok of this.tokens) {
      if (tok.unit === this.separator) flush();
      else group.push(tok);
    }
    flush();
    const units = this.tokens.filter((t) => t.unit !== this.separator).map((t) => t.unit);
    return { words, text: joinWords(words), units };
  }

  private wordFrom(tokens: readonly Token[], word: string): DecodedWord {
    let sum = 0;
    for (const t of tokens) sum += t.peak;
    const sps = this.config.secondsPerStep;
    return {
      word,
      start: this.offsetSeconds + tokens[0].firstStep * sps,
      end: this.offsetSeconds + (tokens[tokens.length - 1].lastStep + 1) * sps,
      confidence: sum / tokens.length,
    };
  }

  private spelledWord(tokens: readonly Token[]): DecodedWord {
    const w = this.wordFrom(tokens, tokens.map((t) => this.alphabet.alphabet[t.unit]).join(''));
    if (this.lexicon) {
      const id = this.lexicon.wordId(w.word);
      if (id === undefined) w.unknown = true;
      else {
        const alternatives = this.lexicon.homophonesOf(w.word).map((word) => ({
          word,
          score: Math.log(
            (this.lexicon!.wordCounts[this.lexicon!.wordId(word)!] + 1) / (this.lexicon!.wordCounts[id] + 1),
          ),
          probability: 0,
        }));
        // scores are log count ratios to the spelled word's (log weight 0)
        const shares = sharesOfAlternatives(
          0,
          alternatives.map((a) => a.score),
        );
        alternatives.forEach((a, i) => (a.probability = shares[i]));
        if (alternatives.length > 0) w.alternatives = alternatives.sort((a, b) => b.score - a.score);
      }
    }
    return w;
  }

  private phonemeWords(tokens: readonly Token[]): DecodedWord[] {
    const symbols = this.alphabet.alphabet;
    const unknownRun = (ts: readonly Token[]): DecodedWord => {
      const w = this.wordFrom(ts, '/' + ts.map((t) => symbols[t.unit]).join(' ') + '/');
      w.unknown = true;
      return w;
    };
    if (!this.lexicon) return [unknownRun(tokens)];
    const spans = segmentUnits(
      this.lexicon,
      tokens.map((t) => t.unit),
    );
    return spans.map((span) => {
      const ts = tokens.slice(span.begin, span.end);
      if (span.node < 0) return unknownRun(ts);
      const ids = this.lexicon!.wordsAt(span.node);
      const w = this.wordFrom(ts, this.lexicon!.word(ids[0]));
      const alternatives = this.lexicon!.frequencyAlternatives(span.node, ids[0]);
      if (alternatives.length > 0) w.alternatives = alternatives;
      return w;
    });
  }
}

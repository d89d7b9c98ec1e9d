/**
 * Punctuation and capitals for recognised words: the tagger package (kind 'punctuation',
 * models/recipe/punct) run on the RNN backends.
 *
 *   const p = await createPunctuator(pkg, { backend: 'wasm-simd' });
 *   const stream = p.createStream();
 *   stream.tag(['hello', 'there', 'how', 'are', 'you']);  // final segment: tags, state carried on
 *   stream.peek(['i', 'am']);                              // a partial: tags without moving the state
 *   applyTag('hello', tags[0], p.mixedCase)                // 'Hello,'
 *
 * Streaming with a look-ahead of k words: the RNN reads word t and emits the tag of word t-k. A final
 * segment's last k tags come from k pad inputs run on a copy of the state, so a final never waits for
 * the next one; the state after the segment's real words is carried on, so a sentence may span segments.
 * With the package's `segmentEnd`, a final segment's end (a pause) also ends a sentence: its last word takes
 * '.' unless the model chose '?' or '!', and the next final's first word is capitalised.
 *
 * Tags are decided word by word: the mark is the best tag's, and for a word that does not start a sentence (the
 * word before it took no '.', '?' or '!') the case is chosen again for that mark with the package's
 * `midSentenceCapitalBias` added to 'capitalized', so a capital inside a sentence needs more confidence.
 */
import type { LoadedPackage } from '../package/load-package';
import type { TaggerCase, TaggerOutputSpec } from '../package/model-spec';
import type { BackendName } from '../rnn/backend';
import { createRnnStack } from '../rnn/rnn-stack';
import type { RnnStack, RnnState } from '../rnn/rnn-types';

export interface WordTag {
  case: TaggerCase;
  /** The mark written after the word, '' for none. */
  mark: string;
}

export interface PunctuatorOptions {
  /** Default 'reference'. */
  backend?: BackendName;
}

export interface PunctuatorStream {
  /** Tags a final segment's words (lower case as recognised) and carries the state past them. */
  tag(words: readonly string[]): Promise<WordTag[]>;
  /** Tags words that may still change (a partial) from the current state, which stays as it was. */
  peek(words: readonly string[]): Promise<WordTag[]>;
  /** Forgets the words so far (a new session). */
  reset(): void;
}

export interface Punctuator {
  readonly name: string;
  readonly lookahead: number;
  /** lower → mixed-case form (mcdonald → McDonald), from the package's list. */
  readonly mixedCase: ReadonlyMap<string, string>;
  createStream(): PunctuatorStream;
  /** Log-probabilities of every tag row for `words` read from a zero state (the parity tests' view), steps × tags. */
  rawLogProbs(words: readonly string[]): Promise<Float32Array>;
  dispose(): void;
}

export async function createPunctuator(pkg: LoadedPackage, options: PunctuatorOptions = {}): Promise<Punctuator> {
  if (pkg.json.kind !== 'punctuation' || pkg.json.output.type !== 'tagger' || pkg.files.vocabulary === undefined) {
    throw new Error(`${pkg.source} is a ${pkg.json.kind} model, not a punctuation model`);
  }
  const stack = await createRnnStack(pkg.json.layers, pkg.tensors, { backend: options.backend ?? 'reference' });
  return new RnnPunctuator(pkg, pkg.json.output, stack);
}

class RnnPunctuator implements Punctuator {
  readonly name: string;
  readonly lookahead: number;
  readonly mixedCase = new Map<string, string>();
  private readonly index = new Map<string, number>();
  private readonly unk: number;
  private readonly pad: number;
  private readonly E: number;
  private readonly embedding: Float32Array;
  private readonly tags: WordTag[];
  /** Tag row of 'capitalized' with mark j at capitalizedRow + j, or -1 (no such case). */
  private readonly capitalizedRow: number;
  private readonly capitalBias: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    pkg: LoadedPackage,
    private readonly spec: TaggerOutputSpec,
    private readonly stack: RnnStack,
  ) {
    this.name = pkg.json.name;
    this.lookahead = spec.lookahead;
    pkg.files.vocabulary!.forEach((w, i) => this.index.set(w, i));
    this.unk = this.index.get(spec.unk)!;
    this.pad = this.index.get(spec.pad)!;
    const emb = pkg.tensors.get('embedding')!;
    this.E = emb.shape[1];
    this.embedding = emb.data;
    this.tags = [];
    for (const c of spec.cases) for (const m of spec.marks) this.tags.push({ case: c, mark: m });
    this.capitalizedRow = spec.cases.indexOf('capitalized') * spec.marks.length;
    this.capitalBias = spec.midSentenceCapitalBias ?? 0;
    for (const line of (pkg.files.mixedCase ?? '').split(/\r?\n/)) {
      const [lower, form] = line.split('\t');
      if (lower && form) this.mixedCase.set(lower, form);
    }
  }

  /** Inputs for word ids: rows of the embedding, steps × E. */
  private inputs(ids: readonly number[]): Float32Array {
    const x = new Float32Array(ids.length * this.E);
    ids.forEach((id, t) => x.set(this.embedding.subarray(id * this.E, (id + 1) * this.E), t * this.E));
    return x;
  }

  private ids(words: readonly string[]): number[] {
    return words.map((w) => this.index.get(w.toLowerCase()) ?? this.unk);
  }

  /** The best tag of row t; inside a sentence, its case chosen again for its mark with the capital bias. */
  private best(rows: Float32Array, t: number, startsSentence: boolean): WordTag {
    const K = this.tags.length;
    let arg = 0;
    for (let j = 1; j < K; j++) if (rows[t * K + j] > rows[t * K + arg]) arg = j;
    if (startsSentence || this.capitalBias === 0 || this.capitalizedRow < 0) return this.tags[arg];
    const M = this.spec.marks.length;
    const mark = arg % M;
    let bestRow = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < this.spec.cases.length; c++) {
      const row = c * M + mark;
      const score = rows[t * K + row] + (row === this.capitalizedRow + mark ? this.capitalBias : 0);
      if (score > bestScore) [bestRow, bestScore] = [row, score];
    }
    return this.tags[bestRow];
  }

  /** `segmentEnd`: the last word of a final ends a sentence ('.' unless the model chose a sentence-ending mark). */
  endSentence(tags: WordTag[]): void {
    const last = tags[tags.length - 1];
    if (last && !SENTENCE_ENDS.includes(last.mark)) tags[tags.length - 1] = { case: last.case, mark: '.' };
  }

  /** `segmentEnd`: the first word after a sentence end is capitalised (a lower-case tag becomes 'capitalized'). */
  startSentence(tags: WordTag[]): void {
    if (tags.length > 0 && tags[0].case === 'lower') tags[0] = { case: 'capitalized', mark: tags[0].mark };
  }

  /** Serialises RNN calls: one stack, several streams. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The tagging run: words from `state` (updated in place when `carry`), then k pads on a copy.
   * `startsSentence`: the first word starts a sentence (for the capital bias).
   */
  async run(words: readonly string[], state: RnnState, carry: boolean, startsSentence: boolean): Promise<WordTag[]> {
    const n = words.length;
    if (n === 0) return [];
    const k = this.lookahead;
    return this.exclusive(async () => {
      const s = carry ? state : this.stack.cloneState(state);
      const out: [Float32Array, number][] = []; // (rows, step) of each output, in word order
      const rows = await this.stack.forward(this.inputs(this.ids(words)), n, s);
      for (let t = k; t < n; t++) out.push([rows, t]);
      if (k > 0) {
        const flush = await this.stack.forward(
          this.inputs(new Array<number>(k).fill(this.pad)),
          k,
          this.stack.cloneState(s),
        );
        for (let t = 0; t < k; t++) out.push([flush, t]);
      }
      // with n < k the first outputs belong to the previous segment's words (already shown)
      const tags: WordTag[] = [];
      let initial = startsSentence;
      for (const [r, t] of out.slice(out.length - n)) {
        const tag = this.best(r, t, initial);
        tags.push(tag);
        initial = SENTENCE_ENDS.includes(tag.mark);
      }
      return tags;
    });
  }

  createStream(): PunctuatorStream {
    let state = this.stack.initialState(1);
    const segmentEnd = this.spec.segmentEnd === true;
    /** The last final ended a sentence (segmentEnd, or its last word took . ? !), or nothing came before. */
    let atSentenceStart = true;
    return {
      tag: async (words) => {
        const tags = await this.run(words, state, true, atSentenceStart || segmentEnd);
        if (tags.length === 0) return tags;
        if (segmentEnd) {
          if (atSentenceStart) this.startSentence(tags);
          this.endSentence(tags);
        }
        atSentenceStart = SENTENCE_ENDS.includes(tags[tags.length - 1].mark);
        return tags;
      },
      peek: async (words) => {
        const tags = await this.run(words, state, false, atSentenceStart || segmentEnd);
        if (segmentEnd && atSentenceStart) this.startSentence(tags);
        return tags;
      },
      reset: () => {
        state = this.stack.initialState(1);
        atSentenceStart = true;
      },
    };
  }

  rawLogProbs(words: readonly string[]): Promise<Float32Array> {
    return this.exclusive(() =>
      this.stack.forward(this.inputs(this.ids(words)), words.length, this.stack.initialState(1)),
    );
  }

  dispose(): void {
    this.stack.dispose();
  }
}

const SENTENCE_ENDS = ['.', '?', '!'];

/** The displayed form of a recognised word under its tag: case applied, mark appended. */
export function applyTag(word: string, tag: WordTag, mixedCase: ReadonlyMap<string, string>): string {
  return applyCase(word, tag.case, mixedCase) + tag.mark;
}

export function applyCase(word: string, c: TaggerCase, mixedCase: ReadonlyMap<string, string>): string {
  if (word === '') return word;
  switch (c) {
    case 'lower':
      return word;
    case 'upper':
      return word.toUpperCase();
    case 'mixed': {
      const form = mixedCase.get(word.toLowerCase());
      if (form !== undefined) return form;
      return word[0].toUpperCase() + word.slice(1);
    }
    default:
      return word[0].toUpperCase() + word.slice(1);
  }
}

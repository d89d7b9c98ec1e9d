/**
 * The word LM's vocabulary: words in output-row order (the rows of output.W_ya and of `embedding`),
 * with the <unk> and <eos> ids the package names (LmOutputSpec).
 *
 *   const vocab = LmVocabulary.fromPackage(pkg);
 *   vocab.id('there')      // row of "there", or vocab.unk for a word the LM does not know
 *   vocab.has('zyzzyva')   // false: scored as <unk>
 */
import type { LoadedPackage } from '../package/load-package';

export class LmVocabulary {
  /** Row of <unk>. */
  readonly unk: number;
  /** Row of <eos>: the end-of-sentence word, and the first input of every sentence. */
  readonly eos: number;
  private readonly index = new Map<string, number>();

  constructor(
    readonly words: readonly string[],
    unkWord = '<unk>',
    eosWord = '<eos>',
  ) {
    words.forEach((w, i) => this.index.set(w, i));
    const unk = this.index.get(unkWord);
    const eos = this.index.get(eosWord);
    if (unk === undefined || eos === undefined) {
      throw new Error(`LM vocabulary lacks ${unk === undefined ? unkWord : eosWord}`);
    }
    this.unk = unk;
    this.eos = eos;
  }

  /** From a loaded `kind: language` package; throws if it is not one. */
  static fromPackage(pkg: LoadedPackage): LmVocabulary {
    const out = pkg.json.output;
    if (out.type !== 'lm' || pkg.files.vocabulary === undefined) {
      throw new Error(`${pkg.source} is not a language model package (output.type is '${out.type}')`);
    }
    return new LmVocabulary(pkg.files.vocabulary, out.unk, out.eos);
  }

  get size(): number {
    return this.words.length;
  }

  /** True for a word with its own row (not <unk>, not <eos>). */
  has(word: string): boolean {
    const id = this.index.get(word);
    return id !== undefined && id !== this.unk && id !== this.eos;
  }

  /** Row of `word`, or `unk` when the vocabulary lacks it. Words are matched as given (lower case). */
  id(word: string): number {
    return this.index.get(word) ?? this.unk;
  }

  /** Splits text on white space into lower-case words. */
  static words(text: string): string[] {
    return text
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w !== '');
  }
}

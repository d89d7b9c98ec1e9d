/**
 * Readable transcripts: recognised words → displayed words. Two optional models:
 *   * the speller (kind 'spelling'): a sound sequence outside the lexicon (`/T IH L AE N D/`) becomes a
 *     spelled guess ('tiland'), marked `guess` with its `phonemes`;
 *   * the punctuator (kind 'punctuation'): each word gets its case and the mark after it.
 * The displayed form goes to `word` (so editing, search, cues and alternatives all work on what is shown),
 * the recogniser's own word to `raw`. Finals carry the punctuator's state to the next final, so a sentence
 * may span segments; a partial is tagged (when asked) without moving that state.
 */
import type { Punctuator, PunctuatorStream, WordTag } from '../../../models/language/punctuator';
import { applyTag } from '../../../models/language/punctuator';
import { phonemesOfUnknown, type Speller } from '../../../models/language/speller';
import type { DecodedWord } from '../decoding/decode-result';
import type { Segment } from './segment';

export interface ReadableModels {
  punctuator?: Punctuator | null;
  speller?: Speller | null;
  /** Tag the partial too (default false: it shows the raw words until it is final). */
  partial?: boolean;
}

export class ReadableText {
  private readonly stream: PunctuatorStream | null;
  private readonly spelled = new Map<string, string | null>();

  constructor(private readonly models: ReadableModels) {
    this.stream = models.punctuator ? models.punctuator.createStream() : null;
  }

  /** Rewrites a final segment's words and text in place (the transcript keeps the same object). */
  async final(segment: Segment): Promise<void> {
    const words = await this.spell(segment.words);
    const tags = this.stream ? await this.stream.tag(words.map((w) => w.word)) : null;
    this.apply(segment, words, tags);
  }

  /** A partial's displayed copy (the spelled guesses and, with `partial`, punctuation). */
  async partial(segment: Segment): Promise<Segment> {
    if (!this.models.partial) return segment;
    const copy = { ...segment };
    const words = await this.spell(segment.words.filter((w) => !w.tentative)).then((done) => [
      ...done,
      ...segment.words.filter((w) => w.tentative),
    ]);
    const tags = this.stream ? await this.stream.peek(words.map((w) => w.word)) : null;
    this.apply(copy, words, tags);
    return copy;
  }

  reset(): void {
    this.stream?.reset();
  }

  private apply(segment: Segment, words: DecodedWord[], tags: WordTag[] | null): void {
    const mixed = this.models.punctuator?.mixedCase ?? new Map<string, string>();
    segment.words = words.map((w, i) => {
      if (!tags) return w;
      const shown = applyTag(w.word, tags[i], mixed);
      return shown === w.word ? w : { ...w, word: shown, raw: w.raw ?? w.word };
    });
    segment.text = segment.words.map((w) => w.word).join(' ');
  }

  private async spell(words: readonly DecodedWord[]): Promise<DecodedWord[]> {
    const speller = this.models.speller;
    if (!speller) return [...words];
    const out: DecodedWord[] = [];
    for (const w of words) {
      const phonemes = w.unknown ? phonemesOfUnknown(w.word) : null;
      if (phonemes === null) {
        out.push(w);
        continue;
      }
      if (!this.spelled.has(phonemes)) {
        if (this.spelled.size > 1000) this.spelled.clear();
        this.spelled.set(phonemes, await speller.spell(phonemes));
      }
      const guess = this.spelled.get(phonemes);
      out.push(guess ? { ...w, word: guess, raw: w.word, phonemes, guess: true } : w);
    }
    return out;
  }
}

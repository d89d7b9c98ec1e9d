/**
 * Applying a person's correction to a final segment. Exports take cue timing from the words, and
 * the word popover reads them, so words must keep matching the text:
 *  - same number of words: each keeps its times; a changed word gets confidence 1 (a person wrote
 *    it) and loses its alternatives;
 *  - a different number: the segment's time span is shared out over the new words by length.
 * Pure: no DOM, so Node tests cover it.
 */
import type { DecodedWord, Segment } from '../../worker/protocol';

/** Collapses whitespace; what a segment's text looks like after an edit. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function editSegmentText(segment: Segment, newText: string): Segment {
  const text = normaliseText(newText);
  const tokens = text === '' ? [] : text.split(' ');
  let words: DecodedWord[];
  if (tokens.length === segment.words.length) {
    words = segment.words.map((w, i) =>
      w.word === tokens[i] ? w : { word: tokens[i], start: w.start, end: w.end, confidence: 1 },
    );
  } else {
    words = spreadWords(tokens, segment.start, segment.end);
  }
  return { ...segment, text, words };
}

/** Replaces one word (e.g. by a homophone alternative the user picked). */
export function replaceWord(segment: Segment, index: number, word: string): Segment {
  const old = segment.words[index];
  if (!old) return segment;
  const words = segment.words.slice();
  words[index] = { word: styledLike(old, word), start: old.start, end: old.end, confidence: 1 };
  return { ...segment, words, text: words.map((w) => w.word).join(' ') };
}

/** Words laid end to end over [start, end], each getting time in proportion to its length + 1. */
export function spreadWords(tokens: readonly string[], start: number, end: number): DecodedWord[] {
  const weight = tokens.reduce((n, t) => n + t.length + 1, 0);
  const span = Math.max(0, end - start);
  let at = start;
  return tokens.map((token, i) => {
    const next = i === tokens.length - 1 ? end : at + (span * (token.length + 1)) / weight;
    const word: DecodedWord = { word: token, start: at, end: next, confidence: 1 };
    at = next;
    return word;
  });
}

/**
 * An alternative (a lower-case lexicon word) shown the way the word it replaces was shown: its capital and the
 * mark after it (readable text), so choosing "too" for "To," gives "Too,".
 */
export function styledLike(old: DecodedWord, word: string): string {
  if (old.raw === undefined || word === '') return word;
  const mark = /[,.?!:;]+$/.exec(old.word)?.[0] ?? '';
  const capital = /^[A-Z]/.test(old.word) && !/^[A-Z]/.test(word);
  return (capital ? word[0].toUpperCase() + word.slice(1) : word) + (word.endsWith(mark) ? '' : mark);
}

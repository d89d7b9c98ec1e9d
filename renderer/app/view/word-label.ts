/**
 * The word itself, as the word popover names it: the displayed form without what the readable-text stage
 * (renderer/engine/transcript/readable.ts) attached for the sentence around it. In the transcript a word reads
 * "incilopech." or "Well,"; its popover says "incilopech" / "Well", and a spelled guess is written to Settings →
 * Pronunciations as "incilopech". Pure: no DOM, so Node tests cover it.
 */
import type { DecodedWord } from '../../worker/protocol';

/** Characters a word may begin or end with; anything else at either end is punctuation around it. */
const WORD_EDGE = /[\p{L}\p{N}']/u;

/**
 * The displayed word without leading or trailing punctuation added by the readable-text stage. A raw word
 * (no `raw`, not a guess) is returned as is (`/PH PH/` for unknown sounds without a speller). A lexicon word
 * keeps the case it is shown in ("McDonald", "I") and any marks of its own ("u.s." shown "U.S." stays "U.S.").
 */
export function bareWord(word: DecodedWord): string {
  const shown = word.word;
  if (word.raw === undefined && !word.guess) return shown;
  if (!word.guess && word.raw !== undefined && !word.raw.startsWith('/')) {
    // the punctuator changes the case and appends a mark: the recognised word's length of the display is the word
    const head = shown.slice(0, word.raw.length);
    if (head.toLowerCase() === word.raw.toLowerCase()) return head;
  }
  return trimPunctuation(shown);
}

/**
 * What "Add to my pronunciations" writes for a spelled guess: the bare guess in lower case, letters and
 * apostrophes only (the speller's alphabet), or '' when nothing is left.
 */
export function guessSpelling(word: DecodedWord): string {
  return bareWord(word)
    .toLowerCase()
    .replace(/[^a-z']/g, '');
}

/**
 * What a spelled guess offers to Settings → Pronunciations: the bare word and the phonemes heard, the line
 * `spelling PH PH`; null for any other word (or a guess with no letters left).
 */
export function pronunciationOffer(word: DecodedWord): { spelling: string; phonemes: string; line: string } | null {
  if (!word.guess || !word.phonemes) return null;
  const spelling = guessSpelling(word);
  return spelling === '' ? null : { spelling, phonemes: word.phonemes, line: `${spelling} ${word.phonemes}` };
}

/** The user's pronunciations with `line` added at the end, or null when it is already one of them. */
export function withPronunciation(userLexicon: string, line: string): string | null {
  if (userLexicon.split(/\r?\n/).some((l) => l.trim().replace(/\s+/g, ' ') === line)) return null;
  return userLexicon.trimEnd() === '' ? `${line}\n` : `${userLexicon.trimEnd()}\n${line}\n`;
}

function trimPunctuation(text: string): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && !WORD_EDGE.test(chars[start])) start++;
  while (end > start && !WORD_EDGE.test(chars[end - 1])) end--;
  return start === end ? text : chars.slice(start, end).join('');
}

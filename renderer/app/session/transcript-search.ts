/**
 * Finding text in the transcript: case-insensitive, across word boundaries inside a segment
 * ("sat on" matches two words). A match is reported as the range of words it touches, which is
 * what the view highlights. Pure, for Node tests.
 */
import type { Segment } from '../../worker/protocol';

export interface SearchMatch {
  segmentId: number;
  /** First and last word (inclusive) the match touches. */
  firstWord: number;
  lastWord: number;
}

export function findMatches(segments: readonly Segment[], query: string): SearchMatch[] {
  const needle = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (needle === '') return [];
  const matches: SearchMatch[] = [];
  for (const segment of segments) {
    // rebuild the text from the words so character offsets map back to word indices exactly
    const starts: number[] = [];
    let text = '';
    segment.words.forEach((w, i) => {
      if (i > 0) text += ' ';
      starts.push(text.length);
      text += w.word.toLowerCase();
    });
    let from = 0;
    for (;;) {
      const at = text.indexOf(needle, from);
      if (at < 0) break;
      const end = at + needle.length - 1;
      matches.push({ segmentId: segment.id, firstWord: wordAt(starts, at), lastWord: wordAt(starts, end) });
      from = at + Math.max(1, needle.length);
    }
  }
  return matches;
}

/** Index of the word containing character `offset` (a space counts to the word before it). */
function wordAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

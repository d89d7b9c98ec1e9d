/**
 * What the live caption under the spectrogram shows: the newest words of the partial (a caption
 * must show its end, not its beginning), the word still being spoken marked tentative. No DOM here
 * (live-caption.ts renders it), so Node tests cover it.
 */
import type { Segment } from '../../worker/protocol';

export interface CaptionPiece {
  text: string;
  tentative: boolean;
}

/** The newest words of `partial` that fit in about `maxChars`, and whether older ones were left out. */
export function captionPieces(partial: Segment, maxChars = 110): { cut: boolean; pieces: CaptionPiece[] } {
  const words: CaptionPiece[] = partial.words.length > 0
    ? partial.words.map((w) => ({ text: w.word, tentative: w.tentative === true }))
    : partial.text.split(/\s+/).filter((t) => t !== '').map((text) => ({ text, tentative: false }));
  let chars = 0;
  let first = words.length;
  while (first > 0) {
    const add = words[first - 1].text.length + (first === words.length ? 0 : 1); // a space before all but the last
    if (first < words.length && chars + add > maxChars) break; // the newest word is always shown
    chars += add;
    first--;
  }
  return { cut: first > 0, pieces: words.slice(first) };
}

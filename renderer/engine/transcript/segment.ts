import { joinWords, type DecodeResult, type DecodedWord } from '../decoding/decode-result';

/** One stretch of transcript between two endpoints. Times in seconds from the start of the stream. */
export interface Segment {
  /** Increasing from 0 within a Transcript; a partial keeps the id its final will get. */
  id: number;
  start: number;
  end: number;
  text: string;
  words: DecodedWord[];
  /** false while the segment is the greyed partial that may still change. */
  final: boolean;
}

/**
 * A segment built from a decoder result; null when the result has no words. A final segment never
 * keeps a tentative word (a word still being spoken, which only partials show).
 */
export function segmentFromResult(id: number, result: DecodeResult, final: boolean): Segment | null {
  const words = final ? result.words.filter((w) => !w.tentative) : result.words;
  if (words.length === 0) return null;
  return {
    id,
    start: words[0].start,
    end: words[words.length - 1].end,
    text: words.length === result.words.length ? result.text : joinWords(words),
    words,
    final,
  };
}

/**
 * What exports and saved transcripts hold: the segments without tentative words (the text rebuilt
 * from the words that are left; a segment with nothing left is dropped). Segments without
 * tentative words, final ones always, are passed through as they are, edited text included.
 */
export function settledSegments(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (!s.words.some((w) => w.tentative)) {
      out.push(s);
      continue;
    }
    const words = s.words.filter((w) => !w.tentative);
    if (words.length > 0) out.push({ ...s, words, text: joinWords(words), end: words[words.length - 1].end });
  }
  return out;
}

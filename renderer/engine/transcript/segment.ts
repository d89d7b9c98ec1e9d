import type { DecodeResult, DecodedWord } from '../decoding/decode-result';

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

/** A segment built from a decoder result; null when the result has no words. */
export function segmentFromResult(id: number, result: DecodeResult, final: boolean): Segment | null {
  if (result.words.length === 0) return null;
  return {
    id,
    start: result.words[0].start,
    end: result.words[result.words.length - 1].end,
    text: result.text,
    words: result.words,
    final,
  };
}

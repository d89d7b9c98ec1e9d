/**
 * Puts a stream's segments on the session's timeline: a stream counts time and segment ids from 0,
 * a session holds many streams (each Start/Stop run, each imported file, each live model swap).
 */
import type { Segment } from '../engine';

/** The segment with times shifted by `offsetSeconds` and its id by `idBase`; words are shifted too. */
export function placeSegment(segment: Segment, offsetSeconds: number, idBase: number): Segment {
  if (offsetSeconds === 0 && idBase === 0) return segment;
  return {
    ...segment,
    id: segment.id + idBase,
    start: segment.start + offsetSeconds,
    end: segment.end + offsetSeconds,
    words: segment.words.map((w) => ({ ...w, start: w.start + offsetSeconds, end: w.end + offsetSeconds })),
  };
}

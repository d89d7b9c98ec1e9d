import type { DecodeResult } from '../decoding/decode-result';
import { segmentFromResult, type Segment } from './segment';

/** What changed after one push: segments that became final (in order), and the current partial. */
export interface TranscriptUpdate {
  finals: Segment[];
  partial: Segment | null;
}

/**
 * The transcript of one stream: final segments (never change again) plus at most one partial
 * (the utterance being decoded). Pure state; the Transcriber drives it.
 */
export class Transcript {
  private readonly finalSegments: Segment[] = [];
  private current: Segment | null = null;

  get finals(): readonly Segment[] {
    return this.finalSegments;
  }

  get partial(): Segment | null {
    return this.current;
  }

  /** Replaces the partial with the decoder's current best (null when it has no words). */
  setPartial(result: DecodeResult): Segment | null {
    this.current = segmentFromResult(this.finalSegments.length, result, false);
    return this.current;
  }

  /** Appends a final segment from the decoder's finalized result and clears the partial. Null when empty. */
  commit(result: DecodeResult): Segment | null {
    this.current = null;
    const segment = segmentFromResult(this.finalSegments.length, result, true);
    if (segment !== null) this.finalSegments.push(segment);
    return segment;
  }

  /** Drops the partial (noise or silence that produced nothing worth keeping). */
  discardPartial(): void {
    this.current = null;
  }

  /** Finals then the partial, if any. */
  segments(): Segment[] {
    return this.current ? [...this.finalSegments, this.current] : [...this.finalSegments];
  }

  /** Plain text: one line per segment, the partial included. */
  text(): string {
    return this.segments()
      .map((s) => s.text)
      .join('\n');
  }

  clear(): void {
    this.finalSegments.length = 0;
    this.current = null;
  }
}

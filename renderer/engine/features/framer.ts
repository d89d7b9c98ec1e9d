/**
 * Cuts a stream of samples into overlapping analysis windows.
 *
 * Window k covers samples [k·hopSize, k·hopSize + windowSize). The first window starts at sample 0
 * (no padding), so N samples give floor((N - windowSize) / hopSize) + 1 windows once N ≥ windowSize.
 * Samples are buffered across `push` calls: the windows do not depend on block sizes.
 */
export class Framer {
  private buffer: Float32Array;
  private filled = 0; // valid samples at the start of `buffer`

  constructor(
    readonly windowSize: number,
    readonly hopSize: number,
  ) {
    if (!(windowSize > 0 && hopSize > 0 && hopSize <= windowSize)) {
      throw new Error(`Framer: need 0 < hopSize (${hopSize}) ≤ windowSize (${windowSize})`);
    }
    this.buffer = new Float32Array(windowSize * 4);
  }

  /** Appends samples; returns every window completed by them (each a fresh Float32Array of windowSize). */
  push(samples: Float32Array): Float32Array[] {
    const frames: Float32Array[] = [];
    this.forEachWindow(samples, (w) => frames.push(w.slice()));
    return frames;
  }

  /**
   * Appends samples and calls `visit` with each window they complete, in order, as a view into the
   * framer's buffer: valid only during the call (copy it to keep it). No allocation per window.
   */
  forEachWindow(samples: Float32Array, visit: (window: Float32Array) => void): void {
    let offset = 0;
    while (offset < samples.length) {
      const room = this.buffer.length - this.filled;
      const n = Math.min(room, samples.length - offset);
      this.buffer.set(samples.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      let start = 0;
      while (this.filled - start >= this.windowSize) {
        visit(this.buffer.subarray(start, start + this.windowSize));
        start += this.hopSize;
      }
      // keep the unconsumed tail (start may exceed filled only if hop > remaining; clamp)
      const keep = Math.max(0, this.filled - start);
      this.buffer.copyWithin(0, this.filled - keep, this.filled);
      this.filled = keep;
    }
  }

  reset(): void {
    this.filled = 0;
  }
}

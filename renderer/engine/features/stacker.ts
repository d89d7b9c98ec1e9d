/**
 * Frame stacking and striding: what one RNN step consumes.
 *
 * Step t concatenates feature frames [t·stride, t·stride + frames) in time order, so the RNN runs at
 * 1/stride of the feature rate with `frames × featureSize` inputs (e.g. 3 frames of 40 log-mels,
 * stride 3: 33 steps/s of 120 values). The trainer does the same with a reshape, so the layouts agree.
 */
export class Stacker {
  private readonly pending: Float32Array[] = [];
  private nextStart = 0; // index (in the stream) of the first frame of the next step
  private seen = 0; // frames received so far

  constructor(
    readonly frames: number,
    readonly stride: number,
    readonly featureSize: number,
  ) {
    if (!(frames >= 1 && stride >= 1))
      throw new Error(`Stacker: frames (${frames}) and stride (${stride}) must be ≥ 1`);
  }

  get stepSize(): number {
    return this.frames * this.featureSize;
  }

  /** Adds feature frames; returns the completed steps, each frames × featureSize values. */
  push(features: Float32Array[]): Float32Array[] {
    const steps: Float32Array[] = [];
    for (const f of features) {
      this.pending.push(f);
      this.seen++;
      // pending[0] is frame (seen - pending.length)
      while (this.seen >= this.nextStart + this.frames) {
        const base = this.seen - this.pending.length;
        const step = new Float32Array(this.stepSize);
        for (let k = 0; k < this.frames; k++) step.set(this.pending[this.nextStart - base + k], k * this.featureSize);
        steps.push(step);
        this.nextStart += this.stride;
        // drop frames no later step needs
        const drop = Math.min(this.pending.length, this.nextStart - base);
        if (drop > 0) this.pending.splice(0, drop);
      }
    }
    return steps;
  }

  reset(): void {
    this.pending.length = 0;
    this.nextStart = 0;
    this.seen = 0;
  }
}

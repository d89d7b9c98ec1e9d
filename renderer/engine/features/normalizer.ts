import type { FeatureSpec } from '../../../models/package/model-spec';

/**
 * Feature normalisation, one instance per stream: x' = (x - m) / std.
 *
 * - Global (no `running` in the spec): m is the training set's mean, fixed.
 * - Running (`running: { priorFrames: P, windowFrames: W }`): per-stream cepstral-mean-style
 *   normalisation that follows the level and channel of this stream. m starts at the stored mean,
 *   counted as P frames of evidence, and after the n-th frame x_n
 *
 *       m_n = m_{n-1} + (x_n - m_{n-1}) / (P + min(n, W))
 *
 *   For n <= W that is exactly the mean of the prior and the frames so far,
 *   (P·mean + x_1 + … + x_n) / (P + n); after W frames it is an exponential average with time
 *   constant P + W frames, so a long stream keeps following its channel. The current frame is
 *   included (no look-ahead). std stays the stored one. The recipe's `models/recipe/cmn.py` computes
 *   the same recurrence for training batches (a parity test checks they agree).
 *
 * A zero std (a mel band that is always empty) maps to 0 instead of dividing by zero.
 */
export class Normalizer {
  private readonly prior: Float32Array;
  private readonly mean: Float32Array;
  private readonly invStd: Float32Array;
  private readonly priorFrames: number;
  private readonly windowFrames: number;
  private readonly running: boolean;
  private frames = 0;

  constructor(normalization: FeatureSpec['normalization'], size: number) {
    this.prior = new Float32Array(size);
    this.invStd = new Float32Array(size).fill(1);
    this.running = false;
    this.priorFrames = 0;
    this.windowFrames = 0;
    if (normalization) {
      if (normalization.mean.length !== size || normalization.std.length !== size) {
        throw new Error(
          `Normalizer: mean/std have ${normalization.mean.length}/${normalization.std.length} values, features have ${size}`,
        );
      }
      for (let i = 0; i < size; i++) {
        this.prior[i] = normalization.mean[i];
        const s = normalization.std[i];
        this.invStd[i] = s > 1e-8 ? 1 / s : 0;
      }
      if (normalization.running) {
        this.running = true;
        this.priorFrames = normalization.running.priorFrames;
        this.windowFrames = normalization.running.windowFrames;
      }
    }
    this.mean = Float32Array.from(this.prior);
  }

  /** The mean now subtracted (a copy): the stored mean, or the stream's running estimate. */
  get currentMean(): Float32Array {
    return Float32Array.from(this.mean);
  }

  /** Normalises in place and returns the same array. */
  apply(x: Float32Array): Float32Array {
    const m = this.mean;
    if (this.running) {
      this.frames++;
      const rate = 1 / (this.priorFrames + Math.min(this.frames, this.windowFrames));
      for (let i = 0; i < x.length; i++) m[i] += (x[i] - m[i]) * rate;
    }
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - m[i]) * this.invStd[i];
    return x;
  }

  /** A new stream: the running mean goes back to the stored one. */
  reset(): void {
    this.mean.set(this.prior);
    this.frames = 0;
  }
}

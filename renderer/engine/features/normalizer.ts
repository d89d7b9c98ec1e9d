import type { FeatureSpec } from '../../../models/package/model-spec';

/**
 * Per-dimension standardisation with the training set's statistics: x' = (x - mean) / std.
 * A zero std (a mel band that is always empty) maps to 0 instead of dividing by zero.
 */
export class Normalizer {
  private readonly mean: Float32Array;
  private readonly invStd: Float32Array;

  constructor(normalization: FeatureSpec['normalization'], size: number) {
    this.mean = new Float32Array(size);
    this.invStd = new Float32Array(size).fill(1);
    if (normalization) {
      if (normalization.mean.length !== size || normalization.std.length !== size) {
        throw new Error(`Normalizer: mean/std have ${normalization.mean.length}/${normalization.std.length} values, features have ${size}`);
      }
      for (let i = 0; i < size; i++) {
        this.mean[i] = normalization.mean[i];
        const s = normalization.std[i];
        this.invStd[i] = s > 1e-8 ? 1 / s : 0;
      }
    }
  }

  /** Normalises in place and returns the same array. */
  apply(x: Float32Array): Float32Array {
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - this.mean[i]) * this.invStd[i];
    return x;
  }
}

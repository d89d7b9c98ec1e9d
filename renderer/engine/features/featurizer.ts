import type { FeatureSpec } from '../../../models/package/model-spec';
import { Dither } from './dither';
import { Framer } from './framer';
import { extractFeatures, featureSize } from './log-mel';
import { PreEmphasis } from './sphinx-mfcc';

/**
 * The app's one featurizer: samples (at spec.sampleRate, in [-1, 1]) → feature vectors ("tokens"),
 * 1 per hopSize samples. Used by the live pipeline, the CLI, and the training recipe's feature dump,
 * so that training and inference see exactly the same numbers. Normalisation is a separate stage
 * (the dump stores raw features; the model package carries the statistics).
 */
export class Featurizer {
  private readonly framer: Framer;
  private readonly dither: Dither;
  private readonly preEmphasis: PreEmphasis;
  /** samples × inputScale, dithered: reused across push() calls. */
  private scaled = new Float32Array(0);
  readonly size: number;

  constructor(readonly spec: FeatureSpec) {
    this.framer = new Framer(spec.windowSize, spec.hopSize);
    this.dither = new Dither(spec.dither);
    this.preEmphasis = new PreEmphasis(spec.preEmphasis ?? 0);
    this.size = featureSize(spec);
  }

  /** Seconds of audio between consecutive feature vectors. */
  get hopSeconds(): number {
    return this.spec.hopSize / this.spec.sampleRate;
  }

  /**
   * Appends samples (any block size); returns the feature vectors of every window they complete
   * (fresh arrays, the caller's to keep). Scaling and framing reuse buffers: the feature vectors
   * are the only allocation per window.
   */
  push(samples: Float32Array): Float32Array[] {
    if (this.scaled.length < samples.length)
      this.scaled = new Float32Array(Math.max(samples.length, 2 * this.scaled.length));
    const scaled = this.scaled.subarray(0, samples.length);
    const k = this.spec.inputScale;
    for (let i = 0; i < samples.length; i++) scaled[i] = samples[i] * k;
    this.dither.apply(scaled);
    this.preEmphasis.apply(scaled);
    const features: Float32Array[] = [];
    this.framer.forEachWindow(scaled, (w) => features.push(extractFeatures(this.spec, w)));
    return features;
  }

  reset(): void {
    this.framer.reset();
    this.dither.reset();
    this.preEmphasis.reset();
  }
}

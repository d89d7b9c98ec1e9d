import Meyda from 'meyda';
import type { FeatureSpec } from '../../../models/package/model-spec';

/**
 * One analysis window → one feature vector (a "token"), computed by meyda.
 *
 * - 'logmel': meyda's `melBands`: log(1 + Σ_k mel_b(k)·|X(k)|²) for each of nMels triangular filters.
 *   Samples are scaled by `inputScale` first (32768: int16 units), so that the +1 inside the log only
 *   matters well below the dither floor.
 * - 'mfcc': meyda's `mfcc`: the DCT of the same log-mel vector, first nMfcc coefficients.
 *
 * meyda keeps its settings in one shared object; `configure` sets all of them before every call, and
 * drops its cached filter bank whenever the spec changes (meyda only notices a change of size).
 */
let lastConfigKey = '';

function configure(spec: FeatureSpec): void {
  const key = `${spec.sampleRate}/${spec.windowSize}/${spec.nMels}/${spec.nMfcc ?? 0}/${spec.windowing}`;
  const m = Meyda as unknown as Record<string, unknown>;
  if (key !== lastConfigKey) {
    m.melFilterBank = undefined;
    m.barkScale = undefined;
    lastConfigKey = key;
  }
  m.bufferSize = spec.windowSize;
  m.sampleRate = spec.sampleRate;
  m.melBands = spec.nMels;
  m.numberOfMFCCCoefficients = spec.nMfcc ?? 13;
  m.windowingFunction = spec.windowing;
}

/** Size of the vector `extractFeatures` returns for this spec. */
export function featureSize(spec: FeatureSpec): number {
  return spec.type === 'mfcc' ? (spec.nMfcc ?? 13) : spec.nMels;
}

/**
 * Features of one window of `spec.windowSize` samples, already scaled and dithered.
 * Returns a Float32Array of featureSize(spec).
 */
export function extractFeatures(spec: FeatureSpec, window: Float32Array): Float32Array {
  if (window.length !== spec.windowSize) {
    throw new Error(`extractFeatures: window has ${window.length} samples, the spec says ${spec.windowSize}`);
  }
  configure(spec);
  const name = spec.type === 'mfcc' ? 'mfcc' : 'melBands';
  const out = Meyda.extract(name as 'mfcc', window) as unknown as ArrayLike<number> | null;
  if (!out) throw new Error(`meyda returned no ${name} features`);
  return Float32Array.from(out);
}

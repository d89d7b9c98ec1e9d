import Meyda from 'meyda';
import type { FeatureSpec } from '../../../models/package/model-spec';
import { sphinxMfcc } from './sphinx-mfcc';

/**
 * One analysis window → one feature vector (a "token"), computed by meyda.
 *
 * - 'logmel': meyda's `melBands`: log(1 + Σ_k mel_b(k)·|X(k)|²) for each of nMels triangular filters.
 *   Samples are scaled by `inputScale` first (32768: int16 units), so that the +1 inside the log only
 *   matters well below the dither floor.
 * - 'mfcc': meyda's `mfcc`: the DCT of the same log-mel vector, first nMfcc coefficients.
 * - 'sphinx-mfcc': PocketSphinx's cepstra from meyda's power spectrum (sphinx-mfcc.ts).
 *
 * meyda keeps its settings in one shared object; `configure` sets all of them before every call, and
 * drops its cached filter bank whenever the spec changes (meyda only notices a change of size).
 */
let lastConfigKey = '';

/**
 * meyda's own mel filter bank (Meyda.melFilterBank, built by meyda for the current spec), stored as
 * the non-zero span of each triangle: meyda's melBands loops over all bufferSize/2 bins and adds
 * float32-rounded products, most of them exact zeros; skipping the zeros and rounding the same way
 * gives bit-identical values 3-4 times faster (the FFT then dominates). A test checks the identity.
 */
interface SparseBank {
  start: Int32Array;
  end: Int32Array;
  weights: Float64Array[];
}
let sparseBank: SparseBank | null = null;

function sparseMelBank(spec: FeatureSpec, window: Float32Array): SparseBank {
  if (sparseBank) return sparseBank;
  // meyda builds its filter bank inside extract(): one call, once per spec
  if ((Meyda as unknown as { melFilterBank?: unknown }).melFilterBank === undefined)
    Meyda.extract('amplitudeSpectrum', window);
  const bank = (Meyda as unknown as { melFilterBank: number[][] }).melFilterBank;
  const half = spec.windowSize / 2;
  const n = bank.length;
  const start = new Int32Array(n),
    end = new Int32Array(n);
  const weights: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    let a = 0,
      b = 0;
    for (let j = 0; j < half; j++)
      if (bank[i][j] !== 0) {
        if (b === 0) a = j;
        b = j + 1;
      }
    start[i] = a;
    end[i] = b;
    weights.push(Float64Array.from(bank[i].slice(a, b)));
  }
  sparseBank = { start, end, weights };
  return sparseBank;
}

function configure(spec: FeatureSpec): void {
  const key = `${spec.sampleRate}/${spec.windowSize}/${spec.nMels}/${spec.nMfcc ?? 0}/${spec.windowing}`;
  const m = Meyda as unknown as Record<string, unknown>;
  if (key !== lastConfigKey) {
    m.melFilterBank = undefined;
    m.barkScale = undefined;
    sparseBank = null;
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
  return spec.type === 'logmel' ? spec.nMels : (spec.nMfcc ?? 13);
}

/**
 * Features of one window of `spec.windowSize` samples, already scaled and dithered.
 * Returns a Float32Array of featureSize(spec).
 */
export function extractFeatures(spec: FeatureSpec, window: Float32Array): Float32Array {
  if (window.length !== spec.windowSize) {
    throw new Error(`extractFeatures: window has ${window.length} samples, the spec says ${spec.windowSize}`);
  }
  if (spec.type === 'sphinx-mfcc') return sphinxMfcc(spec, window);
  configure(spec);
  if (spec.type === 'logmel') return melBands(spec, window);
  const name = 'mfcc';
  const out = Meyda.extract(name, window) as unknown as ArrayLike<number> | null;
  if (!out) throw new Error(`meyda returned no ${name} features`);
  return Float32Array.from(out);
}

/**
 * meyda's melBands, log(1 + Σ_j fround(bank[i][j] · fround(amp[j]²))) with float32 accumulation, on its non-zero bins.
 */
function melBands(spec: FeatureSpec, window: Float32Array): Float32Array {
  const bank = sparseMelBank(spec, window);
  // meyda does the signal processing of every frame: window, FFT, |X(k)|
  const amp = Meyda.extract('amplitudeSpectrum', window) as unknown as Float32Array;
  const fr = Math.fround;
  const out = new Float32Array(bank.weights.length);
  for (let i = 0; i < out.length; i++) {
    const w = bank.weights[i];
    const a = bank.start[i];
    let acc = 0;
    for (let j = 0; j < w.length; j++) acc = fr(acc + fr(w[j] * fr(Math.pow(amp[a + j], 2))));
    out[i] = Math.log(acc + 1);
  }
  return out;
}

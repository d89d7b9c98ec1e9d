import Meyda from 'meyda';
import type { FeatureSpec } from '../../../models/package/model-spec';

/**
 * 'sphinx-mfcc': the cepstra of PocketSphinx's front end (sphinxbase `fe`, as configured by the
 * en-us model's feat.params), so that features generated from PocketSphinx's acoustic model
 * (models/recipe/gmm_gen/) and features of real audio live in the same space.
 *
 * Per window of `windowSize` samples (410 = 25.625 ms at 16 kHz), already pre-emphasised by the
 * featurizer (y[n] = x[n] - preEmphasis·x[n-1], over the stream):
 *   1. Hamming window 0.54 - 0.46·cos(2πn/(N-1)), zero-padded to `fftSize` (512);
 *   2. power spectrum |X(k)|² by meyda (rectangular window: the Hamming is already applied);
 *   3. `nMels` (25) triangular filters evenly spaced on the mel scale 2595·log10(1 + f/700) from
 *      `lowFreq` to `highFreq` (130-6800 Hz), edges rounded to the nearest FFT bin, each of unit area
 *      (peak 2 / (right - left) Hz) — sphinxbase's defaults round_filters and unit_area;
 *   4. natural log of (energy + 1e-4), as sphinxbase does (digital silence stays finite);
 *   5. orthonormal DCT-II to `nMfcc` (13) coefficients (sphinxbase's `-transform dct`), then the
 *      sinusoidal lifter c_i · (1 + L/2 · sin(πi/L)), L = `lifter` (22).
 * No CMN: the output is the raw cepstrum; normalisation is the Normalizer's job.
 * The test test/renderer/engine/features/sphinx-mfcc.test.ts compares it with sphinx_fe.
 */

/**
 * Added to every filter energy before the log, as sphinx_fe does: measured, digital silence gives
 * c0 = 5·ln(1e-4) there, and log(e + 1e-4) matches sphinx_fe on near-silent frames where a floor
 * max(e, 1e-4) does not.
 */
const ENERGY_OFFSET = 1e-4;

interface Bank {
  key: string;
  hamming: Float64Array;
  padded: Float32Array;
  start: Int32Array;
  weights: Float64Array[];
  /** dct[i · nMels + j]: orthonormal DCT-II basis × lifter weight. */
  dct: Float64Array;
}
let bank: Bank | null = null;

const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melInv = (m: number) => 700 * (Math.pow(10, m / 2595) - 1);

function build(spec: FeatureSpec): Bank {
  const fftSize = spec.fftSize as number;
  const nMels = spec.nMels,
    nCep = spec.nMfcc as number,
    lifter = spec.lifter ?? 0;
  const key = `${spec.sampleRate}/${spec.windowSize}/${fftSize}/${nMels}/${nCep}/${spec.lowFreq}/${spec.highFreq}/${lifter}`;
  if (bank && bank.key === key) return bank;
  const N = spec.windowSize;
  const hamming = new Float64Array(N);
  for (let n = 0; n < N; n++) hamming[n] = 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (N - 1));
  // filter edges: nMels + 2 points evenly spaced in mel, rounded to FFT bins
  const binHz = spec.sampleRate / fftSize;
  const lo = mel(spec.lowFreq as number),
    hi = mel(spec.highFreq as number);
  const step = (hi - lo) / (nMels + 1);
  const start = new Int32Array(nMels);
  const weights: Float64Array[] = [];
  const half = fftSize / 2;
  for (let i = 0; i < nMels; i++) {
    const [left, centre, right] = [0, 1, 2].map((j) => Math.floor(melInv(lo + (i + j) * step) / binHz + 0.5) * binHz);
    const height = 2 / (right - left);
    const w: number[] = [];
    let first = -1;
    for (let k = 0; k < half; k++) {
      const hz = k * binHz;
      if (hz < left) continue;
      if (hz > right) break;
      if (first < 0) first = k;
      const up = (hz - left) / (centre - left),
        down = (right - hz) / (right - centre);
      w.push(height * Math.max(0, Math.min(up, down)));
    }
    start[i] = Math.max(first, 0);
    weights.push(Float64Array.from(w));
  }
  const dct = new Float64Array(nCep * nMels);
  for (let i = 0; i < nCep; i++) {
    const norm = Math.sqrt((i === 0 ? 1 : 2) / nMels);
    const lift = lifter > 0 ? 1 + (lifter / 2) * Math.sin((Math.PI * i) / lifter) : 1;
    for (let j = 0; j < nMels; j++) dct[i * nMels + j] = norm * lift * Math.cos((Math.PI * i * (j + 0.5)) / nMels);
  }
  bank = { key, hamming, padded: new Float32Array(fftSize), start, weights, dct };
  return bank;
}

/** Cepstra of one pre-emphasised window of spec.windowSize samples (scaled, dithered): nMfcc values. */
export function sphinxMfcc(spec: FeatureSpec, window: Float32Array): Float32Array {
  const b = build(spec);
  const N = spec.windowSize;
  for (let n = 0; n < N; n++) b.padded[n] = window[n] * b.hamming[n]; // the rest of `padded` stays 0
  const m = Meyda as unknown as Record<string, unknown>;
  m.bufferSize = spec.fftSize;
  m.sampleRate = spec.sampleRate;
  m.windowingFunction = 'rect';
  const power = Meyda.extract('powerSpectrum', b.padded) as unknown as Float32Array;
  const nMels = b.weights.length;
  const logMel = new Float64Array(nMels);
  for (let i = 0; i < nMels; i++) {
    const w = b.weights[i],
      a = b.start[i];
    let acc = 0;
    for (let j = 0; j < w.length; j++) acc += w[j] * power[a + j];
    logMel[i] = Math.log(acc + ENERGY_OFFSET);
  }
  const nCep = spec.nMfcc as number;
  const out = new Float32Array(nCep);
  for (let i = 0; i < nCep; i++) {
    let s = 0;
    for (let j = 0; j < nMels; j++) s += b.dct[i * nMels + j] * logMel[j];
    out[i] = s;
  }
  return out;
}

/**
 * Pre-emphasis over a stream: y[n] = x[n] - alpha·x[n-1], with x[-1] = 0 at the start (and after
 * reset), whatever the block sizes.
 */
export class PreEmphasis {
  private prior = 0;

  constructor(private readonly alpha: number) {}

  /** Filters `samples` in place and returns it. */
  apply(samples: Float32Array): Float32Array {
    if (this.alpha === 0) return samples;
    let prev = this.prior;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i];
      samples[i] = x - this.alpha * prev;
      prev = x;
    }
    this.prior = prev;
    return samples;
  }

  reset(): void {
    this.prior = 0;
  }
}

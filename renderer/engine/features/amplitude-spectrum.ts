import Meyda from 'meyda';

/**
 * meyda's amplitude spectrum (window, radix-2 FFT, |X(k)| for k < N/2), bit for bit, without its
 * per-call garbage.
 *
 * meyda (through its bundled fftjs) windows into a fresh array, copies it twice, reorders it
 * through a lookup object and allocates three small objects per butterfly: ~40 KB of garbage per
 * 512-sample window, 100 windows a second. This class runs the same double-precision operations in
 * the same order on buffers allocated once:
 *   x[i] = s[i]·w[i] (meyda's window values), bit-reversed into re (im = 0);
 *   stage n = 1..log2 N, span L = 2^n, twiddle t_k = (cos θ, sin θ) with θ = -2π·k / L;
 *   odd' = t_k·x[odd], x[odd] = x[even] − odd', x[even] = odd' + x[even];
 *   |X(k)| = sqrt(re² + im²) rounded to float32.
 * test/renderer/engine/features/amplitude-spectrum.test.ts checks the identity with meyda.
 */
export class AmplitudeSpectrum {
  private readonly window: Float64Array;
  private readonly reversed: Int32Array;
  /** cos θ and sin θ of every (stage, k), stage by stage: N − 1 pairs. */
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly out: Float32Array;

  constructor(readonly size: number, windowing: 'hanning' | 'hamming') {
    if (!(size >= 2 && (size & (size - 1)) === 0)) throw new Error(`AmplitudeSpectrum: size ${size} is not a power of two ≥ 2`);
    // meyda's own window coefficients (its windowing of a signal of ones)
    const ones = new Float32Array(size).fill(1);
    this.window = Float64Array.from((Meyda as unknown as { windowing(s: Float32Array, name: string): number[] }).windowing(ones, windowing));
    const bits = Math.log2(size);
    this.reversed = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
    this.twiddleRe = new Float64Array(size);
    this.twiddleIm = new Float64Array(size);
    let t = 0;
    for (let span = 2; span <= size; span *= 2) {
      for (let k = 0; k < span / 2; k++, t++) {
        const x = (-2 * Math.PI * k) / span;   // fftjs's euler(k, span), same expression
        this.twiddleRe[t] = Math.cos(x);
        this.twiddleIm[t] = Math.sin(x);
      }
    }
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
    this.out = new Float32Array(size / 2);
  }

  /**
   * |FFT(window · signal)| for bins 0 … size/2 − 1. The returned array is reused by the next call.
   * `signal` must hold `size` samples.
   */
  compute(signal: Float32Array): Float32Array {
    const { size: N, re, im, window, reversed, twiddleRe, twiddleIm } = this;
    if (signal.length !== N) throw new Error(`AmplitudeSpectrum: ${signal.length} samples, expected ${N}`);
    for (let i = 0; i < N; i++) {
      re[reversed[i]] = signal[i] * window[i];
      im[i] = 0;
    }
    let t = 0;
    for (let span = 2; span <= N; span *= 2) {
      const half = span / 2;
      for (let k = 0; k < half; k++, t++) {
        const wr = twiddleRe[t];
        const wi = twiddleIm[t];
        for (let e = k; e < N; e += span) {
          const o = e + half;
          const oddRe = wr * re[o] - wi * im[o];
          const oddIm = wr * im[o] + wi * re[o];
          const evenRe = re[e];
          const evenIm = im[e];
          re[o] = evenRe - oddRe;
          im[o] = evenIm - oddIm;
          re[e] = oddRe + evenRe;
          im[e] = oddIm + evenIm;
        }
      }
    }
    const out = this.out;
    for (let k = 0; k < N / 2; k++) out[k] = Math.sqrt(Math.pow(re[k], 2) + Math.pow(im[k], 2));
    return out;
  }
}

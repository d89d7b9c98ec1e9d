/** Largest conversion ratio either way: 768 kHz → 1 kHz, with room. */
export const MAX_RATIO = 1024;

/**
 * Streaming sample-rate conversion by windowed-sinc interpolation (Blackman window, cut-off at
 * 0.95 of the lower Nyquist, so downsampling does not alias).
 *
 * Output sample j sits at input time j·(inRate/outRate). Input is buffered across calls and output
 * sample j is computed only once all the taps it needs have arrived, so the output does not depend
 * on block sizes. `flush()` treats the stream as ended (zeros after the last sample).
 */
export class Resampler {
  private readonly ratio: number; // input samples per output sample
  private readonly halfTaps: number; // taps each side of the centre, in input samples
  private readonly cutoff: number; // cycles per input sample
  private buffer = new Float32Array(0);
  private bufferStart = 0; // stream index of buffer[0]
  private received = 0; // input samples received
  private produced = 0; // output samples produced
  // Polyphase table for rational ratios: output j's fractional position repeats every `phases` outputs.
  private readonly phases: number;
  private readonly table: Float32Array | null; // phases × (2·halfTaps + 2) tap weights

  constructor(
    readonly inRate: number,
    readonly outRate: number,
    zeroCrossings = 16,
  ) {
    // Beyond these, one output sample needs a huge number of taps (or one input sample makes a
    // huge number of outputs): a corrupt rate, and a hang if it were allowed.
    if (!(Number.isFinite(inRate) && inRate > 0 && Number.isFinite(outRate) && outRate > 0)) {
      throw new RangeError(`Resampler: sample rates must be finite and positive, got ${inRate} → ${outRate} Hz`);
    }
    if (inRate / outRate > MAX_RATIO || outRate / inRate > MAX_RATIO) {
      throw new RangeError(`Resampler: ${inRate} → ${outRate} Hz is a ratio beyond ${MAX_RATIO}:1`);
    }
    this.ratio = inRate / outRate;
    this.cutoff = 0.5 * Math.min(1, outRate / inRate) * 0.95;
    this.halfTaps = Math.ceil(zeroCrossings / (2 * this.cutoff));
    const g = gcd(inRate, outRate);
    this.phases = outRate / g;
    this.table = null;
    if (Number.isInteger(inRate) && Number.isInteger(outRate) && this.phases <= 4096) {
      const width = 2 * this.halfTaps + 2;
      const table = new Float32Array(this.phases * width);
      for (let ph = 0; ph < this.phases; ph++) {
        const centre = ph * this.ratio;
        const first = Math.ceil(centre) - this.halfTaps;
        const last = Math.floor(centre) + this.halfTaps;
        for (let i = first; i <= last; i++) table[ph * width + (i - first)] = this.weight(i - centre);
      }
      this.table = table;
    }
  }

  /** Windowed-sinc tap weight at distance d (input samples) from the output's position. */
  private weight(d: number): number {
    const x = 2 * this.cutoff * d;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w =
      0.42 +
      0.5 * Math.cos((Math.PI * d) / (this.halfTaps + 1)) +
      0.08 * Math.cos((2 * Math.PI * d) / (this.halfTaps + 1));
    return sinc * w * 2 * this.cutoff;
  }

  get identity(): boolean {
    return this.inRate === this.outRate;
  }

  push(samples: Float32Array): Float32Array {
    if (this.identity) return samples;
    const merged = new Float32Array(this.buffer.length + samples.length);
    merged.set(this.buffer);
    merged.set(samples, this.buffer.length);
    this.buffer = merged;
    this.received += samples.length;
    return this.drain(false);
  }

  flush(): Float32Array {
    if (this.identity) return new Float32Array(0);
    return this.drain(true);
  }

  reset(): void {
    this.buffer = new Float32Array(0);
    this.bufferStart = 0;
    this.received = 0;
    this.produced = 0;
  }

  private drain(final: boolean): Float32Array {
    const out: number[] = [];
    const totalOut = final ? Math.floor(this.received / this.ratio) : Infinity;
    for (;;) {
      const j = this.produced;
      if (j >= totalOut) break;
      const centre = j * this.ratio;
      const last = Math.floor(centre) + this.halfTaps;
      if (!final && last >= this.received) break;
      const first = Math.ceil(centre) - this.halfTaps;
      let acc = 0;
      if (this.table) {
        const width = 2 * this.halfTaps + 2;
        const row = (j % this.phases) * width;
        for (let i = first; i <= last; i++) {
          if (i < 0 || i >= this.received) continue;
          acc += this.buffer[i - this.bufferStart] * this.table[row + (i - first)];
        }
      } else {
        for (let i = first; i <= last; i++) {
          if (i < 0 || i >= this.received) continue;
          acc += this.buffer[i - this.bufferStart] * this.weight(i - centre);
        }
      }
      out.push(acc);
      this.produced++;
    }
    // drop input no future output needs
    const nextFirst = Math.ceil(this.produced * this.ratio) - this.halfTaps;
    const drop = Math.max(0, Math.min(this.buffer.length, nextFirst - this.bufferStart));
    if (drop > 0) {
      this.buffer = this.buffer.slice(drop);
      this.bufferStart += drop;
    }
    return Float32Array.from(out);
  }
}

/** Whole-signal convenience wrapper. */
export function resample(samples: Float32Array, inRate: number, outRate: number): Float32Array {
  if (inRate === outRate) return samples;
  const r = new Resampler(inRate, outRate);
  const a = r.push(samples);
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function gcd(a: number, b: number): number {
  a = Math.round(Math.abs(a));
  b = Math.round(Math.abs(b));
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

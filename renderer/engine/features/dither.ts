/**
 * Deterministic dither: tiny pseudo-random noise added to every sample so that digital silence
 * (exact zeros, e.g. padded recordings) never reaches the log-mel features, where log(0 + 1) would
 * sit far from anything seen in training.
 *
 * The noise depends only on the sample's index in the stream (one PRNG step per sample, in order),
 * so the same audio gives the same features whatever block sizes it arrives in.
 */
export class Dither {
  private state = 0x9e3779b9;

  /** @param amplitude peak noise amplitude, in the same units as the samples it is added to */
  constructor(private readonly amplitude: number) {}

  /** Adds noise to `samples` in place and returns it. */
  apply(samples: Float32Array): Float32Array {
    if (this.amplitude === 0) return samples;
    let s = this.state;
    const scale = this.amplitude / 0x80000000;
    for (let i = 0; i < samples.length; i++) {
      // xorshift32: fast, deterministic, good enough for dither
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      samples[i] += (s | 0) * scale;
    }
    this.state = s;
    return samples;
  }

  reset(): void {
    this.state = 0x9e3779b9;
  }
}

import Meyda from 'meyda';
import { describe, expect, it } from 'vitest';
import { AmplitudeSpectrum } from '../../../../renderer/engine/features/amplitude-spectrum';

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

function meydaSpectrum(signal: Float32Array, windowing: string): Float32Array {
  Object.assign(Meyda as unknown as Record<string, unknown>, { bufferSize: signal.length, sampleRate: 16000, windowingFunction: windowing, melFilterBank: undefined, barkScale: undefined });
  return Meyda.extract('amplitudeSpectrum', signal) as unknown as Float32Array;
}

describe('AmplitudeSpectrum', () => {
  it.each([
    [512, 'hanning'], [512, 'hamming'], [256, 'hanning'], [1024, 'hamming'], [8, 'hanning'],
  ] as const)('gives meyda\'s amplitude spectrum bit for bit (%i samples, %s)', (size, windowing) => {
    const spectrum = new AmplitudeSpectrum(size, windowing);
    let seed = size;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 5; trial++) {
      // speech-scale values (int16 units), a tone plus noise, and an all-zero window
      const signal = Float32Array.from({ length: size }, (_, i) => trial === 4 ? 0 : 32768 * (0.3 * Math.sin(i * 0.07 * (trial + 1)) + 0.1 * (rnd() - 0.5)));
      expect(bits(spectrum.compute(signal))).toEqual(bits(meydaSpectrum(signal, windowing)));
    }
  });

  it('reuses its output buffer and refuses a window of the wrong size', () => {
    const spectrum = new AmplitudeSpectrum(16, 'hanning');
    const a = spectrum.compute(new Float32Array(16).fill(1));
    expect(spectrum.compute(new Float32Array(16))).toBe(a);
    expect(() => spectrum.compute(new Float32Array(8))).toThrow(/8 samples, expected 16/);
    expect(() => new AmplitudeSpectrum(12, 'hanning')).toThrow(/power of two/);
  });
});

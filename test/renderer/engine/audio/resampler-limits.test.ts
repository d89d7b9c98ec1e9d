/**
 * Regression found by the loader fuzzer: a resampler asked for an absurd ratio (a model rate of
 * 2^26 Hz fed 16 kHz audio) made output samples forever. It now refuses rates that are not finite
 * and positive, and ratios beyond MAX_RATIO, at construction.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RATIO, Resampler } from '../../../../renderer/engine/audio/resampler';

describe('Resampler limits', () => {
  it.each([
    [16000, 67_108_864],
    [67_108_864, 16000],
    [16000, Infinity],
    [NaN, 16000],
    [0, 16000],
    [16000, -1],
  ])('refuses %d → %d Hz with a RangeError saying so', (from, to) => {
    expect(() => new Resampler(from, to)).toThrow(/Resampler: /);
  });

  it(`accepts ratios up to ${MAX_RATIO}:1 and converts 768 kHz → 1 kHz`, () => {
    const r = new Resampler(768_000, 1000);
    const out = r.push(new Float32Array(768_000).fill(0.5));
    expect(out.length).toBeGreaterThan(900);
    expect(out.length).toBeLessThanOrEqual(1000);
  });
});

import Meyda from 'meyda';
import { describe, expect, it } from 'vitest';
import { Dither } from '../../../../renderer/engine/features/dither';
import { Featurizer } from '../../../../renderer/engine/features/featurizer';
import { Normalizer } from '../../../../renderer/engine/features/normalizer';
import type { FeatureSpec } from '../../../../models/package/model-spec';
import { testFeatureSpec } from '../../../fixtures/make-test-models';

/** The acoustic test models' spec (40 log-mel bands, 32 ms windows, 10 ms hop at 16 kHz), without dither. */
const spec: FeatureSpec = { ...testFeatureSpec(), dither: 0 };

function tone(n: number): Float32Array {
  return Float32Array.from(
    { length: n },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000) + 0.05 * Math.sin((2 * Math.PI * 3000 * i) / 16000),
  );
}

describe('Featurizer', () => {
  it('computes meyda melBands of each scaled window (one featurizer for app and trainer)', () => {
    const x = tone(512 + 160);
    const feats = new Featurizer(spec).push(x);
    expect(feats.length).toBe(2);
    const m = Meyda as unknown as Record<string, unknown>;
    Object.assign(m, {
      bufferSize: 512,
      sampleRate: 16000,
      melBands: 40,
      windowingFunction: 'hanning',
      melFilterBank: undefined,
    });
    const expected = Meyda.extract(
      'melBands',
      x.slice(160, 672).map((v) => v * 32768),
    ) as unknown as number[];
    for (let j = 0; j < 40; j++) expect(feats[1][j]).toBeCloseTo(expected[j], 4);
  });

  it('puts more energy in the band of a 440 Hz tone than in a band near 6 kHz', () => {
    const f = new Featurizer(spec).push(tone(4000))[5];
    expect(f[4]).toBeGreaterThan(f[36] + 5);
  });

  it('gives MFCCs of the requested size', () => {
    const f = new Featurizer({ ...spec, type: 'mfcc', nMfcc: 13 }).push(tone(1024));
    expect(f[0].length).toBe(13);
    expect(f[0].every(Number.isFinite)).toBe(true);
  });

  it('never sees digital silence when dither is on, and is identical for any block size', () => {
    const dithered = { ...spec, dither: 1 };
    const silent = new Float32Array(16000);
    const whole = new Featurizer(dithered).push(silent);
    expect(Math.min(...whole.map((f) => Math.min(...f)))).toBeGreaterThan(0.5); // log(1 + power) > 0: noise, not zeros
    const f = new Featurizer(dithered);
    const got: Float32Array[] = [];
    for (let i = 0; i < silent.length; i += 123) got.push(...f.push(silent.subarray(i, i + 123)));
    expect(got.length).toBe(whole.length);
    got.forEach((g, k) => expect(Array.from(g)).toEqual(Array.from(whole[k])));
  });
});

describe('Dither', () => {
  it('is deterministic after reset and bounded by its amplitude', () => {
    const d = new Dither(2);
    const a = d.apply(new Float32Array(1000));
    d.reset();
    const b = d.apply(new Float32Array(1000));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(2);
    expect(new Set(a).size).toBeGreaterThan(900);
  });
});

describe('Normalizer', () => {
  it('standardises with the given mean and std and maps zero-std dimensions to 0', () => {
    const n = new Normalizer({ mean: [1, 2, 3], std: [2, 0, 0.5] }, 3);
    expect(Array.from(n.apply(Float32Array.of(5, 9, 4)))).toEqual([2, 0, 2]);
  });

  it('rejects statistics of the wrong size', () => {
    expect(() => new Normalizer({ mean: [0], std: [1] }, 3)).toThrow(/features have 3/);
  });

  it('running: the mean of the prior and the frames so far, then an exponential average past the window', () => {
    const n = new Normalizer({ mean: [0], std: [1], running: { priorFrames: 2, windowFrames: 3 } }, 1);
    // m1 = (2·0 + 6)/3 = 2 → 4; m2 = (6 + 6)/4 = 3 → 3; m3 = (12 + 6)/5 = 3.6 → 2.4
    expect(Array.from(n.apply(Float32Array.of(6)))[0]).toBeCloseTo(4, 6);
    expect(Array.from(n.apply(Float32Array.of(6)))[0]).toBeCloseTo(3, 6);
    expect(Array.from(n.apply(Float32Array.of(6)))[0]).toBeCloseTo(2.4, 6);
    // past the window the rate stays 1/(2+3): m4 = 3.6 + (6 - 3.6)/5 = 4.08
    expect(Array.from(n.apply(Float32Array.of(6)))[0]).toBeCloseTo(6 - 4.08, 5);
    expect(n.currentMean[0]).toBeCloseTo(4.08, 5);
  });

  it('running: removes a constant level offset of the stream, and reset() starts from the stored mean again', () => {
    const n = new Normalizer({ mean: [10, 10], std: [2, 2], running: { priorFrames: 50, windowFrames: 200 } }, 2);
    let last: Float32Array = new Float32Array(2);
    for (let i = 0; i < 3000; i++) last = n.apply(Float32Array.of(13 + Math.sin(i), 7 - Math.sin(i)));
    expect(Math.abs(n.currentMean[0] - 13)).toBeLessThan(0.1); // a 3-nat louder stream is centred
    expect(Math.abs(n.currentMean[1] - 7)).toBeLessThan(0.1); // and a tilted channel too
    expect(Math.abs(last[0])).toBeLessThan(0.6);
    n.reset();
    expect(Array.from(n.currentMean)).toEqual([10, 10]);
    const g = new Normalizer({ mean: [10, 10], std: [2, 2] }, 2); // global: the offset stays in the output
    expect(Array.from(g.apply(Float32Array.of(13, 7)))).toEqual([1.5, -1.5]);
  });
});

describe('log-mel fast path', () => {
  it('is bit-identical to meyda melBands on noise, tones and silence', () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5;
    const signals = [
      Float32Array.from({ length: 512 }, () => rnd() * 30000),
      Float32Array.from({ length: 512 }, (_, i) => 8000 * Math.sin(i * 0.3) + 50 * rnd()),
      Float32Array.from({ length: 512 }, () => rnd()),
    ];
    const f = new Featurizer({ ...spec, inputScale: 1 });
    for (const x of signals) {
      f.reset();
      const fast = f.push(x)[0];
      const m = Meyda as unknown as Record<string, unknown>;
      Object.assign(m, { bufferSize: 512, sampleRate: 16000, melBands: 40, windowingFunction: 'hanning' });
      const ref = Meyda.extract('melBands', x) as unknown as number[];
      expect(Array.from(fast)).toEqual(ref.map((v) => Math.fround(v)));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { Framer } from '../../../../renderer/engine/features/framer';
import { Stacker } from '../../../../renderer/engine/features/stacker';

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('Framer', () => {
  it('yields floor((N - window) / hop) + 1 windows starting at multiples of the hop', () => {
    const frames = new Framer(8, 3).push(ramp(20));
    expect(frames.length).toBe(Math.floor((20 - 8) / 3) + 1);
    frames.forEach((f, k) => expect(Array.from(f)).toEqual(Array.from(ramp(20).slice(3 * k, 3 * k + 8))));
  });

  it('gives the same windows whatever the block sizes', () => {
    const x = ramp(1000);
    const whole = new Framer(512, 160).push(x);
    for (const block of [1, 7, 160, 4096]) {
      const f = new Framer(512, 160);
      const got: Float32Array[] = [];
      for (let i = 0; i < x.length; i += block) got.push(...f.push(x.subarray(i, i + block)));
      expect(got.map((g) => Array.from(g))).toEqual(whole.map((g) => Array.from(g)));
    }
  });

  it('rejects a hop longer than the window', () => {
    expect(() => new Framer(4, 8)).toThrow(/hopSize/);
  });
});

describe('Stacker', () => {
  it('concatenates `frames` vectors per step in time order and advances by `stride`', () => {
    const feats = [0, 1, 2, 3, 4, 5, 6].map((v) => Float32Array.of(v, v + 0.5));
    const steps = new Stacker(3, 2, 2).push(feats);
    expect(steps.map((s) => Array.from(s))).toEqual([
      [0, 0.5, 1, 1.5, 2, 2.5],
      [2, 2.5, 3, 3.5, 4, 4.5],
      [4, 4.5, 5, 5.5, 6, 6.5],
    ]);
  });

  it('matches a reshape when frames = stride, as the trainer assumes', () => {
    const feats = Array.from({ length: 10 }, (_, i) => Float32Array.of(i));
    const s = new Stacker(3, 3, 1);
    const steps = [...s.push(feats.slice(0, 4)), ...s.push(feats.slice(4))];
    expect(steps.map((x) => Array.from(x))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
  });
});

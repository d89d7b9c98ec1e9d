/**
 * The reference backend carries the hidden state across forward() calls so that any chunking of a
 * sequence gives the same bits as one call, and stepBatch rows are independent sequences.
 */
import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../../models/package/model-spec';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import { randomInputs, randomRnnWeights } from '../../helpers/random-rnn';

const stacks: Record<string, LayerSpec[]> = {
  'vanilla tanh+relu': [
    { cell: 'vanilla', inputSize: 5, hiddenSize: 8 },
    { cell: 'vanilla', inputSize: 8, hiddenSize: 7, activation: 'relu' },
  ],
  gru: [
    { cell: 'gru', inputSize: 5, hiddenSize: 8 },
    { cell: 'gru', inputSize: 8, hiddenSize: 6 },
  ],
  lstm: [
    { cell: 'lstm', inputSize: 5, hiddenSize: 8 },
    { cell: 'lstm', inputSize: 8, hiddenSize: 6 },
  ],
  mixed: [
    { cell: 'lstm', inputSize: 5, hiddenSize: 6 },
    { cell: 'gru', inputSize: 6, hiddenSize: 7 },
    { cell: 'vanilla', inputSize: 7, hiddenSize: 4 },
  ],
};

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe.each(Object.entries(stacks))('reference %s', (_name, layers) => {
  const I = layers[0].inputSize;
  const steps = 23;
  const w = randomRnnWeights(layers, 9, 4);
  const x = randomInputs(steps, I, 8);

  it('forward in chunks (1, 4, 5, 13 steps, and 0) equals one forward over all steps, bit for bit', async () => {
    const stack = await createRnnStack(layers, w);
    const whole = stack.initialState();
    const yWhole = await stack.forward(x, steps, whole);
    const parts = stack.initialState();
    const ys: number[] = [];
    let at = 0;
    for (const n of [1, 4, 0, 5, 13]) {
      const y = await stack.forward(x.subarray(at * I, (at + n) * I), n, parts);
      ys.push(...bits(y));
      at += n;
    }
    expect(at).toBe(steps);
    expect(ys).toEqual(bits(yWhole));
    layers.forEach((_l, i) => {
      expect(bits(parts.h[i])).toEqual(bits(whole.h[i]));
      expect(bits(parts.c[i])).toEqual(bits(whole.c[i]));
    });
  });

  it('stepBatch row b equals a batch-1 forward step from the same state, bit for bit', async () => {
    const stack = await createRnnStack(layers, w);
    const B = 3;
    const batch = stack.initialState(B);
    const singles = [0, 1, 2].map(() => stack.initialState());
    for (let step = 0; step < 4; step++) {
      const xb = randomInputs(B, I, 100 + step);
      const y = await stack.stepBatch(xb, B, batch);
      for (let b = 0; b < B; b++) {
        const yb = await stack.forward(xb.subarray(b * I, (b + 1) * I), 1, singles[b]);
        const K = yb.length;
        expect(bits(y.subarray(b * K, (b + 1) * K))).toEqual(bits(yb));
      }
    }
    layers.forEach((l, i) => {
      for (let b = 0; b < B; b++) {
        expect(bits(batch.h[i].subarray(b * l.hiddenSize, (b + 1) * l.hiddenSize))).toEqual(bits(singles[b].h[i]));
      }
    });
  });

  it('log-probabilities of every step are normalised (Σ exp = 1)', async () => {
    const stack = await createRnnStack(layers, w);
    const y = await stack.forward(x, steps, stack.initialState());
    const K = y.length / steps;
    for (let t = 0; t < steps; t++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(y[t * K + k]);
      expect(Math.abs(s - 1)).toBeLessThan(1e-5);
    }
  });
});

describe('state handling', () => {
  const layers = stacks.lstm;
  it('cloneState is a deep copy; a wrong-sized state or input is refused', async () => {
    const stack = await createRnnStack(layers, randomRnnWeights(layers, 9, 4));
    const s = stack.initialState();
    await stack.forward(randomInputs(2, 5), 2, s);
    const copy = stack.cloneState(s);
    await stack.forward(randomInputs(2, 5, 9), 2, s);
    expect(bits(copy.h[0])).not.toEqual(bits(s.h[0]));
    await expect(stack.forward(randomInputs(2, 5), 3, s)).rejects.toThrow(/steps/);
    await expect(stack.stepBatch(randomInputs(2, 5), 2, s)).rejects.toThrow(/2/);
    expect(stack.initialState(4).h[1].length).toBe(4 * 6);
    expect(stack.initialState(4).c[1].length).toBe(4 * 6);
  });
});

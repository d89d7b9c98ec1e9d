/**
 * The 'js' backend (blocked loops) gives the reference's bits exactly: forward in any chunking,
 * stepBatch for any batch, every cell type, with sizes that exercise the blocked loops' remainders
 * (hidden sizes not multiples of 8 or 4, odd row counts), and the acoustic model's real shape.
 */
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../../../models/rnn/backend';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import { randomInputs, randomRnnWeights, testStacks } from '../../helpers/random-rnn';

const stacks = testStacks();

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

it("'js' is always available, right after 'reference'", async () => {
  expect((await availableBackends()).slice(0, 2)).toEqual(['reference', 'js']);
});

describe.each(Object.entries(stacks))('js backend, %s', (_name, { layers, K }) => {
  const I = layers[0].inputSize;
  const steps = 31;
  const w = randomRnnWeights(layers, K, 4);
  const x = randomInputs(steps, I, 8);

  it('forward in chunks (1, 3, 0, 10, 17 steps) gives the reference bits of one forward over all steps, and the same state', async () => {
    const ref = await createRnnStack(layers, w);
    const js = await createRnnStack(layers, w, { backend: 'js' });
    expect(js.backend).toBe('js');
    const refState = ref.initialState();
    const yRef = await ref.forward(x, steps, refState);
    const jsState = js.initialState();
    const ys: number[] = [];
    let at = 0;
    for (const n of [1, 3, 0, 10, 17]) {
      ys.push(...bits(await js.forward(x.subarray(at * I, (at + n) * I), n, jsState)));
      at += n;
    }
    expect(at).toBe(steps);
    expect(ys).toEqual(bits(yRef));
    layers.forEach((_l, i) => {
      expect(bits(jsState.h[i])).toEqual(bits(refState.h[i]));
      expect(bits(jsState.c[i])).toEqual(bits(refState.c[i]));
    });
  });

  it('stepBatch (B = 1, 2, 5) gives the reference bits, log-probs and states', async () => {
    const ref = await createRnnStack(layers, w);
    const js = await createRnnStack(layers, w, { backend: 'js' });
    for (const B of [1, 2, 5]) {
      const rs = ref.initialState(B);
      const js1 = js.initialState(B);
      for (let step = 0; step < 3; step++) {
        const xb = randomInputs(B, I, 50 + step + B);
        expect(bits(await js.stepBatch(xb, B, js1))).toEqual(bits(await ref.stepBatch(xb, B, rs)));
      }
      layers.forEach((_l, i) => {
        expect(bits(js1.h[i])).toEqual(bits(rs.h[i]));
        expect(bits(js1.c[i])).toEqual(bits(rs.c[i]));
      });
    }
  });
});

it('refuses a wrong-sized state or input like the reference', async () => {
  const { layers, K } = stacks.lstm;
  const js = await createRnnStack(layers, randomRnnWeights(layers, K, 4), { backend: 'js' });
  const s = js.initialState();
  await expect(js.forward(randomInputs(2, 6), 3, s)).rejects.toThrow(/steps/);
  await expect(js.stepBatch(randomInputs(2, 6), 2, s)).rejects.toThrow(/2/);
});

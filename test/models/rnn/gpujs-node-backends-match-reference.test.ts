/**
 * Each gpu.js backend that works in Node (cpu, webasm; headlessgl when the native `gl` package
 * can create a context) agrees with the reference to 1e-4 (max |Δ| over log-probs and states) on
 * random weights, for every cell type, multi-layer, chunked forward (including a chunk longer than
 * the device gather of MAX_ROWS steps) and stepBatch with B > 1. Browser backends: test/e2e/gpu-parity.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../../models/package/model-spec';
import { availableBackends, type BackendName } from '../../../models/rnn/backend';
import { MAX_ROWS, type GpuRnnStack } from '../../../models/rnn/gpu-stack';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import { maxAbsDiff, maxStateDiff, randomInputs, randomRnnWeights } from '../../helpers/random-rnn';

const TOL = 1e-4;
const nodeModes: BackendName[] = ['cpu', 'webasm', 'headlessgl'];
const available = await availableBackends();
const modes = nodeModes.filter((m) => available.includes(m));

const cases: Record<string, { layers: LayerSpec[]; K: number }> = {
  'vanilla tanh ×2': {
    layers: [
      { cell: 'vanilla', inputSize: 6, hiddenSize: 16 },
      { cell: 'vanilla', inputSize: 16, hiddenSize: 12 },
    ],
    K: 9,
  },
  'vanilla relu ×2': {
    layers: [
      { cell: 'vanilla', inputSize: 6, hiddenSize: 16, activation: 'relu' },
      { cell: 'vanilla', inputSize: 16, hiddenSize: 12, activation: 'relu' },
    ],
    K: 9,
  },
  'gru ×3': {
    layers: [
      { cell: 'gru', inputSize: 6, hiddenSize: 16 },
      { cell: 'gru', inputSize: 16, hiddenSize: 16 },
      { cell: 'gru', inputSize: 16, hiddenSize: 10 },
    ],
    K: 9,
  },
  'lstm ×2': {
    layers: [
      { cell: 'lstm', inputSize: 6, hiddenSize: 16 },
      { cell: 'lstm', inputSize: 16, hiddenSize: 12 },
    ],
    K: 9,
  },
  'lstm→gru→vanilla': {
    layers: [
      { cell: 'lstm', inputSize: 6, hiddenSize: 10 },
      { cell: 'gru', inputSize: 10, hiddenSize: 12 },
      { cell: 'vanilla', inputSize: 12, hiddenSize: 8 },
    ],
    K: 11,
  },
};

const report: string[] = [];
afterAll(() => {
  if (report.length) console.log(`max |Δ| vs reference (Node gpu.js backends):\n${report.join('\n')}`);
});

it('Node offers the reference, cpu and webasm backends', () => {
  expect(available).toEqual(expect.arrayContaining(['reference', 'cpu', 'webasm']));
});

describe.each(modes)('gpu.js %s backend', (mode) => {
  describe.each(Object.entries(cases))('%s', (name, { layers, K }) => {
    const w = randomRnnWeights(layers, K, 17);
    const I = layers[0].inputSize;

    it(`forward in chunks (3, ${MAX_ROWS + 6}, 1 steps) matches the reference to ${TOL}`, async () => {
      const ref = await createRnnStack(layers, w);
      const gpu = await createRnnStack(layers, w, { backend: mode });
      const rs = ref.initialState();
      const gs = gpu.initialState();
      const steps = [3, MAX_ROWS + 6, 1];
      const x = randomInputs(
        steps.reduce((a, b) => a + b),
        I,
        23,
        1.5,
      );
      let at = 0;
      let errLogp = 0;
      for (const n of steps) {
        const xs = x.subarray(at * I, (at + n) * I);
        const r = await ref.forward(xs, n, rs);
        const g = await gpu.forward(xs, n, gs);
        expect(g.length).toBe(n * K);
        errLogp = Math.max(errLogp, maxAbsDiff(g, r));
        at += n;
      }
      const errState = maxStateDiff(gs, rs);
      report.push(
        `  ${mode.padEnd(8)} ${name.padEnd(18)} forward   logp ${errLogp.toExponential(2)}  state ${errState.toExponential(2)}`,
      );
      expect(errLogp).toBeLessThan(TOL);
      expect(errState).toBeLessThan(TOL);
      expect((gpu as GpuRnnStack).executedModes()).toEqual([mode]);
      gpu.dispose();
    });

    it(`stepBatch with B = 5 (padded to 8) and B = 2, over 3 steps, matches the reference to ${TOL}`, async () => {
      const ref = await createRnnStack(layers, w);
      const gpu = await createRnnStack(layers, w, { backend: mode });
      let errLogp = 0;
      let errState = 0;
      for (const B of [5, 2]) {
        const rs = ref.initialState(B);
        const gs = gpu.initialState(B);
        for (let step = 0; step < 3; step++) {
          const xb = randomInputs(B, I, 40 + step + B);
          errLogp = Math.max(errLogp, maxAbsDiff(await gpu.stepBatch(xb, B, gs), await ref.stepBatch(xb, B, rs)));
        }
        errState = Math.max(errState, maxStateDiff(gs, rs));
      }
      report.push(
        `  ${mode.padEnd(8)} ${name.padEnd(18)} stepBatch logp ${errLogp.toExponential(2)}  state ${errState.toExponential(2)}`,
      );
      expect(errLogp).toBeLessThan(TOL);
      expect(errState).toBeLessThan(TOL);
      expect((gpu as GpuRnnStack).executedModes()).toEqual([mode]);
      gpu.dispose();
    });
  });
});

/**
 * Each cell type against tiny cases worked out by hand, element by element, from the equations
 * (seed's vanilla RNN; PyTorch GRU and LSTM with their gate order). Runs on the reference backend
 * and on 'js', 'wasm-simd' and every gpu.js backend available in Node.
 */
import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../../models/package/model-spec';
import { availableBackends, type BackendName } from '../../../models/rnn/backend';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import type { TensorMap } from '../../../models/rnn/tensor';

const t = (shape: number[], values: number[]) => ({ shape, data: Float32Array.from(values) });
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const logSoftmax = (z: number[]) => {
  const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
  return z.map((v) => v - lse);
};

const backends: BackendName[] = (await availableBackends()).filter(
  (b) => b === 'reference' || b === 'js' || b === 'wasm-simd' || b === 'cpu' || b === 'webasm' || b === 'headlessgl',
);
// float32 storage of every intermediate: agreement with the double-precision hand values to ~1e-6
const TOL = 2e-6;

function expectClose(found: Float32Array, expected: number[]): void {
  expect(found.length).toBe(expected.length);
  expected.forEach((v, i) =>
    expect(Math.abs(found[i] - v), `element ${i}: found ${found[i]}, expected ${v}`).toBeLessThan(TOL),
  );
}

describe.each(backends)('%s backend reproduces hand-computed cells', (backend) => {
  it('2-unit vanilla relu: a<1> = relu(W_aa·0 + W_ax·x + b_a) = [1, 3], a<2> = [0, 0]; outputs are log-softmax of W_ya a + b_y', async () => {
    const layers: LayerSpec[] = [{ cell: 'vanilla', inputSize: 1, hiddenSize: 2, activation: 'relu' }];
    const w: TensorMap = new Map([
      ['layers.0.W_aa', t([2, 2], [0.5, 0, 0, -1])],
      ['layers.0.W_ax', t([2, 1], [1, 2])],
      ['layers.0.b_a', t([2], [0, 1])],
      ['output.W_ya', t([3, 2], [1, 0, 0, 1, 1, 1])],
      ['output.b_y', t([3], [0, 0, 0.5])],
    ]);
    const stack = await createRnnStack(layers, w, { backend });
    const s = stack.initialState();
    const y = await stack.forward(Float32Array.from([1, -1]), 2, s);
    // step 1: pre = [1·1 + 0, 2·1 + 1] = [1, 3]; step 2: pre = [0.5·1 − 1, −1·3 − 2 + 1] = [−0.5, −4] → relu → [0, 0]
    // logits: [1, 3, 4.5] then [0, 0, 0.5]
    expectClose(y, [...logSoftmax([1, 3, 4.5]), ...logSoftmax([0, 0, 0.5])]);
    expectClose(s.h[0], [0, 0]);
    stack.dispose();
  });

  it('2-unit vanilla tanh uses W_aa for the recurrence and W_ax for the input (not swapped)', async () => {
    const layers: LayerSpec[] = [{ cell: 'vanilla', inputSize: 1, hiddenSize: 2 }];
    const w: TensorMap = new Map([
      ['layers.0.W_aa', t([2, 2], [0.2, -0.4, 0.6, 0.1])],
      ['layers.0.W_ax', t([2, 1], [0.7, -0.3])],
      ['layers.0.b_a', t([2], [0.05, -0.1])],
      ['output.W_ya', t([2, 2], [1, -1, 0.5, 2])],
      ['output.b_y', t([2], [0.1, 0])],
    ]);
    const stack = await createRnnStack(layers, w, { backend });
    const s = stack.initialState();
    const y = await stack.forward(Float32Array.from([0.5, -1.5]), 2, s);
    const a1 = [Math.tanh(0.7 * 0.5 + 0.05), Math.tanh(-0.3 * 0.5 - 0.1)];
    const a2 = [
      Math.tanh(0.2 * a1[0] - 0.4 * a1[1] + 0.7 * -1.5 + 0.05),
      Math.tanh(0.6 * a1[0] + 0.1 * a1[1] - 0.3 * -1.5 - 0.1),
    ];
    const out = (a: number[]) => logSoftmax([a[0] - a[1] + 0.1, 0.5 * a[0] + 2 * a[1]]);
    expectClose(y, [...out(a1), ...out(a2)]);
    expectClose(s.h[0], a2);
    stack.dispose();
  });

  it('1-unit GRU follows PyTorch: rows r,z,n; n = tanh(W_in x + b_in + r·(W_hn h + b_hn)); h = (1−z)n + zh', async () => {
    const layers: LayerSpec[] = [{ cell: 'gru', inputSize: 1, hiddenSize: 1 }];
    const [wir, wiz, win] = [0.5, -0.25, 0.8];
    const [whr, whz, whn] = [0.3, 0.6, -0.7];
    const [bir, biz, bin] = [0.1, 0.2, -0.1];
    const [bhr, bhz, bhn] = [-0.05, 0.15, 0.25];
    const w: TensorMap = new Map([
      ['layers.0.W_ax', t([3, 1], [wir, wiz, win])],
      ['layers.0.W_aa', t([3, 1], [whr, whz, whn])],
      ['layers.0.b_ax', t([3], [bir, biz, bin])],
      ['layers.0.b_aa', t([3], [bhr, bhz, bhn])],
      ['output.W_ya', t([2, 1], [1, -1])],
      ['output.b_y', t([2], [0, 0.3])],
    ]);
    const stack = await createRnnStack(layers, w, { backend });
    const s = stack.initialState();
    const xs = [1.2, -0.6, 0.4];
    const y = await stack.forward(Float32Array.from(xs), 3, s);
    let h = 0;
    const expected: number[] = [];
    for (const x of xs) {
      const r = sig(wir * x + bir + whr * h + bhr);
      const z = sig(wiz * x + biz + whz * h + bhz);
      const n = Math.tanh(win * x + bin + r * (whn * h + bhn));
      h = (1 - z) * n + z * h;
      expected.push(...logSoftmax([h, -h + 0.3]));
    }
    expectClose(y, expected);
    expectClose(s.h[0], [h]);
    stack.dispose();
  });

  it('1-unit LSTM follows PyTorch: rows i,f,g,o; c = f·c + i·g; h = o·tanh(c)', async () => {
    const layers: LayerSpec[] = [{ cell: 'lstm', inputSize: 1, hiddenSize: 1 }];
    const wx = [0.4, -0.3, 0.9, 0.2]; // i f g o
    const wh = [-0.5, 0.7, 0.3, 0.6];
    const bx = [0.1, 0.5, -0.2, 0.05];
    const bh = [0.0, 0.25, 0.1, -0.15];
    const w: TensorMap = new Map([
      ['layers.0.W_ax', t([4, 1], wx)],
      ['layers.0.W_aa', t([4, 1], wh)],
      ['layers.0.b_ax', t([4], bx)],
      ['layers.0.b_aa', t([4], bh)],
      ['output.W_ya', t([2, 1], [2, 0])],
      ['output.b_y', t([2], [0, 0])],
    ]);
    const stack = await createRnnStack(layers, w, { backend });
    const s = stack.initialState();
    const xs = [0.9, -1.1, 0.3];
    const y = await stack.forward(Float32Array.from(xs), 3, s);
    let h = 0;
    let c = 0;
    const expected: number[] = [];
    for (const x of xs) {
      const pre = (g: number) => wx[g] * x + bx[g] + wh[g] * h + bh[g];
      const i = sig(pre(0));
      const f = sig(pre(1));
      const g = Math.tanh(pre(2));
      const o = sig(pre(3));
      c = f * c + i * g;
      h = o * Math.tanh(c);
      expected.push(...logSoftmax([2 * h, 0]));
    }
    expectClose(y, expected);
    expectClose(s.h[0], [h]);
    expectClose(s.c[0], [c]);
    stack.dispose();
  });

  it("two stacked layers: layer 1 reads layer 0's new state of the same step", async () => {
    const layers: LayerSpec[] = [
      { cell: 'vanilla', inputSize: 1, hiddenSize: 1 },
      { cell: 'vanilla', inputSize: 1, hiddenSize: 1 },
    ];
    const w: TensorMap = new Map([
      ['layers.0.W_aa', t([1, 1], [0.5])],
      ['layers.0.W_ax', t([1, 1], [1])],
      ['layers.0.b_a', t([1], [0])],
      ['layers.1.W_aa', t([1, 1], [-0.5])],
      ['layers.1.W_ax', t([1, 1], [2])],
      ['layers.1.b_a', t([1], [0.1])],
      ['output.W_ya', t([2, 1], [1, 0])],
      ['output.b_y', t([2], [0, 0])],
    ]);
    const stack = await createRnnStack(layers, w, { backend });
    const s = stack.initialState();
    const y = await stack.forward(Float32Array.from([0.3, 0.6]), 2, s);
    const a0 = [Math.tanh(0.3)];
    a0.push(Math.tanh(0.5 * a0[0] + 0.6));
    const a1 = [Math.tanh(2 * a0[0] + 0.1)];
    a1.push(Math.tanh(-0.5 * a1[0] + 2 * a0[1] + 0.1));
    expectClose(y, [...logSoftmax([a1[0], 0]), ...logSoftmax([a1[1], 0])]);
    expectClose(s.h[0], [a0[1]]);
    expectClose(s.h[1], [a1[1]]);
    stack.dispose();
  });
});

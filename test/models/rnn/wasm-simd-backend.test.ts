/**
 * The 'wasm-simd' backend (models/rnn/wasm-simd-stack.ts) against the reference: every cell type,
 * sizes that are not multiples of 4, forward in chunks and stepBatch, float32 and float16 weights,
 * within 1e-4 on log-probabilities and states (the repo's parity bound). Not bit-identical: the
 * kernel sums in float32. And its fallback: where WebAssembly SIMD does not run, it is not offered,
 * cannot be built, and the LM takes 'js'.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lmBackendFor } from '../../../models/language/lm-scorer';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../../models/package/float16';
import type { LayerSpec } from '../../../models/package/model-spec';
import { availableBackends } from '../../../models/rnn/backend';
import { chooseBackend } from '../../../models/rnn/choose-backend';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import { prepareStackWeights } from '../../../models/rnn/rnn-weights';
import type { TensorMap } from '../../../models/rnn/tensor';
import { dequantizeRows, quantizeRows } from '../../../models/package/safetensors';
import { resetWasmSimdProbe, wasmSimdAvailable, wasmSimdUnavailableReason } from '../../../models/rnn/wasm-simd';
import { createWasmSimdRnnStack, WasmSimdRnnStack } from '../../../models/rnn/wasm-simd-stack';
import { maxAbsDiff, maxStateDiff, randomInputs, randomRnnWeights, testStacks } from '../../helpers/random-rnn';

const TOL = 1e-4;

const stacks: Record<string, { layers: LayerSpec[]; K: number }> = {
  ...testStacks(41), // an output size that is not a multiple of 4
  'word LM shape (GRU-67, 1,001 words)': { layers: [{ cell: 'gru', inputSize: 33, hiddenSize: 67 }], K: 1001 },
};

/** The same tensors with every value rounded to float16 (what an F16 package holds). */
function halfWeights(w: TensorMap): TensorMap {
  return new Map(
    [...w].map(([name, t]) => [
      name,
      { shape: t.shape, data: t.data.map((v) => float16BitsToFloat32(float32ToFloat16Bits(v))) },
    ]),
  );
}

describe.each(Object.entries(stacks))('wasm-simd backend, %s', (_name, { layers, K }) => {
  const I = layers[0].inputSize;
  const steps = 31;
  const w = randomRnnWeights(layers, K, 4);
  const x = randomInputs(steps, I, 8);

  it(`forward in chunks (1, 3, 0, 10, 17 steps) is within ${TOL} of the reference's one forward, log-probs and state`, async () => {
    const ref = await createRnnStack(layers, w);
    const ws = await createRnnStack(layers, w, { backend: 'wasm-simd' });
    expect(ws.backend).toBe('wasm-simd');
    expect([ws.inputSize, ws.outputSize]).toEqual([I, K]);
    const refState = ref.initialState();
    const yRef = await ref.forward(x, steps, refState);
    const wsState = ws.initialState();
    const ys = new Float32Array(steps * K);
    let at = 0;
    for (const n of [1, 3, 0, 10, 17]) {
      ys.set(await ws.forward(x.subarray(at * I, (at + n) * I), n, wsState), at * K);
      at += n;
    }
    expect(maxAbsDiff(ys, yRef)).toBeLessThanOrEqual(TOL);
    expect(maxStateDiff(wsState, refState)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(ys, yRef)).toBeGreaterThan(0); // float32 sums: close, not the same bits
    ws.dispose();
  });

  it(`stepBatch (B = 1, 2, 3, 5, then 1 again) is within ${TOL} of the reference, log-probs and states`, async () => {
    const ref = await createRnnStack(layers, w);
    const ws = await createRnnStack(layers, w, { backend: 'wasm-simd' });
    for (const B of [1, 2, 3, 5, 1]) {
      const rs = ref.initialState(B);
      const s = ws.initialState(B);
      for (let step = 0; step < 3; step++) {
        const xb = randomInputs(B, I, 50 + step + B);
        expect(maxAbsDiff(await ws.stepBatch(xb, B, s), await ref.stepBatch(xb, B, rs))).toBeLessThanOrEqual(TOL);
      }
      expect(maxStateDiff(s, rs)).toBeLessThanOrEqual(TOL);
    }
    ws.dispose();
  });

  it(`with every matrix held as float16 (float16 weights), forward and stepBatch are within ${TOL} of the reference`, async () => {
    const hw = halfWeights(w);
    const ref = await createRnnStack(layers, hw);
    const ws = createWasmSimdRnnStack(
      layers.map((l) => ({ ...l })),
      prepareStackWeights(layers, hw),
      { halfFrom: 0 },
    );
    expect(ws.outputInFloat16).toBe(true);
    const rs = ref.initialState(),
      s = ws.initialState();
    expect(maxAbsDiff(await ws.forward(x, steps, s), await ref.forward(x, steps, rs))).toBeLessThanOrEqual(TOL);
    expect(maxStateDiff(s, rs)).toBeLessThanOrEqual(TOL);
    const B = 3;
    const rb = ref.initialState(B),
      sb = ws.initialState(B);
    const xb = randomInputs(B, I, 99);
    expect(maxAbsDiff(await ws.stepBatch(xb, B, sb), await ref.stepBatch(xb, B, rb))).toBeLessThanOrEqual(TOL);
    expect(maxStateDiff(sb, rb)).toBeLessThanOrEqual(TOL);
    ws.dispose();
  });
});

describe('wasm-simd backend', () => {
  it("is available in Node 20, listed after 'reference' and 'js', and timed by 'auto'", async () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect((await availableBackends()).slice(0, 3)).toEqual(['reference', 'js', 'wasm-simd']);
    const layers = stacks.gru.layers;
    const choice = await chooseBackend(layers, randomRnnWeights(layers, 10, 3), {
      candidates: ['js', 'wasm-simd'],
      chunkSteps: 4,
      repeats: 3,
    });
    expect(choice.timings.map((t) => t.backend)).toEqual(['reference', 'js', 'wasm-simd']);
    expect(choice.timings.every((t) => t.msPerStep !== null)).toBe(true);
    choice.stack.dispose();
  });

  it('keeps a large output layer of float16 values as float16 (half the memory), float32 otherwise', async () => {
    const layers: LayerSpec[] = [{ cell: 'gru', inputSize: 8, hiddenSize: 256 }];
    const K = 4097; // 4097 × 256 ≥ 2^20 values
    const w = randomRnnWeights(layers, K, 6);
    const f32 = (await createRnnStack(layers, w, { backend: 'wasm-simd' })) as WasmSimdRnnStack;
    const f16 = (await createRnnStack(layers, halfWeights(w), { backend: 'wasm-simd' })) as WasmSimdRnnStack;
    expect([f32.outputInFloat16, f16.outputInFloat16]).toEqual([false, true]);
    expect(f16.memoryBytes).toBeLessThan(f32.memoryBytes - 1.9e6); // 4097 × 256 × 2 bytes less
    const ref = await createRnnStack(layers, halfWeights(w));
    const xb = randomInputs(2, 8, 3);
    expect(
      maxAbsDiff(await f16.stepBatch(xb, 2, f16.initialState(2)), await ref.stepBatch(xb, 2, ref.initialState(2))),
    ).toBeLessThanOrEqual(TOL);
    f32.dispose();
    f16.dispose();
  });

  it('refuses a wrong-sized state or input like the reference, and any use after dispose()', async () => {
    const { layers, K } = stacks.lstm;
    const ws = await createRnnStack(layers, randomRnnWeights(layers, K, 4), { backend: 'wasm-simd' });
    const s = ws.initialState();
    await expect(ws.forward(randomInputs(2, 6), 3, s)).rejects.toThrow(/steps/);
    await expect(ws.stepBatch(randomInputs(2, 6), 2, s)).rejects.toThrow(/2/);
    ws.dispose();
    await expect(ws.forward(randomInputs(1, 6), 1, ws.initialState())).rejects.toThrow(/disposed/);
  });
});

describe('without WebAssembly SIMD', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetWasmSimdProbe();
  });

  // (the Node typecheck has no WebAssembly declarations)
  const wasm = (
    globalThis as unknown as { WebAssembly: Record<'validate' | 'Module' | 'Instance' | 'Memory', unknown> }
  ).WebAssembly;
  const real = { validate: wasm.validate, Module: wasm.Module, Instance: wasm.Instance, Memory: wasm.Memory };
  const withoutSimd = {
    'no WebAssembly at all': undefined,
    'a WebAssembly without SIMD (the module does not validate)': { ...real, validate: () => false },
    'a CSP without wasm-unsafe-eval (compiling throws)': {
      ...real,
      Module: function Module() {
        throw new EvalError('WebAssembly.Module(): Refused to compile or instantiate WebAssembly module');
      },
    },
  };

  it.each(Object.entries(withoutSimd))(
    '%s: not offered, not built, the LM on js, the other backends unchanged',
    async (_name, stub) => {
      resetWasmSimdProbe();
      vi.stubGlobal('WebAssembly', stub);
      expect(wasmSimdAvailable()).toBe(false);
      expect(wasmSimdUnavailableReason()).not.toBe('');
      const backends = await availableBackends();
      expect(backends.slice(0, 2)).toEqual(['reference', 'js']);
      expect(backends).not.toContain('wasm-simd');
      expect(lmBackendFor('auto')).toBe('js');
      expect(lmBackendFor('wasm-simd')).toBe('wasm-simd'); // named: the caller's choice, which then fails to build
      const { layers, K } = stacks.gru;
      const w = randomRnnWeights(layers, K, 4);
      await expect(createRnnStack(layers, w, { backend: 'wasm-simd' })).rejects.toThrow(
        /'wasm-simd' backend is not available here/,
      );
      const js = await createRnnStack(layers, w, { backend: lmBackendFor('auto') });
      expect(js.backend).toBe('js');
      expect((await js.stepBatch(randomInputs(2, 13), 2, js.initialState(2))).length).toBe(2 * K);
    },
  );

  it('comes back when WebAssembly SIMD does', () => {
    resetWasmSimdProbe();
    expect(wasmSimdAvailable()).toBe(true);
    expect(lmBackendFor('auto')).toBe('wasm-simd');
  });
});

/** The same tensors with every matrix as int8 rows (what quantize_package.ts writes): data = q · scale, int8 kept. */
function int8Weights(w: TensorMap): TensorMap {
  return new Map(
    [...w].map(([name, t]) => {
      if (t.shape.length !== 2) return [name, t];
      const int8 = quantizeRows(t.data, t.shape[0], t.shape[1]);
      return [name, { shape: t.shape, data: dequantizeRows(int8.q, int8.scale, t.shape[0], t.shape[1]), int8 }];
    }),
  );
}

describe.each([
  [
    'GRU 40 → 32 → 24, 41 outputs',
    [
      { cell: 'gru', inputSize: 40, hiddenSize: 32 },
      { cell: 'gru', inputSize: 32, hiddenSize: 24 },
    ],
  ],
  [
    'LSTM 16 → 16 → GRU 20 (20 columns: its output layer stays float)',
    [
      { cell: 'lstm', inputSize: 16, hiddenSize: 16 },
      { cell: 'gru', inputSize: 16, hiddenSize: 20 },
    ],
  ],
] as Array<[string, LayerSpec[]]>)('wasm-simd backend with int8 matrices, %s', (_name, layers) => {
  const I = layers[0].inputSize;
  const K = 41;
  const steps = 31;
  const w = int8Weights(randomRnnWeights(layers, K, 6));
  const x = randomInputs(steps, I, 9);

  it(`multiplies the int8 rows (int8 kernel) and stays within ${TOL} of the reference on the same numbers`, async () => {
    const ref = await createRnnStack(layers, w);
    const ws = await createRnnStack(layers, w, { backend: 'wasm-simd' });
    expect((ws as WasmSimdRnnStack).outputInInt8).toBe(layers[layers.length - 1].hiddenSize % 8 === 0);
    const rs = ref.initialState(),
      s = ws.initialState();
    const d = maxAbsDiff(await ws.forward(x, steps, s), await ref.forward(x, steps, rs));
    expect(d).toBeLessThanOrEqual(TOL);
    expect(d).toBeGreaterThan(0); // the inputs rounded to int16: close, not the same bits
    expect(maxStateDiff(s, rs)).toBeLessThanOrEqual(TOL);
    const B = 4;
    const rb = ref.initialState(B),
      sb = ws.initialState(B);
    for (let step = 0; step < 3; step++) {
      const xb = randomInputs(B, I, 70 + step);
      expect(maxAbsDiff(await ws.stepBatch(xb, B, sb), await ref.stepBatch(xb, B, rb))).toBeLessThanOrEqual(TOL);
    }
    expect(maxStateDiff(sb, rb)).toBeLessThanOrEqual(TOL);
    ws.dispose();
  });
});

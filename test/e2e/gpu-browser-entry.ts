/**
 * Page-side code of the browser GPU checks, bundled by gpu-browser-harness.ts and driven through
 * playwright: parity of each gpu.js browser backend against the reference, and the step benchmark.
 * Exposed as globalThis.__earshotRnn.
 */
import type { LayerSpec } from '../../models/package/model-spec';
import { availableBackends, type BackendName } from '../../models/rnn/backend';
import { createRnnStack } from '../../models/rnn/rnn-stack';
import type { RnnStack } from '../../models/rnn/rnn-types';
import { maxAbsDiff, maxStateDiff, randomInputs, randomRnnWeights } from '../helpers/random-rnn';

export interface ParityRow {
  backend: BackendName;
  case: string;
  /** max |Δ| of forward log-probs (two chunks), of the states after it, and of stepBatch log-probs + states */
  forwardLogProbs: number;
  forwardState: number;
  batchLogProbs: number;
  batchState: number;
  /** gpu.js modes that really ran (a silent cpu fallback shows here) */
  executed: string[];
  error?: string;
}

export const PARITY_CASES: Record<string, { layers: LayerSpec[]; outputSize: number }> = {
  'vanilla-tanh': {
    layers: [
      { cell: 'vanilla', inputSize: 6, hiddenSize: 10, activation: 'tanh' },
      { cell: 'vanilla', inputSize: 10, hiddenSize: 8 },
    ],
    outputSize: 7,
  },
  'vanilla-relu': {
    layers: [
      { cell: 'vanilla', inputSize: 6, hiddenSize: 10, activation: 'relu' },
      { cell: 'vanilla', inputSize: 10, hiddenSize: 8, activation: 'relu' },
    ],
    outputSize: 7,
  },
  gru: {
    layers: [
      { cell: 'gru', inputSize: 6, hiddenSize: 12 },
      { cell: 'gru', inputSize: 12, hiddenSize: 9 },
    ],
    outputSize: 7,
  },
  lstm: {
    layers: [
      { cell: 'lstm', inputSize: 6, hiddenSize: 12 },
      { cell: 'lstm', inputSize: 12, hiddenSize: 9 },
    ],
    outputSize: 7,
  },
  mixed: {
    layers: [
      { cell: 'lstm', inputSize: 6, hiddenSize: 8 },
      { cell: 'gru', inputSize: 8, hiddenSize: 10 },
      { cell: 'vanilla', inputSize: 10, hiddenSize: 5 },
    ],
    outputSize: 11,
  },
};

/**
 * Same comparison as the Node parity tests: forward over 2 chunks (13 + 70 steps, the second longer than MAX_ROWS),
 * then stepBatch B = 5.
 */
export async function compareWithReference(backend: BackendName, name: string): Promise<ParityRow> {
  const { layers, outputSize } = PARITY_CASES[name];
  const weights = randomRnnWeights(layers, outputSize, 11);
  const I = layers[0].inputSize;
  const x = randomInputs(83, I, 5);
  const ref = await createRnnStack(layers, weights);
  let gpu: RnnStack | null = null;
  try {
    gpu = await createRnnStack(layers, weights, { backend });
    const rs = ref.initialState();
    const gs = gpu.initialState();
    const r1 = await ref.forward(x, 13, rs);
    const r2 = await ref.forward(x.subarray(13 * I), 70, rs);
    const g1 = await gpu.forward(x, 13, gs);
    const g2 = await gpu.forward(x.subarray(13 * I), 70, gs);
    const B = 5;
    const xb = randomInputs(B, I, 9);
    const rb = ref.initialState(B);
    const gb = gpu.initialState(B);
    // a non-zero batch state: give each row some history first
    await ref.stepBatch(randomInputs(B, I, 3), B, rb);
    await gpu.stepBatch(randomInputs(B, I, 3), B, gb);
    const ry = await ref.stepBatch(xb, B, rb);
    const gy = await gpu.stepBatch(xb, B, gb);
    return {
      backend,
      case: name,
      forwardLogProbs: Math.max(maxAbsDiff(g1, r1), maxAbsDiff(g2, r2)),
      forwardState: maxStateDiff(gs, rs),
      batchLogProbs: maxAbsDiff(gy, ry),
      batchState: maxStateDiff(gb, rb),
      // gpu.js stacks report the modes that really ran (a silent cpu fallback shows); the others are what they are
      executed: (gpu as unknown as { executedModes?(): string[] }).executedModes?.() ?? [gpu.backend],
    };
  } catch (e) {
    return {
      backend,
      case: name,
      forwardLogProbs: Infinity,
      forwardState: Infinity,
      batchLogProbs: Infinity,
      batchState: Infinity,
      executed: [],
      error: String((e as Error)?.stack ?? e),
    };
  } finally {
    gpu?.dispose();
  }
}

export interface BenchRow {
  backend: BackendName;
  /** median ms of forward(x, 1) */
  singleStepMs: number;
  /** median over repeats of (ms of forward(x, chunkSteps)) / chunkSteps */
  chunkStepMs: number;
  /** max |Δ| log-probs vs reference over the measured chunk */
  maxErr: number;
  error?: string;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Time per step of one backend on a given stack (see test/bench/bench-step.ts for the Node twin). */
export async function benchBackend(
  backend: BackendName,
  layers: LayerSpec[],
  outputSize: number,
  opts: { singleSteps: number; chunkSteps: number; chunkRepeats: number; warmup: number },
): Promise<BenchRow> {
  const weights = randomRnnWeights(layers, outputSize, 21);
  const I = layers[0].inputSize;
  const x = randomInputs(opts.chunkSteps, I, 4);
  let stack: RnnStack | null = null;
  try {
    stack = await createRnnStack(layers, weights, { backend });
    const s = stack.initialState();
    for (let i = 0; i < opts.warmup; i++) await stack.forward(x.subarray((i % opts.chunkSteps) * I), 1, s);
    await stack.forward(x, opts.chunkSteps, stack.initialState());
    const single: number[] = [];
    for (let i = 0; i < opts.singleSteps; i++) {
      const t0 = performance.now();
      await stack.forward(x.subarray((i % opts.chunkSteps) * I), 1, s);
      single.push(performance.now() - t0);
    }
    const chunk: number[] = [];
    let last: Float32Array = new Float32Array(0);
    for (let i = 0; i < opts.chunkRepeats; i++) {
      const t0 = performance.now();
      last = await stack.forward(x, opts.chunkSteps, stack.initialState());
      chunk.push((performance.now() - t0) / opts.chunkSteps);
    }
    const ref = await createRnnStack(layers, weights);
    const expected = await ref.forward(x, opts.chunkSteps, ref.initialState());
    return { backend, singleStepMs: median(single), chunkStepMs: median(chunk), maxErr: maxAbsDiff(last, expected) };
  } catch (e) {
    return { backend, singleStepMs: NaN, chunkStepMs: NaN, maxErr: NaN, error: String((e as Error)?.stack ?? e) };
  } finally {
    stack?.dispose();
  }
}

(globalThis as Record<string, unknown>).__earshotRnn = {
  availableBackends,
  compareWithReference,
  benchBackend,
  cases: Object.keys(PARITY_CASES),
};

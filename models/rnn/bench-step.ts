/// <reference types="node" />
/**
 * Step benchmark of the RNN stack in Node: 3-layer GRU, 256 hidden, input 120, output 41 (the
 * default acoustic model's shape). For the reference and every gpu.js backend available in Node:
 *   single  median ms of forward(x, 1) (streaming, one step per call) after warm-up
 *   chunk   median over repeats of ms(forward(x, 100)) / 100
 *   maxErr  max |Δ| of the chunk's log-probs vs the reference
 *
 *   npx tsx models/rnn/bench-step.ts [--json] [--single 50] [--repeats 5] [--warmup 10] [--backends cpu,webasm]
 *
 * Browser backends (webgl2, webgpu in Chromium): models/rnn/bench-browser.ts.
 */
import type { LayerSpec } from '../package/model-spec';
import { availableBackends, type BackendName } from './backend';
import { createRnnStack } from './rnn-stack';
// fixtures shared with the tests (seeded uniform weights in model-spec.ts names and shapes)
import { maxAbsDiff, randomInputs, randomRnnWeights } from '../../test/helpers/random-rnn';

export const BENCH_LAYERS: LayerSpec[] = [
  { cell: 'gru', inputSize: 120, hiddenSize: 256 },
  { cell: 'gru', inputSize: 256, hiddenSize: 256 },
  { cell: 'gru', inputSize: 256, hiddenSize: 256 },
];
export const BENCH_OUTPUT = 41;
export const CHUNK_STEPS = 100;

export interface StepBenchRow {
  backend: BackendName;
  singleStepMs: number;
  chunkStepMs: number;
  maxErr: number;
  error?: string;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function benchOne(backend: BackendName, expected: Float32Array, opts: { single: number; repeats: number; warmup: number }): Promise<StepBenchRow> {
  const weights = randomRnnWeights(BENCH_LAYERS, BENCH_OUTPUT, 21);
  const I = BENCH_LAYERS[0].inputSize;
  const x = randomInputs(CHUNK_STEPS, I, 4);
  const stack = await createRnnStack(BENCH_LAYERS, weights, { backend });
  try {
    const s = stack.initialState();
    for (let i = 0; i < opts.warmup; i++) await stack.forward(x.subarray((i % CHUNK_STEPS) * I), 1, s);
    await stack.forward(x, CHUNK_STEPS, stack.initialState()); // compiles the chunk-gather kernel
    const single: number[] = [];
    for (let i = 0; i < opts.single; i++) {
      const t0 = performance.now();
      await stack.forward(x.subarray((i % CHUNK_STEPS) * I), 1, s);
      single.push(performance.now() - t0);
    }
    const chunk: number[] = [];
    let last: Float32Array = new Float32Array(0);
    for (let i = 0; i < opts.repeats; i++) {
      const t0 = performance.now();
      last = await stack.forward(x, CHUNK_STEPS, stack.initialState());
      chunk.push((performance.now() - t0) / CHUNK_STEPS);
    }
    return { backend, singleStepMs: median(single), chunkStepMs: median(chunk), maxErr: maxAbsDiff(last, expected) };
  } catch (e) {
    return { backend, singleStepMs: NaN, chunkStepMs: NaN, maxErr: NaN, error: String(e) };
  } finally {
    stack.dispose();
  }
}

export function formatTable(rows: StepBenchRow[], title: string): string {
  const lines = [
    title,
    'backend     ms/step (1-step calls)   ms/step (100-step chunk)   max |Δ| vs reference',
  ];
  for (const r of rows) {
    if (r.error) {
      lines.push(`${r.backend.padEnd(11)} error: ${r.error.split('\n')[0]}`);
      continue;
    }
    lines.push(`${r.backend.padEnd(11)} ${r.singleStepMs.toFixed(3).padStart(22)}   ${r.chunkStepMs.toFixed(3).padStart(24)}   ${r.maxErr.toExponential(2).padStart(20)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = { single: arg('single', 50), repeats: arg('repeats', 5), warmup: arg('warmup', 10) };
  const bi = process.argv.indexOf('--backends');
  const nodeBackends = (await availableBackends()).filter((b) => ['reference', 'js', 'wasm-simd', 'cpu', 'webasm', 'headlessgl'].includes(b));
  const backends = bi >= 0 ? (process.argv[bi + 1].split(',') as BackendName[]) : nodeBackends;
  const weights = randomRnnWeights(BENCH_LAYERS, BENCH_OUTPUT, 21);
  const ref = await createRnnStack(BENCH_LAYERS, weights);
  const expected = await ref.forward(randomInputs(CHUNK_STEPS, BENCH_LAYERS[0].inputSize, 4), CHUNK_STEPS, ref.initialState());
  const rows: StepBenchRow[] = [];
  for (const b of backends) rows.push(await benchOne(b, expected, opts));
  const config = { layers: BENCH_LAYERS, outputSize: BENCH_OUTPUT, chunkSteps: CHUNK_STEPS, ...opts, node: process.version };
  if (process.argv.includes('--json')) console.log(JSON.stringify({ config, rows }, null, 2));
  else console.log(formatTable(rows, `3×256 GRU (input 120, output 41), Node ${process.version}, medians`));
}

// run only as a script, not when imported (bench-browser.ts reuses the table and the model shape)
if (process.argv[1] && /bench-step\.[cm]?[jt]s$/.test(process.argv[1])) {
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}

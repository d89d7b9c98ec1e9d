/// <reference types="node" />
/**
 * Step benchmark of the RNN stack in Node: 3-layer GRU, 256 hidden, input 120, output 41 (the
 * default acoustic model's shape). For the reference and every gpu.js backend available in Node:
 *   single  median ms of forward(x, 1) (streaming, one step per call) after warm-up
 *   chunk   median over repeats of ms(forward(x, 100)) / 100
 *   maxErr  max |Δ| of the chunk's log-probs vs the reference
 *
 *   npx tsx test/bench/bench-step.ts [--json] [--single 50] [--repeats 5] [--warmup 10] [--backends cpu,webasm]
 *                                    [--dawn [--dawn-flag backend=vulkan ...]]
 *
 * --dawn installs Dawn's WebGPU (npm `webgpu`) as navigator.gpu first, so gpu.js's webgpu backend
 * runs in Node too (on Vulkan: an NVIDIA GPU, or Mesa lavapipe on a CPU); with it, webgpu always
 * gets a row, an error one when Dawn does not load or finds no adapter. The output names the
 * device behind webgpu and headlessgl (adapter info, GL renderer), since a software driver answers
 * as readily as a GPU. Run on a lent GPU machine through test/bench/gpu-device.sh.
 *
 * Browser backends (webgl2, webgpu in Chromium): test/bench/bench-browser.ts.
 */
import * as os from 'node:os';
import type { LayerSpec } from '../../models/package/model-spec';
import { availableBackends, type BackendName } from '../../models/rnn/backend';
import {
  headlessGlInfo,
  installNodeWebGpu,
  parseDawnArgs,
  webGpuDeviceInfo,
  type GlDeviceInfo,
  type WebGpuDeviceInfo,
} from './node-gpu';
import { createRnnStack } from '../../models/rnn/rnn-stack';
// fixtures shared with the tests (seeded uniform weights in model-spec.ts names and shapes)
import { maxAbsDiff, randomInputs, randomRnnWeights } from '../helpers/random-rnn';

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
  /**
   * gpu.js backends: the modes its kernels really ran in (GpuRnnStack.executedModes()). A kernel
   * that cannot build on the requested backend silently degrades to 'cpu'; such a row gets an
   * error too, since its figures are not the backend's.
   */
  ranOn?: string[];
}

/** The row of a backend that gave no figures, saying why. */
export function errorRow(backend: BackendName, error: string): StepBenchRow {
  return { backend, singleStepMs: NaN, chunkStepMs: NaN, maxErr: NaN, error };
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

async function benchOne(
  backend: BackendName,
  expected: Float32Array,
  opts: { single: number; repeats: number; warmup: number },
): Promise<StepBenchRow> {
  const weights = randomRnnWeights(BENCH_LAYERS, BENCH_OUTPUT, 21);
  const I = BENCH_LAYERS[0].inputSize;
  const x = randomInputs(CHUNK_STEPS, I, 4);
  let stack: Awaited<ReturnType<typeof createRnnStack>> | null = null;
  try {
    // inside the try: a backend that cannot even build its stack gets an error row, not an abort
    stack = await createRnnStack(BENCH_LAYERS, weights, { backend });
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
    const row: StepBenchRow = {
      backend,
      singleStepMs: median(single),
      chunkStepMs: median(chunk),
      maxErr: maxAbsDiff(last, expected),
    };
    const modes = (stack as Partial<{ executedModes(): string[] }>).executedModes?.();
    if (modes) {
      row.ranOn = modes;
      if (modes.some((m) => m !== backend))
        row.error = `gpu.js ran its kernels on ${modes.join(', ')}, not only ${backend} (silent fallback); figures kept in the JSON`;
    }
    return row;
  } catch (e) {
    return errorRow(backend, String(e));
  } finally {
    stack?.dispose();
  }
}

/** What ran a GPU backend, or why that could not be read. */
export interface BenchDevices {
  webgpu?: WebGpuDeviceInfo | { error: string };
  headlessgl?: GlDeviceInfo | { error: string };
}

/** One line per probed device: "webgpu device: nvidia / hopper / NVIDIA H100 …", or its error. */
export function formatDevices(devices: BenchDevices): string[] {
  const lines: string[] = [];
  const w = devices.webgpu;
  if (w) {
    lines.push(
      'error' in w
        ? `webgpu device: error: ${w.error.split('\n')[0]}`
        : `webgpu device: ${[w.vendor, w.architecture, w.device, w.description].filter(Boolean).join(' / ') || '(adapter gave no info)'}${w.isFallbackAdapter ? ' (fallback adapter)' : ''}`,
    );
  }
  const g = devices.headlessgl;
  if (g) {
    lines.push(
      'error' in g
        ? `headlessgl device: error: ${g.error.split('\n')[0]}`
        : `headlessgl device: ${g.renderer} (${g.vendor}; ${g.version})`,
    );
  }
  return lines;
}

export function formatTable(rows: StepBenchRow[], title: string, devices: BenchDevices = {}): string {
  const lines = [
    title,
    ...formatDevices(devices),
    'backend     ms/step (1-step calls)   ms/step (100-step chunk)   max |Δ| vs reference',
  ];
  for (const r of rows) {
    if (r.error) {
      lines.push(`${r.backend.padEnd(11)} error: ${r.error.split('\n')[0]}`);
      continue;
    }
    lines.push(
      `${r.backend.padEnd(11)} ${r.singleStepMs.toFixed(3).padStart(22)}   ${r.chunkStepMs.toFixed(3).padStart(24)}   ${r.maxErr.toExponential(2).padStart(20)}`,
    );
  }
  return lines.join('\n');
}

async function probe<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (e) {
    return { error: String(e) };
  }
}

async function main(): Promise<void> {
  const opts = { single: arg('single', 50), repeats: arg('repeats', 5), warmup: arg('warmup', 10) };
  const dawnFlags = parseDawnArgs(process.argv);
  let uninstallDawn: (() => void) | null = null;
  let dawnError: string | null = null;
  if (dawnFlags) {
    try {
      uninstallDawn = await installNodeWebGpu(dawnFlags);
    } catch (e) {
      dawnError = `Dawn (npm webgpu) did not load: ${String(e)}`;
    }
  }
  const bi = process.argv.indexOf('--backends');
  const nodeBackends = (await availableBackends()).filter((b) =>
    ['reference', 'js', 'wasm-simd', 'cpu', 'webasm', 'headlessgl', 'webgpu'].includes(b),
  );
  const backends = bi >= 0 ? (process.argv[bi + 1].split(',') as BackendName[]) : nodeBackends;
  const rows: StepBenchRow[] = [];
  // asked for Dawn but webgpu is not there: say why in its row instead of leaving it out
  const dawnMissing = dawnFlags !== null && !backends.includes('webgpu') && bi < 0;
  const devices: BenchDevices = {};
  if (backends.includes('webgpu') || dawnMissing)
    devices.webgpu = dawnError ? { error: dawnError } : await probe(webGpuDeviceInfo);
  if (backends.includes('headlessgl')) devices.headlessgl = await probe(headlessGlInfo);
  // with --json, also on stderr now: a run that then hangs or crashes still names its device
  if (process.argv.includes('--json')) for (const line of formatDevices(devices)) console.error(line);
  const weights = randomRnnWeights(BENCH_LAYERS, BENCH_OUTPUT, 21);
  const ref = await createRnnStack(BENCH_LAYERS, weights);
  const expected = await ref.forward(
    randomInputs(CHUNK_STEPS, BENCH_LAYERS[0].inputSize, 4),
    CHUNK_STEPS,
    ref.initialState(),
  );
  for (const b of backends)
    rows.push(b === 'webgpu' && dawnError ? errorRow(b, dawnError) : await benchOne(b, expected, opts));
  if (dawnMissing)
    rows.push(
      errorRow(
        'webgpu',
        dawnError ??
          (devices.webgpu && 'error' in devices.webgpu ? devices.webgpu.error : 'no WebGPU adapter answered'),
      ),
    );
  const cpus = os.cpus();
  const config = {
    layers: BENCH_LAYERS,
    outputSize: BENCH_OUTPUT,
    chunkSteps: CHUNK_STEPS,
    ...opts,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? '',
    cpuCount: cpus.length,
    dawnFlags,
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify({ config, devices, rows }, null, 2));
  else console.log(formatTable(rows, `3×256 GRU (input 120, output 41), Node ${process.version}, medians`, devices));
  uninstallDawn?.();
}

// run only as a script, not when imported (bench-browser.ts reuses the table and the model shape)
if (process.argv[1] && /bench-step\.[cm]?[jt]s$/.test(process.argv[1])) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

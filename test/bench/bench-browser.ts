/// <reference types="node" />
/**
 * Browser twin of bench-step.ts: the same 3×256 GRU timed inside Debian Chromium (headless,
 * --disable-gpu, so WebGL and WebGPU run on SwiftShader, a CPU rasteriser: slow, expected; the
 * numbers show per-step overheads, not GPU speed). Reuses the e2e page and harness.
 *
 *   npx tsx test/bench/bench-browser.ts [--json] [--single 20] [--repeats 3] [--warmup 5]
 *       [--backends reference,js,wasm-simd,webasm,webgl2,webgpu]
 */
import type { BackendName } from '../../models/rnn/backend';
import { BENCH_LAYERS, BENCH_OUTPUT, CHUNK_STEPS, formatTable, type StepBenchRow } from './bench-step';
import { chromiumAvailable, CHROMIUM_PATH, openRnnPage } from '../e2e/gpu-browser-harness';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.error(`bench-browser: ${CHROMIUM_PATH} is missing; nothing to run`);
    process.exit(2);
  }
  const opts = {
    singleSteps: arg('single', 20),
    chunkSteps: CHUNK_STEPS,
    chunkRepeats: arg('repeats', 3),
    warmup: arg('warmup', 5),
  };
  const bi = process.argv.indexOf('--backends');
  const wanted = (bi >= 0 ? process.argv[bi + 1] : 'reference,js,wasm-simd,webasm,webgl2,webgpu').split(
    ',',
  ) as BackendName[];
  const session = await openRnnPage();
  try {
    const rows: StepBenchRow[] = [];
    for (const backend of wanted) {
      const row = await session.page.evaluate(
        ([b, layers, k, o]) =>
          (
            globalThis as unknown as {
              __earshotRnn: { benchBackend(b: string, l: unknown, k: number, o: unknown): Promise<StepBenchRow> };
            }
          ).__earshotRnn.benchBackend(b, layers, k, o),
        [backend, BENCH_LAYERS, BENCH_OUTPUT, opts] as const,
      );
      rows.push(row);
      if (!process.argv.includes('--json')) console.error(`done: ${backend}`);
    }
    const userAgent = await session.page.evaluate(() => navigator.userAgent);
    if (process.argv.includes('--json')) {
      console.log(
        JSON.stringify(
          { config: { layers: BENCH_LAYERS, outputSize: BENCH_OUTPUT, ...opts, userAgent }, rows },
          null,
          2,
        ),
      );
    } else {
      console.log(
        formatTable(
          rows,
          `3×256 GRU (input 120, output 41) in ${userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium'} (SwiftShader), medians`,
        ),
      );
    }
  } finally {
    await session.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

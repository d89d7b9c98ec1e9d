/**
 * The acoustic model's RNN timed inside Debian Chromium (the e2e harness: headless, --disable-gpu,
 * so webgl2 and webgpu run on SwiftShader, a CPU rasteriser — the figures show the backends'
 * overheads here, not what a real GPU does). Same shape and random weights as the Node stand-in;
 * the acoustic stage's RTF = milliseconds per step in chunks of `chunkSteps` × steps per second.
 */
import type { LayerSpec } from '../../models/package/model-spec';
import type { BackendName } from '../../models/rnn/backend';
import { chromiumAvailable, openRnnPage } from '../e2e/gpu-browser-harness';

export interface BrowserRnnRow {
  backend: BackendName;
  /** Median ms of forward() over one step. */
  singleStepMs: number;
  /** Median ms per step of forward() over chunkSteps steps. */
  chunkStepMs: number;
  /** chunkStepMs × steps per second / 1000 (wall clock in the page). */
  acousticRtf: number;
  maxErrVsReference: number;
  error?: string;
}

export interface BrowserRnnResult {
  userAgent: string;
  chunkSteps: number;
  rows: BrowserRnnRow[];
}

export { chromiumAvailable };

interface PageBenchRow {
  singleStepMs: number;
  chunkStepMs: number;
  maxErr: number;
  error?: string;
}

export async function benchBrowserRnn(
  layers: LayerSpec[],
  outputSize: number,
  stepsPerSecond: number,
  options: { backends?: BackendName[]; chunkSteps?: number; timeoutSeconds?: number } = {},
): Promise<BrowserRnnResult> {
  const backends = options.backends ?? ['reference', 'js', 'wasm-simd', 'webasm', 'webgl2', 'webgpu'];
  const chunkSteps = options.chunkSteps ?? 4;
  const session = await openRnnPage();
  try {
    const userAgent = await session.page.evaluate(() => navigator.userAgent);
    const rows: BrowserRnnRow[] = [];
    for (const backend of backends) {
      const run = session.page.evaluate(
        ([b, l, k, o]) =>
          (
            globalThis as unknown as {
              __earshotRnn: { benchBackend(b: string, l: unknown, k: number, o: unknown): Promise<PageBenchRow> };
            }
          ).__earshotRnn.benchBackend(b, l, k, o),
        [backend, layers, outputSize, { singleSteps: 10, chunkSteps, chunkRepeats: 10, warmup: 3 }] as const,
      );
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<PageBenchRow>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({
              singleStepMs: NaN,
              chunkStepMs: NaN,
              maxErr: NaN,
              error: `timed out after ${options.timeoutSeconds ?? 120} s`,
            }),
          1000 * (options.timeoutSeconds ?? 120),
        );
      });
      const r = await Promise.race([run, timeout]);
      clearTimeout(timer);
      rows.push({
        backend,
        singleStepMs: r.singleStepMs,
        chunkStepMs: r.chunkStepMs,
        acousticRtf: (r.chunkStepMs * stepsPerSecond) / 1000,
        maxErrVsReference: r.maxErr,
        ...(r.error ? { error: r.error.split('\n')[0] } : {}),
      });
      if (r.error?.startsWith('timed out')) break; // the page is still busy with it
    }
    return { userAgent, chunkSteps, rows };
  } finally {
    await session.close();
  }
}

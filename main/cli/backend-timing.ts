/**
 * Backend 'auto' for the CLI: the backends are timed in a worker thread that ends before decoding starts.
 *
 * Timing a backend builds it: gpu.js itself (~7 MB) and its compiled kernels (~10 MB per backend,
 * WebAssembly memory included) stayed in the CLI's heap after chooseBackend() disposed the losers,
 * ~20 MB of its peak RSS when the plain 'js' backend won (as it does on these CPUs). A worker's heap
 * goes away with the worker; the recognizer then builds only the winner. The choice and the timings
 * are the same as chooseBackend's (the same code times the same stacks, one after the other, while
 * the main thread waits).
 *
 * If the worker cannot run (no worker_threads, a loader problem), the backends are timed here.
 */
import { Worker } from 'node:worker_threads';
import type { LayerSpec } from '../../models/package/model-spec';
import type { BackendName } from '../../models/rnn/backend';
import { chooseBackend, type BackendTiming, type ChooseBackendOptions } from '../../models/rnn/choose-backend';
import type { TensorMap } from '../../models/rnn/tensor';

export interface TimedChoice {
  backend: BackendName;
  timings: BackendTiming[];
  /** Where the timing ran: 'worker', or 'here' after the worker failed (`workerError` says why). */
  timedIn: 'worker' | 'here';
  workerError?: string;
}

/**
 * Times the backends in a worker thread and returns the winner's name; times them here when the
 * worker fails (e.g. a worker cannot start), with the reason in `workerError`.
 */
export async function chooseBackendInWorker(layers: LayerSpec[], weights: TensorMap, options: ChooseBackendOptions = {}): Promise<TimedChoice> {
  try {
    const result = await runWorker(layers, weights, options);
    return { ...result, timedIn: 'worker' };
  } catch (e) {
    const here = await chooseBackend(layers, weights, options);
    here.stack.dispose();
    return { backend: here.backend, timings: here.timings, timedIn: 'here', workerError: (e as Error).message ?? String(e) };
  }
}

function runWorker(layers: LayerSpec[], weights: TensorMap, options: ChooseBackendOptions): Promise<{ backend: BackendName; timings: BackendTiming[] }> {
  // Bundled (out/cli/cli.mjs), the worker script is out/cli/backend-timing-worker.mjs (build-cli.mjs);
  // run from the TypeScript sources through tsx, it is backend-timing-worker.ts, started by tsx-worker.mjs.
  const fromSources = import.meta.url.endsWith('.ts');
  const script = new URL(fromSources ? './tsx-worker.mjs' : './backend-timing-worker.mjs', import.meta.url);
  const tsEntry = fromSources ? new URL('./backend-timing-worker.ts', import.meta.url).href : undefined;
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: { tsEntry, layers, tensors: [...weights], options },
      stdout: true, // a worker's output is not the CLI's output
      stderr: true,
    });
    let settled = false;
    // answer once the worker is gone: its heap is then freed, before the caller loads anything more
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      worker.terminate().then(fn, fn);
    };
    worker.once('message', (m: { backend?: BackendName; timings?: BackendTiming[]; error?: string }) => {
      finish(() => (m.error !== undefined || m.backend === undefined ? reject(new Error(m.error ?? 'no answer')) : resolve({ backend: m.backend, timings: m.timings ?? [] })));
    });
    worker.once('error', (e) => finish(() => reject(e)));
    worker.once('exit', (code) => finish(() => reject(new Error(`backend timing worker exited with code ${code} before answering`))));
  });
}

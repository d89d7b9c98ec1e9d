/**
 * Backend choice at start: briefly time each available backend on the loaded model and keep the
 * fastest. The reference (plain TypeScript) path is the yardstick: a backend is chosen only if it
 * beats it, so software GPUs (SwiftShader) or a slow WebAssembly build are never picked.
 *
 * What is timed is what streaming does: forward() over a chunk of `chunkSteps` steps (the RNN runs
 * once per decode pass, ~100-300 ms of audio), the fastest of a few repetitions after a warm-up
 * that also compiles the kernels. The fastest, not the median: on a shared machine another process
 * takes the CPU for whole milliseconds, and a backend timed during such a stretch looked 2-4×
 * slower than it is (with the median, 'auto' picked gpu.js webasm over the 2× faster 'js' in about
 * one run in eight here, and then also paid gpu.js's 20 MB).
 */
import type { LayerSpec } from '../package/model-spec';
import { availableBackends, type BackendName } from './backend';
import { createRnnStack, type RnnStack } from './rnn-stack';
import type { TensorMap } from './tensor';

export interface BackendTiming {
  backend: BackendName;
  /** Milliseconds per RNN step (the fastest repetition), or null when the backend failed (see `error`). */
  msPerStep: number | null;
  error?: string;
}

export interface BackendChoice {
  backend: BackendName;
  timings: BackendTiming[];
  /** The chosen backend's stack, already built (kernels compiled) while timing: the caller owns and disposes it. */
  stack: RnnStack;
}

export interface ChooseBackendOptions {
  /** Backends to consider; default: all available here. 'reference' is always measured. */
  candidates?: BackendName[];
  /** Steps per timed forward() call; default 10 (300 ms of audio at 33 steps/s). */
  chunkSteps?: number;
  /** Timed repetitions per backend (the fastest counts); default 7. */
  repeats?: number;
}

async function timeStack(stack: RnnStack, chunkSteps: number, repeats: number): Promise<number> {
  const x = new Float32Array(chunkSteps * stack.inputSize);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37);
  const state = stack.initialState(1);
  await stack.forward(x, chunkSteps, state); // warm-up: compiles kernels, JIT
  await stack.forward(x, chunkSteps, state);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await stack.forward(x, chunkSteps, state);
    times.push((performance.now() - t0) / chunkSteps);
  }
  return Math.min(...times);
}

export async function chooseBackend(layers: LayerSpec[], weights: TensorMap, options: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const chunkSteps = options.chunkSteps ?? 10;
  const repeats = options.repeats ?? 7;
  const available = await availableBackends();
  const candidates = (options.candidates ?? available).filter((b) => available.includes(b) && b !== 'reference');
  const timings: BackendTiming[] = [];
  // Only the fastest stack so far is kept (the reference first, as the yardstick); the others are
  // disposed at once, so the winner is not built a second time.
  let best: { timing: BackendTiming; stack: RnnStack } | null = null;
  for (const backend of ['reference' as BackendName, ...candidates]) {
    let stack: RnnStack | null = null;
    try {
      stack = await createRnnStack(layers, weights, { backend });
      const timing: BackendTiming = { backend, msPerStep: await timeStack(stack, chunkSteps, repeats) };
      timings.push(timing);
      // never slower than the reference: a candidate must beat the best so far, which starts at the reference
      if (best === null || timing.msPerStep! < best.timing.msPerStep!) {
        best?.stack.dispose();
        best = { timing, stack };
        stack = null;
      }
    } catch (e) {
      timings.push({ backend, msPerStep: null, error: (e as Error).message });
    } finally {
      stack?.dispose();
    }
  }
  if (best === null) throw new Error(`chooseBackend: the reference backend failed: ${timings[0].error}`);
  return { backend: best.timing.backend, timings, stack: best.stack };
}

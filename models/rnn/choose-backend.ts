/**
 * Backend choice at start: briefly time each available backend on the loaded model and keep the
 * fastest. The reference (plain TypeScript) path is the yardstick: a backend is chosen only if it
 * beats it, so software GPUs (SwiftShader) or a slow WebAssembly build are never picked.
 *
 * What is timed is what streaming does: forward() over a chunk of `chunkSteps` steps (the RNN runs
 * once per decode pass, ~100-300 ms of audio), after a warm-up that also compiles the kernels.
 * Every backend is built and warmed up first; then `repeats` rounds time each of them once, in
 * turn, and a backend's figure is its fastest round. On a shared machine another process takes the
 * CPU for whole milliseconds: timed one after the other with the median, a backend caught in such a
 * stretch looked 2-4× slower than it is, and 'auto' picked gpu.js webasm over the 2× faster 'js'
 * in about one run in eight here (then also paying gpu.js's 20 MB). Rounds spread each backend's
 * samples over the whole timing, and the fastest sample is the one no other process got in the way of.
 */
import type { LayerSpec } from '../package/model-spec';
import { availableBackends, type BackendName } from './backend';
import { createRnnStack } from './rnn-stack';
import type { RnnStack, RnnState } from './rnn-types';
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
  /** Timed rounds (each backend once per round; its fastest round counts); default 7. */
  repeats?: number;
}

/** Warm-up: compiles kernels, JIT; returns the input and state the timed rounds reuse. */
async function warmUp(stack: RnnStack, chunkSteps: number): Promise<{ x: Float32Array; state: RnnState }> {
  const x = new Float32Array(chunkSteps * stack.inputSize);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37);
  const state = stack.initialState(1);
  await stack.forward(x, chunkSteps, state);
  await stack.forward(x, chunkSteps, state);
  return { x, state };
}

export async function chooseBackend(
  layers: LayerSpec[],
  weights: TensorMap,
  options: ChooseBackendOptions = {},
): Promise<BackendChoice> {
  const chunkSteps = options.chunkSteps ?? 10;
  const repeats = Math.max(1, options.repeats ?? 7);
  const available = await availableBackends();
  const candidates = (options.candidates ?? available).filter((b) => available.includes(b) && b !== 'reference');
  const timings: BackendTiming[] = [];
  const timed: Array<{ timing: BackendTiming; stack: RnnStack; x: Float32Array; state: RnnState }> = [];
  const fail = (t: BackendTiming, e: unknown): void => {
    t.msPerStep = null;
    t.error = (e as Error).message ?? String(e);
  };
  try {
    for (const backend of ['reference' as BackendName, ...candidates]) {
      const timing: BackendTiming = { backend, msPerStep: Infinity };
      timings.push(timing);
      let stack: RnnStack | null = null;
      try {
        stack = await createRnnStack(layers, weights, { backend });
        timed.push({ timing, stack, ...(await warmUp(stack, chunkSteps)) });
      } catch (e) {
        fail(timing, e);
        stack?.dispose();
      }
    }
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < timed.length; i++) {
        const t = timed[(i + r) % timed.length]; // a different order each round
        if (t.timing.msPerStep === null) continue;
        try {
          const t0 = performance.now();
          await t.stack.forward(t.x, chunkSteps, t.state);
          t.timing.msPerStep = Math.min(t.timing.msPerStep, (performance.now() - t0) / chunkSteps);
        } catch (e) {
          fail(t.timing, e);
        }
      }
    }
  } catch (e) {
    for (const t of timed) t.stack.dispose();
    throw e;
  }
  // never slower than the reference: a candidate must beat the best so far, which starts at the reference
  let best: (typeof timed)[number] | null = null;
  for (const t of timed) {
    if (t.timing.msPerStep === null) continue;
    if (best === null ? t.timing.backend === 'reference' : t.timing.msPerStep < best.timing.msPerStep!) best = t;
  }
  for (const t of timed) if (t !== best) t.stack.dispose();
  if (best === null) throw new Error(`chooseBackend: the reference backend failed: ${timings[0].error}`);
  return { backend: best.timing.backend, timings, stack: best.stack };
}

/**
 * The gpu.js backends ('cpu', 'webasm', 'webgl', 'webgl2', 'webgpu', 'headlessgl') of the RNN stack.
 *
 * Per step: one kernel per vanilla/gru layer (lstm: gates + cell), then one logits kernel. Every
 * kernel runs in gpu.js pipeline mode, so a layer's new state stays on the device (GL texture,
 * WebGPU buffer; a plain array on cpu/webasm) and feeds the layer above and the next step without
 * a readback. forward() gathers the chunk's logits on the device (logitsIntoRowKernel) and reads
 * them back once per chunk of ≤ MAX_ROWS steps; the states are read back once per call, because the
 * caller owns them as Float32Arrays. Log-softmax runs on the host over the K logits of each row.
 *
 * The caller's state is written only after a call succeeds; a failed call leaves it as it was.
 *
 * Kernel sizes are fixed at compile time, so kernels are cached per row count, rounded up to a
 * power of two (forward: 1..MAX_ROWS gathered rows; stepBatch: B padded with zero rows), which keeps
 * the number of shader compiles small when beam sizes vary.
 */
import type { IGPUKernelSettings, IKernelRunShortcut, KernelFunction, KernelVariable } from 'gpu.js';
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import {
  gruStepKernel,
  logitsIntoRowKernel,
  logitsRowsKernel,
  lstmCellKernel,
  lstmGatesKernel,
  vanillaStepKernel,
} from './gpu-kernels';
import { kernelBackendName, loadGpuJsModule, type GpuJsModule } from './gpu-module';
import { logSoftmaxRows } from './reference-kernels';
import type { LayerWeights, StackWeights } from './rnn-weights';
import type { RnnStack, RnnState } from './rnn-types';
import { checkInput, checkState, copyState, zeroState } from './rnn-state';

/** Steps whose logits are gathered on the device before one readback. */
export const MAX_ROWS = 64;

/** What a pipeline-mode kernel hands back: a typed array (cpu, webasm) or a device handle. */
type DeviceValue = Float32Array | { toArray(): unknown; delete?(): void };

interface LayerKernels {
  /** vanilla/gru: the step kernel; lstm: the gate kernel. */
  step: IKernelRunShortcut;
  /** lstm only: the cell update writing the packed [h | c] state. */
  cell: IKernelRunShortcut | null;
}

interface RowKernels {
  layers: LayerKernels[];
  /** logitsRowsKernel for these rows (stepBatch). Created on first use. */
  logitsRows: IKernelRunShortcut | null;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Device row width of a layer's state: lstm packs [h | c]. */
function stateWidth(w: LayerWeights): number {
  return w.cell === 'lstm' ? 2 * w.hiddenSize : w.hiddenSize;
}

function isHostArray(v: DeviceValue): v is Float32Array {
  return ArrayBuffer.isView(v);
}

/** Calls a kernel with device values / host arrays / numbers (gpu.js's own typings are narrower). */
function call(k: IKernelRunShortcut, ...args: (DeviceValue | number)[]): unknown {
  // KernelVariable names DOM types (HTMLCanvasElement...) that this file's Node-side tsconfig does not load
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
  return k(...(args as KernelVariable[]));
}

async function settle(v: unknown): Promise<DeviceValue> {
  return (v instanceof Promise ? await v : v) as DeviceValue;
}

/** Reads a device value back into a Float32Array (awaits WebGPU's asynchronous readback). */
async function readBack(v: DeviceValue): Promise<Float32Array> {
  if (isHostArray(v)) return v;
  const arr = await settle(v.toArray());
  return arr instanceof Float32Array ? arr : Float32Array.from(arr as unknown as ArrayLike<number>);
}

/** Frees a device value (texture/buffer goes back to its kernel's pool); no-op for host arrays. */
function release(v: DeviceValue): void {
  if (!isHostArray(v) && typeof v.delete === 'function') v.delete();
}

export async function createGpuRnnStack(
  layers: LayerSpec[],
  weights: StackWeights,
  backend: BackendName,
): Promise<GpuRnnStack> {
  if (backend === 'reference' || backend === 'js' || backend === 'wasm-simd')
    throw new Error(`createGpuRnnStack: '${backend}' is not a gpu.js backend`);
  const mod = await loadGpuJsModule();
  const gpu = new mod.GPU({ mode: backend });
  return new GpuRnnStack(layers, weights, backend, gpu, mod);
}

export class GpuRnnStack implements RnnStack {
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly rowKernels = new Map<number, RowKernels>();
  private readonly intoRowKernels = new Map<number, IKernelRunShortcut>();
  private readonly zeroRows = new Map<number, Float32Array>();
  private readonly loopMax: number;
  private disposed = false;

  constructor(
    readonly layers: LayerSpec[],
    private readonly weights: StackWeights,
    readonly backend: BackendName,
    private readonly gpu: InstanceType<GpuJsModule['GPU']>,
    private readonly gpuJs: GpuJsModule,
  ) {
    this.inputSize = layers[0].inputSize;
    this.outputSize = weights.output.outputSize;
    // GL unrolls loops with a fixed maximum trip count; the longest loop is over H, I or H_last.
    this.loopMax = 1 + Math.max(...layers.map((l) => Math.max(l.inputSize, l.hiddenSize)));
  }

  initialState(batch = 1): RnnState {
    return zeroState(this.layers, batch);
  }

  cloneState(s: RnnState): RnnState {
    return copyState(s);
  }

  /**
   * The backends whose kernels actually ran this stack so far (e.g. ['webgl2']); a gpu.js kernel
   * that cannot run on the requested backend silently degrades to 'cpu', which shows here.
   */
  executedModes(): string[] {
    const modes = new Set<string>();
    const note = (k: IKernelRunShortcut | null): void => {
      if (k && k.kernel.built) modes.add(kernelBackendName(this.gpuJs, k.kernel));
    };
    for (const rk of this.rowKernels.values()) {
      rk.layers.forEach((lk) => {
        note(lk.step);
        note(lk.cell);
      });
      note(rk.logitsRows);
    }
    for (const k of this.intoRowKernels.values()) note(k);
    return [...modes];
  }

  async forward(x: Float32Array, steps: number, state: RnnState): Promise<Float32Array> {
    this.checkAlive();
    checkInput(x, steps, this.inputSize, 'steps');
    checkState(this.layers, state, 1);
    const K = this.outputSize;
    const I = this.inputSize;
    const out = new Float32Array(steps * K);
    if (steps === 0) return out;
    const kernels = this.kernelsForRows(1);
    let states: DeviceValue[] = this.uploadStates(state, 1, 1);
    for (let c0 = 0; c0 < steps; c0 += MAX_ROWS) {
      const n = Math.min(MAX_ROWS, steps - c0);
      const R = nextPowerOfTwo(n);
      const intoRow = this.intoRowKernel(R);
      let gathered: DeviceValue = this.zeros(R * K);
      for (let t = 0; t < n; t++) {
        states = await this.stepLayers(kernels, x.subarray((c0 + t) * I, (c0 + t + 1) * I), states);
        const next = await settle(call(intoRow, gathered, states[states.length - 1], t));
        release(gathered);
        gathered = next;
      }
      const logits = await readBack(gathered);
      release(gathered);
      out.set(logits.subarray(0, n * K), c0 * K);
    }
    await this.downloadStates(states, state, 1);
    logSoftmaxRows(out, steps, K);
    return out;
  }

  async stepBatch(x: Float32Array, batch: number, state: RnnState): Promise<Float32Array> {
    this.checkAlive();
    checkInput(x, batch, this.inputSize, 'batch');
    checkState(this.layers, state, batch);
    const K = this.outputSize;
    const I = this.inputSize;
    const Bp = nextPowerOfTwo(batch);
    const kernels = this.kernelsForRows(Bp);
    let input = x.subarray(0, batch * I);
    if (Bp !== batch) {
      // zero rows pad the batch up to the compiled size; their results are dropped
      const padded = new Float32Array(Bp * I);
      padded.set(input);
      input = padded;
    }
    let states: DeviceValue[] = this.uploadStates(state, batch, Bp);
    states = await this.stepLayers(kernels, input, states);
    kernels.logitsRows ??= this.makeKernel(logitsRowsKernel, Bp * K, this.logitsConstants());
    const logitsDev = await settle(call(kernels.logitsRows, states[states.length - 1]));
    const logits = (await readBack(logitsDev)).slice(0, batch * K);
    release(logitsDev);
    await this.downloadStates(states, state, batch);
    logSoftmaxRows(logits, batch, K);
    return logits;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rowKernels.clear();
    this.intoRowKernels.clear();
    // destroys every kernel (and its textures/buffers) this GPU instance created; asynchronous in
    // this gpu.js, and nothing useful can be done about a failure while tearing down
    try {
      void Promise.resolve(this.gpu.destroy()).catch(() => undefined);
    } catch {
      // already lost (e.g. WebGPU device lost)
    }
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error(`RnnStack (${this.backend}) was disposed`);
  }

  /** One step of every layer: x (rows × I) → new device states (rows × stateWidth per layer). */
  private async stepLayers(kernels: RowKernels, x: Float32Array, states: DeviceValue[]): Promise<DeviceValue[]> {
    const next: DeviceValue[] = [];
    let input: DeviceValue = x;
    for (let l = 0; l < kernels.layers.length; l++) {
      const lk = kernels.layers[l];
      let s: DeviceValue;
      if (lk.cell) {
        const gates = await settle(call(lk.step, input, states[l]));
        s = await settle(call(lk.cell, gates, states[l]));
        release(gates);
      } else {
        s = await settle(call(lk.step, input, states[l]));
      }
      // the old state has now been read by this layer (this step) and the layer above (last step)
      release(states[l]);
      next.push(s);
      input = s;
    }
    return next;
  }

  /** Host state (batch rows) → per-layer arrays of rows × stateWidth, zero-padded to `rows`. */
  private uploadStates(state: RnnState, batch: number, rows: number): Float32Array[] {
    return this.weights.layers.map((w, l) => {
      const H = w.hiddenSize;
      if (w.cell !== 'lstm') {
        if (rows === batch) return state.h[l];
        const a = new Float32Array(rows * H);
        a.set(state.h[l]);
        return a;
      }
      const a = new Float32Array(rows * 2 * H);
      for (let b = 0; b < batch; b++) {
        a.set(state.h[l].subarray(b * H, (b + 1) * H), b * 2 * H);
        a.set(state.c[l].subarray(b * H, (b + 1) * H), b * 2 * H + H);
      }
      return a;
    });
  }

  /** Device states → the caller's RnnState (first `batch` rows); frees the device values. */
  private async downloadStates(states: DeviceValue[], state: RnnState, batch: number): Promise<void> {
    for (let l = 0; l < states.length; l++) {
      const w = this.weights.layers[l];
      const H = w.hiddenSize;
      const a = await readBack(states[l]);
      release(states[l]);
      if (w.cell !== 'lstm') {
        state.h[l].set(a.subarray(0, batch * H));
        continue;
      }
      for (let b = 0; b < batch; b++) {
        state.h[l].set(a.subarray(b * 2 * H, b * 2 * H + H), b * H);
        state.c[l].set(a.subarray(b * 2 * H + H, (b + 1) * 2 * H), b * H);
      }
    }
  }

  private zeros(n: number): Float32Array {
    let z = this.zeroRows.get(n);
    if (!z) {
      z = new Float32Array(n);
      this.zeroRows.set(n, z);
    }
    return z;
  }

  private makeKernel(fn: unknown, outputLength: number, constants: object): IKernelRunShortcut {
    const settings = {
      output: [outputLength],
      constants,
      pipeline: true, // results stay on the device and feed the next kernel
      immutable: true, // a fresh result per call: a step reads its own previous output
      precision: 'single',
      tactic: 'precision', // highp on GL
      loopMaxIterations: this.loopMax,
    } as IGPUKernelSettings;
    return this.gpu.createKernel(fn as KernelFunction, settings);
  }

  private logitsConstants(): object {
    const o = this.weights.output;
    const top = this.weights.layers[this.weights.layers.length - 1];
    return { W: o.W_ya, bias: o.b_y, K: o.outputSize, H: o.hiddenSize, hs: stateWidth(top) };
  }

  private intoRowKernel(R: number): IKernelRunShortcut {
    let k = this.intoRowKernels.get(R);
    if (!k) {
      k = this.makeKernel(logitsIntoRowKernel, R * this.outputSize, this.logitsConstants());
      this.intoRowKernels.set(R, k);
    }
    return k;
  }

  /** Step kernels compiled for `rows` independent rows (1 for forward). */
  private kernelsForRows(rows: number): RowKernels {
    const cached = this.rowKernels.get(rows);
    if (cached) return cached;
    const layers = this.weights.layers.map((w, l): LayerKernels => {
      const below = l === 0 ? null : this.weights.layers[l - 1];
      const xs = below ? stateWidth(below) : this.inputSize; // row stride of this layer's input
      const H = w.hiddenSize;
      const I = w.inputSize;
      if (w.cell === 'vanilla') {
        const constants = { Wa: w.W_a, ba: w.b_a, H, I, S: H + I, xs, relu: w.activation === 'relu' ? 1 : 0 };
        return { step: this.makeKernel(vanillaStepKernel, rows * H, constants), cell: null };
      }
      const constants = { Wx: w.W_ax, Wh: w.W_aa, bx: w.b_ax, bh: w.b_aa, H, I, xs };
      if (w.cell === 'gru') return { step: this.makeKernel(gruStepKernel, rows * H, constants), cell: null };
      return {
        step: this.makeKernel(lstmGatesKernel, rows * 4 * H, constants),
        cell: this.makeKernel(lstmCellKernel, rows * 2 * H, { H }),
      };
    });
    const rk: RowKernels = { layers, logitsRows: null };
    this.rowKernels.set(rows, rk);
    return rk;
  }
}

/**
 * The 'wasm-simd' backend: the 'js' backend's algorithm with every dense product (input
 * projections, recurrent projections, output logits) in the WebAssembly SIMD kernel of
 * wasm-simd.ts, and the log-softmax's exp sums too. The gates and activations stay in TypeScript
 * (js-kernels.ts).
 *
 * Not bit-identical to 'reference': the kernel sums in float32 in 4 lanes (the reference in a
 * double, in order), so log-probabilities differ in the last bits (≤ 1e-4 in the tests, ~1e-6 in
 * practice). 'js' stays the bit-identical fast path; 'auto' picks this backend only when it times
 * faster (choose-backend.ts), and the LM takes it when it is available (lmBackendFor).
 *
 * Memory: at construction the weights are copied into the instance's WebAssembly memory, once
 * (the stack keeps no reference to the JS arrays). A large matrix whose values are float16 numbers
 * (an F16 package's LM output layer: 10,002 × 256) is kept as float16, 5 MB instead of 10 MB, which
 * also halves what each product streams from memory; the kernel widens it exactly, so the numbers
 * are those of the float32 matrix. The working buffers (a batch's inputs, input and
 * recurrent projections, layer outputs, states, a block of logits) sit after them and are laid out
 * again only when a call needs more rows than any before. Logits are computed in blocks of rows
 * (≤ 1 MB of them) and copied out into the returned array, so a large batch does not grow the
 * memory by B·K floats.
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import { gruGates, lstmGates } from './js-kernels';
import type { StackWeights } from './rnn-weights';
import type { RnnStack, RnnState } from './rnn-types';
import type { Int8Rows } from './tensor';
import { checkInput, checkState, copyState, zeroState } from './rnn-state';
import { WasmSimdArena, type WasmMatrix } from './wasm-simd';

/**
 * One layer's weights in the arena: input and recurrent matrices, biases as float indices (the
 * vanilla cell's W_a = [W_aa | W_ax] split back into its two halves, its recurrence without a bias).
 */
interface WasmLayer {
  cell: 'vanilla' | 'gru' | 'lstm';
  relu: boolean;
  I: number;
  H: number;
  G: number;
  W_ax: WasmMatrix;
  W_aa: WasmMatrix;
  b_ax: number;
  b_aa: number;
}

export interface WasmSimdStackOptions {
  /**
   * Matrices with at least this many values are stored as float16 when their values are float16
   * numbers (WasmSimdArena.putMatrix); default 2^20, i.e. an LM's output layer (10,002 × 256), whose
   * product streams the whole matrix from memory for a few rows. Smaller ones stay float32 (cached,
   * where widening would only cost time).
   */
  halfFrom?: number;
}

const HALF_FROM = 1 << 20;

/** Logits computed per kernel call: at most this many floats (1 MB), at least one row. */
const LOGIT_BLOCK_FLOATS = 262_144;

export class WasmSimdRnnStack implements RnnStack {
  readonly backend: BackendName = 'wasm-simd';
  readonly inputSize: number;
  readonly outputSize: number;
  private arena: WasmSimdArena | null;
  private readonly wl: WasmLayer[];
  private readonly out: { K: number; H: number; W_ya: WasmMatrix; b_y: number };
  private readonly maxGH: number;
  private readonly maxH: number;
  private readonly workMark: number;
  private capacity = 0;
  // working buffers (float indices), valid for `capacity` rows
  private xin = 0;
  private proj = 0;
  private rec = 0;
  private seqA = 0;
  private seqB = 0;
  private hbuf = 0;
  private logits = 0;
  private logitRows = 0;
  private int8Scratch = -1;

  constructor(
    readonly layers: LayerSpec[],
    weights: StackWeights,
    options: WasmSimdStackOptions = {},
  ) {
    const halfFrom = options.halfFrom ?? HALF_FROM;
    this.inputSize = layers[0].inputSize;
    this.outputSize = weights.output.outputSize;
    const G = (w: StackWeights['layers'][number]) => (w.cell === 'vanilla' ? 1 : w.gates);
    this.maxGH = Math.max(...weights.layers.map((w) => G(w) * w.hiddenSize));
    this.maxH = Math.max(...weights.layers.map((w) => w.hiddenSize));
    const o = weights.output;
    const outHalf = o.W_ya.length >= halfFrom;
    let floats =
      (o.W_yaInt8 ? o.W_ya.length / 4 + o.outputSize : outHalf ? o.W_ya.length / 2 : o.W_ya.length) + o.b_y.length;
    for (const w of weights.layers) {
      floats +=
        w.cell === 'vanilla'
          ? w.W_a.length + 2 * w.b_a.length
          : w.W_ax.length + w.W_aa.length + w.b_ax.length + w.b_aa.length;
    }
    const arena = WasmSimdArena.create(floats + 64 * (weights.layers.length + 1));
    this.arena = arena;
    const matrix = (data: Float32Array, rows: number, cols: number, int8?: Int8Rows) =>
      // the package's int8 rows where the int8 kernel runs, else the float values
      (int8 && arena.putInt8Matrix(int8.q, int8.scale, rows, cols)) ||
      arena.putMatrix(data, rows, cols, data.length >= halfFrom);
    this.wl = weights.layers.map((w): WasmLayer => {
      const I = w.inputSize,
        H = w.hiddenSize;
      if (w.cell === 'vanilla') {
        const W_aa = new Float32Array(H * H),
          W_ax = new Float32Array(H * I);
        for (let j = 0; j < H; j++) {
          W_aa.set(w.W_a.subarray(j * (H + I), j * (H + I) + H), j * H);
          W_ax.set(w.W_a.subarray(j * (H + I) + H, (j + 1) * (H + I)), j * I);
        }
        return {
          cell: 'vanilla',
          relu: w.activation === 'relu',
          I,
          H,
          G: 1,
          W_ax: matrix(W_ax, H, I),
          W_aa: matrix(W_aa, H, H),
          b_ax: arena.put(w.b_a),
          b_aa: arena.alloc(H),
        };
      }
      const GH = w.gates * H;
      return {
        cell: w.cell,
        relu: false,
        I,
        H,
        G: w.gates,
        W_ax: matrix(w.W_ax, GH, I, w.W_axInt8),
        W_aa: matrix(w.W_aa, GH, H, w.W_aaInt8),
        b_ax: arena.put(w.b_ax),
        b_aa: arena.put(w.b_aa),
      };
    });
    this.out = {
      K: o.outputSize,
      H: o.hiddenSize,
      W_ya: matrix(o.W_ya, o.outputSize, o.hiddenSize, o.W_yaInt8),
      b_y: arena.put(o.b_y),
    };
    this.workMark = arena.mark();
    this.ensureRows(1);
  }

  /** Whether the output layer's matrix is held as float16 (see WasmSimdStackOptions.halfFrom). */
  get outputInFloat16(): boolean {
    return this.out.W_ya.half;
  }

  /** Whether the output layer's matrix is held as the package's int8 rows (wasm-int8.ts). */
  get outputInInt8(): boolean {
    return this.out.W_ya.int8 !== null;
  }

  /** Bytes of WebAssembly memory held (weights and working buffers). */
  get memoryBytes(): number {
    return this.arena?.byteLength ?? 0;
  }

  initialState(batch = 1): RnnState {
    return zeroState(this.layers, batch);
  }

  cloneState(s: RnnState): RnnState {
    return copyState(s);
  }

  async forward(x: Float32Array, steps: number, state: RnnState): Promise<Float32Array> {
    this.live();
    checkInput(x, steps, this.inputSize, 'steps');
    checkState(this.layers, state, 1);
    return this.run(x, steps, state, false);
  }

  async stepBatch(x: Float32Array, batch: number, state: RnnState): Promise<Float32Array> {
    this.live();
    checkInput(x, batch, this.inputSize, 'batch');
    checkState(this.layers, state, batch);
    return this.run(x, batch, state, true);
  }

  dispose(): void {
    this.arena = null; // the memory goes with the instance
  }

  private live(): WasmSimdArena {
    if (this.arena === null) throw new Error('wasm-simd RNN stack used after it was disposed');
    return this.arena;
  }

  private ensureRows(rows: number): void {
    if (rows <= this.capacity) return;
    const arena = this.live();
    const cap = Math.max(rows, 2 * this.capacity);
    arena.release(this.workMark);
    this.xin = arena.alloc(cap * this.inputSize);
    this.proj = arena.alloc(cap * this.maxGH);
    this.rec = arena.alloc(cap * this.maxGH);
    this.seqA = arena.alloc(cap * this.maxH);
    this.seqB = arena.alloc(cap * this.maxH);
    this.hbuf = arena.alloc(cap * this.maxH);
    this.logitRows = Math.max(1, Math.min(cap, Math.floor(LOGIT_BLOCK_FLOATS / this.outputSize)));
    this.logits = arena.alloc(this.logitRows * this.outputSize);
    // where an int8 matrix's input rows are rounded to int16: room for the widest of them, at most cap rows
    const int8Cols = [this.out.W_ya, ...this.wl.flatMap((w) => [w.W_ax, w.W_aa])]
      .filter((M) => M.int8 !== null)
      .map((M) => M.cols);
    if (int8Cols.length > 0)
      this.int8Scratch = arena.alloc(WasmSimdArena.int8ScratchFloats(Math.max(...int8Cols), cap));
    this.capacity = cap;
  }

  /**
   * rows = steps of one sequence (batch false: every row uses and updates the one state), or
   * independent sequences (batch true: row r owns state row r). Returns rows×K log-probs.
   */
  private run(x: Float32Array, rows: number, state: RnnState, batch: boolean): Float32Array {
    const K = this.outputSize;
    const result = new Float32Array(rows * K);
    if (rows === 0) return result;
    this.ensureRows(rows);
    const arena = this.live();
    const f = arena.f32; // no allocation below: the view stays valid
    f.set(x.subarray(0, rows * this.inputSize), this.xin);
    let input = this.xin;
    let ldIn = this.inputSize;
    let output = this.seqA;
    for (let l = 0; l < this.wl.length; l++) {
      const w = this.wl[l];
      const { H } = w;
      const GH = w.G * H;
      const hb = this.hbuf;
      const stateRows = batch ? rows : 1;
      f.set(state.h[l].subarray(0, stateRows * H), hb);
      // input projections of all rows: proj[r] = W_ax · input[r] + b_ax  (vanilla: W_a[:, H:] and b_a)
      arena.matmul(w.W_ax, w.b_ax, input, ldIn, rows, this.proj, GH, this.int8Scratch);
      if (batch) {
        // the recurrent projections of all rows at once, then each row's gates
        this.recurrent(arena, w, hb, rows);
        for (let r = 0; r < rows; r++) this.gates(f, w, r * GH, r * GH, hb + r * H, state.c[l], r * H);
        f.copyWithin(output, hb, hb + rows * H);
      } else {
        for (let t = 0; t < rows; t++) {
          this.recurrent(arena, w, hb, 1);
          this.gates(f, w, t * GH, 0, hb, state.c[l], 0);
          f.copyWithin(output + t * H, hb, hb + H);
        }
      }
      state.h[l].set(f.subarray(hb, hb + stateRows * H));
      input = output;
      ldIn = H;
      output = output === this.seqA ? this.seqB : this.seqA;
    }
    const { W_ya, b_y, H } = this.out;
    for (let r0 = 0; r0 < rows; r0 += this.logitRows) {
      const n = Math.min(this.logitRows, rows - r0);
      arena.matmul(W_ya, b_y, input + r0 * H, H, n, this.logits, K, this.int8Scratch);
      arena.logSoftmaxRows(this.logits, n, K, result, r0 * K);
    }
    return result;
  }

  /** rec[r] = W_aa · h[r] + b_aa (vanilla: b_aa = 0) for `rows` rows of h at hb. */
  private recurrent(arena: WasmSimdArena, w: WasmLayer, hb: number, rows: number): void {
    arena.matmul(w.W_aa, w.b_aa, hb, w.H, rows, this.rec, w.G * w.H, this.int8Scratch);
  }

  /** One row's gates: proj at projOff, rec at recOff (absolute in f), h at hAt (absolute), c (state's) at cOff. */
  private gates(
    f: Float32Array,
    w: WasmLayer,
    projRow: number,
    recRow: number,
    hAt: number,
    c: Float32Array,
    cOff: number,
  ): void {
    const { H } = w;
    const proj = this.proj + projRow;
    const rec = this.rec + recRow;
    if (w.cell === 'vanilla') {
      if (w.relu) {
        for (let j = 0; j < H; j++) {
          const pre = f[rec + j] + f[proj + j];
          f[hAt + j] = pre > 0 ? pre : 0;
        }
      } else {
        for (let j = 0; j < H; j++) f[hAt + j] = Math.tanh(f[rec + j] + f[proj + j]);
      }
    } else if (w.cell === 'gru') {
      gruGates(H, f, proj, f, rec, f, hAt);
    } else {
      // lstmGates reads h and c at one offset: hand it h as a view starting where c's row does
      lstmGates(H, f, proj, f, rec, f.subarray(hAt - cOff), c, cOff);
    }
  }
}

/** Builds the stack; throws (naming the reason) where WebAssembly SIMD is not available. */
export function createWasmSimdRnnStack(
  layers: LayerSpec[],
  weights: StackWeights,
  options: WasmSimdStackOptions = {},
): WasmSimdRnnStack {
  return new WasmSimdRnnStack(layers, weights, options);
}

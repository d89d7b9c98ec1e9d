/**
 * The 'js' backend: the reference stack's algorithm on the scheduled kernels of js-kernels.ts.
 * Bit-identical to 'reference' (same operations per element, same order); 2-3× faster on one core.
 *
 * forward(): per layer, the chunk's input projections in one blocked pass (rows × G·H), then the
 * recurrence step by step (one blocked matrix × vector per step), then the logits of all rows.
 * stepBatch(): rows are independent sequences, so the recurrent projections of all B rows are one
 * blocked matrix × rows product too (the LM scorer's case).
 *
 * All working buffers are allocated once and grow to the largest chunk/batch seen; a call
 * allocates only the log-probabilities it returns.
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import {
  gatedInputProjection, gruGates, gruStep, lstmGates, lstmStep, matVec, outputLogits, recurrentProjectionRows,
  vanillaInputProjection, vanillaStep,
} from './js-kernels';
import { logSoftmaxRows } from './reference-kernels';
import type { LayerWeights, StackWeights } from './rnn-weights';
import type { RnnStack, RnnState } from './rnn-stack';
import { checkInput, checkState, copyState, zeroState } from './rnn-state';

function gatesOf(w: LayerWeights): number {
  return w.cell === 'vanilla' ? 1 : w.gates;
}

export class JsRnnStack implements RnnStack {
  readonly backend: BackendName = 'js';
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly maxGH: number;
  private readonly maxH: number;
  private rowsCapacity = 0;
  private proj = new Float32Array(0);   // rows × G·H input projections of the current layer
  private seqA = new Float32Array(0);   // rows × maxH layer outputs (ping-pong with seqB)
  private seqB = new Float32Array(0);
  private rec = new Float32Array(0);    // rows × G·H recurrent projections (stepBatch), or one row (forward)
  private readonly sums: Float64Array;  // G·H unrounded dot products of one step

  constructor(readonly layers: LayerSpec[], private readonly weights: StackWeights) {
    this.inputSize = layers[0].inputSize;
    this.outputSize = weights.output.outputSize;
    this.maxGH = Math.max(...weights.layers.map((w) => gatesOf(w) * w.hiddenSize));
    this.maxH = Math.max(...weights.layers.map((w) => w.hiddenSize));
    this.sums = new Float64Array(this.maxGH);
  }

  initialState(batch = 1): RnnState {
    return zeroState(this.layers, batch);
  }

  cloneState(s: RnnState): RnnState {
    return copyState(s);
  }

  async forward(x: Float32Array, steps: number, state: RnnState): Promise<Float32Array> {
    checkInput(x, steps, this.inputSize, 'steps');
    checkState(this.layers, state, 1);
    return this.run(x, steps, state, 'sequence');
  }

  async stepBatch(x: Float32Array, batch: number, state: RnnState): Promise<Float32Array> {
    checkInput(x, batch, this.inputSize, 'batch');
    checkState(this.layers, state, batch);
    return this.run(x, batch, state, 'batch');
  }

  dispose(): void {
    this.proj = this.seqA = this.seqB = this.rec = new Float32Array(0);
    this.rowsCapacity = 0;
  }

  private ensureRows(rows: number): void {
    if (rows <= this.rowsCapacity) return;
    this.rowsCapacity = Math.max(rows, 2 * this.rowsCapacity);
    this.proj = new Float32Array(this.rowsCapacity * this.maxGH);
    this.seqA = new Float32Array(this.rowsCapacity * this.maxH);
    this.seqB = new Float32Array(this.rowsCapacity * this.maxH);
    this.rec = new Float32Array(this.rowsCapacity * this.maxGH);
  }

  private run(x: Float32Array, rows: number, state: RnnState, mode: 'sequence' | 'batch'): Float32Array {
    const out = new Float32Array(rows * this.outputSize);
    if (rows === 0) return out;
    this.ensureRows(rows);
    let input = x;
    let ldInput = this.inputSize;
    let output = this.seqA;
    for (let l = 0; l < this.weights.layers.length; l++) {
      const w = this.weights.layers[l];
      const H = w.hiddenSize;
      const GH = gatesOf(w) * H;
      if (w.cell === 'vanilla') vanillaInputProjection(w, input, ldInput, rows, this.proj);
      else gatedInputProjection(w, input, ldInput, rows, this.proj);
      const h = state.h[l];
      const c = state.c[l];
      if (mode === 'sequence') {
        for (let r = 0; r < rows; r++) {
          if (w.cell === 'vanilla') vanillaStep(w, this.proj, r * GH, h, this.sums);
          else if (w.cell === 'gru') gruStep(w, this.proj, r * GH, h, this.sums, this.rec);
          else lstmStep(w, this.proj, r * GH, h, c, this.sums, this.rec);
          output.set(h, r * H);
        }
      } else if (w.cell === 'vanilla') {
        for (let r = 0; r < rows; r++) this.vanillaRow(w, r, h);
        output.set(h.subarray(0, rows * H));
      } else {
        recurrentProjectionRows(w, h, rows, this.rec);
        for (let r = 0; r < rows; r++) {
          if (w.cell === 'gru') gruGates(H, this.proj, r * GH, this.rec, r * GH, h, r * H);
          else lstmGates(H, this.proj, r * GH, this.rec, r * GH, h, c, r * H);
        }
        output.set(h.subarray(0, rows * H));
      }
      input = output;
      ldInput = H;
      output = output === this.seqA ? this.seqB : this.seqA;
    }
    outputLogits(this.weights.output, input, ldInput, rows, out);
    logSoftmaxRows(out, rows, this.outputSize);
    return out;
  }

  /** One vanilla step of batch row r (its state at h[r·H ..]), as vanillaStep does for a whole state. */
  private vanillaRow(w: LayerWeights & { cell: 'vanilla' }, r: number, h: Float32Array): void {
    const H = w.hiddenSize;
    const sums = this.sums;
    matVec(w.W_a, H + w.inputSize, 0, H, H, h, r * H, sums);
    const projOff = r * H;
    const base = r * H;
    for (let j = 0; j < H; j++) {
      const pre = sums[j] + this.proj[projOff + j];
      h[base + j] = w.activation === 'relu' ? (pre > 0 ? pre : 0) : Math.tanh(pre);
    }
  }
}

/**
 * The 'reference' backend: the RNN stack in plain TypeScript loops (reference-kernels.ts).
 *
 * forward() runs layer by layer over the whole chunk: the input projection W_ax·x<t> (+ bias) of a
 * layer is computed for all steps of the chunk in one pass, then the recurrence walks the steps;
 * that layer's outputs (steps×H) are the next layer's inputs. Because each element's arithmetic is
 * the same whatever the chunk length, chunked and unchunked calls agree bit-for-bit.
 * Buffers are preallocated and grow to the largest chunk seen.
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import {
  gatedInputProjection, gruStep, logSoftmaxRows, lstmStep, outputLogits, vanillaInputProjection, vanillaStep,
} from './reference-kernels';
import type { LayerWeights, StackWeights } from './rnn-weights';
import type { RnnStack, RnnState } from './rnn-stack';
import { checkInput, checkState, copyState, zeroState } from './rnn-state';

function gatesOf(w: LayerWeights): number {
  return w.cell === 'vanilla' ? 1 : w.gates;
}

export class ReferenceRnnStack implements RnnStack {
  readonly backend: BackendName = 'reference';
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly maxGH: number;   // largest G·H over layers
  private readonly maxH: number;
  private rowsCapacity = 0;
  private proj = new Float32Array(0);     // rows × G·H input projections of the current layer
  private seqA = new Float32Array(0);     // rows × maxH layer outputs (ping-pong with seqB)
  private seqB = new Float32Array(0);
  private readonly scratch: Float32Array; // G·H recurrent projection of one step

  constructor(readonly layers: LayerSpec[], private readonly weights: StackWeights) {
    this.inputSize = layers[0].inputSize;
    this.outputSize = weights.output.outputSize;
    this.maxGH = Math.max(...weights.layers.map((w) => gatesOf(w) * w.hiddenSize));
    this.maxH = Math.max(...weights.layers.map((w) => w.hiddenSize));
    this.scratch = new Float32Array(this.maxGH);
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
    // nothing on a device; drop the buffers
    this.proj = this.seqA = this.seqB = new Float32Array(0);
    this.rowsCapacity = 0;
  }

  private ensureRows(rows: number): void {
    if (rows <= this.rowsCapacity) return;
    this.rowsCapacity = Math.max(rows, 2 * this.rowsCapacity);
    this.proj = new Float32Array(this.rowsCapacity * this.maxGH);
    this.seqA = new Float32Array(this.rowsCapacity * this.maxH);
    this.seqB = new Float32Array(this.rowsCapacity * this.maxH);
  }

  /**
   * rows = steps of one sequence ('sequence': every row uses and updates the single state), or
   * independent sequences ('batch': row r owns state row r). Returns rows×K log-probs.
   */
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
      // 1. input projection of all rows in one pass (x part of the cell's pre-activations, + bias)
      if (w.cell === 'vanilla') vanillaInputProjection(w, input, ldInput, rows, this.proj);
      else gatedInputProjection(w, input, ldInput, rows, this.proj);
      // 2. the recurrence, row by row
      const hAll = state.h[l];
      const cAll = state.c[l];
      for (let r = 0; r < rows; r++) {
        const h = mode === 'batch' ? hAll.subarray(r * H, (r + 1) * H) : hAll;
        if (w.cell === 'vanilla') vanillaStep(w, this.proj, r * GH, h, this.scratch);
        else if (w.cell === 'gru') gruStep(w, this.proj, r * GH, h, this.scratch);
        else lstmStep(w, this.proj, r * GH, h, mode === 'batch' ? cAll.subarray(r * H, (r + 1) * H) : cAll, this.scratch);
        output.set(h, r * H);
      }
      input = output;
      ldInput = H;
      output = output === this.seqA ? this.seqB : this.seqA;
    }
    outputLogits(this.weights.output, input, ldInput, rows, out);
    logSoftmaxRows(out, rows, this.outputSize);
    return out;
  }
}

/**
 * What the CPU backends ('reference', 'js') share: shapes, state checks, the buffers that grow to the
 * largest chunk/batch seen, and the layer-by-layer walk of a chunk. Per layer, the chunk's input
 * projections (all rows in one pass, + bias), then the backend's recurrence over the rows, whose
 * outputs (rows × H) are the next layer's inputs; then the logits of all rows and their log-softmax.
 *
 * A backend supplies the kernels: inputProjection, recurrence and outputLogits.
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import { logSoftmaxRows } from './reference-kernels';
import type { LayerWeights, StackWeights } from './rnn-weights';
import type { RnnStack, RnnState } from './rnn-types';
import { checkInput, checkState, copyState, zeroState } from './rnn-state';

/** Gates per cell: 1 for vanilla. */
export function gatesOf(w: LayerWeights): number {
  return w.cell === 'vanilla' ? 1 : w.gates;
}

/**
 * rows = steps of one sequence ('sequence': every row uses and updates the single state), or
 * independent sequences ('batch': row r owns state row r).
 */
export type RowsMode = 'sequence' | 'batch';

export abstract class LayerwiseRnnStack implements RnnStack {
  abstract readonly backend: BackendName;
  readonly inputSize: number;
  readonly outputSize: number;
  protected readonly maxGH: number; // largest G·H over layers
  protected readonly maxH: number;
  private rowsCapacity = 0;
  protected proj = new Float32Array(0); // rows × G·H input projections of the current layer
  private seqA = new Float32Array(0); // rows × maxH layer outputs (ping-pong with seqB)
  private seqB = new Float32Array(0);

  constructor(
    readonly layers: LayerSpec[],
    protected readonly weights: StackWeights,
  ) {
    this.inputSize = layers[0].inputSize;
    this.outputSize = weights.output.outputSize;
    this.maxGH = Math.max(...weights.layers.map((w) => gatesOf(w) * w.hiddenSize));
    this.maxH = Math.max(...weights.layers.map((w) => w.hiddenSize));
  }

  /** proj ← the input projections of `rows` rows of `input` (leading dimension ldInput), + bias. */
  protected abstract inputProjection(w: LayerWeights, input: Float32Array, ldInput: number, rows: number): void;
  /** The recurrence of layer w over `rows` rows of proj; row r's output goes to output[r·H ..]. */
  protected abstract recurrence(
    w: LayerWeights,
    rows: number,
    h: Float32Array,
    c: Float32Array,
    mode: RowsMode,
    output: Float32Array,
  ): void;
  /** out ← the output layer's logits of `rows` rows of `input`. */
  protected abstract outputLogits(input: Float32Array, ldInput: number, rows: number, out: Float32Array): void;
  /** Grows a backend's own row buffers (capacity rows). */
  protected growRows(_capacity: number): void {}

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
    this.growRows(this.rowsCapacity);
  }

  /** Returns rows×K log-probs. */
  private run(x: Float32Array, rows: number, state: RnnState, mode: RowsMode): Float32Array {
    const out = new Float32Array(rows * this.outputSize);
    if (rows === 0) return out;
    this.ensureRows(rows);
    let input = x;
    let ldInput = this.inputSize;
    let output = this.seqA;
    for (let l = 0; l < this.weights.layers.length; l++) {
      const w = this.weights.layers[l];
      this.inputProjection(w, input, ldInput, rows);
      this.recurrence(w, rows, state.h[l], state.c[l], mode, output);
      input = output;
      ldInput = w.hiddenSize;
      output = output === this.seqA ? this.seqB : this.seqA;
    }
    this.outputLogits(input, ldInput, rows, out);
    logSoftmaxRows(out, rows, this.outputSize);
    return out;
  }
}

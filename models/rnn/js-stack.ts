/**
 * The 'js' backend: the reference stack's algorithm on the scheduled kernels of js-kernels.ts.
 * Bit-identical to 'reference' (same operations per element, same order); 2-3× faster on one core.
 *
 * forward(): per layer, the chunk's input projections in one blocked pass (rows × G·H), then the
 * recurrence step by step (one blocked matrix × vector per step), then the logits of all rows.
 * stepBatch(): rows are independent sequences, so the recurrent projections of all B rows are one
 * blocked matrix × rows product too (the LM scorer's case).
 *
 * All working buffers are allocated once and grow to the largest chunk/batch seen (layerwise-stack.ts);
 * a call allocates only the log-probabilities it returns.
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import {
  gatedInputProjection,
  gruGates,
  gruStep,
  lstmGates,
  lstmStep,
  matVec,
  outputLogits,
  recurrentProjectionRows,
  vanillaInputProjection,
  vanillaStep,
} from './js-kernels';
import { gatesOf, LayerwiseRnnStack, type RowsMode } from './layerwise-stack';
import type { LayerWeights, StackWeights } from './rnn-weights';

export class JsRnnStack extends LayerwiseRnnStack {
  readonly backend: BackendName = 'js';
  private rec = new Float32Array(0); // rows × G·H recurrent projections (stepBatch), or one row (forward)
  private readonly sums: Float64Array; // G·H unrounded dot products of one step

  constructor(layers: LayerSpec[], weights: StackWeights) {
    super(layers, weights);
    this.sums = new Float64Array(this.maxGH);
  }

  override dispose(): void {
    super.dispose();
    this.rec = new Float32Array(0);
  }

  protected override growRows(capacity: number): void {
    this.rec = new Float32Array(capacity * this.maxGH);
  }

  protected override inputProjection(w: LayerWeights, input: Float32Array, ldInput: number, rows: number): void {
    if (w.cell === 'vanilla') vanillaInputProjection(w, input, ldInput, rows, this.proj);
    else gatedInputProjection(w, input, ldInput, rows, this.proj);
  }

  protected override recurrence(
    w: LayerWeights,
    rows: number,
    h: Float32Array,
    c: Float32Array,
    mode: RowsMode,
    output: Float32Array,
  ): void {
    const H = w.hiddenSize;
    const GH = gatesOf(w) * H;
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
  }

  protected override outputLogits(input: Float32Array, ldInput: number, rows: number, out: Float32Array): void {
    outputLogits(this.weights.output, input, ldInput, rows, out);
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

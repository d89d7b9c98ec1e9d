/**
 * The 'reference' backend: the RNN stack in plain TypeScript loops (reference-kernels.ts).
 *
 * forward() runs layer by layer over the whole chunk: the input projection W_ax·x<t> (+ bias) of a
 * layer is computed for all steps of the chunk in one pass, then the recurrence walks the steps;
 * that layer's outputs (steps×H) are the next layer's inputs. Because each element's arithmetic is
 * the same whatever the chunk length, chunked and unchunked calls agree bit-for-bit.
 * Buffers are preallocated and grow to the largest chunk seen (layerwise-stack.ts).
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import { gatesOf, LayerwiseRnnStack, type RowsMode } from './layerwise-stack';
import {
  gatedInputProjection,
  gruStep,
  lstmStep,
  outputLogits,
  vanillaInputProjection,
  vanillaStep,
} from './reference-kernels';
import type { LayerWeights, StackWeights } from './rnn-weights';

export class ReferenceRnnStack extends LayerwiseRnnStack {
  readonly backend: BackendName = 'reference';
  private readonly scratch: Float32Array; // G·H recurrent projection of one step

  constructor(layers: LayerSpec[], weights: StackWeights) {
    super(layers, weights);
    this.scratch = new Float32Array(this.maxGH);
  }

  protected override inputProjection(w: LayerWeights, input: Float32Array, ldInput: number, rows: number): void {
    // the x part of the cell's pre-activations, + bias
    if (w.cell === 'vanilla') vanillaInputProjection(w, input, ldInput, rows, this.proj);
    else gatedInputProjection(w, input, ldInput, rows, this.proj);
  }

  /** The recurrence, row by row. */
  protected override recurrence(
    w: LayerWeights,
    rows: number,
    hAll: Float32Array,
    cAll: Float32Array,
    mode: RowsMode,
    output: Float32Array,
  ): void {
    const H = w.hiddenSize;
    const GH = gatesOf(w) * H;
    for (let r = 0; r < rows; r++) {
      const h = mode === 'batch' ? hAll.subarray(r * H, (r + 1) * H) : hAll;
      if (w.cell === 'vanilla') vanillaStep(w, this.proj, r * GH, h, this.scratch);
      else if (w.cell === 'gru') gruStep(w, this.proj, r * GH, h, this.scratch);
      else lstmStep(w, this.proj, r * GH, h, mode === 'batch' ? cAll.subarray(r * H, (r + 1) * H) : cAll, this.scratch);
      output.set(h, r * H);
    }
  }

  protected override outputLogits(input: Float32Array, ldInput: number, rows: number, out: Float32Array): void {
    outputLogits(this.weights.output, input, ldInput, rows, out);
  }
}

/** Creating, copying and checking RnnState values; shared by every backend. */
import type { LayerSpec } from '../package/model-spec';
import type { RnnState } from './rnn-types';

/** Zero state: h per layer batch×H; c batch×H for lstm layers, length 0 otherwise. */
export function zeroState(layers: readonly LayerSpec[], batch = 1): RnnState {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`batch must be a positive integer, got ${batch}`);
  return {
    batch,
    h: layers.map((l) => new Float32Array(batch * l.hiddenSize)),
    c: layers.map((l) => new Float32Array(l.cell === 'lstm' ? batch * l.hiddenSize : 0)),
  };
}

export function copyState(s: RnnState): RnnState {
  return { batch: s.batch, h: s.h.map((a) => a.slice()), c: s.c.map((a) => a.slice()) };
}

/** Throws if `s` is not a state of `batch` sequences for these layers. */
export function checkState(layers: readonly LayerSpec[], s: RnnState, batch: number): void {
  if (s.batch !== batch) throw new Error(`state holds ${s.batch} sequence(s), this call needs ${batch}`);
  if (s.h.length !== layers.length || s.c.length !== layers.length) {
    throw new Error(`state has ${s.h.length} h / ${s.c.length} c arrays, the stack has ${layers.length} layers`);
  }
  layers.forEach((l, i) => {
    const n = batch * l.hiddenSize;
    if (s.h[i].length !== n) throw new Error(`state.h[${i}] has ${s.h[i].length} values, expected batch×H = ${n}`);
    const nc = l.cell === 'lstm' ? n : 0;
    if (s.c[i].length !== nc) throw new Error(`state.c[${i}] has ${s.c[i].length} values, expected ${nc}`);
  });
}

/** Throws unless x holds at least rows×cols values and rows is a non-negative integer. */
export function checkInput(x: Float32Array, rows: number, cols: number, what: string): void {
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`${what} must be a non-negative integer, got ${rows}`);
  if (x.length < rows * cols)
    throw new Error(`x holds ${x.length} values, ${what}=${rows} × inputSize=${cols} needs ${rows * cols}`);
}

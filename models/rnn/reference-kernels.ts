/**
 * Plain TypeScript reference of every RNN kernel: the numbers the gpu.js kernels are tested against.
 *
 * Conventions: matrices row-major Float32Array; sums run in ascending index order in a JS number
 * (double) and are rounded to float32 once, when stored. Each output element's operations depend
 * only on its own inputs, never on how many rows/steps are processed in one call, which is what
 * makes chunked and unchunked forward() bit-identical.
 */
import type { GatedLayerWeights, OutputWeights, VanillaLayerWeights } from './rnn-weights';

/**
 * out[r·n + j] = Σ_{k<m} W[j·ldw + col0 + k] · x[r·ldx + xOff + k] + b[j]   for r < rows, j < n
 * (the sum first, bias last). W is read from column col0, so a block of a stacked matrix can be used.
 */
export function affineRows(
  W: Float32Array,
  ldw: number,
  col0: number,
  n: number,
  m: number,
  b: Float32Array,
  x: Float32Array,
  ldx: number,
  xOff: number,
  rows: number,
  out: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const xb = r * ldx + xOff;
    const ob = r * n;
    for (let j = 0; j < n; j++) {
      const wb = j * ldw + col0;
      let acc = 0;
      for (let k = 0; k < m; k++) acc += W[wb + k] * x[xb + k];
      out[ob + j] = acc + b[j];
    }
  }
}

export function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/**
 * Vanilla input block, all rows at once: proj[r] = W_a[:, H:H+I] · x<r> + b_a, i.e. the x part of
 * W_a [a<t-1>; x<t>] + b_a. proj is rows×H.
 */
export function vanillaInputProjection(
  w: VanillaLayerWeights,
  x: Float32Array,
  ldx: number,
  rows: number,
  proj: Float32Array,
): void {
  const H = w.hiddenSize;
  affineRows(w.W_a, H + w.inputSize, H, H, w.inputSize, w.b_a, x, ldx, 0, rows, proj);
}

/**
 * One vanilla step: a ← g1(W_a[:, 0:H] · a + proj), completing a<t> = g1(W_a [a<t-1>; x<t>] + b_a)
 * with proj from vanillaInputProjection. a (H) is updated in place; scratch holds ≥ H values.
 */
export function vanillaStep(
  w: VanillaLayerWeights,
  proj: Float32Array,
  projOff: number,
  a: Float32Array,
  scratch: Float32Array,
): void {
  const H = w.hiddenSize;
  const S = H + w.inputSize;
  const Wa = w.W_a;
  const relu = w.activation === 'relu';
  for (let j = 0; j < H; j++) {
    const wb = j * S;
    let acc = 0;
    for (let k = 0; k < H; k++) acc += Wa[wb + k] * a[k];
    const pre = acc + proj[projOff + j];
    scratch[j] = relu ? (pre > 0 ? pre : 0) : Math.tanh(pre);
  }
  for (let j = 0; j < H; j++) a[j] = scratch[j];
}

/** Gated input block, all rows at once: proj[r] = W_ax · x<r> + b_ax, rows×(G·H). */
export function gatedInputProjection(
  w: GatedLayerWeights,
  x: Float32Array,
  ldx: number,
  rows: number,
  proj: Float32Array,
): void {
  const GH = w.gates * w.hiddenSize;
  affineRows(w.W_ax, w.inputSize, 0, GH, w.inputSize, w.b_ax, x, ldx, 0, rows, proj);
}

/** Recurrent block of a gated cell: rec = W_aa · h + b_aa (G·H). */
function recurrentProjection(w: GatedLayerWeights, h: Float32Array, rec: Float32Array): void {
  affineRows(w.W_aa, w.hiddenSize, 0, w.gates * w.hiddenSize, w.hiddenSize, w.b_aa, h, 0, 0, 1, rec);
}

/**
 * One GRU step (PyTorch): with gi = proj (W_ax x + b_ax) and gh = W_aa h + b_aa, rows r,z,n:
 *   r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), h ← (1 − z)·n + z·h.
 * h (H) in place; scratch ≥ 3H.
 */
export function gruStep(
  w: GatedLayerWeights,
  proj: Float32Array,
  projOff: number,
  h: Float32Array,
  scratch: Float32Array,
): void {
  const H = w.hiddenSize;
  recurrentProjection(w, h, scratch);
  for (let j = 0; j < H; j++) {
    const r = sigmoid(proj[projOff + j] + scratch[j]);
    const z = sigmoid(proj[projOff + H + j] + scratch[H + j]);
    const n = Math.tanh(proj[projOff + 2 * H + j] + r * scratch[2 * H + j]);
    h[j] = (1 - z) * n + z * h[j];
  }
}

/**
 * One LSTM step (PyTorch): gates = proj + W_aa h + b_aa in rows i,f,g,o;
 *   c ← σ(f)·c + σ(i)·tanh(g),  h ← σ(o)·tanh(c).   h, c (H) in place; scratch ≥ 4H.
 */
export function lstmStep(
  w: GatedLayerWeights,
  proj: Float32Array,
  projOff: number,
  h: Float32Array,
  c: Float32Array,
  scratch: Float32Array,
): void {
  const H = w.hiddenSize;
  recurrentProjection(w, h, scratch);
  for (let j = 0; j < H; j++) {
    const i = sigmoid(proj[projOff + j] + scratch[j]);
    const f = sigmoid(proj[projOff + H + j] + scratch[H + j]);
    const g = Math.tanh(proj[projOff + 2 * H + j] + scratch[2 * H + j]);
    const o = sigmoid(proj[projOff + 3 * H + j] + scratch[3 * H + j]);
    const cNew = Math.fround(f * c[j] + i * g);
    c[j] = cNew;
    h[j] = o * Math.tanh(cNew);
  }
}

/** logits[r] = W_ya · a<r> + b_y for rows×H hidden states a (row stride lda); logits rows×K. */
export function outputLogits(w: OutputWeights, a: Float32Array, lda: number, rows: number, logits: Float32Array): void {
  affineRows(w.W_ya, w.hiddenSize, 0, w.outputSize, w.hiddenSize, w.b_y, a, lda, 0, rows, logits);
}

/** In place, per row of K: v ← v − max − log Σ exp(v − max) (log-softmax, overflow-safe). */
export function logSoftmaxRows(v: Float32Array, rows: number, K: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (v[base + k] > max) max = v[base + k];
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(v[base + k] - max);
    const lse = max + Math.log(sum);
    for (let k = 0; k < K; k++) v[base + k] = v[base + k] - lse;
  }
}

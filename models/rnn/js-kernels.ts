/**
 * The 'js' backend's kernels: the reference kernels' arithmetic, scheduled for speed.
 *
 * Every output element is computed with exactly the operations of reference-kernels.ts, in the
 * same order (sum over k ascending in a double, bias added last, rounded to float32 where the
 * reference stores to a Float32Array), so results are bit-identical to the reference. What changes
 * is the loop schedule:
 *   - matrix × vector: 8 output rows per pass over x, 8 independent accumulator chains. The
 *     reference's one chain is bound by the latency of a floating-point add; 8 chains overlap.
 *   - matrix × rows (input projections of a chunk, logits): 4 output rows × 2 input rows per pass,
 *     so each weight loaded feeds 2 products and each input value 4; the 4 weight rows stay in L1
 *     while the chunk's rows stream past.
 * A test (test/models/rnn/js-backend-is-bit-identical-to-reference.test.ts) checks the identity.
 */
import type { GatedLayerWeights, OutputWeights, VanillaLayerWeights } from './rnn-weights';
import { sigmoid } from './reference-kernels';

/**
 * sums[j] = Σ_{k<m} W[j·ldw + col0 + k] · x[xOff + k]   for j < n, as doubles (no rounding).
 * The reference's `acc` before its bias is added.
 */
export function matVec(
  W: Float32Array,
  ldw: number,
  col0: number,
  n: number,
  m: number,
  x: Float32Array,
  xOff: number,
  sums: Float64Array,
): void {
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const w0 = j * ldw + col0,
      w1 = w0 + ldw,
      w2 = w1 + ldw,
      w3 = w2 + ldw;
    const w4 = w3 + ldw,
      w5 = w4 + ldw,
      w6 = w5 + ldw,
      w7 = w6 + ldw;
    let a0 = 0,
      a1 = 0,
      a2 = 0,
      a3 = 0,
      a4 = 0,
      a5 = 0,
      a6 = 0,
      a7 = 0;
    for (let k = 0; k < m; k++) {
      const v = x[xOff + k];
      a0 += W[w0 + k] * v;
      a1 += W[w1 + k] * v;
      a2 += W[w2 + k] * v;
      a3 += W[w3 + k] * v;
      a4 += W[w4 + k] * v;
      a5 += W[w5 + k] * v;
      a6 += W[w6 + k] * v;
      a7 += W[w7 + k] * v;
    }
    sums[j] = a0;
    sums[j + 1] = a1;
    sums[j + 2] = a2;
    sums[j + 3] = a3;
    sums[j + 4] = a4;
    sums[j + 5] = a5;
    sums[j + 6] = a6;
    sums[j + 7] = a7;
  }
  for (; j < n; j++) {
    const wb = j * ldw + col0;
    let acc = 0;
    for (let k = 0; k < m; k++) acc += W[wb + k] * x[xOff + k];
    sums[j] = acc;
  }
}

/**
 * out[r·n + j] = Σ_{k<m} W[j·ldw + col0 + k] · x[r·ldx + xOff + k] + b[j]   for r < rows, j < n:
 * reference-kernels' affineRows, bit for bit.
 */
export function affineRowsBlocked(
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
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const w0 = j * ldw + col0,
      w1 = w0 + ldw,
      w2 = w1 + ldw,
      w3 = w2 + ldw;
    const b0 = b[j],
      b1 = b[j + 1],
      b2 = b[j + 2],
      b3 = b[j + 3];
    let r = 0;
    for (; r + 2 <= rows; r += 2) {
      const xa = r * ldx + xOff,
        xb = xa + ldx;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      for (let k = 0; k < m; k++) {
        const u = x[xa + k],
          v = x[xb + k];
        const q0 = W[w0 + k],
          q1 = W[w1 + k],
          q2 = W[w2 + k],
          q3 = W[w3 + k];
        a0 += q0 * u;
        a1 += q1 * u;
        a2 += q2 * u;
        a3 += q3 * u;
        c0 += q0 * v;
        c1 += q1 * v;
        c2 += q2 * v;
        c3 += q3 * v;
      }
      const oa = r * n + j,
        ob = oa + n;
      out[oa] = a0 + b0;
      out[oa + 1] = a1 + b1;
      out[oa + 2] = a2 + b2;
      out[oa + 3] = a3 + b3;
      out[ob] = c0 + b0;
      out[ob + 1] = c1 + b1;
      out[ob + 2] = c2 + b2;
      out[ob + 3] = c3 + b3;
    }
    if (r < rows) {
      const xa = r * ldx + xOff;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0;
      for (let k = 0; k < m; k++) {
        const u = x[xa + k];
        a0 += W[w0 + k] * u;
        a1 += W[w1 + k] * u;
        a2 += W[w2 + k] * u;
        a3 += W[w3 + k] * u;
      }
      const oa = r * n + j;
      out[oa] = a0 + b0;
      out[oa + 1] = a1 + b1;
      out[oa + 2] = a2 + b2;
      out[oa + 3] = a3 + b3;
    }
  }
  for (; j < n; j++) {
    const wb = j * ldw + col0;
    for (let r = 0; r < rows; r++) {
      const xa = r * ldx + xOff;
      let acc = 0;
      for (let k = 0; k < m; k++) acc += W[wb + k] * x[xa + k];
      out[r * n + j] = acc + b[j];
    }
  }
}

/** reference vanillaInputProjection: proj[r] = W_a[:, H:H+I] · x<r> + b_a (rows × H). */
export function vanillaInputProjection(
  w: VanillaLayerWeights,
  x: Float32Array,
  ldx: number,
  rows: number,
  proj: Float32Array,
): void {
  const H = w.hiddenSize;
  affineRowsBlocked(w.W_a, H + w.inputSize, H, H, w.inputSize, w.b_a, x, ldx, 0, rows, proj);
}

/** reference gatedInputProjection: proj[r] = W_ax · x<r> + b_ax (rows × G·H). */
export function gatedInputProjection(
  w: GatedLayerWeights,
  x: Float32Array,
  ldx: number,
  rows: number,
  proj: Float32Array,
): void {
  affineRowsBlocked(w.W_ax, w.inputSize, 0, w.gates * w.hiddenSize, w.inputSize, w.b_ax, x, ldx, 0, rows, proj);
}

/** reference vanillaStep: a ← g1(W_a[:, 0:H] · a + proj). sums ≥ H doubles. */
export function vanillaStep(
  w: VanillaLayerWeights,
  proj: Float32Array,
  projOff: number,
  a: Float32Array,
  sums: Float64Array,
): void {
  const H = w.hiddenSize;
  matVec(w.W_a, H + w.inputSize, 0, H, H, a, 0, sums);
  if (w.activation === 'relu') {
    for (let j = 0; j < H; j++) {
      const pre = sums[j] + proj[projOff + j];
      a[j] = pre > 0 ? pre : 0;
    }
  } else {
    for (let j = 0; j < H; j++) a[j] = Math.tanh(sums[j] + proj[projOff + j]);
  }
}

/**
 * rec = W_aa · h + b_aa (G·H), rounded to float32 as the reference's scratch holds it;
 * `sums` (≥ G·H doubles) is working space.
 */
function recurrentProjection(w: GatedLayerWeights, h: Float32Array, sums: Float64Array, rec: Float32Array): void {
  const GH = w.gates * w.hiddenSize;
  matVec(w.W_aa, w.hiddenSize, 0, GH, w.hiddenSize, h, 0, sums);
  const b = w.b_aa;
  for (let j = 0; j < GH; j++) rec[j] = sums[j] + b[j];
}

/**
 * Recurrent projections of B independent rows at once (stepBatch): rec[r] = W_aa · h[r] + b_aa,
 * rec B × G·H. Same values as B single-row projections.
 */
export function recurrentProjectionRows(w: GatedLayerWeights, h: Float32Array, rows: number, rec: Float32Array): void {
  const H = w.hiddenSize;
  affineRowsBlocked(w.W_aa, H, 0, w.gates * H, H, w.b_aa, h, H, 0, rows, rec);
}

/** The GRU gates of one row, given gi = proj (at projOff) and gh = rec (at recOff); h[hOff..hOff+H) in place. */
export function gruGates(
  H: number,
  proj: Float32Array,
  projOff: number,
  rec: Float32Array,
  recOff: number,
  h: Float32Array,
  hOff: number,
): void {
  for (let j = 0; j < H; j++) {
    const r = sigmoid(proj[projOff + j] + rec[recOff + j]);
    const z = sigmoid(proj[projOff + H + j] + rec[recOff + H + j]);
    const n = Math.tanh(proj[projOff + 2 * H + j] + r * rec[recOff + 2 * H + j]);
    h[hOff + j] = (1 - z) * n + z * h[hOff + j];
  }
}

/** The LSTM gates and cell update of one row; h and c at hOff in place. */
export function lstmGates(
  H: number,
  proj: Float32Array,
  projOff: number,
  rec: Float32Array,
  recOff: number,
  h: Float32Array,
  c: Float32Array,
  hOff: number,
): void {
  for (let j = 0; j < H; j++) {
    const i = sigmoid(proj[projOff + j] + rec[recOff + j]);
    const f = sigmoid(proj[projOff + H + j] + rec[recOff + H + j]);
    const g = Math.tanh(proj[projOff + 2 * H + j] + rec[recOff + 2 * H + j]);
    const o = sigmoid(proj[projOff + 3 * H + j] + rec[recOff + 3 * H + j]);
    const cNew = Math.fround(f * c[hOff + j] + i * g);
    c[hOff + j] = cNew;
    h[hOff + j] = o * Math.tanh(cNew);
  }
}

/** reference gruStep (PyTorch GRU), h in place. sums ≥ 3H doubles, rec ≥ 3H floats. */
export function gruStep(
  w: GatedLayerWeights,
  proj: Float32Array,
  projOff: number,
  h: Float32Array,
  sums: Float64Array,
  rec: Float32Array,
): void {
  recurrentProjection(w, h, sums, rec);
  gruGates(w.hiddenSize, proj, projOff, rec, 0, h, 0);
}

/** reference lstmStep (PyTorch LSTM), h and c in place. sums ≥ 4H doubles, rec ≥ 4H floats. */
export function lstmStep(
  w: GatedLayerWeights,
  proj: Float32Array,
  projOff: number,
  h: Float32Array,
  c: Float32Array,
  sums: Float64Array,
  rec: Float32Array,
): void {
  recurrentProjection(w, h, sums, rec);
  lstmGates(w.hiddenSize, proj, projOff, rec, 0, h, c, 0);
}

/** reference outputLogits: logits[r] = W_ya · a<r> + b_y (rows × K). */
export function outputLogits(w: OutputWeights, a: Float32Array, lda: number, rows: number, logits: Float32Array): void {
  affineRowsBlocked(w.W_ya, w.hiddenSize, 0, w.outputSize, w.hiddenSize, w.b_y, a, lda, 0, rows, logits);
}

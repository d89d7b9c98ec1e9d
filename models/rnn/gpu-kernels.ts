/**
 * gpu.js kernel bodies for the RNN stack. gpu.js reads each function's source text and translates it
 * (to JavaScript, WebAssembly, GLSL or WGSL), so these functions are a restricted dialect: no
 * closures, no nested functions, no helpers — only arithmetic, Math.*, loops, `this.thread`,
 * `this.constants` and the arguments. Each has a plain TypeScript counterpart in
 * reference-kernels.ts; the tests hold them to it.
 *
 * Layout: every kernel output is 1-D so every argument can be indexed 1-D on every backend.
 * A kernel that works on B independent rows (batch) has output [B·N] and thread x = b·N + n;
 * b is recovered as floor((x + 0.5) / N), the +0.5 guarding against float division landing just
 * under an integer on GL. Weights are kernel constants: uploaded once (wasm memory, GL textures,
 * WebGPU storage buffers) instead of per call.
 *
 * State layout on the device: vanilla/gru layer B×H (h); lstm layer B×2H, row b = [h_b | c_b], so
 * the layer above reads h at row stride 2H (constant xs) and the state is one texture per layer.
 */

/** The `this` gpu.js binds inside a kernel. */
export interface KernelThis<C> {
  thread: { x: number; y: number; z: number };
  constants: C;
}

export interface VanillaConstants {
  Wa: Float32Array; // W_a = [W_aa | W_ax], (H, H+I)
  ba: Float32Array; // (H)
  H: number;
  I: number;
  S: number; // H + I, row length of W_a
  xs: number; // row stride of x (I, or 2·H_below for an lstm layer below)
  relu: number; // 1: g1 = relu, 0: g1 = tanh
}

/**
 * Vanilla step, output [B·H]: a<t>[b][j] = g1(W_a[j] · [a<t-1>[b]; x<t>[b]] + b_a[j]).
 * The stacked row W_a[j] is walked once over the concatenated vector: columns 0..H-1 against a<t-1>,
 * columns H..H+I-1 against x<t> (two loops only so no branch sits in the inner loop).
 */
export function vanillaStepKernel(this: KernelThis<VanillaConstants>, x: Float32Array, a: Float32Array): number {
  const H = this.constants.H;
  const b = Math.floor((this.thread.x + 0.5) / H);
  const j = this.thread.x - b * H;
  const row = j * this.constants.S;
  let acc = 0;
  for (let k = 0; k < this.constants.H; k++) {
    acc += this.constants.Wa[row + k] * a[b * H + k];
  }
  for (let k = 0; k < this.constants.I; k++) {
    acc += this.constants.Wa[row + H + k] * x[b * this.constants.xs + k];
  }
  const pre = acc + this.constants.ba[j];
  if (this.constants.relu > 0) {
    return Math.max(pre, 0);
  }
  // tanh as 1 - 2/(e^{2v}+1): saturates to ±1 instead of inf/inf = NaN where e^{2v} overflows
  return 1 - 2 / (Math.exp(2 * pre) + 1);
}

export interface GatedConstants {
  Wx: Float32Array; // W_ax (G·H, I)
  Wh: Float32Array; // W_aa (G·H, H)
  bx: Float32Array; // b_ax (G·H)
  bh: Float32Array; // b_aa (G·H)
  H: number;
  I: number;
  xs: number; // row stride of x
}

/**
 * GRU step, output [B·H], all three gates of unit j in one thread (PyTorch order r, z, n):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(…z…), n = tanh(W_in x + b_in + r·(W_hn h + b_hn)),
 *   h' = (1 − z)·n + z·h.
 */
export function gruStepKernel(this: KernelThis<GatedConstants>, x: Float32Array, h: Float32Array): number {
  const H = this.constants.H;
  const I = this.constants.I;
  const b = Math.floor((this.thread.x + 0.5) / H);
  const j = this.thread.x - b * H;
  const xb = b * this.constants.xs;
  const hb = b * H;
  let xr = 0;
  let xz = 0;
  let xn = 0;
  for (let k = 0; k < this.constants.I; k++) {
    const v = x[xb + k];
    xr += this.constants.Wx[j * I + k] * v;
    xz += this.constants.Wx[(H + j) * I + k] * v;
    xn += this.constants.Wx[(2 * H + j) * I + k] * v;
  }
  let hr = 0;
  let hz = 0;
  let hn = 0;
  for (let k = 0; k < this.constants.H; k++) {
    const v = h[hb + k];
    hr += this.constants.Wh[j * H + k] * v;
    hz += this.constants.Wh[(H + j) * H + k] * v;
    hn += this.constants.Wh[(2 * H + j) * H + k] * v;
  }
  const r = 1 / (1 + Math.exp(-(xr + this.constants.bx[j] + hr + this.constants.bh[j])));
  const z = 1 / (1 + Math.exp(-(xz + this.constants.bx[H + j] + hz + this.constants.bh[H + j])));
  const nPre = xn + this.constants.bx[2 * H + j] + r * (hn + this.constants.bh[2 * H + j]);
  const n = 1 - 2 / (Math.exp(2 * nPre) + 1);
  return (1 - z) * n + z * h[hb + j];
}

/**
 * LSTM gate pre-activations, output [B·4H]: thread (b, g) = W_ax[g]·x_b + b_ax[g] + W_aa[g]·h_b + b_aa[g]
 * with g over the rows i,f,g,o. h_b is read from the packed state row [h | c] (stride 2H).
 */
export function lstmGatesKernel(this: KernelThis<GatedConstants>, x: Float32Array, state: Float32Array): number {
  const H = this.constants.H;
  const I = this.constants.I;
  const G4 = 4 * H;
  const b = Math.floor((this.thread.x + 0.5) / G4);
  const g = this.thread.x - b * G4;
  let ax = 0;
  for (let k = 0; k < this.constants.I; k++) {
    ax += this.constants.Wx[g * I + k] * x[b * this.constants.xs + k];
  }
  let ah = 0;
  for (let k = 0; k < this.constants.H; k++) {
    ah += this.constants.Wh[g * H + k] * state[b * 2 * H + k];
  }
  return ax + this.constants.bx[g] + ah + this.constants.bh[g];
}

export interface LstmCellConstants {
  H: number;
}

/**
 * LSTM cell update, output [B·2H] in the packed state layout [h' | c']:
 *   c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). Both halves recompute c' (4 exps, cheap)
 * so one kernel writes the whole state.
 */
export function lstmCellKernel(this: KernelThis<LstmCellConstants>, gates: Float32Array, state: Float32Array): number {
  const H = this.constants.H;
  const H2 = 2 * H;
  const b = Math.floor((this.thread.x + 0.5) / H2);
  const m = this.thread.x - b * H2;
  let j = m;
  if (m >= H) {
    j = m - H;
  }
  const gb = b * 4 * H;
  const i = 1 / (1 + Math.exp(-gates[gb + j]));
  const f = 1 / (1 + Math.exp(-gates[gb + H + j]));
  const gg = 1 - 2 / (Math.exp(2 * gates[gb + 2 * H + j]) + 1);
  const c = f * state[b * H2 + H + j] + i * gg;
  if (m >= H) {
    return c;
  }
  const o = 1 / (1 + Math.exp(-gates[gb + 3 * H + j]));
  return o * (1 - 2 / (Math.exp(2 * c) + 1));
}

export interface LogitsConstants {
  W: Float32Array; // W_ya (K, H)
  bias: Float32Array; // b_y (K)
  K: number;
  H: number;
  hs: number; // row stride of the top layer's state (H, or 2H for lstm)
}

/**
 * Logits of one step written into row t of a running rows×K buffer, output [R·K]:
 * row t gets W_ya·h + b_y (h: batch-1 top state), every other row is copied from prev.
 * This gathers a chunk's outputs on the device so a chunk costs one readback, not one per step.
 */
export function logitsIntoRowKernel(
  this: KernelThis<LogitsConstants>,
  prev: Float32Array,
  h: Float32Array,
  t: number,
): number {
  const K = this.constants.K;
  const r = Math.floor((this.thread.x + 0.5) / K);
  if (Math.abs(r - t) > 0.5) {
    return prev[this.thread.x];
  }
  const k = this.thread.x - r * K;
  let acc = 0;
  for (let i = 0; i < this.constants.H; i++) {
    acc += this.constants.W[k * this.constants.H + i] * h[i];
  }
  return acc + this.constants.bias[k];
}

/** Logits of B independent rows, output [B·K]: row b = W_ya·h_b + b_y. */
export function logitsRowsKernel(this: KernelThis<LogitsConstants>, h: Float32Array): number {
  const K = this.constants.K;
  const b = Math.floor((this.thread.x + 0.5) / K);
  const k = this.thread.x - b * K;
  let acc = 0;
  for (let i = 0; i < this.constants.H; i++) {
    acc += this.constants.W[k * this.constants.H + i] * h[b * this.constants.hs + i];
  }
  return acc + this.constants.bias[k];
}

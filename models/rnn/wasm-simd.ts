/**
 * A WebAssembly SIMD (f32x4) kernel for the dense products of the RNN, and the memory it works in.
 * No toolchain: the module's bytes are written from TypeScript (wasm-writer.ts), checked with
 * WebAssembly.validate and, once per process, a self-test against plain arithmetic.
 *
 * Exports: `affine` (below), `affine16` (the same with float16 weights, see writeAffine) and
 * `sumExp` (the log-softmax's normaliser, see writeSumExp). `affine` is an affine map over rows,
 * row-major like js-kernels' affineRowsBlocked:
 *
 *   affine(W, ldw, n, m, b, x, ldx, rows, out, ldo):
 *     out[r·ldo + j] = Σ_{k<m} W[j·ldw + k] · x[r·ldx + k] + b[j]      for r < rows, j < n
 *
 * (pointers are byte addresses in the module's memory, strides are in floats). Schedule: 4 output
 * rows (j) × 2 input rows (r) per pass, k in steps of 4 lanes, so each weight vector loaded feeds 2
 * products and each input vector 4; 8 independent f32x4 accumulators. The 4 accumulators of an input
 * row are summed across lanes with shuffles into one vector of 4 outputs, + bias, stored at once
 * (writeFinish, a called function: the module stays under 4 kB, Chromium's limit for compiling
 * synchronously on a page's main thread). A
 * leftover input row takes a 1-row pass; leftover output rows (n not a multiple of 4) repeat the last
 * weight row in the unused lanes and store only the valid ones; m not a multiple of 4 ends with one
 * masked step (the lanes past m are and-ed to 0 in both operands).
 *
 * Exactness: products and sums are float32 (the reference sums in a double), 4 partial sums per
 * output combined pairwise at the end. So results differ from the reference in the last bits: the
 * tests bound the difference (test/models/rnn/wasm-simd-kernel.test.ts, wasm-simd-backend.test.ts).
 *
 * Memory: the caller lays out its buffers with WasmSimdArena.alloc (16-byte aligned, each followed
 * by 16 zero bytes, because the masked last step and the padded output lanes read up to 12 bytes past
 * a row or a bias, never using them). Weights are copied in once; only the working buffers change.
 */

import {
  F32,
  F64,
  FunctionWriter,
  I32,
  OP,
  section,
  SIMD,
  uleb,
  utf8,
  V128,
  wasmApi,
  type WasmMemory,
  type WasmModule,
} from './wasm-writer';
import { eachRowBlock, writeFinish } from './wasm-finish';
import { int16Limit, wasmInt8Module, type Affine8Export } from './wasm-int8';

// ---------------------------------------------------------------------------------------------
// The kernel

/** Input rows per pass of the main loop (the leftovers take smaller passes). */
const ROWS_PER_PASS = 2;

/**
 * affine(W, ldw, n, m, b, x, ldx, rows, out, ldo): see the file comment. With `half`, W holds
 * float16 bit patterns (ldw in halves), widened in the loop: 4 halves sign-extended to i32 lanes,
 * shifted left by 13 (exponent and mantissa into float32 position, the sign copies into bits 28-31),
 * bits 28-30 cleared, then × 2^112 (the exponent bias difference): exact for normal halves and ±0.
 * (Subnormal halves would come out exact too, but as float32 subnormals, which some CPUs multiply
 * slowly: WasmSimdArena.putMatrix stores them as 0 and adds them back afterwards.)
 */
function writeAffine(half: boolean): FunctionWriter {
  const P = { W: 0, ldw: 1, n: 2, m: 3, b: 4, x: 5, ldx: 6, rows: 7, out: 8, ldo: 9 };
  const f = new FunctionWriter(10);
  const j = f.local(I32),
    r = f.local(I32),
    k = f.local(I32),
    kEnd = f.local(I32),
    tail = f.local(I32);
  const lanes = f.local(I32),
    kw = f.local(I32);
  const w = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const xr = Array.from({ length: ROWS_PER_PASS }, () => f.local(I32));
  const mask = f.local(V128),
    bias = f.local(V128),
    u = f.local(V128);
  const keepBits = f.local(V128),
    scale = f.local(V128);
  const zero = f.local(V128); // never written: locals start at 0
  const q = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const acc = Array.from({ length: ROWS_PER_PASS }, () => [f.local(V128), f.local(V128), f.local(V128), f.local(V128)]);

  // strides to bytes; kEnd = bytes of the whole 4-lane steps (of x); tail = m mod 4; mask = lanes < tail
  f.get(P.ldw)
    .i32(half ? 1 : 2)
    .op(OP.i32Shl)
    .set(P.ldw);
  for (const s of [P.ldx, P.ldo]) f.get(s).i32(2).op(OP.i32Shl).set(s);
  if (half) {
    f.v128Const([0x8fffe000, 0x8fffe000, 0x8fffe000, 0x8fffe000]).set(keepBits);
    f.v128Const([0x77800000, 0x77800000, 0x77800000, 0x77800000]).set(scale); // 2^112
  }
  f.get(P.m).i32(-4).op(OP.i32And).i32(2).op(OP.i32Shl).set(kEnd);
  f.get(P.m).i32(3).op(OP.i32And).set(tail);
  f.get(tail).simd(SIMD.i32x4Splat).v128Const([0, 1, 2, 3]).simd(SIMD.i32x4GtS).set(mask);

  /** One pass: R input rows (from row r) × the 4 output rows at w[0..3]; then r += R. */
  const pass = (R: number): void => {
    f.get(P.x).get(r).get(P.ldx).op(OP.i32Mul).op(OP.i32Add).set(xr[0]);
    for (let i = 1; i < R; i++) f.add(xr[i], xr[i - 1], P.ldx);
    for (let i = 0; i < R; i++) for (let c = 0; c < 4; c++) f.get(zero).set(acc[i][c]);
    const multiplyAdd = (masked: boolean): void => {
      if (half) f.get(k).i32(1).op(OP.i32ShrU).set(kw); // the weights' byte offset: 2 bytes per value
      for (let c = 0; c < 4; c++) {
        if (half) {
          f.get(w[c]).get(kw).op(OP.i32Add).simd(SIMD.load16x4S, 1, 0);
          f.i32(13).simd(SIMD.i32x4Shl).get(keepBits).simd(SIMD.and).get(scale).simd(SIMD.f32x4Mul);
        } else {
          f.get(w[c]).get(k).op(OP.i32Add).v128Load();
        }
        if (masked) f.get(mask).simd(SIMD.and);
        f.set(q[c]);
      }
      for (let i = 0; i < R; i++) {
        f.get(xr[i]).get(k).op(OP.i32Add).v128Load();
        if (masked) f.get(mask).simd(SIMD.and);
        f.set(u);
        for (let c = 0; c < 4; c++) {
          f.get(acc[i][c]).get(q[c]).get(u).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(acc[i][c]);
        }
      }
    };
    f.i32(0).set(k);
    // if (kEnd > 0) do { ...; k += 16 } while (k < kEnd)
    f.get(kEnd).i32(0).op(OP.i32GtS).op(OP.if, OP.void);
    f.op(OP.loop, OP.void);
    multiplyAdd(false);
    f.get(k).i32(16).op(OP.i32Add).set(k);
    f.get(k).get(kEnd).op(OP.i32LtS).op(OP.brIf, 0);
    f.op(OP.end).op(OP.end);
    // the masked last step when m is not a multiple of 4
    f.get(tail).op(OP.if, OP.void);
    multiplyAdd(true);
    f.op(OP.end);
    for (let i = 0; i < R; i++) {
      // finish(acc…, bias, out + (r + i)·ldo + 4j, lanes)
      for (const a of acc[i]) f.get(a);
      f.get(bias)
        .get(P.out)
        .get(r)
        .i32(i)
        .op(OP.i32Add)
        .get(P.ldo)
        .op(OP.i32Mul)
        .op(OP.i32Add)
        .get(j)
        .i32(2)
        .op(OP.i32Shl)
        .op(OP.i32Add);
      f.get(lanes).op(OP.call, FINISH);
    }
    f.get(r).i32(R).op(OP.i32Add).set(r);
  };

  // for each block of 4 output rows (j, lanes, w[0..3]: eachRowBlock)
  eachRowBlock(f, P, j, lanes, w, () => {
    f.get(P.b).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).v128Load().set(bias);
    f.i32(0).set(r);
    // while (r + ROWS_PER_PASS <= rows) pass(ROWS_PER_PASS)
    f.op(OP.block, OP.void).op(OP.loop, OP.void);
    f.get(r).i32(ROWS_PER_PASS).op(OP.i32Add).get(P.rows).op(OP.i32GtS).op(OP.brIf, 1);
    pass(ROWS_PER_PASS);
    f.op(OP.br, 0).op(OP.end).op(OP.end);
    // the rest (fewer than ROWS_PER_PASS rows), largest pass first: each runs at most once
    for (let R = ROWS_PER_PASS - 1; R >= 1; R--) {
      f.get(r).i32(R).op(OP.i32Add).get(P.rows).op(OP.i32LeS).op(OP.if, OP.void);
      pass(R);
      f.op(OP.end);
    }
  });
  return f;
}

/** Function indices: affine, affine16 and sumExp are exported, finish is called by the affines. */
const FINISH = 3;

/**
 * sumExp(p, n, shift) = Σ_{i<n} exp(v[i] − shift) over the floats at byte address p, as a double:
 * the log-softmax's normaliser (shift = the row's max, so every argument is ≤ 0). exp in float32
 * lanes as Cephes' expf does it: the argument clamped at −87.3 (exp < 1.2e-38: nothing next to the
 * max's 1), n = round(x·log2 e), r = x − n·ln 2 (in two parts), a degree-5 polynomial, times 2^n built
 * in the exponent bits; relative error ~1e-7 per term. The terms are summed in float64 lanes; the
 * lanes past n in the last step are and-ed to 0.
 */
function writeSumExp(): FunctionWriter {
  const P = { p: 0, n: 1, shift: 2 };
  const f = new FunctionWriter(3);
  const i = f.local(I32),
    end = f.local(I32),
    tail = f.local(I32);
  const shift = f.local(V128),
    mask = f.local(V128),
    x = f.local(V128),
    t = f.local(V128),
    y = f.local(V128),
    acc0 = f.local(V128),
    acc1 = f.local(V128);
  const consts = {
    lo: -87.33654,
    log2e: 1.4426950408889634,
    c1: 0.693359375,
    c2: -2.1219444e-4,
    p0: 1.98756915e-4,
    p1: 1.3981999507e-3,
    p2: 8.3334519073e-3,
    p3: 4.1665795894e-2,
    p4: 1.6666665459e-1,
    p5: 5.0000001201e-1,
    one: 1,
  };
  const c = Object.fromEntries(
    Object.entries(consts).map(([name, value]) => {
      const l = f.local(V128);
      f.f32x4Const(value).set(l);
      return [name, l];
    }),
  ) as Record<keyof typeof consts, number>;
  f.get(P.shift).simd(SIMD.f32x4Splat).set(shift);
  f.get(P.n).i32(-4).op(OP.i32And).i32(2).op(OP.i32Shl).set(end);
  f.get(P.n).i32(3).op(OP.i32And).set(tail);
  f.get(tail).simd(SIMD.i32x4Splat).v128Const([0, 1, 2, 3]).simd(SIMD.i32x4GtS).set(mask);
  const mul = () => f.simd(SIMD.f32x4Mul);
  const add = () => f.simd(SIMD.f32x4Add);
  /** y ← exp(v[i..i+4) − shift) (masked: the lanes past n are 0); acc0, acc1 += y as doubles */
  const step = (masked: boolean): void => {
    f.get(P.p).get(i).op(OP.i32Add).v128Load().get(shift).simd(SIMD.f32x4Sub).get(c.lo).simd(SIMD.f32x4Max).set(x);
    f.get(x).get(c.log2e).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Nearest).set(t);
    // r = x − t·c1 − t·c2 (into x)
    f.get(x)
      .get(t)
      .get(c.c1)
      .simd(SIMD.f32x4Mul)
      .simd(SIMD.f32x4Sub)
      .get(t)
      .get(c.c2)
      .simd(SIMD.f32x4Mul)
      .simd(SIMD.f32x4Sub)
      .set(x);
    // y = ((((p0·r + p1)·r + p2)·r + p3)·r + p4)·r + p5, then y·r² + r + 1
    f.get(c.p0).get(x);
    mul();
    for (const k of [c.p1, c.p2, c.p3, c.p4]) {
      f.get(k);
      add();
      f.get(x);
      mul();
    }
    f.get(c.p5);
    add();
    f.get(x).get(x);
    mul();
    mul();
    f.get(x);
    add();
    f.get(c.one);
    add();
    // × 2^t: (int(t) + 127) << 23 as a float32
    f.get(t)
      .simd(SIMD.i32x4TruncSatF32x4S)
      .i32(127)
      .simd(SIMD.i32x4Splat)
      .simd(SIMD.i32x4Add)
      .i32(23)
      .simd(SIMD.i32x4Shl);
    mul();
    if (masked) f.get(mask).simd(SIMD.and);
    f.set(y);
    f.get(acc0).get(y).simd(SIMD.f64x2PromoteLow).simd(SIMD.f64x2Add).set(acc0);
    f.get(acc1).get(y).get(y).shuffle32([2, 3, 2, 3]).simd(SIMD.f64x2PromoteLow).simd(SIMD.f64x2Add).set(acc1);
  };
  f.i32(0).set(i);
  f.get(end).i32(0).op(OP.i32GtS).op(OP.if, OP.void);
  f.op(OP.loop, OP.void);
  step(false);
  f.get(i).i32(16).op(OP.i32Add).set(i);
  f.get(i).get(end).op(OP.i32LtS).op(OP.brIf, 0);
  f.op(OP.end).op(OP.end);
  f.get(tail).op(OP.if, OP.void);
  step(true);
  f.op(OP.end);
  f.get(acc0).get(acc1).simd(SIMD.f64x2Add).set(acc0);
  f.get(acc0).simd(SIMD.f64x2ExtractLane, 0).get(acc0).simd(SIMD.f64x2ExtractLane, 1).op(OP.f64Add);
  return f;
}

/**
 * The module: imports its memory as env.memory, exports `affine` (float32 weights), `affine16` (float16) and `sumExp`.
 */
export function wasmSimdModuleBytes(): Uint8Array {
  const affineType = [0x60, ...uleb(10), ...Array<number>(10).fill(I32), 0];
  const sumExpType = [0x60, 3, I32, I32, F32, 1, F64];
  const finishType = [0x60, 7, V128, V128, V128, V128, V128, I32, I32, 0];
  const type = section(1, [3, ...affineType, ...sumExpType, ...finishType]);
  const imports = section(2, [1, ...utf8('env'), ...utf8('memory'), 0x02, 0x00, 1]); // memory, min 1 page, no max
  const functions = section(3, [4, 0, 0, 1, 2]);
  const exports = section(7, [3, ...utf8('affine'), 0x00, 0, ...utf8('affine16'), 0x00, 1, ...utf8('sumExp'), 0x00, 2]);
  const code = section(10, [
    4,
    ...writeAffine(false).encode(),
    ...writeAffine(true).encode(),
    ...writeSumExp().encode(),
    ...writeFinish().encode(),
  ]);
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Availability

type AffineExport = (
  W: number,
  ldw: number,
  n: number,
  m: number,
  b: number,
  x: number,
  ldx: number,
  rows: number,
  out: number,
  ldo: number,
) => void;
type SumExpExport = (p: number, n: number, shift: number) => number;

let compiled: WasmModule | null | undefined;
let unavailableReason = '';

/**
 * The compiled module, or null where WebAssembly SIMD cannot run: no WebAssembly, an engine
 * without SIMD (validate fails), a CSP without 'wasm-unsafe-eval' (compiling throws), or a module
 * that computes a wrong product (a self-test, once). Synchronous: the module is ~1.5 kB, under
 * Chromium's limit for synchronous compiles on a page's main thread.
 */
function compiledModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  let module: WasmModule | null;
  try {
    const api = wasmApi();
    if (api === undefined) throw new Error('no WebAssembly in this environment');
    const bytes = wasmSimdModuleBytes();
    if (!api.validate(bytes))
      throw new Error('this WebAssembly engine has no SIMD (the f32x4 module does not validate)');
    module = new api.Module(bytes);
    selfTest(module);
  } catch (e) {
    module = null;
    unavailableReason = (e as Error)?.message ?? String(e);
  }
  compiled = module;
  return module;
}

/**
 * A 5×7 matrix times 3 rows against plain arithmetic, with float32 and with float16 weights (one
 * of them subnormal): odd sizes, both passes, the masked step, the partial store, the fix-up.
 * Small integers and one 2^-20, so every sum is exact and must match bit for bit.
 */
function selfTest(module: WasmModule): void {
  const arena = new WasmSimdArena(module, 0);
  const n = 5,
    m = 7,
    rows = 3;
  const data = new Float32Array(n * m);
  for (let i = 0; i < n * m; i++) data[i] = ((i * 7) % 11) - 5;
  data[7] = 2 ** -20; // row 1, column 0 (x there is -3): a float16 subnormal, a fix-up
  const b = arena.alloc(n),
    x = arena.alloc(rows * m),
    out = arena.alloc(rows * n);
  for (const half of [false, true]) {
    const W = arena.putMatrix(data, n, m, half);
    if (W.half !== half) throw new Error('the WebAssembly SIMD self-test could not store its float16 matrix');
    const f = arena.f32;
    for (let i = 0; i < n; i++) f[b + i] = i - 2;
    for (let i = 0; i < rows * m; i++) f[x + i] = ((i * 5) % 7) - 3;
    arena.matmul(W, b, x, m, rows, out, n);
    for (let r = 0; r < rows; r++) {
      for (let jj = 0; jj < n; jj++) {
        let s = f[b + jj];
        for (let kk = 0; kk < m; kk++) s += data[jj * m + kk] * f[x + r * m + kk];
        const got = f[out + r * n + jj];
        if (got !== Math.fround(s)) {
          throw new Error(
            `the WebAssembly SIMD self-test failed (${half ? 'float16' : 'float32'} weights, row ${r}, output ${jj}: ${got}, expected ${s})`,
          );
        }
      }
    }
  }
  // sumExp over 7 values (the masked step) from -100 to 3: within 1e-6 of Math.exp's sum
  const v = arena.alloc(7);
  const values = [-100, -20, -3.5, -1, 0, 0.25, 3];
  arena.f32.set(values, v);
  const want = values.reduce((acc, x) => acc + Math.exp(Math.fround(x) - 3), 0);
  const got = arena.sumExp(v, 7, 3);
  if (!(Math.abs(got - want) <= 1e-6 * want))
    throw new Error(`the WebAssembly SIMD self-test failed (sumExp: ${got}, expected ${want})`);
}

/** True where the SIMD kernel compiles and passes its self-test here (cached). */
export function wasmSimdAvailable(): boolean {
  return compiledModule() !== null;
}

/** Why wasmSimdAvailable() is false ('' when it is true or was not asked yet). */
export function wasmSimdUnavailableReason(): string {
  compiledModule();
  return unavailableReason;
}

/** Forgets the cached probe (tests that take WebAssembly away, then give it back). */
export function resetWasmSimdProbe(): void {
  compiled = undefined;
  unavailableReason = '';
}

// ---------------------------------------------------------------------------------------------
// Memory

const PAGE = 65536;
/** Zero bytes after every allocation: the kernel's over-reads stay inside it. */
const PAD_FLOATS = 4;

/** A weight matrix (rows × cols, row-major) in an arena: float32, or float16 bit patterns. */
export interface WasmMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Float index of the data (float16: the halves start at byte 4·at). */
  readonly at: number;
  readonly half: boolean;
  /**
   * float16 only: the values that are not float16 normals (subnormals, ...), stored as ±0 and added back by matmul().
   */
  readonly fixups: { j: Int32Array; k: Int32Array; w: Float32Array } | null;
  /**
   * int8 rows (putInt8Matrix): the bytes start at byte 4·at, and `scales` is the float index of the
   * rows' scales; null for float matrices.
   */
  readonly int8: { scales: number } | null;
}

/**
 * One instance of the kernel with its own memory, and a bump allocator over that memory. Offsets
 * are float indices into `f32` (byte address / 4). `mark()`/`release(mark)` free everything
 * allocated after a mark (a stack's working buffers, laid out again when they grow).
 * `f32` is replaced when the memory grows: re-read it after alloc().
 */
export class WasmSimdArena {
  readonly memory: WasmMemory;
  f32: Float32Array;
  /** The same memory as int16s (the int8 kernel's rounded inputs), replaced with `f32`. */
  private i16: Int16Array;
  private top = PAD_FLOATS; // float index of the next free float (the first 16 bytes stay zero)
  private readonly affineFn: AffineExport;
  private readonly affine16Fn: AffineExport;
  private readonly sumExpFn: SumExpExport;
  /** The int8 kernel on this memory, where it runs (wasm-int8.ts); null otherwise. */
  private readonly affine8Fn: Affine8Export | null;

  constructor(module: WasmModule, initialFloats: number) {
    const api = wasmApi()!;
    const pages = Math.max(1, Math.ceil(((initialFloats + 4 * PAD_FLOATS) * 4) / PAGE));
    this.memory = new api.Memory({ initial: pages });
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.affineFn = instance.exports.affine as AffineExport;
    this.affine16Fn = instance.exports.affine16 as AffineExport;
    this.sumExpFn = instance.exports.sumExp as SumExpExport;
    const int8 = wasmInt8Module();
    this.affine8Fn =
      int8 === null
        ? null
        : (new api.Instance(int8, { env: { memory: this.memory } }).exports.affine8 as Affine8Export);
    this.f32 = new Float32Array(this.memory.buffer);
    this.i16 = new Int16Array(this.memory.buffer);
  }

  /** Builds an arena where SIMD is available; throws with the reason otherwise. */
  static create(initialFloats = 0): WasmSimdArena {
    const module = compiledModule();
    if (module === null) throw new Error(`the 'wasm-simd' backend is not available here: ${unavailableReason}`);
    return new WasmSimdArena(module, initialFloats);
  }

  /** `floats` zeroed floats, 16-byte aligned, followed by 16 zero bytes; returns the float index. */
  alloc(floats: number): number {
    const at = (this.top + 3) & ~3;
    const end = at + floats + PAD_FLOATS;
    const needBytes = end * 4;
    if (needBytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((needBytes - this.memory.buffer.byteLength) / PAGE));
      this.f32 = new Float32Array(this.memory.buffer);
      this.i16 = new Int16Array(this.memory.buffer);
    }
    this.f32.fill(0, at, end);
    this.top = end;
    return at;
  }

  /** Copies `data` in (a fresh allocation); returns its float index. */
  put(data: Float32Array): number {
    const at = this.alloc(data.length);
    this.f32.set(data, at);
    return at;
  }

  /**
   * Copies a rows × cols matrix in. With `half`, as float16 when the values are float16 numbers (a
   * package exported in F16): the same numbers in half the bytes, so half the memory traffic of a
   * product. Otherwise (`half` false on the result) as float32.
   */
  putMatrix(data: Float32Array, rows: number, cols: number, half: boolean): WasmMatrix {
    if (data.length !== rows * cols) throw new Error(`putMatrix: ${data.length} values for a ${rows} × ${cols} matrix`);
    if (half) {
      const mark = this.mark();
      const m = this.tryHalf(data, rows, cols);
      if (m !== null) return m;
      this.release(mark);
    }
    return { rows, cols, at: this.put(data), half: false, fixups: null, int8: null };
  }

  /**
   * Copies an int8 matrix in (q: rows × cols, one scale per row; see wasm-int8.ts), or returns null
   * where the int8 kernel does not run or cols is not a multiple of 8: the caller then stores the
   * matrix's float values with putMatrix.
   */
  putInt8Matrix(q: Int8Array, scale: Float32Array, rows: number, cols: number): WasmMatrix | null {
    if (this.affine8Fn === null || cols % 8 !== 0 || cols === 0) return null;
    if (q.length !== rows * cols || scale.length !== rows) {
      throw new Error(`putInt8Matrix: ${q.length} values and ${scale.length} scales for a ${rows} × ${cols} matrix`);
    }
    const at = this.alloc(Math.ceil(q.length / 4));
    new Int8Array(this.memory.buffer, at * 4, q.length).set(q);
    return { rows, cols, at, half: false, fixups: null, int8: { scales: this.put(scale) } };
  }

  /** Floats of working memory matmul() needs beside an int8 matrix of `cols` columns for `rows` input rows. */
  static int8ScratchFloats(cols: number, rows: number): number {
    return rows * Math.ceil(cols / 2) + rows;
  }

  /**
   * The float16 copy, or null when too many values are not float16 normals or zeros. Values that
   * are (float16 normals: float32 exponent 113-142 and the low 13 mantissa bits 0; ±0) are
   * converted by bit operations; any other value (a float16 subnormal, or no float16 at all) is
   * stored as 0 and kept as an exact float32 fix-up, up to 1 value in 256 (or 16).
   */
  private tryHalf(data: Float32Array, rows: number, cols: number): WasmMatrix | null {
    const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
    const at = this.alloc(Math.ceil(data.length / 2));
    const u16 = new Uint16Array(this.memory.buffer, at * 4, data.length);
    const maxFixups = Math.max(16, data.length >> 8);
    const fj: number[] = [],
      fk: number[] = [],
      fw: number[] = [];
    for (let i = 0; i < data.length; i++) {
      const v = bits[i];
      const sign = (v >>> 16) & 0x8000;
      const exponent = (v >>> 23) & 0xff;
      if ((v & 0x7fffffff) === 0) {
        u16[i] = sign;
      } else if (exponent >= 113 && exponent <= 142 && (v & 0x1fff) === 0) {
        u16[i] = sign | ((exponent - 112) << 10) | ((v & 0x7fffff) >>> 13);
      } else {
        if (fw.length >= maxFixups) return null;
        fj.push(Math.floor(i / cols));
        fk.push(i % cols);
        fw.push(data[i]);
        u16[i] = sign;
      }
    }
    const fixups = fw.length > 0 ? { j: Int32Array.from(fj), k: Int32Array.from(fk), w: Float32Array.from(fw) } : null;
    return { rows, cols, at, half: true, fixups, int8: null };
  }

  /**
   * out[r·ldo + j] = Σ_k M[j][k] · x[r·ldx + k] + b[j] for r < rows and every row j of M; b, x and
   * out are float indices from alloc(). An int8 matrix also needs `scratch`: the float index of
   * int8ScratchFloats(M.cols, rows) floats, where the input rows are rounded to int16 for its kernel.
   */
  matmul(M: WasmMatrix, b: number, x: number, ldx: number, rows: number, out: number, ldo: number, scratch = -1): void {
    if (M.int8 !== null) {
      if (scratch < 0) throw new Error('matmul: an int8 matrix needs scratch memory');
      const xs = this.roundRowsToInt16(x, ldx, rows, M.cols, scratch);
      this.affine8Fn!(
        M.at * 4,
        M.cols,
        M.rows,
        M.cols,
        M.int8.scales * 4,
        b * 4,
        scratch * 4,
        xs * 4,
        M.cols,
        rows,
        out * 4,
        ldo,
      );
      return;
    }
    if (!M.half) {
      this.affineFn(M.at * 4, M.cols, M.rows, M.cols, b * 4, x * 4, ldx, rows, out * 4, ldo);
      return;
    }
    this.affine16Fn(M.at * 4, M.cols, M.rows, M.cols, b * 4, x * 4, ldx, rows, out * 4, ldo);
    const fix = M.fixups;
    if (fix === null) return;
    const f = this.f32;
    for (let e = 0; e < fix.w.length; e++) {
      const j = fix.j[e],
        k = fix.k[e],
        w = fix.w[e];
      for (let r = 0; r < rows; r++) f[out + r * ldo + j] += w * f[x + r * ldx + k];
    }
  }

  /**
   * Rounds `rows` float rows of length m (at x, stride ldx) to int16, each with its own scale
   * (x ≈ scale · q, |q| ≤ int16Limit(m)): q packed at `scratch` (m per row), the scales after them.
   * Returns the float index of the scales.
   */
  private roundRowsToInt16(x: number, ldx: number, rows: number, m: number, scratch: number): number {
    const f = this.f32;
    const q = this.i16;
    const q0 = scratch * 2; // int16 index of the packed rows
    const xs = scratch + rows * Math.ceil(m / 2);
    const limit = int16Limit(m);
    for (let r = 0; r < rows; r++) {
      const base = x + r * ldx;
      let max = 0;
      for (let k = 0; k < m; k++) {
        const a = Math.abs(f[base + k]);
        if (a > max) max = a;
      }
      const inv = max > 0 ? limit / max : 0;
      f[xs + r] = max / limit;
      for (let k = 0; k < m; k++) q[q0 + r * m + k] = Math.round(f[base + k] * inv);
    }
    return xs;
  }

  /** Σ_{i<n} exp(f32[at + i] − shift), summed as doubles (exp in float32, relative error ~1e-7). */
  sumExp(at: number, n: number, shift: number): number {
    return this.sumExpFn(at * 4, n, shift);
  }

  /**
   * out[outOffset + r·K + k] = v[r][k] − log Σ_k' exp v[r][k'] for the rows × K values at `at`: the
   * log-softmax of reference-kernels' logSoftmaxRows (max, then the exp sum, here in SIMD), written
   * into a JS array.
   */
  logSoftmaxRows(at: number, rows: number, K: number, out: Float32Array, outOffset: number): void {
    const f = this.f32;
    for (let r = 0; r < rows; r++) {
      const base = at + r * K;
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (f[base + k] > max) max = f[base + k];
      const lse = max + Math.log(this.sumExpFn(base * 4, K, max));
      const o = outOffset + r * K;
      for (let k = 0; k < K; k++) out[o + k] = f[base + k] - lse;
    }
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Bytes of memory this arena holds. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * out[r·ldo + j] = Σ_{k<m} W[j·ldw + k] · x[r·ldx + k] + b[j] (r < rows, j < n); every
   * argument but the sizes and strides is a float index from alloc().
   */
  affine(
    W: number,
    ldw: number,
    n: number,
    m: number,
    b: number,
    x: number,
    ldx: number,
    rows: number,
    out: number,
    ldo: number,
  ): void {
    this.affineFn(W * 4, ldw, n, m, b * 4, x * 4, ldx, rows, out * 4, ldo);
  }
}

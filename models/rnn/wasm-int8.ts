/**
 * A WebAssembly SIMD kernel for products with int8 weights: the LM's output layer (10,002 × 256)
 * when its package stores that matrix as int8 rows with a float32 scale each (safetensors.ts, I8).
 * That product streams the whole matrix for the few rows a decoder step scores, so it is bound by
 * memory and by widening the weights: int8 is half float16's bytes, and i32x4.dot_i16x8_s does 8
 * multiply-adds in one instruction where the float16 path spends 4 instructions widening 4 weights.
 *
 *   affine8(W, ldw, n, m, s, b, x, xs, ldx, rows, out, ldo):
 *     out[r·ldo + j] = s[j] · xs[r] · Σ_{k<m} W[j·ldw + k] · x[r·ldx + k] + b[j]      for r < rows, j < n
 *
 * W: int8 (ldw in bytes), s: float32 per output row, x: int16 (ldx in int16s), xs: float32 per input
 * row, b and out: float32 (ldo in floats); every pointer a byte address. m must be a multiple of 8.
 * The caller quantizes its float32 input rows to int16 (WasmSimdArena.matmul: x ≈ xs·q, q within
 * ±32767, rounded to nearest), so the products are exact integers summed in int32 lanes (no
 * overflow: |W| ≤ 127 and |q| ≤ ⌊(2^31 − 1) / (127·m)⌋), converted to float32 and scaled.
 *
 * Exactness: the weights are the package's numbers; the input's rounding to 16 bits is the only
 * approximation, a relative error of at most 2^-16 of the row's largest value per element, so a
 * logit moves by at most Σ_k |W[j][k]|·s[j]·xs[r]/2 (1e-4 to 1e-3 nats for the bundled LM). The
 * tests bound it (test/models/rnn/wasm-int8.test.ts).
 *
 * Schedule: 4 output rows (j) per pass and one input row; k in steps of 8: one int16 vector of x,
 * 4 × (load8x8_s of the weights, dot, add) into 4 int32 accumulators; then each accumulator to
 * float32, and finish (wasm-finish.ts, scaled) sums lanes, scales, adds the bias and stores. The
 * leftover output rows (n not a multiple of 4) repeat the last weight row and store only the valid lanes.
 *
 * A module of its own (with its own copy of finish), so that each module stays under Chromium's
 * 4 kB limit for synchronous compiles; WasmSimdArena instantiates it on the same memory.
 */

import { eachRowBlock, writeFinish } from './wasm-finish';
import { FunctionWriter, I32, OP, section, SIMD, uleb, utf8, V128, wasmApi, type WasmModule } from './wasm-writer';

/** Largest |q| for an input row of length m: 32767, or less where m·127·q could overflow int32. */
export function int16Limit(m: number): number {
  return Math.min(32767, Math.floor(2147483647 / (127 * Math.max(1, m))));
}

/** Function indices in the module: affine8 is exported, finish is called by it. */
const FINISH = 1;

function writeAffine8(): FunctionWriter {
  const P = { W: 0, ldw: 1, n: 2, m: 3, s: 4, b: 5, x: 6, xs: 7, ldx: 8, rows: 9, out: 10, ldo: 11 };
  const f = new FunctionWriter(12);
  const j = f.local(I32),
    r = f.local(I32),
    k = f.local(I32),
    lanes = f.local(I32),
    xr = f.local(I32);
  const w = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const u = f.local(V128),
    scales = f.local(V128),
    bias = f.local(V128);
  const acc = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const zero = f.local(V128); // never written: locals start at 0

  // strides to bytes
  f.get(P.ldx).i32(1).op(OP.i32Shl).set(P.ldx);
  f.get(P.ldo).i32(2).op(OP.i32Shl).set(P.ldo);

  // for each block of 4 output rows (j, lanes, w[0..3]: eachRowBlock)
  eachRowBlock(f, P, j, lanes, w, () => {
    f.get(P.s).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).v128Load().set(scales);
    f.get(P.b).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).v128Load().set(bias);

    f.i32(0).set(r);
    f.op(OP.block, OP.void).op(OP.loop, OP.void);
    f.get(r).get(P.rows).op(OP.i32GeS).op(OP.brIf, 1);
    f.get(P.x).get(r).get(P.ldx).op(OP.i32Mul).op(OP.i32Add).set(xr);
    for (const a of acc) f.get(zero).set(a);
    // do { u = x[k..k+8); acc[c] += dot(W[j+c][k..k+8), u) } while ((k += 8) < m)
    f.i32(0).set(k);
    f.op(OP.loop, OP.void);
    f.get(xr).get(k).i32(1).op(OP.i32Shl).op(OP.i32Add).v128Load().set(u);
    for (let c = 0; c < 4; c++) {
      f.get(acc[c])
        .get(w[c])
        .get(k)
        .op(OP.i32Add)
        .simd(SIMD.load8x8S, 0, 0)
        .get(u)
        .simd(SIMD.i32x4DotI16x8S)
        .simd(SIMD.i32x4Add)
        .set(acc[c]);
    }
    f.get(k).i32(8).op(OP.i32Add).tee(k).get(P.m).op(OP.i32LtS).op(OP.brIf, 0);
    f.op(OP.end);
    // finish(float(acc…), scales · xs[r], bias, out + r·ldo + 4j, lanes)
    for (const a of acc) f.get(a).simd(SIMD.f32x4ConvertI32x4S);
    f.get(scales)
      .get(P.xs)
      .get(r)
      .i32(2)
      .op(OP.i32Shl)
      .op(OP.i32Add)
      .op(OP.f32Load, 2, 0)
      .simd(SIMD.f32x4Splat)
      .simd(SIMD.f32x4Mul);
    f.get(bias);
    f.get(P.out).get(r).get(P.ldo).op(OP.i32Mul).op(OP.i32Add).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add);
    f.get(lanes).op(OP.call, FINISH);
    f.get(r).i32(1).op(OP.i32Add).set(r);
    f.op(OP.br, 0).op(OP.end).op(OP.end);
  });
  return f;
}

/** The module: imports its memory as env.memory, exports `affine8`. */
export function wasmInt8ModuleBytes(): Uint8Array {
  const affineType = [0x60, ...uleb(12), ...Array<number>(12).fill(I32), 0];
  const finishType = [0x60, 8, V128, V128, V128, V128, V128, V128, I32, I32, 0];
  const type = section(1, [2, ...affineType, ...finishType]);
  const imports = section(2, [1, ...utf8('env'), ...utf8('memory'), 0x02, 0x00, 1]); // memory, min 1 page, no max
  const functions = section(3, [2, 0, 1]);
  const exports = section(7, [1, ...utf8('affine8'), 0x00, 0]);
  const code = section(10, [2, ...writeAffine8().encode(), ...writeFinish(true).encode()]);
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

export type Affine8Export = (
  W: number,
  ldw: number,
  n: number,
  m: number,
  s: number,
  b: number,
  x: number,
  xs: number,
  ldx: number,
  rows: number,
  out: number,
  ldo: number,
) => void;

let compiled: WasmModule | null | undefined;

/**
 * The compiled module, or null where it cannot run (no WebAssembly SIMD, or a wrong self-test
 * result): the arena then keeps int8 matrices as float32 and uses its float kernel.
 */
export function wasmInt8Module(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  let module: WasmModule | null = null;
  try {
    const api = wasmApi();
    const bytes = wasmInt8ModuleBytes();
    if (api !== undefined && api.validate(bytes)) {
      module = new api.Module(bytes);
      selfTest(module);
    }
  } catch {
    module = null;
  }
  compiled = module;
  return module;
}

/** Forgets the cached module (tests that take WebAssembly away, then give it back). */
export function resetWasmInt8Module(): void {
  compiled = undefined;
}

/**
 * 6 output rows (a leftover pass of 2) × 16 columns (two k steps) × 2 input rows, with small
 * integers and power-of-two scales: every sum is exact, and the result (one rounding, at the bias)
 * must match bit for bit.
 */
function selfTest(module: WasmModule): void {
  const api = wasmApi()!;
  const memory = new api.Memory({ initial: 1 });
  const affine8 = new api.Instance(module, { env: { memory } }).exports.affine8 as Affine8Export;
  const n = 6,
    m = 16,
    rows = 2;
  // byte layout: W at 0 (96 bytes), s at 128, b at 160, x at 192 (64 bytes), xs at 256, out at 288 (48 bytes)
  const bytes = new Uint8Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  const i16 = new Int16Array(memory.buffer);
  const W = new Int8Array(memory.buffer, 0, n * m);
  for (let i = 0; i < n * m; i++) W[i] = ((i * 37) % 255) - 127;
  const s = [0.5, 0.25, 1, 2, 0.125, 4];
  const b = [1, -2, 3, 0.5, -0.25, 8];
  const xs = [2 ** -10, 2 ** -4];
  f32.set(s, 128 / 4);
  f32.set(b, 160 / 4);
  for (let i = 0; i < rows * m; i++) i16[192 / 2 + i] = ((i * 4099) % 4095) - 2047;
  f32.set(xs, 256 / 4);
  affine8(0, m, n, m, 128, 160, 192, 256, m, rows, 288, n);
  for (let r = 0; r < rows; r++) {
    for (let jj = 0; jj < n; jj++) {
      let dot = 0;
      for (let kk = 0; kk < m; kk++) dot += W[jj * m + kk] * i16[192 / 2 + r * m + kk];
      const want = Math.fround(Math.fround(dot) * Math.fround(s[jj] * xs[r]) + b[jj]);
      const got = f32[288 / 4 + r * n + jj];
      if (got !== want)
        throw new Error(`the WebAssembly int8 self-test failed (row ${r}, output ${jj}: ${got}, expected ${want})`);
    }
  }
  bytes.fill(0, 0, 512);
}

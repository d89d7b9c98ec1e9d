/**
 * The WebAssembly SIMD kernel (models/rnn/wasm-simd.ts) against plain float64 arithmetic: random
 * shapes with sizes that are not multiples of 4 (the masked last step, the padded output lanes),
 * 0 and 1 rows, strides wider than the rows; float32 and float16 weights (widened exactly, the
 * values that are not float16 normals added back as fix-ups); the log-softmax's exp sums; memory growth.
 */
import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../../models/package/float16';
import { seededRng } from '../../../models/language/seeded-rng';
import { logSoftmaxRows } from '../../../models/rnn/reference-kernels';
import {
  WasmSimdArena,
  wasmSimdAvailable,
  wasmSimdModuleBytes,
  wasmSimdUnavailableReason,
} from '../../../models/rnn/wasm-simd';

/** Rounds every value to the nearest float16 (a float16 package's numbers). */
function toHalfValues(v: Float32Array): Float32Array {
  return v.map((x) => float16BitsToFloat32(float32ToFloat16Bits(x)));
}

/** The product in float64: out[r][j] = Σ_k W[j][k] x[r][k] + b[j]. */
function expected(
  W: Float32Array,
  ldw: number,
  n: number,
  m: number,
  b: Float32Array,
  x: Float32Array,
  ldx: number,
  rows: number,
): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += W[j * ldw + k] * x[r * ldx + k];
      out[r * n + j] = s + b[j];
    }
  }
  return out;
}

/**
 * Float32 sums of m products of values in [-1, 1): the error is a few ulps of the partial sums,
 * ≤ m · 2^-23 relative to Σ|terms| ≤ m, far below this bound for m < 300; a wrong lane, a skipped
 * or doubled term is off by ~0.1 or more.
 */
const tolerance = (m: number) => Math.max(1e-6, m * m * 2 ** -22);

describe('WebAssembly SIMD kernel', () => {
  it('validates and runs here (Node 20 has WebAssembly SIMD), in a module of under 4 kB', () => {
    const bytes = wasmSimdModuleBytes();
    // (no WebAssembly types in the Node typecheck)
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(4096); // Chromium compiles up to 4 kB synchronously on any thread
    expect(wasmSimdUnavailableReason()).toBe('');
    expect(wasmSimdAvailable()).toBe(true);
  });

  it('affine matches float64 arithmetic on 300 random shapes (odd sizes, 0-7 rows, padded strides) and writes nothing else', () => {
    const rand = seededRng(11);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const arena = WasmSimdArena.create();
    const sizesSeen = { nOdd: 0, mOdd: 0, rowsOdd: 0 };
    let worst = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = int(1, 37),
        m = int(0, 70),
        rows = int(0, 7);
      const ldw = m + int(0, 3),
        ldx = m + int(0, 3),
        ldo = n + int(0, 3);
      if (n % 4) sizesSeen.nOdd++;
      if (m % 4) sizesSeen.mOdd++;
      if (rows % 2) sizesSeen.rowsOdd++;
      const mark = arena.mark();
      const W = new Float32Array(n * ldw).map(() => 2 * rand() - 1);
      const b = new Float32Array(n).map(() => 2 * rand() - 1);
      const x = new Float32Array(rows * ldx).map(() => 2 * rand() - 1);
      const [wAt, bAt, xAt] = [W, b, x].map((a) => arena.put(a));
      const outAt = arena.alloc(rows * ldo + 4);
      arena.f32.fill(777, outAt, outAt + rows * ldo + 4);
      arena.affine(wAt, ldw, n, m, bAt, xAt, ldx, rows, outAt, ldo);
      const want = expected(W, ldw, n, m, b, x, ldx, rows);
      const f = arena.f32;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < ldo; j++) {
          const got = f[outAt + r * ldo + j];
          if (j >= n) {
            expect(got, `n ${n} m ${m} rows ${rows}: row ${r} column ${j} is past n`).toBe(777);
            continue;
          }
          const err = Math.abs(got - want[r * n + j]);
          worst = Math.max(worst, err);
          expect(
            err,
            `n ${n} m ${m} rows ${rows} ldw ${ldw} ldx ${ldx} ldo ${ldo}: out[${r}][${j}]`,
          ).toBeLessThanOrEqual(tolerance(m));
        }
      }
      for (let i = rows * ldo; i < rows * ldo + 4; i++) expect(f[outAt + i]).toBe(777); // nothing after the last row
      arena.release(mark);
    }
    expect(Math.min(sizesSeen.nOdd, sizesSeen.mOdd, sizesSeen.rowsOdd)).toBeGreaterThan(50);
    expect(worst).toBeGreaterThan(0); // float32 sums: not the float64 result bit for bit
  });

  it('the LM output layer shape (10,002 × 256, 1-4 rows) is within 2e-6 of float64', () => {
    const rand = seededRng(5);
    const n = 10_002,
      m = 256;
    const arena = WasmSimdArena.create(n * m + n + 8 * m + 8 * n + 64);
    const W = new Float32Array(n * m).map(() => (2 * rand() - 1) / 16);
    const b = new Float32Array(n).map(() => 2 * rand() - 1);
    const M = arena.putMatrix(W, n, m, false);
    const bAt = arena.put(b);
    for (const rows of [1, 2, 3, 4]) {
      const x = new Float32Array(rows * m).map(() => 2 * rand() - 1);
      const xAt = arena.put(x),
        outAt = arena.alloc(rows * n);
      arena.matmul(M, bAt, xAt, m, rows, outAt, n);
      const want = expected(W, m, n, m, b, x, m, rows);
      let worst = 0;
      for (let i = 0; i < rows * n; i++) worst = Math.max(worst, Math.abs(arena.f32[outAt + i] - want[i]));
      expect(worst).toBeLessThan(2e-6);
    }
  });

  it('float16 weights: stored as halves when the values are float16 numbers, with the same products as float32', () => {
    const rand = seededRng(8);
    const arena = WasmSimdArena.create();
    for (const [n, m, rows] of [
      [13, 9, 3],
      [1, 1, 1],
      [40, 33, 5],
      [7, 64, 2],
      [258, 127, 4],
    ]) {
      const W = toHalfValues(new Float32Array(n * m).map(() => (2 * rand() - 1) / 4));
      W[0] = 0;
      W[n * m - 1] = 3 * 2 ** -20; // a float16 subnormal: a fix-up
      if (n * m > 2) W[1] = -0;
      const b = new Float32Array(n).map(() => 2 * rand() - 1);
      const x = new Float32Array(rows * m).map(() => 2 * rand() - 1);
      const H = arena.putMatrix(W, n, m, true);
      const F = arena.putMatrix(W, n, m, false);
      expect([H.half, F.half]).toEqual([true, false]);
      const subnormals = W.filter((v) => v !== 0 && Math.abs(v) < 2 ** -14).length;
      expect(subnormals).toBeGreaterThanOrEqual(1);
      expect(H.fixups?.w.length).toBe(subnormals);
      const bAt = arena.put(b),
        xAt = arena.put(x),
        o16 = arena.alloc(rows * n),
        o32 = arena.alloc(rows * n);
      arena.matmul(H, bAt, xAt, m, rows, o16, n);
      arena.matmul(F, bAt, xAt, m, rows, o32, n);
      const want = expected(W, m, n, m, b, x, m, rows);
      for (let i = 0; i < rows * n; i++) {
        expect(Math.abs(arena.f32[o16 + i] - want[i]), `${n}×${m}, ${rows} rows, value ${i}`).toBeLessThanOrEqual(
          tolerance(m),
        );
        expect(Math.abs(arena.f32[o16 + i] - arena.f32[o32 + i])).toBeLessThanOrEqual(tolerance(m));
      }
    }
  });

  it('float16 weights are widened exactly: every normal half, ±0 and subnormals times a unit vector give their value bit for bit', () => {
    // all 61,440 finite normal float16 values (exponents 1-30, every mantissa, both signs), then a
    // row of ±0, 16 subnormals (fix-ups) and normals again: a 481 × 128 matrix
    const values: number[] = [];
    for (let h = 0; h < 0x10000; h++)
      if ((h & 0x7c00) !== 0x7c00 && (h & 0x7c00) !== 0) values.push(float16BitsToFloat32(h));
    values.push(0, -0);
    for (const h of [1, 2, 3, 0x155, 0x2aa, 0x3fe, 0x3ff, 0x200])
      values.push(float16BitsToFloat32(h), float16BitsToFloat32(0x8000 | h));
    while (values.length % 128) values.push(values[values.length % 61_440]);
    const n = values.length / 128,
      m = 128;
    expect(n).toBe(481);
    const W = Float32Array.from(values);
    const arena = WasmSimdArena.create();
    const M = arena.putMatrix(W, n, m, true);
    expect(M.half).toBe(true);
    expect(M.fixups?.w.length).toBe(16);
    const bAt = arena.alloc(n),
      xAt = arena.alloc(m * m),
      outAt = arena.alloc(m * n);
    for (let k = 0; k < m; k++) arena.f32[xAt + k * m + k] = 1; // rows of x: the unit vectors e_k
    arena.matmul(M, bAt, xAt, m, m, outAt, n);
    let mismatches = 0;
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < n; j++) {
        const got = arena.f32[outAt + k * n + j],
          want = W[j * m + k];
        if (got !== want) mismatches++; // (-0 + the bias 0 is +0, and -0 === +0)
      }
    }
    expect(mismatches).toBe(0);
  });

  it('keeps float32 storage for values that are not float16 numbers', () => {
    const rand = seededRng(2);
    const arena = WasmSimdArena.create();
    const W = new Float32Array(64 * 64).map(() => 2 * rand() - 1);
    expect(arena.putMatrix(W, 64, 64, true).half).toBe(false);
    // a few non-float16 values among float16 ones become fix-ups (at most 1 in 256, or 16)
    const V = toHalfValues(W);
    for (let i = 0; i < 16; i++) V[i * 200] = W[i * 200];
    const M = arena.putMatrix(V, 64, 64, true);
    expect(M.half).toBe(true);
    expect(M.fixups?.w.length).toBe(16);
    V[3333] = W[3333]; // one more than allowed
    expect(arena.putMatrix(V, 64, 64, true).half).toBe(false);
  });

  it('sumExp (float32 exp in SIMD, float64 sum) is within 1e-6 of Math.exp, and the log-softmax within 2e-6 of the reference', () => {
    const rand = seededRng(21);
    const arena = WasmSimdArena.create();
    for (const K of [1, 2, 3, 5, 8, 41, 1001, 10_002]) {
      const rows = 3;
      const v = new Float32Array(rows * K).map(() => 40 * rand() - 30);
      if (K > 4) v.set([-1e4, 50, -87.5, -104], 0); // far below the max (0 as float32), the max itself
      const at = arena.put(v);
      for (let r = 0; r < rows; r++) {
        const row = v.subarray(r * K, (r + 1) * K);
        const max = row.reduce((a, b) => Math.max(a, b), -Infinity);
        const want = row.reduce((acc, x) => acc + Math.exp(x - max), 0);
        expect(Math.abs(arena.sumExp(at + r * K, K, max) - want) / want, `K ${K} row ${r}`).toBeLessThan(1e-6);
      }
      const out = new Float32Array(1 + rows * K);
      arena.logSoftmaxRows(at, rows, K, out, 1);
      const ref = v.slice();
      logSoftmaxRows(ref, rows, K);
      let worst = 0;
      for (let i = 0; i < rows * K; i++) worst = Math.max(worst, Math.abs(out[1 + i] - ref[i]));
      expect(worst, `K ${K}`).toBeLessThan(2e-6);
      expect(out[0]).toBe(0);
    }
  });

  it('grows its memory on demand and keeps what it holds', () => {
    const arena = WasmSimdArena.create();
    const first = arena.put(Float32Array.from([1, 2, 3, 4, 5]));
    const before = arena.byteLength;
    const big = arena.alloc(200_000); // > 12 pages
    expect(arena.byteLength).toBeGreaterThan(before);
    expect(Array.from(arena.f32.subarray(first, first + 5))).toEqual([1, 2, 3, 4, 5]);
    expect(arena.f32[big + 199_999]).toBe(0);
    expect(big % 4).toBe(0); // 16-byte aligned
  });
});

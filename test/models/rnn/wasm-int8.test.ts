/**
 * The int8 WebAssembly kernel (models/rnn/wasm-int8.ts) through WasmSimdArena.matmul, against float64
 * arithmetic on the matrix's own values (q · scale): random shapes (output rows not a multiple of 4,
 * 0-7 input rows, strides wider than the rows), the LM's output layer shape, and the bound the input's
 * rounding to int16 sets: |error| ≤ Σ_k |W[j][k]| · xs/2 plus float32 rounding.
 */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../models/language/seeded-rng';
import { dequantizeRows, quantizeRows } from '../../../models/package/safetensors';
import { WasmSimdArena } from '../../../models/rnn/wasm-simd';
import { int16Limit, wasmInt8Module, wasmInt8ModuleBytes } from '../../../models/rnn/wasm-int8';

/** The product in float64 and the bound of the int8 kernel's error for each output. */
function expected(W: Float32Array, n: number, m: number, b: Float32Array, x: Float32Array, ldx: number, rows: number) {
  const out = new Float64Array(rows * n);
  const bound = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let k = 0; k < m; k++) max = Math.max(max, Math.abs(x[r * ldx + k]));
    const halfStep = max / int16Limit(m) / 2;
    for (let j = 0; j < n; j++) {
      let s = 0,
        abs = 0,
        mag = 0;
      for (let k = 0; k < m; k++) {
        s += W[j * m + k] * x[r * ldx + k];
        abs += Math.abs(W[j * m + k]);
        mag += Math.abs(W[j * m + k] * x[r * ldx + k]);
      }
      out[r * n + j] = s + b[j];
      // the input's rounding, then float32 (the int32 sums converted, the scales' product, the bias)
      bound[r * n + j] = abs * halfStep * 1.0001 + (mag + Math.abs(s) + Math.abs(b[j])) * 2 ** -22 + 1e-12;
    }
  }
  return { out, bound };
}

describe('WebAssembly int8 kernel', () => {
  it('validates, passes its self-test here, and its module is under 4 kB', () => {
    const bytes = wasmInt8ModuleBytes();
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(4096);
    expect(wasmInt8Module()).not.toBeNull();
  });

  it('matmul on int8 rows stays within the int16 rounding bound on 200 random shapes and writes nothing else', () => {
    const rand = seededRng(21);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const arena = WasmSimdArena.create();
    let worstShare = 0;
    let nOdd = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = int(1, 37),
        m = 8 * int(1, 9),
        rows = int(0, 7);
      const ldx = m + int(0, 3),
        ldo = n + int(0, 3);
      if (n % 4) nOdd++;
      const mark = arena.mark();
      const { q, scale } = quantizeRows(
        new Float32Array(n * m).map(() => (2 * rand() - 1) * (rand() < 0.1 ? 4 : 0.25)),
        n,
        m,
      );
      const W = dequantizeRows(q, scale, n, m);
      const b = new Float32Array(n).map(() => 2 * rand() - 1);
      const x = new Float32Array(rows * ldx).map(() => 2 * rand() - 1);
      if (rows > 1) x.fill(0, ldx, ldx + m); // an all-zero input row
      const M = arena.putInt8Matrix(q, scale, n, m)!;
      expect(M.int8).not.toBeNull();
      const bAt = arena.put(b),
        xAt = arena.put(x),
        scratch = arena.alloc(WasmSimdArena.int8ScratchFloats(m, rows)),
        outAt = arena.alloc(rows * ldo + 4);
      arena.f32.fill(777, outAt, outAt + rows * ldo + 4);
      arena.matmul(M, bAt, xAt, ldx, rows, outAt, ldo, scratch);
      const { out, bound } = expected(W, n, m, b, x, ldx, rows);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < ldo; j++) {
          const got = arena.f32[outAt + r * ldo + j];
          if (j >= n) {
            expect(got, `n ${n} m ${m} rows ${rows}: row ${r} column ${j} is past n`).toBe(777);
            continue;
          }
          const err = Math.abs(got - out[r * n + j]);
          expect(err, `n ${n} m ${m} rows ${rows}: out[${r}][${j}]`).toBeLessThanOrEqual(bound[r * n + j]);
          worstShare = Math.max(worstShare, err / bound[r * n + j]);
        }
      }
      for (let i = rows * ldo; i < rows * ldo + 4; i++) expect(arena.f32[outAt + i]).toBe(777);
      arena.release(mark);
    }
    expect(nOdd).toBeGreaterThan(50);
    expect(worstShare).toBeGreaterThan(0.01); // the bound is not vacuous: errors come near it
  });

  it('the LM output layer shape (10,002 × 256, 1-4 rows): within the bound, and within 1e-4 for values of the LM’s size', () => {
    const rand = seededRng(6);
    const n = 10_002,
      m = 256;
    const arena = WasmSimdArena.create();
    const { q, scale } = quantizeRows(
      new Float32Array(n * m).map(() => (2 * rand() - 1) / 8),
      n,
      m,
    );
    const W = dequantizeRows(q, scale, n, m);
    const b = new Float32Array(n).map(() => 2 * rand() - 1);
    const M = arena.putInt8Matrix(q, scale, n, m)!;
    const bAt = arena.put(b);
    for (const rows of [1, 2, 3, 4]) {
      const x = new Float32Array(rows * m).map(() => 2 * rand() - 1); // GRU outputs lie in (-1, 1)
      const xAt = arena.put(x),
        scratch = arena.alloc(WasmSimdArena.int8ScratchFloats(m, rows)),
        outAt = arena.alloc(rows * n);
      arena.matmul(M, bAt, xAt, m, rows, outAt, n, scratch);
      const { out, bound } = expected(W, n, m, b, x, m, rows);
      let worst = 0;
      for (let i = 0; i < rows * n; i++) {
        const err = Math.abs(arena.f32[outAt + i] - out[i]);
        expect(err).toBeLessThanOrEqual(bound[i]);
        worst = Math.max(worst, err);
      }
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('declines what it cannot multiply (columns not a multiple of 8) and refuses a product without scratch', () => {
    const arena = WasmSimdArena.create();
    const { q, scale } = quantizeRows(new Float32Array(3 * 12).fill(0.5), 3, 12);
    expect(arena.putInt8Matrix(q, scale, 3, 12)).toBeNull();
    const ok = quantizeRows(new Float32Array(3 * 16).fill(0.5), 3, 16);
    const M = arena.putInt8Matrix(ok.q, ok.scale, 3, 16)!;
    const at = arena.alloc(64);
    expect(() => arena.matmul(M, at, at, 16, 1, at, 3)).toThrow(/scratch/);
  });

  it('keeps int32 sums from overflowing: the int16 limit shrinks for long rows', () => {
    expect(int16Limit(256)).toBe(32767);
    expect(int16Limit(512)).toBe(32767);
    expect(int16Limit(1024)).toBeLessThan(32767);
    for (const m of [8, 256, 520, 1024, 4096]) expect(127 * int16Limit(m) * m).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});

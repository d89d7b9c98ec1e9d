/**
 * The pieces the affine kernels share, wasm-simd.ts (float weights) and wasm-int8.ts (int8 weights): the
 * loop over blocks of 4 output rows, and the end of a pass (finish, a function each module holds a copy of).
 */
import { FunctionWriter, OP, SIMD } from './wasm-writer';

/**
 * Emits the loop over output rows in blocks of 4: for j = 0, 4, 8, … while j < n, with lanes = n − j and
 * w[c] = W + (j + c)·ldw, the byte address of weight row j + c (w[c − 1] again where row j + c does not
 * exist), then `body`, then j += 4. P holds the parameter indices of W, ldw (in bytes) and n.
 */
export function eachRowBlock(
  f: FunctionWriter,
  P: { W: number; ldw: number; n: number },
  j: number,
  lanes: number,
  w: readonly number[],
  body: () => void,
): void {
  f.i32(0).set(j);
  f.op(OP.block, OP.void).op(OP.loop, OP.void);
  f.get(j).get(P.n).op(OP.i32GeS).op(OP.brIf, 1);
  f.get(P.n).get(j).op(OP.i32Sub).set(lanes);
  f.get(P.W).get(j).get(P.ldw).op(OP.i32Mul).op(OP.i32Add).set(w[0]);
  for (let c = 1; c < 4; c++) {
    f.get(w[c - 1])
      .get(P.ldw)
      .op(OP.i32Add)
      .get(w[c - 1])
      .get(lanes)
      .i32(c)
      .op(OP.i32GtS)
      .op(OP.select)
      .set(w[c]);
  }
  body();
  f.get(j).i32(4).op(OP.i32Add).set(j);
  f.op(OP.br, 0).op(OP.end).op(OP.end);
}

/**
 * finish(a0, a1, a2, a3, bias, o, lanes): the 4 accumulators of an input row summed across their
 * lanes into (Σa0, Σa1, Σa2, Σa3) + bias, stored at byte address o: all 4 when lanes ≥ 4, else
 * the first `lanes` (the last outputs when n is not a multiple of 4). With `scaled` (wasm-int8.ts),
 * finish(a0, a1, a2, a3, scale, bias, o, lanes): the sums are multiplied by `scale` lane by lane
 * before the bias is added.
 */
export function writeFinish(scaled = false): FunctionWriter {
  const f = new FunctionWriter(scaled ? 8 : 7);
  const [a0, a1, a2, a3] = [0, 1, 2, 3];
  const [scale, bias, o, lanes] = scaled ? [4, 5, 6, 7] : [-1, 4, 5, 6];
  // t0 = (a0[0]+a0[1], a1[0]+a1[1], a0[2]+a0[3], a1[2]+a1[3]), t1 the same for a2, a3 (into a0, a2)
  f.get(a0).get(a1).shuffle32([0, 4, 2, 6]).get(a0).get(a1).shuffle32([1, 5, 3, 7]).simd(SIMD.f32x4Add).set(a0);
  f.get(a2).get(a3).shuffle32([0, 4, 2, 6]).get(a2).get(a3).shuffle32([1, 5, 3, 7]).simd(SIMD.f32x4Add).set(a2);
  // (Σa0, Σa1, Σa2, Σa3) (× scale) + bias (into a0)
  f.get(a0).get(a2).shuffle32([0, 1, 4, 5]).get(a0).get(a2).shuffle32([2, 3, 6, 7]).simd(SIMD.f32x4Add);
  if (scaled) f.get(scale).simd(SIMD.f32x4Mul);
  f.get(bias).simd(SIMD.f32x4Add).set(a0);
  f.get(lanes).i32(4).op(OP.i32GeS).op(OP.if, OP.void);
  f.get(o).get(a0).v128Store();
  f.op(OP.else);
  f.get(o).get(a0).simd(SIMD.store32Lane, 2, 0, 0);
  for (const lane of [1, 2]) {
    f.get(lanes).i32(lane).op(OP.i32GtS).op(OP.if, OP.void);
    f.get(o)
      .get(a0)
      .simd(SIMD.store32Lane, 2, 4 * lane, lane); // memarg offset 4·lane from o
    f.op(OP.end);
  }
  f.op(OP.end);
  return f;
}

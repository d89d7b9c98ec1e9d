/**
 * The end of an affine kernel's pass, shared by wasm-simd.ts (float weights) and wasm-int8.ts (int8
 * weights), each module holding its own copy of the function.
 */
import { FunctionWriter, OP, SIMD } from './wasm-writer';

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

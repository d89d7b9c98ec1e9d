/**
 * IEEE 754 binary16 <-> binary32 conversion (bit patterns as numbers in [0, 65535]).
 *
 * float16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits; max finite 65504,
 * smallest normal 2^-14, smallest subnormal 2^-24; relative precision 2^-11.
 */

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** Nearest float16 (round half to even); overflow → ±Infinity, NaN stays NaN, underflow → subnormal or ±0. */
export function float32ToFloat16Bits(value: number): number {
  scratchF32[0] = value;
  const bits = scratchU32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent32 = (bits >>> 23) & 0xff;
  const mantissa32 = bits & 0x7fffff;

  if (exponent32 === 0xff) return sign | 0x7c00 | (mantissa32 !== 0 ? 0x200 : 0); // Inf or (quiet) NaN
  const exponent16 = exponent32 - 127 + 15;
  if (exponent16 >= 0x1f) return sign | 0x7c00; // too big for float16

  if (exponent16 <= 0) {
    // Subnormal float16: value = m × 2^-24. With the implicit 1, the 24-bit significand M
    // (value = M × 2^(exponent32 - 150)) gives m = M >> (14 - exponent16), rounded.
    const shift = 14 - exponent16;
    if (shift > 24) return sign; // below half the smallest subnormal: rounds to ±0
    const significand = mantissa32 | 0x800000;
    let half = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    // a carry into bit 10 gives the smallest normal: right
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }

  // Normal: keep the top 10 mantissa bits, round on the 13 dropped; a carry may bump the exponent
  // (up to Infinity: right).
  let half = (exponent16 << 10) | (mantissa32 >>> 13);
  const rest = mantissa32 & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero or subnormal
  if (exponent === 0x1f) return mantissa !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let decodeTable: Float32Array | undefined;

/** float16 bit pattern → float32 value, all 65536 of them (256 KB, built on first use). */
function table(): Float32Array {
  if (decodeTable === undefined) {
    decodeTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = float16BitsToFloat32(h);
  }
  return decodeTable;
}

/** Float16 bit patterns → float32 values, through a 65536-entry table (256 KB, built on first use). */
export function float16ArrayToFloat32(bits: Uint16Array): Float32Array {
  const t = table();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = t[bits[i]];
  return out;
}

/** Float16 bit patterns → float32 values written into out[offset ..]. */
export function float16IntoFloat32(
  bits: Uint16Array,
  begin: number,
  end: number,
  out: Float32Array,
  offset: number,
): void {
  const t = table();
  for (let i = begin; i < end; i++) out[offset + i - begin] = t[bits[i]];
}

/**
 * The float16 bit patterns of `values` when every one of them is exactly a float16 (widening them
 * again gives the same float32 values, -0 included), else null. A float32 tensor read from an F16
 * file always is one.
 */
export function exactFloat16(values: Float32Array): Uint16Array | null {
  const t = table();
  const bits = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const h = float32ToFloat16Bits(values[i]);
    if (!Object.is(t[h], values[i])) return null;
    bits[i] = h;
  }
  return bits;
}

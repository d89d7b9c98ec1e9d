import { describe, expect, it } from 'vitest';
import { exactFloat16, float16BitsToFloat32, float32ToFloat16Bits } from '../../../models/package/float16';
import { ModelPackageError } from '../../../models/package/package-error';
import { dequantizeRows, readSafetensors, writeSafetensors } from '../../../models/package/safetensors';
import { seededRandom } from '../../fixtures/make-test-models';

/** A safetensors file built by hand from a header object and a data section (independent of writeSafetensors). */
function rawSafetensors(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, headerLength ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function expectError(action: () => unknown): ModelPackageError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelPackageError);
    return error as ModelPackageError;
  }
  throw new Error('expected a ModelPackageError');
}

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

describe('float16 conversion', () => {
  it('encodes known values bit-exactly', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff); // largest finite
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds up to Infinity
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0x0000); // below half of it: zero
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(float32ToFloat16Bits(-Infinity)).toBe(0xfc00);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
  });

  it('exactFloat16 keeps values that are float16s (-0 included) and refuses any that is not', () => {
    const values = new Float32Array([1, -2, 0.5, -0, 65504, 2 ** -24, 0.099975586]);
    const bits = exactFloat16(values)!;
    expect(Array.from(bits, float16BitsToFloat32)).toEqual(Array.from(values));
    expect(Object.is(float16BitsToFloat32(bits[3]), -0)).toBe(true);
    expect(exactFloat16(new Float32Array([1, 0.1]))).toBeNull();
    expect(exactFloat16(new Float32Array([70000]))).toBeNull();
  });

  it('decodes every non-NaN float16 and re-encodes it to the same bits', () => {
    const mismatches: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const value = float16BitsToFloat32(h);
      if (!Number.isNaN(value) && float32ToFloat16Bits(value) !== h) mismatches.push(h);
    }
    expect(mismatches).toEqual([]);
    expect(float16BitsToFloat32(0x0400)).toBe(2 ** -14); // smallest normal
  });
});

describe('safetensors', () => {
  it('F32 write → read is exact, including -0, subnormals and extremes', () => {
    const random = seededRandom(7);
    const a = new Float32Array(1000).map(() => (random() - 0.5) * 1e6);
    a.set([-0, 1e-45, -3.4028234e38, 1.17549435e-38], 0);
    const b = new Float32Array([1, 2, 3, 4, 5, 6]);
    const bytes = writeSafetensors(
      [
        ['a', { shape: [10, 100], data: a }],
        ['b', { shape: [2, 3], data: b }],
      ],
      { dtype: 'F32' },
    );
    const { tensors } = readSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    expect(tensors.get('a')?.shape).toEqual([10, 100]);
    expect(tensors.get('a')?.dtype).toBe('F32');
    expect(bits(tensors.get('a')!.data)).toEqual(bits(a));
    expect(bits(tensors.get('b')!.data)).toEqual(bits(b));
  });

  it('F16 write → read stays within float16 precision (relative 2^-11)', () => {
    const random = seededRandom(8);
    const values = new Float32Array(5000).map(() => (random() - 0.5) * 2 * 10 ** (random() * 8 - 4)); // 1e-4 .. 1e4
    const bytes = writeSafetensors([['w', { shape: [5000], data: values }]], { dtype: 'F16' });
    const w = readSafetensors(bytes).tensors.get('w')!;
    expect(w.dtype).toBe('F16');
    for (let i = 0; i < values.length; i++) {
      // normal range: half an ulp = 2^-11 relative; subnormal range: half of 2^-24 absolute
      expect(Math.abs(w.data[i] - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * 2 ** -11 + 2 ** -25);
    }
    expect(bytes.length).toBeLessThan(5000 * 2 + 200); // two bytes per value
  });

  it('reads a hand-made F16 file and keeps __metadata__', () => {
    const data = new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c]); // 1, -2, +Inf little-endian
    const header = { __metadata__: { format: 'pt' }, x: { dtype: 'F16', shape: [3], data_offsets: [0, 6] } };
    const { tensors, metadata } = readSafetensors(rawSafetensors(header, data));
    expect(Array.from(tensors.get('x')!.data)).toEqual([1, -2, Infinity]);
    expect(metadata).toEqual({ format: 'pt' });
  });

  it('pads the header so the data section starts on an 8-byte boundary, and writes metadata', () => {
    const bytes = writeSafetensors([['t', { shape: [1], data: new Float32Array([1]) }]], {
      dtype: 'F32',
      metadata: { k: 'v' },
    });
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect((8 + headerLength) % 8).toBe(0);
    expect(readSafetensors(bytes).metadata).toEqual({ k: 'v' });
  });

  it('reads a file that sits at an odd offset in a larger buffer', () => {
    const file = writeSafetensors([['t', { shape: [2], data: new Float32Array([1.5, -2.25]) }]], { dtype: 'F32' });
    const bigger = new Uint8Array(file.length + 3);
    bigger.set(file, 3);
    expect(Array.from(readSafetensors(bigger.subarray(3)).tensors.get('t')!.data)).toEqual([1.5, -2.25]);
  });

  it('reads F16 tensors in place or unaligned to the same values, never aliasing the file', () => {
    const values = new Float32Array([1, -2, 0.5, 65504, -0.000061035156]);
    const file = writeSafetensors(
      [
        ['a', { shape: [1], data: new Float32Array([3]) }],
        ['t', { shape: [5], data: values }],
      ],
      { dtype: 'F16' },
    );
    for (const offset of [0, 1, 2, 3]) {
      const bigger = new Uint8Array(file.length + offset);
      bigger.set(file, offset);
      const t = readSafetensors(bigger.subarray(offset)).tensors.get('t')!.data;
      expect(Array.from(t)).toEqual(Array.from(values));
      bigger.fill(0);
      expect(Array.from(t)).toEqual(Array.from(values));
    }
  });

  it('refuses a file shorter than the header length field', () => {
    const error = expectError(() => readSafetensors(new Uint8Array(5), 'w.safetensors'));
    expect(error.file).toBe('w.safetensors');
    expect(error.message).toMatch(/truncated/);
  });

  it('refuses an insane header length', () => {
    const bytes = new Uint8Array(64);
    new DataView(bytes.buffer).setUint32(4, 1, true); // 2^32 bytes
    expect(expectError(() => readSafetensors(bytes, 'w.safetensors')).message).toMatch(
      /w\.safetensors: header length is not sane/,
    );
  });

  it('refuses a header that runs past the end of the file', () => {
    const bytes = rawSafetensors({}, new Uint8Array(0), 500);
    expect(expectError(() => readSafetensors(bytes)).message).toMatch(/truncated inside the JSON header/);
  });

  it('refuses a header that is not JSON', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(0, 8, true);
    bytes.set(new TextEncoder().encode('{"a": }x'), 8);
    expect(expectError(() => readSafetensors(bytes)).message).toMatch(/header is not valid JSON/);
  });

  it.each(['I64', 'BF16', 'F64'])('names the unsupported dtype %s', (dtype) => {
    const bytes = rawSafetensors({ t: { dtype, shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8));
    const error = expectError(() => readSafetensors(bytes, 'w.safetensors'));
    expect(error.tensor).toBe('t');
    expect(error.found).toBe(dtype);
    expect(error.message).toContain(dtype);
    expect(error.message).toContain('F32, F16 or I8');
  });

  it('refuses a byte length that does not match shape × dtype size', () => {
    const bytes = rawSafetensors({ t: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, new Uint8Array(24));
    const error = expectError(() => readSafetensors(bytes));
    expect(error.tensor).toBe('t');
    expect(error.expected).toContain('24 bytes');
    expect(error.found).toBe('20 bytes');
  });

  it('refuses offsets past the end of the data (truncated file)', () => {
    const bytes = rawSafetensors({ t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(10));
    const error = expectError(() => readSafetensors(bytes));
    expect(error.message).toMatch(/truncated/);
    expect(error.found).toBe('10 bytes');
  });

  it('refuses overlapping tensors, naming both', () => {
    const header = {
      a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
      b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
    };
    const error = expectError(() => readSafetensors(rawSafetensors(header, new Uint8Array(16))));
    expect(error.tensor).toBe('b');
    expect(error.message).toContain('"a"');
  });

  it('refuses to write data whose length does not match its shape', () => {
    const error = expectError(() =>
      writeSafetensors([['t', { shape: [2, 2], data: new Float32Array(3) }]], { dtype: 'F32' }),
    );
    expect(error.tensor).toBe('t');
    expect(error.message).toContain('[2, 2]');
  });
});

describe('safetensors int8 matrices (I8 + a scale per row)', () => {
  const rand = seededRandom(17);
  const matrix = new Float32Array(6 * 8).map(() => (2 * rand() - 1) * 3);
  matrix.fill(0, 8, 16); // an all-zero row: scale 0

  it('writes matrices from int8From values as I8 rows with X.scale, reads them back as one tensor of q · scale', () => {
    const bias = new Float32Array([0.5, -1, 2]);
    const bytes = writeSafetensors(
      [
        ['W', { shape: [6, 8], data: matrix }],
        ['b', { shape: [3], data: bias }],
      ],
      { dtype: 'F32', int8From: 16 },
    );
    const { tensors } = readSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['W', 'b']); // the scales are not a tensor of their own
    const W = tensors.get('W')!;
    expect(W.dtype).toBe('I8');
    expect(W.int8!.q.length).toBe(48);
    expect(Array.from(W.int8!.scale.subarray(1, 2))).toEqual([0]);
    expect(Array.from(W.data)).toEqual(Array.from(dequantizeRows(W.int8!.q, W.int8!.scale, 6, 8)));
    for (let r = 0; r < 6; r++) {
      const s = W.int8!.scale[r];
      let max = 0;
      for (let c = 0; c < 8; c++) {
        expect(Math.abs(W.data[r * 8 + c] - matrix[r * 8 + c])).toBeLessThanOrEqual(s / 2 + 1e-7);
        max = Math.max(max, Math.abs(W.int8!.q[r * 8 + c]));
      }
      expect(max).toBe(r === 1 ? 0 : 127); // each row uses its whole range
    }
    expect(tensors.get('b')!.dtype).toBe('F32'); // under int8From: the float dtype
    expect(Array.from(tensors.get('b')!.data)).toEqual(Array.from(bias));
    // a second write keeps the same q and scales (no second rounding)
    const again = readSafetensors(writeSafetensors([['W', W]], { dtype: 'F16', int8From: 16 })).tensors.get('W')!;
    expect(Array.from(again.int8!.q)).toEqual(Array.from(W.int8!.q));
    expect(bits(again.data)).toEqual(bits(W.data));
  });

  it('refuses an I8 tensor without its scales, with scales of the wrong shape, or that is not a matrix', () => {
    const q = new Uint8Array(8);
    const scale = new Uint8Array(new Float32Array([1, 2]).buffer);
    const both = new Uint8Array(16);
    both.set(q);
    both.set(scale, 8);
    let error = expectError(() =>
      readSafetensors(rawSafetensors({ W: { dtype: 'I8', shape: [2, 4], data_offsets: [0, 8] } }, q)),
    );
    expect(error.tensor).toBe('W');
    expect(error.message).toContain('W.scale');
    error = expectError(() =>
      readSafetensors(
        rawSafetensors(
          {
            W: { dtype: 'I8', shape: [2, 4], data_offsets: [0, 8] },
            'W.scale': { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
          },
          both,
        ),
      ),
    );
    expect(error.message).toContain('[2]');
    error = expectError(() =>
      readSafetensors(rawSafetensors({ v: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }, q)),
    );
    expect(error.message).toContain('matrix');
  });
});

/**
 * safetensors reader and writer (https://github.com/huggingface/safetensors, format only; own code).
 *
 * Layout:  [u64 little-endian N] [N bytes of UTF-8 JSON header] [data section]
 * Header:  { "__metadata__"?: { string: string }, "<tensor>": { dtype, shape, data_offsets: [begin, end) } }
 *          offsets are bytes relative to the start of the data section; data is row-major, little-endian.
 *
 * Earshot reads and writes F32 and F16; F16 is widened to Float32Array on load (the RNN computes in float32).
 * It also reads and writes I8 matrices: a (rows, cols) I8 tensor `X` comes with a float scale per row,
 * the tensor `X.scale` (rows), and stands for the values q · scale (rounded to float32). On load the
 * pair becomes one tensor `X` whose `data` holds those values and whose `int8` keeps q and the scales
 * (for the int8 kernel, wasm-int8.ts); `X.scale` is not a tensor of the package.
 * Every error is a ModelPackageError naming the file (and the tensor where there is one).
 */

import type { Int8Rows } from '../rnn/tensor';
import { float16ArrayToFloat32, float32ToFloat16Bits } from './float16';
import { ModelPackageError, formatShape } from './package-error';

export type SafetensorsDtype = 'F32' | 'F16' | 'I8';

/** The dtype of a package's float tensors (I8 matrices are chosen by size: WriteSafetensorsOptions.int8From). */
export type FloatDtype = 'F32' | 'F16';

export const SAFETENSORS_DTYPES: readonly SafetensorsDtype[] = ['F32', 'F16', 'I8'];

const FLOAT_DTYPES: readonly FloatDtype[] = ['F32', 'F16'];

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, I8: 1 };

/** The name of an I8 matrix's per-row scales. */
export const scaleTensorName = (name: string): string => `${name}.scale`;

/** Largest header accepted (the reference implementation's limit): a bigger length means a corrupt or foreign file. */
const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';

export interface SafetensorsTensor {
  /** dtype as stored in the file; `data` is float32 whatever it is. */
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
  /** I8 only: the stored form (data[r·cols + c] = fround(q[r·cols + c] · scale[r])). */
  int8?: Int8Rows;
}

export interface SafetensorsContents {
  /** In the header's order. */
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

export interface WriteSafetensorsOptions {
  dtype: FloatDtype;
  /**
   * Matrices (2-D tensors) with at least this many values are written as I8 rows with a float32 scale
   * each (quantizeRows; a tensor that came from an I8 file keeps its own q and scales). Default: none.
   */
  int8From?: number;
  metadata?: Record<string, string>;
  /** Named in errors. */
  file?: string;
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}

/** Parses a whole safetensors file. `file` (the package-relative path) is named in errors. */
export function readSafetensors(bytes: Uint8Array, file = 'weights.safetensors'): SafetensorsContents {
  const fail = (problem: string, extra: { tensor?: string; expected?: string; found?: string } = {}): never => {
    throw new ModelPackageError({ file, problem, ...extra });
  };

  if (bytes.length < 8) {
    fail('truncated: too short to hold the 8-byte header length', {
      expected: 'at least 8 bytes',
      found: `${bytes.length} bytes`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthLow = view.getUint32(0, true);
  const lengthHigh = view.getUint32(4, true);
  const headerLength = lengthHigh * 2 ** 32 + lengthLow;
  if (lengthHigh !== 0 || headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
    fail('header length is not sane (is this a safetensors file?)', {
      expected: `2 to ${MAX_HEADER_BYTES} bytes`,
      found: `${headerLength} bytes`,
    });
  }
  if (8 + headerLength > bytes.length) {
    fail('truncated inside the JSON header', {
      expected: `${8 + headerLength} bytes or more`,
      found: `${bytes.length} bytes`,
    });
  }

  let headerText = '';
  try {
    headerText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (error) {
    fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail('header is not a JSON object');
  }

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];

  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('__metadata__ is not an object');
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`__metadata__.${key} is not a string`, { found: JSON.stringify(value) });
        metadata[key] = value as string;
      }
      continue;
    }
    const tensor = name;
    if (typeof raw !== 'object' || raw === null) fail('header entry is not an object', { tensor });
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;

    if (typeof dtype !== 'string' || !(SAFETENSORS_DTYPES as readonly string[]).includes(dtype)) {
      fail(`unsupported dtype ${JSON.stringify(dtype)}; Earshot reads F32, F16 and I8 (int8 matrices)`, {
        tensor,
        expected: 'F32, F16 or I8',
        found: String(dtype),
      });
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail('shape is not a list of non-negative integers', { tensor, found: JSON.stringify(shape) });
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      fail('data_offsets is not [begin, end] with 0 <= begin <= end', { tensor, found: JSON.stringify(offsets) });
    }
    const typedDtype = dtype as SafetensorsDtype;
    const typedShape = shape as number[];
    const [begin, end] = offsets as number[];
    const expectedBytes = elementCount(typedShape) * BYTES_PER_ELEMENT[typedDtype];
    if (end - begin !== expectedBytes) {
      fail('byte length does not match shape × dtype size', {
        tensor,
        expected: `${expectedBytes} bytes (${formatShape(typedShape)} ${typedDtype})`,
        found: `${end - begin} bytes`,
      });
    }
    if (end > dataLength) {
      fail('truncated: the data section ends before this tensor does', {
        tensor,
        expected: `a data section of at least ${end} bytes`,
        found: `${dataLength} bytes`,
      });
    }
    entries.push({ name, dtype: typedDtype, shape: typedShape, begin, end });
  }

  // Spans must not overlap (gaps are tolerated: they harm nothing).
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let furthest: (typeof entries)[number] | undefined; // the non-empty span reaching furthest so far
  for (const current of byOffset) {
    if (current.end === current.begin) continue; // empty tensors occupy no bytes
    if (furthest !== undefined && current.begin < furthest.end) {
      fail(`data overlaps tensor "${furthest.name}"`, {
        tensor: current.name,
        expected: `to start at byte ${furthest.end} or later`,
        found: `bytes [${current.begin}, ${current.end})`,
      });
    }
    if (furthest === undefined || current.end > furthest.end) furthest = current;
  }

  const raw = (entry: (typeof entries)[number]) => bytes.subarray(dataStart + entry.begin, dataStart + entry.end);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const scaleNames = new Set(entries.filter((e) => e.dtype === 'I8').map((e) => scaleTensorName(e.name)));
  const tensors = new Map<string, SafetensorsTensor>();
  for (const entry of entries) {
    if (scaleNames.has(entry.name)) continue; // read with its matrix
    if (entry.dtype !== 'I8') {
      tensors.set(entry.name, { dtype: entry.dtype, shape: entry.shape, data: decode(raw(entry), entry.dtype) });
      continue;
    }
    const tensor = entry.name;
    const [rows, cols] = entry.shape;
    if (entry.shape.length !== 2) {
      fail('an I8 tensor must be a matrix (rows, cols)', { tensor, found: formatShape(entry.shape) });
    }
    const scaleEntry = byName.get(scaleTensorName(tensor));
    if (
      scaleEntry === undefined ||
      scaleEntry.dtype === 'I8' ||
      formatShape(scaleEntry.shape) !== formatShape([rows])
    ) {
      fail(
        `an I8 matrix needs its scales: a float tensor "${scaleTensorName(tensor)}" of shape ${formatShape([rows])}`,
        {
          tensor,
          expected: `${scaleTensorName(tensor)} (F32 or F16, ${formatShape([rows])})`,
          found: scaleEntry === undefined ? 'missing' : `${scaleEntry.dtype} ${formatShape(scaleEntry.shape)}`,
        },
      );
    }
    const scale = decode(raw(scaleEntry!), scaleEntry!.dtype);
    const q = new Int8Array(raw(entry).slice().buffer);
    tensors.set(tensor, {
      dtype: 'I8',
      shape: entry.shape,
      data: dequantizeRows(q, scale, rows, cols),
      int8: { q, scale },
    });
  }
  return { tensors, metadata };
}

/** The values an I8 matrix stands for: fround(q · scale[row]). */
export function dequantizeRows(q: Int8Array, scale: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = scale[r];
    for (let c = r * cols; c < (r + 1) * cols; c++) out[c] = q[c] * s;
  }
  return out;
}

/**
 * Symmetric int8 rows: scale[r] = max_c |W[r][c]| / 127 (as float32; 0 for a zero row) and
 * q = round(W / scale), so each row keeps its own range and the error is at most scale/2 per value.
 */
export function quantizeRows(data: Float32Array, rows: number, cols: number): Int8Rows {
  const q = new Int8Array(rows * cols);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = r * cols; c < (r + 1) * cols; c++) max = Math.max(max, Math.abs(data[c]));
    const s = Math.fround(max / 127);
    scale[r] = s;
    if (s === 0) continue;
    for (let c = r * cols; c < (r + 1) * cols; c++) q[c] = Math.max(-127, Math.min(127, Math.round(data[c] / s)));
  }
  return { q, scale };
}

/** Little-endian bytes → float32 values (copied: the result never aliases the file's buffer). */
function decode(raw: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const n = raw.length / BYTES_PER_ELEMENT[dtype];
  if (hostIsLittleEndian) {
    // F16 is widened into a new array anyway: read it in place when it is 2-byte aligned (a copy of
    // the LM's 5 MB output matrix less at load)
    if (dtype === 'F16' && raw.byteOffset % 2 === 0)
      return float16ArrayToFloat32(new Uint16Array(raw.buffer, raw.byteOffset, n));
    const aligned = raw.slice().buffer; // fresh buffer at offset 0: aligned for any typed array
    return dtype === 'F32' ? new Float32Array(aligned, 0, n) : float16ArrayToFloat32(new Uint16Array(aligned, 0, n));
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dtype === 'F32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  const bits = new Uint16Array(n);
  for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true);
  return float16ArrayToFloat32(bits);
}

/**
 * Serializes tensors (in iteration order, packed back to back) as safetensors.
 * The header is padded with spaces so the data section starts on an 8-byte boundary.
 * F16 rounds to nearest even; values beyond ±65504 become ±Infinity (the loader then refuses them).
 */
export function writeSafetensors(
  tensors: Iterable<[string, { shape: readonly number[]; data: Float32Array }]>,
  options: WriteSafetensorsOptions,
): Uint8Array {
  const file = options.file ?? 'weights.safetensors';
  const dtype = options.dtype;
  if (!(FLOAT_DTYPES as readonly string[]).includes(dtype)) {
    throw new ModelPackageError({
      file,
      problem: 'cannot write this dtype',
      expected: FLOAT_DTYPES.join(' or '),
      found: String(dtype),
    });
  }
  const header: Record<string, unknown> = {};
  if (options.metadata !== undefined) header[METADATA_KEY] = { ...options.metadata };

  const list: { data: Float32Array | Int8Array; dtype: SafetensorsDtype; begin: number }[] = [];
  let dataLength = 0;
  const add = (name: string, shape: readonly number[], data: Float32Array | Int8Array, as: SafetensorsDtype) => {
    const byteLength = data.length * BYTES_PER_ELEMENT[as];
    header[name] = { dtype: as, shape: [...shape], data_offsets: [dataLength, dataLength + byteLength] };
    list.push({ data, dtype: as, begin: dataLength });
    dataLength += byteLength;
  };
  for (const [name, tensor] of tensors as Iterable<
    [string, { shape: readonly number[]; data: Float32Array; int8?: Int8Rows }]
  >) {
    if (name === METADATA_KEY) throw new ModelPackageError({ file, tensor: name, problem: 'reserved name' });
    if (name in header) throw new ModelPackageError({ file, tensor: name, problem: 'duplicate tensor name' });
    const count = elementCount(tensor.shape);
    if (tensor.data.length !== count) {
      throw new ModelPackageError({
        file,
        tensor: name,
        problem: 'data length does not match the shape',
        expected: `${count} values (${formatShape(tensor.shape)})`,
        found: `${tensor.data.length} values`,
      });
    }
    if (options.int8From !== undefined && tensor.shape.length === 2 && count >= options.int8From) {
      if (scaleTensorName(name) in header)
        throw new ModelPackageError({ file, tensor: name, problem: "its scales' name is taken" });
      const [rows, cols] = tensor.shape;
      const { q, scale } = tensor.int8 ?? quantizeRows(tensor.data, rows, cols);
      add(name, tensor.shape, q, 'I8');
      add(scaleTensorName(name), [rows], scale, 'F32');
    } else {
      add(name, tensor.shape, tensor.data, dtype);
    }
  }

  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 - ((8 + headerBytes.length) % 8)) % 8;
  if (padding > 0) {
    const padded = new Uint8Array(headerBytes.length + padding).fill(0x20); // spaces: valid trailing JSON whitespace
    padded.set(headerBytes);
    headerBytes = padded;
  }

  const out = new Uint8Array(8 + headerBytes.length + dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true); // high 32 bits stay 0
  out.set(headerBytes, 8);
  const dataStart = 8 + headerBytes.length;
  for (const { data, dtype: as, begin } of list) {
    const at = dataStart + begin;
    if (data instanceof Int8Array) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    } else if (as === 'F32') {
      if (hostIsLittleEndian) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
      else for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i], true);
    } else {
      for (let i = 0; i < data.length; i++) view.setUint16(at + 2 * i, float32ToFloat16Bits(data[i]), true);
    }
  }
  return out;
}

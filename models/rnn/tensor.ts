/**
 * A dense float32 tensor as the model package hands it over: `shape` in elements, `data` row-major
 * (the last index varies fastest, PyTorch's default layout), so a (rows, cols) matrix holds
 * element [r][c] at data[r * cols + c].
 */
export interface Tensor {
  shape: number[];
  data: Float32Array;
  /**
   * Present when the package stores this (rows, cols) matrix as int8 rows (safetensors I8 with a scale per
   * row): `data` holds the same numbers, data[r·cols + c] = fround(q[r·cols + c] · scale[r]), for the
   * backends that compute in float; wasm-simd multiplies the int8 form directly (wasm-int8.ts).
   */
  int8?: Int8Rows;
}

/** A matrix as int8 rows with one float32 scale per row: value = q · scale (|q| ≤ 127). */
export interface Int8Rows {
  q: Int8Array;
  scale: Float32Array;
}

/** Named tensors, keyed by the names in models/package/model-spec.ts (e.g. 'layers.0.W_ax'). */
export type TensorMap = Map<string, Tensor>;

/** '[3, 4]': how shapes appear in error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements a shape holds (1 for a scalar shape []). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Checks a TensorMap against a LayerSpec[] and lays the weights out the way the kernels read them.
 *
 * Names and shapes follow models/package/model-spec.ts (PyTorch layout, G gates per cell):
 *   layers.{l}.W_ax (G·H, I)   layers.{l}.W_aa (G·H, H)
 *   vanilla: layers.{l}.b_a (H)         gru/lstm: layers.{l}.b_ax (G·H), layers.{l}.b_aa (G·H)
 *   output.W_ya (K, H_last)   output.b_y (K)
 * Gate order inside the G·H rows is PyTorch's: gru r,z,n; lstm i,f,g,o.
 */
import type { Activation, CellType, LayerSpec } from '../package/model-spec';
import { elementCount, formatShape, type Int8Rows, type Tensor, type TensorMap } from './tensor';

/** Thrown when a weight tensor is missing or has the wrong shape, or the layer specs do not chain. */
export class RnnWeightsError extends Error {
  override name = 'RnnWeightsError';
  constructor(
    message: string,
    /** The tensor at fault, e.g. 'layers.1.W_aa' (absent for layer-spec errors). */
    readonly tensor?: string,
    /** '[768, 256]' */
    readonly expected?: string,
    /** '[256, 768]', or 'missing' */
    readonly found?: string,
  ) {
    super(message);
  }
}

/**
 * Vanilla cell, the seed's a<t> = g1(W_aa a<t-1> + W_ax x<t> + b_a) in its stacked form
 * a<t> = g1(W_a [a<t-1>; x<t>] + b_a) with W_a = [W_aa | W_ax].
 */
export interface VanillaLayerWeights {
  cell: 'vanilla';
  activation: Activation;
  inputSize: number; // I
  hiddenSize: number; // H
  /** W_a = [W_aa | W_ax], (H, H+I) row-major: row j holds W_aa[j][0..H) then W_ax[j][0..I). Built at load time. */
  W_a: Float32Array;
  /** (H) */
  b_a: Float32Array;
}

/** GRU or LSTM cell with PyTorch semantics; G·H rows in PyTorch gate order. */
export interface GatedLayerWeights {
  cell: 'gru' | 'lstm';
  inputSize: number; // I
  hiddenSize: number; // H
  gates: number; // G: 3 (gru) or 4 (lstm)
  /** (G·H, I) = PyTorch weight_ih */
  W_ax: Float32Array;
  /** (G·H, H) = PyTorch weight_hh */
  W_aa: Float32Array;
  /** (G·H) = PyTorch bias_ih */
  b_ax: Float32Array;
  /** (G·H) = PyTorch bias_hh */
  b_aa: Float32Array;
  /** The package's int8 forms of W_ax and W_aa, where it stores them (the same numbers; used by wasm-simd). */
  W_axInt8?: Int8Rows;
  W_aaInt8?: Int8Rows;
}

export type LayerWeights = VanillaLayerWeights | GatedLayerWeights;

/** y<t> = softmax(W_ya a<t> + b_y) over K output symbols. */
export interface OutputWeights {
  outputSize: number; // K
  hiddenSize: number; // H of the last layer
  /** (K, H) */
  W_ya: Float32Array;
  /** The package's int8 form of W_ya, when it stores one (the same numbers; used by wasm-simd). */
  W_yaInt8?: Int8Rows;
  /** (K) */
  b_y: Float32Array;
}

export interface StackWeights {
  layers: LayerWeights[];
  output: OutputWeights;
}

function gatesOf(cell: CellType): number {
  return cell === 'vanilla' ? 1 : cell === 'gru' ? 3 : 4;
}

function take(weights: TensorMap, name: string, expected: number[]): Float32Array {
  const tensor: Tensor | undefined = weights.get(name);
  if (!tensor) {
    throw new RnnWeightsError(
      `weight tensor ${name} is missing (expected shape ${formatShape(expected)})`,
      name,
      formatShape(expected),
      'missing',
    );
  }
  const same = tensor.shape.length === expected.length && tensor.shape.every((d, i) => d === expected[i]);
  if (!same) {
    throw new RnnWeightsError(
      `weight tensor ${name} has shape ${formatShape(tensor.shape)}, expected ${formatShape(expected)}`,
      name,
      formatShape(expected),
      formatShape(tensor.shape),
    );
  }
  if (tensor.data.length !== elementCount(expected)) {
    throw new RnnWeightsError(
      `weight tensor ${name} holds ${tensor.data.length} values, its shape ${formatShape(expected)} needs ${elementCount(expected)}`,
      name,
      formatShape(expected),
      `${tensor.data.length} values`,
    );
  }
  return tensor.data;
}

function checkLayerSpecs(layers: readonly LayerSpec[]): void {
  if (layers.length === 0) throw new RnnWeightsError('an RNN stack needs at least one layer');
  layers.forEach((spec, l) => {
    if (spec.cell !== 'vanilla' && spec.cell !== 'gru' && spec.cell !== 'lstm') {
      throw new RnnWeightsError(`layers[${l}].cell is '${String(spec.cell)}', expected 'vanilla', 'gru' or 'lstm'`);
    }
    for (const key of ['inputSize', 'hiddenSize'] as const) {
      const v = spec[key];
      if (!Number.isInteger(v) || v <= 0)
        throw new RnnWeightsError(`layers[${l}].${key} is ${v}, expected a positive integer`);
    }
    if (spec.activation !== undefined && spec.activation !== 'tanh' && spec.activation !== 'relu') {
      throw new RnnWeightsError(`layers[${l}].activation is '${String(spec.activation)}', expected 'tanh' or 'relu'`);
    }
    if (l > 0 && spec.inputSize !== layers[l - 1].hiddenSize) {
      throw new RnnWeightsError(
        `layers[${l}].inputSize is ${spec.inputSize} but layers[${l - 1}].hiddenSize is ${layers[l - 1].hiddenSize}; a layer's input is the hidden state below it`,
      );
    }
  });
}

/**
 * Validates every tensor the stack needs (an Error names the tensor and gives expected vs found
 * shape) and returns the kernel layout. Extra tensors (e.g. an LM's `embedding`) are ignored.
 * The returned arrays may alias the TensorMap's data; treat both as read-only.
 */
export function prepareStackWeights(layers: readonly LayerSpec[], weights: TensorMap): StackWeights {
  checkLayerSpecs(layers);
  const prepared: LayerWeights[] = layers.map((spec, l): LayerWeights => {
    const I = spec.inputSize;
    const H = spec.hiddenSize;
    const G = gatesOf(spec.cell);
    const W_ax = take(weights, `layers.${l}.W_ax`, [G * H, I]);
    const W_aa = take(weights, `layers.${l}.W_aa`, [G * H, H]);
    if (spec.cell === 'vanilla') {
      const b_a = take(weights, `layers.${l}.b_a`, [H]);
      // Stack once here so every kernel runs the seed's a<t> = g1(W_a [a<t-1>; x<t>] + b_a).
      const S = H + I;
      const W_a = new Float32Array(H * S);
      for (let j = 0; j < H; j++) {
        W_a.set(W_aa.subarray(j * H, (j + 1) * H), j * S);
        W_a.set(W_ax.subarray(j * I, (j + 1) * I), j * S + H);
      }
      return { cell: 'vanilla', activation: spec.activation ?? 'tanh', inputSize: I, hiddenSize: H, W_a, b_a };
    }
    const b_ax = take(weights, `layers.${l}.b_ax`, [G * H]);
    const b_aa = take(weights, `layers.${l}.b_aa`, [G * H]);
    const gated: GatedLayerWeights = { cell: spec.cell, inputSize: I, hiddenSize: H, gates: G, W_ax, W_aa, b_ax, b_aa };
    const W_axInt8 = weights.get(`layers.${l}.W_ax`)?.int8;
    const W_aaInt8 = weights.get(`layers.${l}.W_aa`)?.int8;
    if (W_axInt8) gated.W_axInt8 = W_axInt8;
    if (W_aaInt8) gated.W_aaInt8 = W_aaInt8;
    return gated;
  });

  const Hlast = layers[layers.length - 1].hiddenSize;
  const wya = weights.get('output.W_ya');
  // K comes from the weights themselves (the package's output spec owns the alphabet size).
  const K =
    wya && wya.shape.length === 2 && wya.shape[0] > 0 ? wya.shape[0] : (weights.get('output.b_y')?.shape[0] ?? 0);
  if (!(K > 0)) {
    throw new RnnWeightsError(
      `weight tensor output.W_ya is ${wya ? `of shape ${formatShape(wya.shape)}` : 'missing'}, expected [K, ${Hlast}] with K > 0`,
      'output.W_ya',
      `[K, ${Hlast}]`,
      wya ? formatShape(wya.shape) : 'missing',
    );
  }
  const W_ya = take(weights, 'output.W_ya', [K, Hlast]);
  const b_y = take(weights, 'output.b_y', [K]);
  const W_yaInt8 = weights.get('output.W_ya')?.int8;
  const output: OutputWeights = { outputSize: K, hiddenSize: Hlast, W_ya, b_y };
  if (W_yaInt8) output.W_yaInt8 = W_yaInt8;
  return { layers: prepared, output };
}

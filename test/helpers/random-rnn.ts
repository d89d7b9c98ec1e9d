/**
 * Random weights for a LayerSpec[] (test and benchmark fixtures), with the tensor names and shapes of
 * models/package/model-spec.ts. Deterministic: the same seed gives the same weights.
 */
import { gatesPerCell, type LayerSpec } from '../../models/package/model-spec';
import { seededRng as seededRandom } from '../../models/language/seeded-rng'; // mulberry32
import type { RnnState } from '../../models/rnn/rnn-types';
import type { Tensor, TensorMap } from '../../models/rnn/tensor';

/** A tensor of the given shape, uniform in [-scale, scale). */
export function randomTensor(shape: number[], rand: () => number, scale: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (2 * rand() - 1) * scale;
  return { shape, data };
}

/** Uniform in [-scale, scale), default scale = 1/√fanIn (PyTorch's RNN init) per tensor. */
export function randomRnnWeights(layers: LayerSpec[], outputSize: number, seed = 1, scale?: number): TensorMap {
  const rand = seededRandom(seed);
  const m: TensorMap = new Map();
  layers.forEach((l, i) => {
    const G = gatesPerCell(l.cell);
    const H = l.hiddenSize;
    const s = scale ?? 1 / Math.sqrt(H);
    m.set(`layers.${i}.W_ax`, randomTensor([G * H, l.inputSize], rand, s));
    m.set(`layers.${i}.W_aa`, randomTensor([G * H, H], rand, s));
    if (l.cell === 'vanilla') {
      m.set(`layers.${i}.b_a`, randomTensor([H], rand, s));
    } else {
      m.set(`layers.${i}.b_ax`, randomTensor([G * H], rand, s));
      m.set(`layers.${i}.b_aa`, randomTensor([G * H], rand, s));
    }
  });
  const Hlast = layers[layers.length - 1].hiddenSize;
  const s = scale ?? 1 / Math.sqrt(Hlast);
  m.set('output.W_ya', randomTensor([outputSize, Hlast], rand, s));
  m.set('output.b_y', randomTensor([outputSize], rand, s));
  return m;
}

/** rows×cols inputs uniform in [-scale, scale). */
export function randomInputs(rows: number, cols: number, seed = 7, scale = 1): Float32Array {
  return randomTensor([rows, cols], seededRandom(seed), scale).data;
}

/** Largest |a[i] − b[i]| (Infinity on length mismatch or NaN). */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Largest |Δ| over every layer's h and c of two states of the same stack (maxAbsDiff per array). */
export function maxStateDiff(a: Pick<RnnState, 'h' | 'c'>, b: Pick<RnnState, 'h' | 'c'>): number {
  let m = 0;
  a.h.forEach((h, l) => {
    m = Math.max(m, maxAbsDiff(h, b.h[l]), maxAbsDiff(a.c[l], b.c[l]));
  });
  return m;
}

/**
 * The stacks the backend tests run: every cell kind, mixed sizes, and the bundled acoustic model's shape (K outputs).
 */
export function testStacks(acousticOutputs = 40): Record<string, { layers: LayerSpec[]; K: number }> {
  return {
    'vanilla tanh+relu': {
      layers: [
        { cell: 'vanilla', inputSize: 5, hiddenSize: 11 },
        { cell: 'vanilla', inputSize: 11, hiddenSize: 9, activation: 'relu' },
      ],
      K: 7,
    },
    gru: {
      layers: [
        { cell: 'gru', inputSize: 13, hiddenSize: 17 },
        { cell: 'gru', inputSize: 17, hiddenSize: 8 },
      ],
      K: 10,
    },
    lstm: {
      layers: [
        { cell: 'lstm', inputSize: 6, hiddenSize: 9 },
        { cell: 'lstm', inputSize: 9, hiddenSize: 5 },
      ],
      K: 3,
    },
    mixed: {
      layers: [
        { cell: 'lstm', inputSize: 5, hiddenSize: 6 },
        { cell: 'gru', inputSize: 6, hiddenSize: 7 },
        { cell: 'vanilla', inputSize: 7, hiddenSize: 4 },
      ],
      K: 9,
    },
    'acoustic 3×GRU-256': {
      layers: [
        { cell: 'gru', inputSize: 120, hiddenSize: 256 },
        { cell: 'gru', inputSize: 256, hiddenSize: 256 },
        { cell: 'gru', inputSize: 256, hiddenSize: 256 },
      ],
      K: acousticOutputs,
    },
  };
}

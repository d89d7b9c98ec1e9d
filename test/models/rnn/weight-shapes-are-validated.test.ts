/** createRnnStack refuses weights that do not fit the layer specs, naming the tensor and both shapes. */
import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../../models/package/model-spec';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import { prepareStackWeights, RnnWeightsError } from '../../../models/rnn/rnn-weights';
import { randomRnnWeights } from '../../helpers/random-rnn';

const gru2: LayerSpec[] = [
  { cell: 'gru', inputSize: 4, hiddenSize: 6 },
  { cell: 'gru', inputSize: 6, hiddenSize: 5 },
];

describe('weight validation on creation', () => {
  it('names the tensor and gives expected vs found shape when a shape is wrong', async () => {
    const w = randomRnnWeights(gru2, 3);
    w.set('layers.1.W_aa', { shape: [5, 15], data: new Float32Array(75) });
    const err = await createRnnStack(gru2, w).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RnnWeightsError);
    expect((err as Error).message).toContain('layers.1.W_aa');
    expect((err as Error).message).toContain('[15, 5]');
    expect((err as Error).message).toContain('[5, 15]');
    expect((err as RnnWeightsError).expected).toBe('[15, 5]');
    expect((err as RnnWeightsError).found).toBe('[5, 15]');
  });

  it('names a missing tensor', async () => {
    const w = randomRnnWeights(gru2, 3);
    w.delete('layers.0.b_aa');
    await expect(createRnnStack(gru2, w)).rejects.toThrow(/layers\.0\.b_aa.*missing.*\[18\]/);
  });

  it('checks the output layer against the last hidden size', async () => {
    const w = randomRnnWeights(gru2, 3);
    w.set('output.W_ya', { shape: [3, 6], data: new Float32Array(18) });
    await expect(createRnnStack(gru2, w)).rejects.toThrow(/output\.W_ya.*\[3, 6\].*\[3, 5\]/);
  });

  it('rejects a data length that does not match the declared shape', async () => {
    const w = randomRnnWeights(gru2, 3);
    w.set('output.b_y', { shape: [3], data: new Float32Array(2) });
    await expect(createRnnStack(gru2, w)).rejects.toThrow(/output\.b_y/);
  });

  it('rejects layers that do not chain (inputSize ≠ hiddenSize below)', async () => {
    const bad: LayerSpec[] = [
      { cell: 'gru', inputSize: 4, hiddenSize: 6 },
      { cell: 'gru', inputSize: 5, hiddenSize: 5 },
    ];
    await expect(createRnnStack(bad, randomRnnWeights(bad, 3))).rejects.toThrow(/layers\[1\]\.inputSize/);
  });

  it('vanilla cells get the stacked W_a = [W_aa | W_ax], H × (H+I), built at load time', () => {
    const layers: LayerSpec[] = [{ cell: 'vanilla', inputSize: 2, hiddenSize: 3 }];
    const w = randomRnnWeights(layers, 2);
    const prepared = prepareStackWeights(layers, w).layers[0];
    expect(prepared.cell).toBe('vanilla');
    if (prepared.cell !== 'vanilla') return;
    const Waa = w.get('layers.0.W_aa')!.data;
    const Wax = w.get('layers.0.W_ax')!.data;
    expect(prepared.W_a.length).toBe(3 * 5);
    for (let j = 0; j < 3; j++) {
      expect(Array.from(prepared.W_a.subarray(j * 5, j * 5 + 3))).toEqual(Array.from(Waa.subarray(j * 3, j * 3 + 3)));
      expect(Array.from(prepared.W_a.subarray(j * 5 + 3, j * 5 + 5))).toEqual(
        Array.from(Wax.subarray(j * 2, j * 2 + 2)),
      );
    }
  });
});

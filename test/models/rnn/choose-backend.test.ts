import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../../models/package/model-spec';
import { chooseBackend } from '../../../models/rnn/choose-backend';
import { randomRnnWeights } from '../../helpers/random-rnn';

const layers: LayerSpec[] = [
  { cell: 'gru', inputSize: 24, hiddenSize: 32 },
  { cell: 'gru', inputSize: 32, hiddenSize: 32 },
];

describe('chooseBackend', () => {
  it('times the reference and every candidate, and picks one no slower than the reference', async () => {
    const choice = await chooseBackend(layers, randomRnnWeights(layers, 10, 3), { chunkSteps: 4, repeats: 3 });
    expect(choice.timings[0].backend).toBe('reference');
    expect(choice.timings.map((t) => t.backend)).toEqual(expect.arrayContaining(['reference', 'cpu', 'webasm']));
    const chosen = choice.timings.find((t) => t.backend === choice.backend)!;
    expect(chosen.msPerStep).not.toBeNull();
    expect(chosen.msPerStep!).toBeLessThanOrEqual(choice.timings[0].msPerStep!);
    expect(choice.stack.backend).toBe(choice.backend); // the timed stack is handed over, not rebuilt
    choice.stack.dispose();
  });

  it('keeps the reference when no candidate is allowed', async () => {
    const choice = await chooseBackend(layers, randomRnnWeights(layers, 10, 3), {
      candidates: [],
      chunkSteps: 2,
      repeats: 1,
    });
    expect(choice.backend).toBe('reference');
    expect(choice.timings.length).toBe(1);
  });
});

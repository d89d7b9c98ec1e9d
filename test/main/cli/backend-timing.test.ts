import { describe, expect, it } from 'vitest';
import { chooseBackendInWorker } from '../../../main/cli/backend-timing';
import type { LayerSpec } from '../../../models/package/model-spec';
import { randomRnnWeights } from '../../helpers/random-rnn';

const layers: LayerSpec[] = [
  { cell: 'gru', inputSize: 24, hiddenSize: 32 },
  { cell: 'gru', inputSize: 32, hiddenSize: 32 },
];

describe("backend 'auto' in the CLI", () => {
  it('times every backend in a worker thread and names one no slower than the reference', async () => {
    const choice = await chooseBackendInWorker(layers, randomRnnWeights(layers, 10, 3), { chunkSteps: 4, repeats: 3 });
    expect(choice.workerError).toBeUndefined();
    expect(choice.timedIn).toBe('worker');
    expect(choice.timings.map((t) => t.backend)).toEqual(expect.arrayContaining(['reference', 'js', 'cpu', 'webasm']));
    const chosen = choice.timings.find((t) => t.backend === choice.backend)!;
    expect(chosen.msPerStep!).toBeLessThanOrEqual(choice.timings[0].msPerStep!);
    expect('stack' in choice).toBe(false); // nothing built in this thread
  });

  it('times here when the worker cannot (weights it cannot read), and says why', async () => {
    const weights = randomRnnWeights(layers, 10, 3);
    // a tensor that cannot be cloned into a worker: the worker never starts, the timing still runs
    (weights.get('layers.0.W_ax') as { extra?: unknown }).extra = () => 0;
    const choice = await chooseBackendInWorker(layers, weights, { candidates: [], chunkSteps: 2, repeats: 1 });
    expect(choice.timedIn).toBe('here');
    expect(choice.workerError).toMatch(/could not be cloned/);
    expect(choice.backend).toBe('reference');
  });
});

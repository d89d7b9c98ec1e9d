/** availableBackends() and createRnnStack()'s backend choice. */
import { expect, it } from 'vitest';
import type { LayerSpec } from '../../../models/package/model-spec';
import { availableBackends } from '../../../models/rnn/backend';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import { randomRnnWeights } from '../../helpers/random-rnn';

const layers: LayerSpec[] = [{ cell: 'gru', inputSize: 3, hiddenSize: 4 }];

it("lists 'reference' first and never a browser-only backend in Node", async () => {
  const b = await availableBackends();
  expect(b[0]).toBe('reference');
  expect(b).not.toContain('webgl');
  expect(b).not.toContain('webgl2');
  expect(b).not.toContain('webgpu');
});

it("creates the reference backend by default and the requested one otherwise, with the stack's sizes", async () => {
  const w = randomRnnWeights(layers, 5);
  const ref = await createRnnStack(layers, w);
  expect(ref.backend).toBe('reference');
  const cpu = await createRnnStack(layers, w, { backend: 'cpu' });
  expect(cpu.backend).toBe('cpu');
  expect([cpu.inputSize, cpu.outputSize]).toEqual([3, 5]);
  expect(cpu.layers).toEqual(layers);
  cpu.dispose();
  await expect(cpu.forward(new Float32Array(3), 1, cpu.initialState())).rejects.toThrow(/disposed/);
});

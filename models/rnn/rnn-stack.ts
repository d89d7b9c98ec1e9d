/**
 * The backend registry: builds an RnnStack (rnn-types.ts, where the equations are) on the chosen backend.
 *
 *   const stack = await createRnnStack(spec.layers, weights, { backend: 'webasm' });
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';
import { prepareStackWeights } from './rnn-weights';
import type { RnnStack } from './rnn-types';
import type { TensorMap } from './tensor';

export interface CreateRnnStackOptions {
  /** Default 'reference'. */
  backend?: BackendName;
}

/**
 * Validates the weights against the layer specs (an Error names the tensor and gives expected vs
 * found shape) and builds the stack on the chosen backend. Kernels compile lazily on first use.
 */
export async function createRnnStack(
  layers: LayerSpec[],
  weights: TensorMap,
  options: CreateRnnStackOptions = {},
): Promise<RnnStack> {
  const backend = options.backend ?? 'reference';
  const prepared = prepareStackWeights(layers, weights);
  const specs = layers.map((l) => ({ ...l }));
  if (backend === 'reference') {
    const { ReferenceRnnStack } = await import('./reference-stack');
    return new ReferenceRnnStack(specs, prepared);
  }
  if (backend === 'js') {
    const { JsRnnStack } = await import('./js-stack');
    return new JsRnnStack(specs, prepared);
  }
  if (backend === 'wasm-simd') {
    const { createWasmSimdRnnStack } = await import('./wasm-simd-stack');
    return createWasmSimdRnnStack(specs, prepared);
  }
  const { createGpuRnnStack } = await import('./gpu-stack');
  return createGpuRnnStack(specs, prepared, backend);
}

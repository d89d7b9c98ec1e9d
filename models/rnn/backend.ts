/**
 * Which implementation runs the RNN math.
 *
 *   reference   plain TypeScript loops over Float32Array (models/rnn/reference-stack.ts); always there,
 *               the numbers every other backend is tested against
 *   js          the reference's arithmetic with blocked loops (models/rnn/js-stack.ts): bit-identical
 *               to it, 2-3× faster on one core; always there
 *   wasm-simd   the dense products in a WebAssembly f32x4 kernel written by models/rnn/wasm-simd.ts
 *               (models/rnn/wasm-simd-stack.ts): float32 sums, so within ~1e-6 of the reference, not
 *               bit-identical; where WebAssembly SIMD compiles (Node ≥ 16.4, Chromium ≥ 91, a CSP
 *               with 'wasm-unsafe-eval')
 *   cpu         gpu.js kernels transpiled to JavaScript                        (Node, browser)
 *   webasm      gpu.js kernels compiled to WebAssembly with f32x4 SIMD         (Node, browser)
 *   webgl       gpu.js fragment-shader kernels, WebGL 1                        (browser)
 *   webgl2      gpu.js fragment-shader kernels, WebGL 2                        (browser)
 *   webgpu      gpu.js WGSL compute kernels, asynchronous readback             (browser with an adapter)
 *   headlessgl  gpu.js over the npm `gl` package (Node); optional, needs a working native build
 */
import { loadGpuJs } from './gpu-module';
import { wasmSimdAvailable } from './wasm-simd';

export type BackendName =
  'reference' | 'js' | 'wasm-simd' | 'cpu' | 'webasm' | 'webgl' | 'webgl2' | 'webgpu' | 'headlessgl';

export const ALL_BACKENDS: readonly BackendName[] = [
  'reference',
  'js',
  'wasm-simd',
  'cpu',
  'webasm',
  'webgl',
  'webgl2',
  'webgpu',
  'headlessgl',
];

/** True for the backends built on gpu.js (everything but 'reference', 'js' and 'wasm-simd'). */
export function isGpuJsBackend(name: BackendName): boolean {
  return name !== 'reference' && name !== 'js' && name !== 'wasm-simd';
}

/**
 * The backends that work in this JS environment: 'reference' first and 'js', always present, then
 * 'wasm-simd' where WebAssembly SIMD compiles here, then the gpu.js ones.
 * Probes gpu.js's feature flags; for webgpu it asks for an adapter (so it is async). Never throws:
 * if gpu.js cannot load at all, only 'reference', 'js' (and 'wasm-simd') are returned.
 */
export async function availableBackends(): Promise<BackendName[]> {
  const found: BackendName[] = ['reference', 'js'];
  if (wasmSimdAvailable()) found.push('wasm-simd');
  let GPU;
  try {
    GPU = await loadGpuJs();
  } catch {
    return found;
  }
  found.push('cpu');
  const flag = (read: () => boolean): boolean => {
    try {
      return read();
    } catch {
      return false;
    }
  };
  if (flag(() => GPU.isWebAssemblySupported)) found.push('webasm');
  if (flag(() => GPU.isWebGLSupported)) found.push('webgl');
  if (flag(() => GPU.isWebGL2Supported)) found.push('webgl2');
  if (flag(() => GPU.isWebGPUSupported)) {
    try {
      if (await GPU.isWebGPUAvailable()) found.push('webgpu');
    } catch {
      // navigator.gpu exists but no adapter answered: not available
    }
  }
  if (flag(() => GPU.isHeadlessGLSupported)) found.push('headlessgl');
  return found;
}

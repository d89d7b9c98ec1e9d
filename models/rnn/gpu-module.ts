/**
 * Loads gpu.js on first use, so the reference backend (and anything that only needs types) never
 * pays for it, in Node, a Web Worker or a page.
 *
 * Node resolves 'gpu.js' to its CommonJS src/index.js (named exports); bundlers for the browser
 * resolve its "browser" field, a UMD file whose module.exports is the GPU class itself with the
 * other exports (kernel classes…) attached as its properties. Both shapes are accepted.
 */
import type { GPU as GpuClass } from 'gpu.js';

export type GpuConstructor = typeof GpuClass;

export interface GpuJsModule {
  GPU: GpuConstructor;
  /** Kernel class → backend name, most specific first (WebGL2Kernel extends WebGLKernel). */
  kernelClasses: Array<[abstract new (...args: never[]) => unknown, string]>;
}

let loading: Promise<GpuJsModule> | null = null;

export function loadGpuJsModule(): Promise<GpuJsModule> {
  loading ??= import('gpu.js').then((mod) => {
    const m = mod as unknown as Record<string, unknown> & { default?: Record<string, unknown> };
    const lib = typeof m.GPU === 'function' ? m : m.default;
    const GPU = lib?.GPU as GpuConstructor | undefined;
    if (typeof GPU !== 'function') throw new Error('gpu.js loaded but exports no GPU class');
    const names: Array<[string, string]> = [
      ['WebGPUKernel', 'webgpu'],
      ['WebAssemblyKernel', 'webasm'],
      ['HeadlessGLKernel', 'headlessgl'],
      ['WebGL2Kernel', 'webgl2'],
      ['WebGLKernel', 'webgl'],
      ['CPUKernel', 'cpu'],
    ];
    const kernelClasses = names
      .filter(([cls]) => typeof lib?.[cls] === 'function')
      .map(([cls, mode]) => [lib![cls], mode] as [abstract new (...args: never[]) => unknown, string]);
    return { GPU, kernelClasses };
  });
  return loading;
}

export async function loadGpuJs(): Promise<GpuConstructor> {
  return (await loadGpuJsModule()).GPU;
}

/** The backend name of a gpu.js kernel instance ('cpu' after a silent fallback), or 'unknown'. */
export function kernelBackendName(mod: GpuJsModule, kernel: unknown): string {
  for (const [cls, mode] of mod.kernelClasses) if (kernel instanceof cls) return mode;
  return 'unknown';
}

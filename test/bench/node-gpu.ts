/// <reference types="node" />
/**
 * GPU access for Node scripts (the benchmarks), where Node itself offers none:
 *
 *   installNodeWebGpu()  puts Dawn's WebGPU (npm `webgpu`, already a gpu.js dependency: its
 *                        dist/linux-x64.dawn.node, which drives Vulkan on Linux) at
 *                        `navigator.gpu`, so gpu.js's webgpu backend and availableBackends() find it
 *                        exactly as in a browser
 *   webGpuDeviceInfo()   the adapter gpu.js's webgpu backend really runs on (vendor, architecture,
 *                        device, description): Mesa lavapipe and an NVIDIA GPU both answer "an
 *                        adapter", and only this tells their figures apart
 *   headlessGlInfo()     the GL driver behind headless-gl (npm `gl`, ANGLE over GLX): llvmpipe or
 *                        the NVIDIA driver, likewise
 *
 * Opt-in only (bench-step.ts --dawn): the app never loads these; the native modules are loaded by
 * a computed specifier, so neither TypeScript nor a bundler needs their typings or follows them
 * (a bundle keeps them external and finds them in a node_modules beside it).
 */

/** The little of WebGPU's typings used here (the project's lib is ES2022, no DOM). */
interface GpuAdapterLike {
  readonly info?: Record<string, unknown>;
  readonly isFallbackAdapter?: boolean;
  readonly limits?: Record<string, unknown>;
  requestAdapterInfo?(): Promise<Record<string, unknown>>;
}

interface NodeGpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<GpuAdapterLike | null>;
}

/** What `import('webgpu')` gives: create(dawnFlags) → a GPU object; globals = GPUBufferUsage… */
interface DawnModule {
  create(flags: string[]): NodeGpuLike;
  globals: Record<string, unknown>;
}

export interface WebGpuDeviceInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software adapter that Dawn flags as fallback (SwiftShader); lavapipe may not be flagged. */
  isFallbackAdapter: boolean | null;
  /** What the adapter grants gpu.js (WebGPUContext asks for all of it). */
  maxStorageBufferBindingSize: number | null;
  maxComputeInvocationsPerWorkgroup: number | null;
}

export interface GlDeviceInfo {
  vendor: string;
  renderer: string;
  version: string;
  shadingLanguageVersion: string;
}

/**
 * Dawn's flags for create(), from `--dawn-flag F` options (repeatable), e.g. `backend=vulkan`,
 * `adapter=NVIDIA` (a substring of the adapter's name), `enable-dawn-features=...`.
 * Returns null when `--dawn` is absent (a `--dawn-flag` alone implies `--dawn`).
 */
export function parseDawnArgs(argv: readonly string[]): string[] | null {
  const flags: string[] = [];
  let wanted = argv.includes('--dawn');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--dawn-flag') continue;
    const f = argv[i + 1];
    if (f === undefined || f.startsWith('--'))
      throw new Error('--dawn-flag needs a value, e.g. --dawn-flag backend=vulkan');
    flags.push(f);
    wanted = true;
    i++;
  }
  return wanted ? flags : null;
}

/** Loads a native package by a specifier neither tsc nor esbuild resolves (see the file comment). */
async function importNative<T>(name: string): Promise<T> {
  return (await import(name)) as T;
}

/**
 * Installs Dawn's WebGPU as `globalThis.navigator.gpu` and the WebGPU constants (GPUBufferUsage,
 * GPUMapMode, …) as globals, without overwriting any that exist. Returns the uninstaller: Dawn's
 * instance keeps Node's event loop alive while `navigator.gpu` holds it
 * (https://issues.chromium.org/issues/387965810), so a script that wants to exit by itself calls it.
 *
 * Rejects with the loader's own message when dawn.node cannot load, e.g. "GLIBC_2.38 not found"
 * on an older glibc (test/bench/gpu-device.sh then runs Node under a carried one).
 */
export async function installNodeWebGpu(flags: string[] = []): Promise<() => void> {
  const dawn = await importNative<DawnModule>('webgpu');
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in g)) g[k] = v;
  const gpu = dawn.create(flags);
  acceptErrorHandlers(gpu);
  // Node ≥ 21 has a navigator (hardwareConcurrency, userAgent…) to extend; Node 20 has none
  const nav = g.navigator;
  if (nav && typeof nav === 'object') {
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
    return () => {
      delete (nav as Record<string, unknown>).gpu;
    };
  }
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return () => {
    delete g.navigator;
  };
}

/**
 * dawn.node (0.2.9) implements neither GPUDevice.onuncapturederror (reading it throws
 * "UNIMPLEMENTED", assigning a function throws "invalid value to onuncapturederror") nor
 * addEventListener for it, and gpu.js's WebGPUContext assigns that handler on every device it
 * creates, so its webgpu backend fails before its first kernel. Dawn prints uncaptured errors to
 * stderr itself, so nothing is lost by storing the handler unused: each device that this GPU
 * object's adapters create gets an own plain `onuncapturederror` property that shadows the
 * prototype's. Patched on the instances (a wrapper object would fail Dawn's "correct interface
 * type" check when its methods run with it as `this`).
 */
function acceptErrorHandlers(gpu: NodeGpuLike): void {
  type Requester<T> = (this: unknown, options?: Record<string, unknown>) => Promise<T>;
  const requestAdapter = gpu.requestAdapter as Requester<GpuAdapterLike | null>;
  Object.defineProperty(gpu, 'requestAdapter', {
    configurable: true,
    value: async (options?: Record<string, unknown>) => {
      const adapter = await requestAdapter.call(gpu, options);
      if (!adapter) return adapter;
      const requestDevice = (adapter as unknown as { requestDevice: Requester<object> }).requestDevice;
      Object.defineProperty(adapter, 'requestDevice', {
        configurable: true,
        value: async (descriptor?: Record<string, unknown>) => {
          const device = await requestDevice.call(adapter, descriptor);
          Object.defineProperty(device, 'onuncapturederror', { configurable: true, writable: true, value: null });
          return device;
        },
      });
      return adapter;
    },
  });
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

/**
 * The adapter of gpu.js's shared WebGPU context (WebGPUContext.acquire(): the one its kernels
 * use), else of a plain navigator.gpu.requestAdapter(), which asks the same thing. Rejects when
 * there is no navigator.gpu or no adapter.
 */
export async function webGpuDeviceInfo(): Promise<WebGpuDeviceInfo> {
  let adapter: GpuAdapterLike | null = null;
  try {
    const mod = (await import('gpu.js')) as unknown as Record<string, unknown> & { default?: Record<string, unknown> };
    const ctx = (mod.WebGPUContext ?? mod.default?.WebGPUContext) as
      { acquire(): Promise<{ adapter: GpuAdapterLike }> } | undefined;
    if (ctx) adapter = (await ctx.acquire()).adapter;
  } catch {
    // older gpu.js without the export, or acquire() failed: ask navigator.gpu below
  }
  if (!adapter) {
    const nav = (globalThis as { navigator?: { gpu?: NodeGpuLike } }).navigator;
    if (!nav?.gpu) throw new Error('no navigator.gpu (run with --dawn)');
    adapter = await nav.gpu.requestAdapter();
    if (!adapter) throw new Error('navigator.gpu gave no adapter');
  }
  // GPUAdapterInfo's fields are prototype getters: read them one by one (a spread gives {})
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  return {
    vendor: str(info.vendor),
    architecture: str(info.architecture),
    device: str(info.device),
    description: str(info.description),
    isFallbackAdapter: typeof adapter.isFallbackAdapter === 'boolean' ? adapter.isFallbackAdapter : null,
    maxStorageBufferBindingSize: num(adapter.limits?.maxStorageBufferBindingSize),
    maxComputeInvocationsPerWorkgroup: num(adapter.limits?.maxComputeInvocationsPerWorkgroup),
  };
}

/** The WebGL 1 calls used on headless-gl's context. */
interface GlContextLike {
  VENDOR: number;
  RENDERER: number;
  VERSION: number;
  SHADING_LANGUAGE_VERSION: number;
  getParameter(p: number): unknown;
  getExtension(name: string): Record<string, unknown> | null;
}

/** npm `gl`'s module.exports: createContext, with its JS WebGLRenderingContext class attached. */
type GlModule = ((w: number, h: number) => GlContextLike | null) & { WebGLRenderingContext?: { prototype: object } };

/**
 * Opens a 1×1 headless-gl context (the same driver gpu.js's headlessgl kernels get: ANGLE over
 * GLX on $DISPLAY), reads its strings and destroys it. Rejects when `gl` does not load or gives no
 * context (no X display, no GLX).
 *
 * headless-gl's JS getParameter answers VENDOR/RENDERER/VERSION with fixed strings ('stack-gl',
 * 'ANGLE') and offers no WEBGL_debug_renderer_info, so the strings are read through the native
 * class it extends, where ANGLE reports the driver it runs on, e.g.
 * "ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)".
 */
export async function headlessGlInfo(): Promise<GlDeviceInfo> {
  // CommonJS: the namespace's default is module.exports
  const create = (await importNative<{ default: GlModule }>('gl')).default;
  const gl = create(1, 1);
  if (!gl) throw new Error('headless-gl gave no context (no X display with GLX?)');
  try {
    const jsProto = create.WebGLRenderingContext?.prototype;
    const nativeProto = jsProto ? (Object.getPrototypeOf(jsProto) as Partial<GlContextLike> | null) : null;
    const nativeGet = typeof nativeProto?.getParameter === 'function' ? nativeProto.getParameter : null;
    const read = (p: number): string => {
      try {
        if (nativeGet) return str(nativeGet.call(gl, p));
      } catch {
        // not the native object this build expects: fall back to the JS strings
      }
      return str(gl.getParameter(p));
    };
    return {
      vendor: read(gl.VENDOR),
      renderer: read(gl.RENDERER),
      version: read(gl.VERSION),
      shadingLanguageVersion: read(gl.SHADING_LANGUAGE_VERSION),
    };
  } finally {
    const destroy = gl.getExtension('STACKGL_destroy_context')?.destroy;
    if (typeof destroy === 'function') destroy.call(null);
  }
}

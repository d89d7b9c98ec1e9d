/**
 * The app's Content-Security-Policy, in one place: main sets it as a response header, the vite
 * build injects it as a <meta> tag into index.html, and the e2e test server sends the same header.
 *
 * Two policies:
 *  - the document (UI thread): no eval, no inline script or style, nothing remote. The only
 *    non-'self' sources are data:/blob: images (canvas snapshots) and, in dev, vite's HMR socket.
 *  - the engine worker: gpu.js compiles kernels at run time (`new Function` in its CPU backend,
 *    WebAssembly in its wasm backend) and the 'wasm-simd' backend compiles its small WebAssembly
 *    module (models/rnn/wasm-simd.ts), so its policy adds 'unsafe-eval' and 'wasm-unsafe-eval'.
 *    (Without them the LM falls back to the 'js' backend.)
 *    A dedicated worker takes its policy from its own script's response, so the relaxation stays
 *    in the worker: it has no DOM and no access to `window.earshot` (the IPC bridge), and it only
 *    evaluates kernel source the app itself ships, never remote input.
 */

export interface CspOptions {
  /** Dev server origin (electron-vite dev), which needs HMR websockets and injected <style> tags. */
  devServerOrigin?: string;
}

type Directives = Record<string, string[]>;

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

function devSocketSources(origin: string | undefined): string[] {
  if (!origin) return [];
  const url = new URL(origin);
  return [`ws://${url.host}`];
}

export function documentCsp(options: CspOptions = {}): string {
  const dev = options.devServerOrigin !== undefined;
  return serialize({
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    // vite's dev server injects CSS as <style> elements for hot reload; built CSS is a file
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...devSocketSources(options.devServerOrigin)],
    'media-src': ["'self'", 'blob:'],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  });
}

/** The <meta> form: identical, minus directives a meta tag may not carry (none used yet). */
export function documentCspMeta(options: CspOptions = {}): string {
  return documentCsp(options);
}

export function workerCsp(): string {
  return serialize({
    'default-src': ["'none'"],
    'script-src': ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"],
    'connect-src': ["'self'"],
  });
}

/**
 * Whether a URL path is the engine worker's script: `assets/engine.worker-<hash>.js` in a build,
 * `/worker/engine.worker.ts` from the dev server.
 */
export function isEngineWorkerPath(pathname: string): boolean {
  return /(^|\/)engine\.worker(-[A-Za-z0-9_-]+)?\.(js|ts)$/.test(pathname);
}

export function cspForPath(pathname: string, options: CspOptions = {}): string {
  return isEngineWorkerPath(pathname) ? workerCsp() : documentCsp(options);
}

/** Headers every app response carries besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

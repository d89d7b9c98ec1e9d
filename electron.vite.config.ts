/**
 * Builds for the three Electron targets: main (ESM, Node), preload (CommonJS: Electron's sandboxed
 * preloads cannot be ES modules) and the renderer (root `renderer/`).
 *
 * `rendererViteConfig()` is exported on its own so the e2e test builds the very same renderer with
 * plain vite and serves it to Chromium.
 */
import { defineConfig } from 'electron-vite';
import type { Plugin, UserConfig } from 'vite';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { documentCspMeta } from './main/security/csp';
import {
  BUNDLED_MODEL_KINDS,
  BUNDLED_MODELS_URL_PATH,
  type BundledModelKind,
} from './renderer/shared/bundled-model-index';
import { buildBundledModelIndex } from './main/fs/model-folder';

const root = import.meta.dirname;

export interface RendererBuildOptions {
  /** Where the built renderer goes; default `out/renderer`. */
  outDir?: string;
  /** Folder holding the bundled `acoustic/`, `lm/`, `punct/` and `spell/` packages; default `models/default`. */
  modelsDir?: string;
}

/**
 * Writes the document CSP into index.html as a <meta> tag, from the same function main uses for
 * the response header, so the two cannot drift apart. In dev the policy admits vite's HMR.
 */
function cspMetaPlugin(): Plugin {
  let devServerOrigin: string | undefined;
  return {
    name: 'earshot:csp-meta',
    configureServer(server) {
      const { port = 5173, host } = server.config.server;
      devServerOrigin = `http://${typeof host === 'string' ? host : 'localhost'}:${port}`;
    },
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace('%EARSHOT_CSP%', documentCspMeta({ devServerOrigin })),
    },
  };
}

/**
 * Makes the bundled models reachable at `/models/default/` (plus a generated `index.json`
 * listing their files): served from disk by the dev server, copied into the build output.
 * A missing model folder is not an error: the index says so and the UI explains it.
 */
function bundledModelsPlugin(modelsDir: string): Plugin {
  return {
    name: 'earshot:bundled-models',
    configureServer(server) {
      server.middlewares.use(BUNDLED_MODELS_URL_PATH, (req, res, next) => {
        void (async () => {
          const rel = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '');
          if (rel === 'index.json') {
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify(await buildBundledModelIndex(modelsDir)));
            return;
          }
          const index = await buildBundledModelIndex(modelsDir);
          const [kind, ...rest] = rel.split('/');
          const files = (BUNDLED_MODEL_KINDS as readonly string[]).includes(kind)
            ? index[kind as BundledModelKind]
            : null;
          if (!files || !files.includes(rest.join('/'))) return next();
          res.end(await readFile(join(modelsDir, rel)));
        })().catch(next);
      });
    },
    async generateBundle() {
      const index = await buildBundledModelIndex(modelsDir);
      const prefix = BUNDLED_MODELS_URL_PATH.replace(/^\/+/, '');
      this.emitFile({ type: 'asset', fileName: `${prefix}index.json`, source: JSON.stringify(index) });
      for (const kind of BUNDLED_MODEL_KINDS) {
        for (const file of index[kind] ?? []) {
          this.emitFile({
            type: 'asset',
            fileName: `${prefix}${kind}/${file}`,
            source: new Uint8Array(await readFile(join(modelsDir, kind, file))),
          });
        }
      }
    },
  };
}

export function rendererViteConfig(options: RendererBuildOptions = {}): UserConfig {
  const rendererRoot = resolve(root, 'renderer');
  return {
    root: rendererRoot,
    base: './', // relative URLs: the same build works from app://earshot/ and from any test server path
    publicDir: false,
    plugins: [cspMetaPlugin(), bundledModelsPlugin(options.modelsDir ?? resolve(root, 'models/default'))],
    worker: {
      // ES module workers: the engine worker and the AudioWorklet module share chunks and use imports
      format: 'es',
    },
    build: {
      outDir: options.outDir ?? resolve(root, 'out/renderer'),
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      rolldownOptions: { input: resolve(rendererRoot, 'index.html') },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: { input: { index: resolve(root, 'main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererViteConfig(),
});

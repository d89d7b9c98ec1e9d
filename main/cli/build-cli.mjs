// Bundles the CLI's TypeScript into out/cli/cli.mjs (npm's `prepare` runs this after `npm install`).
// The bundle starts faster and uses ~40 MB less memory than compiling through tsx at run time;
// bin.mjs uses it only while it is newer than every source file, so an edit never runs stale code.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('earshot: esbuild is not installed; the CLI will run through tsx');
  process.exit(0);
}
await esbuild.build({
  // the CLI, and the worker that loads its models (main/cli/model-loader.ts)
  entryPoints: {
    cli: join(root, 'main/cli/cli.ts'),
    'model-loader-worker': join(root, 'main/cli/model-loader-worker.ts'),
  },
  outdir: join(root, 'out/cli'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // meyda and fflate go into the bundle: importing them as CommonJS packages from an ES module
  // loaded Node's CJS machinery and cost 8 MB of RSS. gpu.js (loaded only by the backend-timing
  // worker, or when it wins) and audio-decode (non-WAV input) stay lazy imports.
  external: ['gpu.js', 'audio-decode', 'tsx', 'tsx/*'],
  // rxjs's package exports its CommonJS build under the 'node' condition, which esbuild cannot tree-shake:
  // all 115 operators went into the bundle (+390 kB, +3 MB of RSS). Its ES module build ("sideEffects": false)
  // gives only the operators the engine pipes.
  plugins: [rxjsAsEsm()],
  logLevel: 'warning',
});

function rxjsAsEsm() {
  return {
    name: 'rxjs-esm',
    setup(build) {
      build.onResolve({ filter: /^rxjs$/ }, () => ({ path: join(root, 'node_modules/rxjs/dist/esm/index.js') }));
    },
  };
}

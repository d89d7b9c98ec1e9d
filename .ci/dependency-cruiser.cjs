/**
 * Import direction (issue 13), checked by `npm run lint:deps` and by test/dependency-rules.test.ts (so `npm test`
 * and CI run it):
 *
 *   app, worker, capture, host (renderer/*), main, CLI (main/cli), recipe tools (models/recipe), benches (test/bench)
 *     -> engine entry (renderer/engine/index.ts; for Node callers renderer/engine/node/index.ts, and its slim part
 *        renderer/engine/node/loading.ts for model-loading threads)
 *       -> engine (renderer/engine/*)
 *         -> model runtime (models/rnn, models/language, models/package)
 *
 * The CLI, the recipe tools and the benches reach the engine only through its entries (callers-use-engine-entry),
 * and the CLI and the recipe tools reach the model runtime only through them too (callers-via-engine-not-runtime);
 * the benches may also time the model runtime itself (RNN kernels, package writing for their stand-in model).
 * renderer/shared holds what both Electron processes use (settings and session schemas, IPC types): main may import
 * it, the renderer never imports main.
 *
 * Known violations (dependency-known-violations.json, now empty) are reported but do not fail; the test fails when
 * a listed one is gone, so that such a list only shrinks.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles: split the types from what implements them.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'renderer-not-main',
      severity: 'error',
      comment: 'The renderer never imports main; shared schemas and IPC types live in renderer/shared.',
      from: { path: '^renderer/' },
      to: { path: '^main/' },
    },
    {
      name: 'main-only-shared-and-engine',
      severity: 'error',
      comment: 'main (and its CLI) may use renderer/shared and the engine, not the UI, the worker, capture or host.',
      from: { path: '^main/' },
      to: { path: '^renderer/', pathNot: '^renderer/(shared|engine)/' },
    },
    {
      name: 'engine-not-up',
      severity: 'error',
      comment: 'The engine never imports its callers: the app, the worker, capture, host, shared schemas or main.',
      from: { path: '^renderer/engine/' },
      to: { path: '^(renderer/(app|worker|capture|host|shared)|main)/' },
    },
    {
      name: 'model-runtime-not-up',
      severity: 'error',
      comment:
        'The model runtime (models/rnn, language, package) imports neither the engine, the renderer, main nor the recipe.',
      from: { path: '^models/', pathNot: '^models/recipe/' },
      to: { path: '^(renderer|main|models/recipe)/' },
    },
    {
      name: 'callers-use-engine-entry',
      severity: 'error',
      comment:
        'The CLI, the engine worker, the recipe tools and the benches import the engine through its entries: renderer/engine/index.ts (worker-safe) or renderer/engine/node/index.ts (Node).',
      from: { path: '^(main|renderer/worker|models/recipe|test/bench)/' },
      to: { path: '^renderer/engine/', pathNot: '^renderer/engine/(index|node/index|node/loading)\\.ts$' },
    },
    {
      name: 'callers-via-engine-not-runtime',
      severity: 'error',
      comment:
        'main (the CLI) and the recipe tools reach the model runtime (models/rnn, language, package) through the engine entries only.',
      from: { path: '^(main|models/recipe)/' },
      to: { path: '^models/(rnn|language|package)/' },
    },
    {
      name: 'recipe-tools-via-engine',
      severity: 'error',
      comment:
        'Recipe tools sit beside the CLI: they use the engine and the model runtime, never main (CLI internals) or the UI.',
      from: { path: '^models/recipe/' },
      to: { path: '^(main|renderer/(?!engine/))' },
    },
  ],
  options: {
    knownViolations: require('./dependency-known-violations.json'),
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.gpu-bench)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.cjs', '.json'] },
  },
};

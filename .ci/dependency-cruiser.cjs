/**
 * Import direction (issue 13), checked by `npm run lint:deps` and by test/dependency-rules.test.ts (so `npm test`
 * and CI run it):
 *
 *   app, worker, capture, host (renderer/*), main, CLI (main/cli), recipe tools (models/recipe)
 *     -> engine (renderer/engine)
 *       -> model runtime (models/rnn, models/language, models/package)
 *
 * renderer/shared holds what both Electron processes use (settings and session schemas, IPC types): main may import
 * it, the renderer never imports main.
 *
 * Known violations (dependency-known-violations.json) are reported but do not fail: the recipe's eval tools still
 * use the CLI's loadRecognizer, evaluateSet, transcribeFile, readAudioFile and parseArgs until the engine offers them
 * (issue 13, items 1-2: createEngine). The test fails when a listed one is gone, so that the list only shrinks.
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
      comment: 'The model runtime (models/rnn, language, package) imports neither the engine, the renderer, main nor the recipe.',
      from: { path: '^models/', pathNot: '^models/recipe/' },
      to: { path: '^(renderer|main|models/recipe)/' },
    },
    {
      name: 'recipe-tools-via-engine',
      severity: 'error',
      comment: 'Recipe tools sit beside the CLI: they use the engine and the model runtime, never main (CLI internals) or the UI.',
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

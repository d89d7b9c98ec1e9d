/**
 * Where the CLI's memory goes: process.memoryUsage(), the peak RSS so far and V8's heap spaces after
 * each step of `earshot transcribe`, then after each file. With --gc (and node --expose-gc) a full
 * GC runs before each line: what is retained, not garbage.
 *
 *   default   as the CLI's loadEngine does it: the models loaded in the worker thread (model-loader.ts)
 *   --here    each loading step in this thread, one line each (package, backend timing, LM, lexicon
 *             tree): what the worker spares the CLI's thread
 *
 * Bundle it next to the CLI bundle, as the CLI runs (through tsx it would carry ~20 MB of compiler),
 * with the model-loading worker there (`npm run prepare` builds it):
 *   npx esbuild test/bench/memory-profile.ts --bundle --platform=node --format=esm \
 *     --external:gpu.js --external:tsx --external:audio-decode --outfile=out/cli/memory-profile.mjs
 *   node --expose-gc out/cli/memory-profile.mjs [--gc] [--here] [--no-lm] [--backend js|auto] FILE.wav...
 */
import { existsSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { join } from 'node:path';
import { loadModels } from '../../main/cli/model-loader';
import { transcribeFile } from '../../main/cli/commands/transcribe';
import {
  buildLexiconTrie,
  chooseBackend,
  createEngine,
  DEFAULT_ACOUSTIC,
  DEFAULT_LM,
  loadPackage,
  type BackendName,
} from '../../renderer/engine/node';

const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 1024 * 1024;
let last = process.memoryUsage();
const forceGc = process.argv.includes('--gc');
function report(step: string): void {
  if (forceGc) gc?.();
  const m = process.memoryUsage();
  const f = (v: number, d: number) =>
    `${(v / MiB).toFixed(1).padStart(6)} (${d >= 0 ? '+' : ''}${(d / MiB).toFixed(1)})`;
  console.log(
    `${step.padEnd(34)} rss ${f(m.rss, m.rss - last.rss)}  heap ${f(m.heapUsed, m.heapUsed - last.heapUsed)}  ` +
      `external ${f(m.external, m.external - last.external)}  arrayBuffers ${f(m.arrayBuffers, m.arrayBuffers - last.arrayBuffers)}  ` +
      `peak ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}  ` +
      getHeapSpaceStatistics()
        .filter((sp) => sp.space_size > MiB)
        .map((sp) => `${sp.space_name.replace('_space', '')} ${(sp.space_size / MiB).toFixed(1)}`)
        .join(' '),
  );
  last = m;
}

const args = process.argv.slice(2);
const noLm = args.includes('--no-lm');
const here = args.includes('--here');
const bi = args.indexOf('--backend');
const backend = (bi >= 0 ? args[bi + 1] : 'auto') as 'auto' | BackendName;
const files = args.filter((a, i) => a.endsWith('.wav') && args[i - 1] !== '--backend');

report('imports');
const lmPath = !noLm && existsSync(join(DEFAULT_LM, 'model.json')) ? DEFAULT_LM : null;
let models;
if (here) {
  const acoustic = await loadPackage(DEFAULT_ACOUSTIC);
  report('acoustic package loaded');
  let timing = null;
  if (backend === 'auto') {
    const choice = await chooseBackend(acoustic.json.layers, acoustic.tensors);
    choice.stack.dispose();
    timing = { backend: choice.backend, timings: choice.timings };
    report('auto: backends timed (disposed)');
  }
  const lm = lmPath !== null ? await loadPackage(lmPath) : null;
  report('LM package loaded');
  const out = acoustic.json.output;
  const lexicon =
    out.type === 'ctc' && out.units === 'phonemes'
      ? buildLexiconTrie({
          alphabet: out.alphabet,
          lexicon: acoustic.files.lexicon!,
          wordCounts: acoustic.files.wordCounts,
        })
      : null;
  report(`lexicon tree (${lexicon?.trie.nodeCount ?? 0} nodes)`);
  models = { acoustic, lm, lexicon, timing };
} else {
  models = await loadModels({ model: DEFAULT_ACOUSTIC, lm: lmPath, timeBackends: backend === 'auto' });
  report(`models loaded in ${models.loadedIn}${models.workerError ? ` (${models.workerError})` : ''}`);
}
const { acoustic, lm, lexicon, timing } = models;
if (timing)
  console.log(
    '  auto:',
    timing.timings.map((t) => `${t.backend} ${t.msPerStep?.toFixed(3)} ms/step`).join(', '),
    '→',
    timing.backend,
  );
const engine = await createEngine(
  { acoustic, lm, punctuation: null, spelling: null },
  { backend, readable: false },
  {
    lexicon: lexicon ?? undefined,
    chooseBackend: timing ? async () => timing : undefined,
  },
);
report(`engine (${engine.info.backend} stack, LM scorer with its start context)`);
for (const f of files) {
  await transcribeFile(engine, f);
  report(`transcribed ${f.split('/').pop()}`);
}
console.log(`peak RSS so far (VmHWM): ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);

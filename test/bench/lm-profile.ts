/**
 * How much work the LM does per second of audio: LM nodes (word histories) computed, stepBatch calls,
 * and their time, next to the decoder's and the whole pipeline's, on held-out clips.
 *   npx tsx test/bench/lm-profile.ts [--model DIR] [--limit N] [--cache N] [--backend NAME] [--lm-backend NAME]
 *       [--beam N] [--lm DIR] [SET.tsv]
 * (--cache: LM contexts kept computed, default the engine's: 1024 for a self-normalised LM read sparsely, else
 * 128; --backend: the acoustic model's, --lm-backend: the LM's, both default 'js'; --beam: the decoder's beam
 * width, default the engine's; --lm: the LM package, default the bundled one.)
 */
import { resolve } from 'node:path';
import { DEFAULT_ACOUSTIC, DEFAULT_LM, loadPackage, readAudioFile, readEvalSet } from '../../renderer/engine/node';
import { lastValueFrom, toArray } from 'rxjs';
import { takeOption } from '../../models/recipe/cli-args';
import { createEngine, zeroStageTimes, type BackendName, type LmScorer } from '../../renderer/engine/node';

const args = process.argv.slice(2);
const model = takeOption(args, 'model');
const cache = takeOption(args, 'cache');
const backend = (takeOption(args, 'backend') ?? 'js') as BackendName;
const lmBackend = (takeOption(args, 'lm-backend') ?? 'js') as BackendName;
const limit = Number(takeOption(args, 'limit') ?? 40);
const beamWidth = takeOption(args, 'beam');
const lmDir = takeOption(args, 'lm');
const set = resolve(args[0] ?? 'data/corpus/test-heldout.tsv');
const rows = (await readEvalSet(set)).slice(0, limit).map((r) => r.wav);

const acoustic = await loadPackage(model ?? DEFAULT_ACOUSTIC);
const lm = await loadPackage(lmDir ?? DEFAULT_LM);
let made: LmScorer | null = null;
const recognizer = await createEngine(
  { acoustic, lm, punctuation: null, spelling: null },
  { backend, readable: false, ...(beamWidth ? { beam: { beamWidth: Number(beamWidth) } } : {}) },
  {
    lm: { backend: lmBackend, ...(cache !== undefined ? { maxCachedContexts: Number(cache) } : {}) },
    wrapScorer: (s) => (made = s),
  },
);
if (made === null) throw new Error('lm-profile: the engine made no LM scorer');
const scorer: LmScorer = made;
console.log(`acoustic on ${backend}, LM on ${lmBackend}, beam ${beamWidth ?? 'default'}`);
let audio = 0;
const st = { featuresMs: 0, acousticMs: 0, decoderMs: 0 };
const t0 = performance.now();
for (const wav of rows) {
  const a = await readAudioFile(wav);
  const times = zeroStageTimes();
  // the whole clip as one block
  await lastValueFrom(recognizer.stream([{ sampleRate: a.sampleRate, samples: a.samples }], { times }).pipe(toArray()));
  audio += a.samples.length / a.sampleRate;
  for (const k of ['featuresMs', 'acousticMs', 'decoderMs'] as const) st[k] += times[k];
}
const wall = (performance.now() - t0) / 1000;
console.log(
  `${rows.length} clips, ${audio.toFixed(1)} s audio, wall RTF ${(wall / audio).toFixed(4)}; features ${(st.featuresMs / 1000 / audio).toFixed(4)}, acoustic ${(st.acousticMs / 1000 / audio).toFixed(4)}, decoder+LM ${(st.decoderMs / 1000 / audio).toFixed(4)}`,
);
{
  const s = scorer.stats;
  console.log(
    `LM: ${(s.nodesComputed / audio).toFixed(1)} nodes/s of audio, ${(s.stepBatchCalls / audio).toFixed(1)} stepBatch calls/s, ${(s.nodesComputed / Math.max(1, s.stepBatchCalls)).toFixed(1)} rows/call, stepBatch RTF ${(s.stepBatchMs / 1000 / audio).toFixed(4)}, ${s.requests} requests, ${s.cacheHits} cache hits, ${s.evictions} evictions`,
  );
}

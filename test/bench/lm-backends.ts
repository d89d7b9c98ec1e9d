/**
 * The whole pipeline with the LM on different backends, side by side in one process: each clip is
 * transcribed by every configuration in turn (so a busy machine slows them alike), and each
 * configuration's stage times, LM stepBatch time and transcripts are summed.
 *
 *   npx tsx test/bench/lm-backends.ts [--model DIR] [--limit N] [--rounds R]
 *       [--configs js/js,js/wasm-simd,wasm-simd/wasm-simd] [SET.tsv]
 *
 * A configuration is ACOUSTIC/LM (backend names). Prints wall RTF, per-stage RTF, the LM's
 * stepBatch RTF and ms per call, and how many transcripts differ from the first configuration's.
 */
import { resolve } from 'node:path';
import { DEFAULT_ACOUSTIC, DEFAULT_LM, loadPackage, readAudioFile, readEvalSet } from '../../renderer/engine/node';
import { lastValueFrom, toArray } from 'rxjs';
import { takeOption } from '../../models/recipe/cli-args';
import { createEngine, zeroStageTimes, type BackendName, type Engine, type LmScorer } from '../../renderer/engine/node';

const args = process.argv.slice(2);
const model = takeOption(args, 'model');
const limit = Number(takeOption(args, 'limit') ?? 10);
const rounds = Number(takeOption(args, 'rounds') ?? 1);
const configs = (takeOption(args, 'configs') ?? 'js/js,js/wasm-simd,wasm-simd/wasm-simd').split(',').map((c) => {
  const [acoustic, lm] = c.split('/') as [BackendName, BackendName];
  return { label: c, acoustic, lm };
});
const set = resolve(args[0] ?? 'data/corpus/test-heldout.tsv');
const rows = (await readEvalSet(set)).slice(0, limit).map((r) => r.wav);

const acousticPkg = await loadPackage(model ?? DEFAULT_ACOUSTIC);
const lmPkg = await loadPackage(DEFAULT_LM);
interface Run {
  label: string;
  recognizer: Engine;
  scorer: LmScorer;
  wallMs: number;
  featuresMs: number;
  acousticMs: number;
  decoderMs: number;
  texts: string[];
}
const runs: Run[] = [];
for (const c of configs) {
  let scorer: LmScorer | null = null;
  const recognizer = await createEngine(
    { acoustic: acousticPkg, lm: lmPkg, punctuation: null, spelling: null },
    { backend: c.acoustic, readable: false },
    {
      lm: { backend: c.lm },
      wrapScorer: (s) => (scorer = s),
    },
  );
  if (scorer === null) throw new Error('lm-backends: the engine made no LM scorer');
  runs.push({ label: c.label, recognizer, scorer, wallMs: 0, featuresMs: 0, acousticMs: 0, decoderMs: 0, texts: [] });
}
const clips = await Promise.all(rows.map((wav) => readAudioFile(wav)));
let audio = 0;
for (let round = 0; round < rounds; round++) {
  for (const clip of clips) {
    audio += clip.samples.length / clip.sampleRate;
    for (const run of round % 2 ? [...runs].reverse() : runs) {
      const t0 = performance.now();
      // the whole clip as one block, as before
      const times = zeroStageTimes();
      const updates = await lastValueFrom(
        run.recognizer.stream([{ sampleRate: clip.sampleRate, samples: clip.samples }], { times }).pipe(toArray()),
      );
      run.wallMs += performance.now() - t0;
      run.featuresMs += times.featuresMs;
      run.acousticMs += times.acousticMs;
      run.decoderMs += times.decoderMs;
      if (round === 0)
        run.texts.push(
          updates
            .flatMap((u) => u.finals)
            .map((s) => s.text)
            .join(' | '),
        );
    }
  }
}
const rtf = (ms: number) => (ms / 1000 / audio).toFixed(4);
console.log(
  `${clips.length} clips × ${rounds} round(s), ${audio.toFixed(1)} s of audio per configuration, Node ${process.version}`,
);
console.log(
  'acoustic/LM              wall RTF  features  acoustic  decoder+LM  LM stepBatch RTF  ms/call  rows/call  transcripts ≠ first',
);
for (const run of runs) {
  const s = run.scorer.stats;
  const differ = run.texts.filter((t, i) => t !== runs[0].texts[i]).length;
  console.log(
    `${run.label.padEnd(24)} ${rtf(run.wallMs).padStart(8)}  ${rtf(run.featuresMs).padStart(8)}  ${rtf(run.acousticMs).padStart(8)}  ${rtf(run.decoderMs).padStart(10)}  ` +
      `${rtf(s.stepBatchMs).padStart(16)}  ${(s.stepBatchMs / Math.max(1, s.stepBatchCalls)).toFixed(3).padStart(7)}  ${(s.nodesComputed / Math.max(1, s.stepBatchCalls)).toFixed(2).padStart(9)}  ${String(differ).padStart(19)}`,
  );
}
for (const run of runs) run.recognizer.dispose(); // the engine frees its LM scorer too

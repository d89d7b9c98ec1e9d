/**
 * Time to the first partial after speech onset, for several acoustic models side by side on the same
 * clips, in one process (a busy machine slows them alike). The streaming simulation is the bench's
 * (streaming-latency.ts: 10 ms blocks, CAPTURE_BLOCK_SECONDS, as the app's AudioWorklet posts them; a
 * pass whenever the engine is idle; measured pass times); the engine runs as the app runs it (backend
 * `auto`, the bundled LM unless --no-lm). Also the word error rate of each model's final transcripts of those
 * streamed clips, so that a model that shows text sooner is not taken for one that shows the right text.
 *
 *   npx tsx test/bench/first-partial.ts [--model DIR]... [--margins M,...] [--set FILE.tsv] [--seconds N|all]
 *       [--no-lm] [--block-ms 10]
 *
 * --margins: tentative-word margins to compare (default: the engine's, defaultParams()).
 *
 * Without --model: the bundled models/default/acoustic. Clips: as the bench (bench-audio.ts).
 */
import {
  addCounts,
  countErrors,
  createEngine,
  defaultParams,
  loadPackage,
  ZERO_COUNTS,
} from '../../renderer/engine/node';
import { CAPTURE_BLOCK_SECONDS } from '../../renderer/worker/protocol';
import { arg, argValues } from './args';
import { loadBenchAudio } from './bench-audio';
import { BUNDLED_ACOUSTIC, loadBenchLm } from './bench-model';
import { measureStreamingLatency } from './streaming-latency';
import { num, textTable } from './text-table';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const models = argValues(argv, 'model');
  if (models.length === 0) models.push(BUNDLED_ACOUSTIC);
  const seconds = arg(argv, 'seconds') ?? '180';
  const blockMs = Number(arg(argv, 'block-ms') ?? CAPTURE_BLOCK_SECONDS * 1000);
  const useLm = !argv.includes('--no-lm');
  const audio = await loadBenchAudio({
    set: arg(argv, 'set'),
    maxSeconds: seconds === 'all' ? undefined : Number(seconds),
  });
  process.stderr.write(
    `[first-partial] ${audio.clips.length} clips, ${audio.seconds.toFixed(1)} s from ${audio.source}; ${blockMs} ms blocks; LM ${useLm ? 'on' : 'off'}\n`,
  );
  const margins = (arg(argv, 'margins') ?? `${defaultParams().beam.tentativeMargin}`).split(',').map(Number);
  const lm = useLm ? await loadBenchLm() : null;
  const rows: string[][] = [];
  for (const dir of models) {
    const pkg = await loadPackage(dir);
    for (const margin of margins) {
      // an engine per run: a fresh LM scorer (its context cache would carry over), freed with the engine
      const engine = await createEngine(
        { acoustic: pkg, lm: lm?.pkg ?? null, punctuation: null, spelling: null },
        { beam: { tentativeMargin: margin } },
      );
      const l = await measureStreamingLatency(engine, audio.clips, blockMs / 1000);
      let counts = ZERO_COUNTS;
      audio.clips.forEach((clip, i) => (counts = addCounts(counts, countErrors(l.finals[i], clip.text))));
      engine.dispose();
      rows.push([
        dir,
        `${margin}`,
        num(l.firstPartialAfterOnset.p50, 0),
        num(l.firstPartialAfterOnset.p95, 0),
        num(l.firstPartialAfterOnset.mean, 0),
        num(l.word.p50, 0),
        num(l.word.p95, 0),
        `${l.textBeforeOnset}`,
        `${l.firstWordKept}/${l.clips}`,
        `${num((100 * counts.wordErrors) / Math.max(1, counts.words), 2)} %`,
      ]);
    }
  }
  console.log(
    textTable(
      [
        'model',
        'tentative margin',
        'first partial p50 ms',
        'p95',
        'mean',
        'word end→shown p50',
        'p95',
        'text before onset',
        'first word kept',
        'WER',
      ],
      rows,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

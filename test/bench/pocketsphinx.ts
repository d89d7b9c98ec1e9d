/**
 * PocketSphinx (Debian pocketsphinx + pocketsphinx-en-us: its US English acoustic model, trigram LM
 * and CMUdict) in batch mode on the benchmark clips, through models/recipe/eval/peers.ts's runner (each
 * clip written as 16 kHz mono 16-bit PCM with the engine's resampler, so both systems hear the same
 * samples), measured as a child process. Figures: its own decode-only CPU and wall xRT (from its log: model
 * load excluded), the whole process's CPU time and peak RSS, and word errors.
 */
import { runPocketSphinxBatch } from '../../models/recipe/eval/peers';
import { addCounts, countErrors, ZERO_COUNTS, type ErrorCounts } from '../../renderer/engine';
import type { BenchClip } from './bench-audio';
import { runMeasured } from './child-usage';

export { pocketsphinxAvailable } from '../../models/recipe/eval/peers';

export interface PocketSphinxResult {
  /** Decode-only CPU seconds / audio seconds, as its log reports (model load excluded). */
  rtfCpu: number | null;
  /** Decode-only wall seconds / audio seconds, from its log. */
  rtfWall: number | null;
  /** The whole process (load + decode): CPU seconds / audio seconds. */
  processRtfCpu: number | null;
  processWallSeconds: number;
  peakRssMiB: number | null;
  errors: ErrorCounts;
  wer: number;
  audioSeconds: number;
  hypotheses: string[];
}

export async function runPocketSphinx(clips: readonly BenchClip[]): Promise<PocketSphinxResult> {
  const { hypotheses, audioSeconds, log, run } = await runPocketSphinxBatch(
    clips.length,
    (i) => clips[i],
    async (command, args) => {
      const usage = await runMeasured(command, args);
      if (usage.exitCode !== 0)
        throw new Error(`pocketsphinx_batch exited with ${usage.exitCode}: ${usage.stderr.slice(-500)}`);
      return usage;
    },
  );
  const total = /batch\.c\(\d+\): TOTAL ([\d.]+) seconds speech, ([\d.]+) seconds CPU, ([\d.]+) seconds wall/.exec(log);
  let errors = ZERO_COUNTS;
  hypotheses.forEach((h, i) => {
    errors = addCounts(errors, countErrors(h, clips[i].text));
  });
  return {
    rtfCpu: total ? Number(total[2]) / Number(total[1]) : null,
    rtfWall: total ? Number(total[3]) / Number(total[1]) : null,
    processRtfCpu: run.cpuSeconds !== null ? run.cpuSeconds / audioSeconds : null,
    processWallSeconds: run.wallSeconds,
    peakRssMiB: run.peakRssMiB,
    errors,
    wer: errors.words > 0 ? errors.wordErrors / errors.words : 0,
    audioSeconds,
    hypotheses,
  };
}

/**
 * PocketSphinx (Debian pocketsphinx + pocketsphinx-en-us: its US English acoustic model, trigram LM
 * and CMUdict) in batch mode on the benchmark clips, as models/recipe/eval/peers.ts runs it. Each
 * clip is written as 16 kHz mono 16-bit PCM (the engine's resampler), so both systems hear the same
 * samples. Figures: its own decode-only CPU and wall xRT (from its log: model load excluded), the
 * whole process's CPU time and peak RSS, and word errors.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCounts, countErrors, encodeWav16, resample, ZERO_COUNTS, type ErrorCounts } from '../../renderer/engine';
import type { BenchClip } from './bench-audio';
import { runMeasured } from './child-usage';

export const POCKETSPHINX_BATCH = '/usr/bin/pocketsphinx_batch';
const PS_MODEL = '/usr/share/pocketsphinx/model/en-us';

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

export function pocketsphinxAvailable(): boolean {
  return existsSync(POCKETSPHINX_BATCH) && existsSync(join(PS_MODEL, 'en-us'));
}

export async function runPocketSphinx(clips: readonly BenchClip[]): Promise<PocketSphinxResult> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-ps-'));
  try {
    mkdirSync(join(dir, 'wav'));
    let audioSeconds = 0;
    clips.forEach((clip, i) => {
      const x = resample(clip.samples, clip.sampleRate, 16000);
      audioSeconds += x.length / 16000;
      writeFileSync(join(dir, 'wav', `${i}.wav`), encodeWav16(x, 16000));
    });
    writeFileSync(join(dir, 'ctl'), clips.map((_c, i) => String(i)).join('\n') + '\n');
    const usage = await runMeasured(POCKETSPHINX_BATCH, [
      '-adcin',
      'yes',
      '-adchdr',
      '44',
      '-cepdir',
      join(dir, 'wav'),
      '-cepext',
      '.wav',
      '-ctl',
      join(dir, 'ctl'),
      '-hmm',
      join(PS_MODEL, 'en-us'),
      '-lm',
      join(PS_MODEL, 'en-us.lm.bin'),
      '-dict',
      join(PS_MODEL, 'cmudict-en-us.dict'),
      '-hyp',
      join(dir, 'hyp'),
      '-logfn',
      join(dir, 'log'),
    ]);
    if (usage.exitCode !== 0)
      throw new Error(`pocketsphinx_batch exited with ${usage.exitCode}: ${usage.stderr.slice(-500)}`);
    const log = readFileSync(join(dir, 'log'), 'utf8');
    const total = /batch\.c\(\d+\): TOTAL ([\d.]+) seconds speech, ([\d.]+) seconds CPU, ([\d.]+) seconds wall/.exec(
      log,
    );
    const hyps = new Map<string, string>();
    for (const line of readFileSync(join(dir, 'hyp'), 'utf8').split('\n')) {
      const m = /^(.*?)\s*\((\S+)(?:\s+-?\d+)?\)\s*$/.exec(line);
      if (m) hyps.set(m[2], m[1].replace(/\(\d+\)/g, ''));
    }
    const hypotheses = clips.map((_c, i) => hyps.get(String(i)) ?? '');
    let errors = ZERO_COUNTS;
    hypotheses.forEach((h, i) => {
      errors = addCounts(errors, countErrors(h, clips[i].text));
    });
    return {
      rtfCpu: total ? Number(total[2]) / Number(total[1]) : null,
      rtfWall: total ? Number(total[3]) / Number(total[1]) : null,
      processRtfCpu: usage.cpuSeconds !== null ? usage.cpuSeconds / audioSeconds : null,
      processWallSeconds: usage.wallSeconds,
      peakRssMiB: usage.peakRssMiB,
      errors,
      wer: errors.words > 0 ? errors.wordErrors / errors.words : 0,
      audioSeconds,
      hypotheses,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

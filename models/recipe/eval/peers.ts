/**
 * Compares Earshot with PocketSphinx (Debian pocketsphinx + pocketsphinx-en-us, batch mode, its
 * default US English acoustic model, trigram LM and CMUdict) on the same evaluation sets, in one run.
 *
 *   npx tsx models/recipe/eval/peers.ts [--model PATH] [--no-lm] [--json OUT.json] SET.tsv...
 *   npm run eval:peers -- SET.tsv...
 *
 * Sets are `WAV<TAB>TEXT` rows. Every file is converted to 16 kHz mono 16-bit PCM (the engine's own
 * decoder and resampler) before PocketSphinx sees it, so both systems hear the same samples.
 * `pocketsphinx()` is also the runner of eval_all.ts (npm run eval:all); `runPocketSphinxBatch()` that of the
 * benchmark (test/bench/pocketsphinx.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  addCounts,
  countErrors,
  createEngine,
  encodeWav16,
  evaluateSet,
  readAudioFile,
  readEvalSet,
  resample,
  ZERO_COUNTS,
  type ErrorCounts,
} from '../../../renderer/engine/node';
import { takeOption } from '../cli-args';

const PS_MODEL = '/usr/share/pocketsphinx/model/en-us';

export const POCKETSPHINX_BATCH = '/usr/bin/pocketsphinx_batch';

export interface PeerResult {
  wer: number;
  cer: number;
  rtf: number;
  words: number;
  files: number;
  counts: ErrorCounts;
  audioSeconds: number;
  decodeSeconds: number;
}

/** True when the Debian pocketsphinx and pocketsphinx-en-us packages are installed. */
export function pocketsphinxAvailable(): boolean {
  return existsSync(POCKETSPHINX_BATCH) && existsSync(join(PS_MODEL, 'en-us'));
}

/** Samples to hand PocketSphinx: any rate, mono. */
export interface PocketSphinxAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** One pocketsphinx_batch run: a hypothesis per clip (in order, '' where it gave none), its log and `run`'s result. */
export interface PocketSphinxBatch<R> {
  hypotheses: string[];
  /** Seconds of 16 kHz audio written. */
  audioSeconds: number;
  /** Its -logfn log (batch.c's TOTAL line has its own decode-only CPU and wall times). */
  log: string;
  run: R;
}

/**
 * pocketsphinx_batch (its default US English acoustic model, trigram LM and CMUdict) on `count` clips, `audio(i)`
 * each, written as 16 kHz mono 16-bit PCM with the engine's resampler, so that it hears the samples the engine hears.
 * `run(command, args)` starts it and returns when it has finished (timed, or measured by the caller); it throws when
 * the command fails. The files live in a temporary folder, removed afterwards.
 */
export async function runPocketSphinxBatch<R>(
  count: number,
  audio: (i: number) => PocketSphinxAudio | Promise<PocketSphinxAudio>,
  run: (command: string, args: string[]) => R | Promise<R>,
): Promise<PocketSphinxBatch<R>> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-pocketsphinx-'));
  try {
    mkdirSync(join(dir, 'wav'));
    let audioSeconds = 0;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const a = await audio(i);
      const x = resample(a.samples, a.sampleRate, 16000);
      audioSeconds += x.length / 16000;
      writeFileSync(join(dir, 'wav', `${i}.wav`), encodeWav16(x, 16000));
      ids.push(String(i));
    }
    writeFileSync(join(dir, 'ctl'), ids.join('\n') + '\n');
    const result = await run(POCKETSPHINX_BATCH, [
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
    const hyps = new Map<string, string>();
    for (const line of readFileSync(join(dir, 'hyp'), 'utf8').split('\n')) {
      const m = /^(.*?)\s*\((\S+)(?:\s+-?\d+)?\)\s*$/.exec(line);
      if (m) hyps.set(m[2], m[1].replace(/\(\d+\)/g, ''));
    }
    return {
      hypotheses: ids.map((id) => hyps.get(id) ?? ''),
      audioSeconds,
      log: readFileSync(join(dir, 'log'), 'utf8'),
      run: result,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PocketSphinx on a set's first `limit` rows (all by default). */
export async function pocketsphinx(setPath: string, limit = Infinity): Promise<PeerResult> {
  const rows = (await readEvalSet(setPath)).slice(0, limit);
  const batch = await runPocketSphinxBatch(
    rows.length,
    (i) => readAudioFile(rows[i].wav),
    (command, args) => {
      const t0 = performance.now();
      execFileSync(command, args);
      return (performance.now() - t0) / 1000;
    },
  );
  const seconds = batch.run;
  let counts = ZERO_COUNTS;
  rows.forEach((r, i) => {
    counts = addCounts(counts, countErrors(batch.hypotheses[i], r.text));
  });
  return {
    wer: counts.words ? counts.wordErrors / counts.words : 0,
    cer: counts.chars ? counts.charErrors / counts.chars : 0,
    rtf: seconds / batch.audioSeconds,
    words: counts.words,
    files: rows.length,
    counts,
    audioSeconds: batch.audioSeconds,
    decodeSeconds: seconds,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const model = takeOption(argv, 'model');
  const jsonOut = takeOption(argv, 'json');
  const noLm = argv.includes('--no-lm');
  const sets = argv.filter((a) => !a.startsWith('--'));
  if (!sets.length) throw new Error('usage: peers.ts [--model PATH] [--no-lm] [--json OUT] SET.tsv...');
  if (!existsSync(POCKETSPHINX_BATCH))
    throw new Error('pocketsphinx_batch is missing: apt-get install pocketsphinx pocketsphinx-en-us');
  const engine = await createEngine({ acoustic: model, lm: noLm ? null : undefined });
  const table: Array<Record<string, unknown>> = [];
  for (const set of sets) {
    const ours = await evaluateSet(engine, set);
    const ps = await pocketsphinx(set);
    table.push({
      set,
      files: ours.files,
      words: ours.counts.words,
      earshotWer: +(100 * ours.wer).toFixed(2),
      pocketsphinxWer: +(100 * ps.wer).toFixed(2),
      earshotCer: +(100 * ours.cer).toFixed(2),
      pocketsphinxCer: +(100 * ps.cer).toFixed(2),
      earshotRtf: +ours.rtf.toFixed(4),
      pocketsphinxRtf: +ps.rtf.toFixed(4),
      werRatio: +(ours.wer / Math.max(1e-9, ps.wer)).toFixed(3),
    });
  }
  engine.dispose();
  console.log(
    `acoustic: ${engine.info.acousticName}  LM: ${engine.info.lmName ?? 'none'}  backend: ${engine.info.backend}`,
  );
  console.table(table);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ model: engine.info, results: table }, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`peers: ${(e as Error).message}`);
    process.exit(2);
  });
}

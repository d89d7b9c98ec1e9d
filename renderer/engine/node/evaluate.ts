import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Engine } from '../engine';
import { addCounts, countErrors, normalizeText, ZERO_COUNTS, type ErrorCounts } from '../metrics/error-rate';
import { transcribeFile } from './transcribe-file';

export interface EvalRow {
  wav: string;
  text: string;
}

/** Reads `WAV<TAB>TEXT` rows; relative paths are relative to the set file. */
export async function readEvalSet(path: string): Promise<EvalRow[]> {
  const base = dirname(resolve(path));
  return (await readFile(path, 'utf8'))
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l, i) => {
      const tab = l.indexOf('\t');
      if (tab < 0) throw new Error(`${path}:${i + 1}: expected WAV<TAB>TEXT`);
      return { wav: resolve(base, l.slice(0, tab)), text: l.slice(tab + 1) };
    });
}

export interface EvalResult {
  set: string;
  files: number;
  failed: number;
  counts: ErrorCounts;
  wer: number;
  cer: number;
  audioSeconds: number;
  decodeSeconds: number;
  rtf: number;
  /** Reference words the lexicon cannot spell: the model can never get these right. */
  oovWords: string[];
  rows: Array<{ wav: string; ref: string; hyp: string; wordErrors: number; words: number }>;
}

export interface EvaluateOptions {
  /** Reference words the lexicon has (the others are listed in oovWords). */
  hasWord?: (w: string) => boolean;
  /** The first `limit` rows only. */
  limit?: number;
  /** Called after each file: files done, files in all. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Transcribes every row of a `WAV<TAB>TEXT` set with the engine (transcribeFile: the streaming pipeline,
 * one block at a time) and scores it against the references. A file that fails is named on stderr and
 * counted as an empty hypothesis.
 */
export async function evaluateSet(engine: Engine, setPath: string, opts: EvaluateOptions = {}): Promise<EvalResult> {
  const rows = (await readEvalSet(setPath)).slice(0, opts.limit ?? Infinity);
  let counts = ZERO_COUNTS,
    audioSeconds = 0,
    decodeMs = 0,
    failed = 0;
  const out: EvalResult['rows'] = [];
  const oov = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let hyp = '';
    try {
      const res = await transcribeFile(engine, r.wav);
      hyp = res.segments.map((s) => s.text).join(' ');
      audioSeconds += res.seconds;
      decodeMs += res.decodeMs;
    } catch (e) {
      failed++;
      process.stderr.write(`earshot eval: ${r.wav}: ${(e as Error).message}\n`);
    }
    const c = countErrors(hyp, r.text);
    counts = addCounts(counts, c);
    if (opts.hasWord) for (const w of normalizeText(r.text).split(' ')) if (w && !opts.hasWord(w)) oov.add(w);
    out.push({
      wav: r.wav,
      ref: normalizeText(r.text),
      hyp: normalizeText(hyp),
      wordErrors: c.wordErrors,
      words: c.words,
    });
    opts.onProgress?.(i + 1, rows.length);
  }
  return {
    set: setPath,
    files: rows.length,
    failed,
    counts,
    wer: counts.words ? counts.wordErrors / counts.words : 0,
    cer: counts.chars ? counts.charErrors / counts.chars : 0,
    audioSeconds,
    decodeSeconds: decodeMs / 1000,
    rtf: audioSeconds ? decodeMs / 1000 / audioSeconds : 0,
    oovWords: [...oov].sort(),
    rows: out,
  };
}

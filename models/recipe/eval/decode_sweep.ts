/**
 * Decoder settings on a dev set: each setting of the lexicon beam search (beam width, pruning, blank penalty)
 * and of the LM weights is run through the engine (evaluateSet: the streaming pipeline, as the app and the CLI
 * run it) and its WER printed, for the whole set and per group of files (synthesized vs real speech by
 * default). Tune on dev sets only: never on a test set or data/real-eval.
 *
 *   npx tsx models/recipe/eval/decode_sweep.ts [--model DIR] [--lm DIR] [--stride N] [--limit N]
 *       [--groups NAME=SUBSTRING,...] [--json OUT] DEV.tsv SETTING...
 *
 * A SETTING is `key=value` pairs joined by commas, e.g. `beamWidth=24,beamLogProb=20` or `blankPenalty=1,alpha=0.9`;
 * keys: alpha, beta (the LM weights; left out: the LM package's) and any numeric field of the beam config
 * (LexiconBeamDecoderConfig: beamWidth, pruneLogProb, beamLogProb, blankPenalty, ...; left out: the engine's
 * defaults, params.ts). `default` is the engine's defaults. --stride N takes every Nth file (a quick screen
 * that keeps both halves of a mixed set); --limit N then the first N of those. --json OUT writes the figures
 * and, per setting, every file's reference and hypothesis (for reading the errors).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngine, DEFAULT_LM, evaluateSet, readEvalSet } from '../../../renderer/engine/node';
import type { EngineParams } from '../../../renderer/engine';
import { takeOption } from '../cli-args';

interface Setting {
  name: string;
  beam: Record<string, number>;
  lmWeights: { alpha?: number; beta?: number };
}

export function parseSetting(text: string): Setting {
  const beam: Record<string, number> = {};
  const lmWeights: { alpha?: number; beta?: number } = {};
  if (text !== 'default') {
    for (const pair of text.split(',')) {
      const [key, value] = pair.split('=');
      const v = Number(value);
      if (!key || value === undefined || !Number.isFinite(v)) throw new Error(`bad setting "${pair}" in "${text}"`);
      if (key === 'alpha' || key === 'beta') lmWeights[key] = v;
      else beam[key] = v;
    }
  }
  return { name: text, beam, lmWeights };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const model = takeOption(argv, 'model');
  const lm = resolve(takeOption(argv, 'lm') ?? DEFAULT_LM);
  const stride = Number(takeOption(argv, 'stride') ?? 1);
  const limit = Number(takeOption(argv, 'limit') ?? Infinity);
  const jsonOut = takeOption(argv, 'json');
  const groups = (takeOption(argv, 'groups') ?? 'tts=/corpus/,real=/real/')
    .split(',')
    .map((g) => g.split('=') as [string, string]);
  const [set, ...settingArgs] = argv.filter((a) => !a.startsWith('--'));
  if (!set || settingArgs.length === 0)
    throw new Error('usage: decode_sweep.ts [--model DIR] [--lm DIR] [--stride N] [--limit N] DEV.tsv SETTING...');
  const settings = settingArgs.map(parseSetting);
  const rows = (await readEvalSet(set)).filter((_, i) => i % stride === 0).slice(0, limit);
  const subset = join(mkdtempSync(join(tmpdir(), 'decode-sweep-')), 'set.tsv');
  writeFileSync(subset, rows.map((r) => `${r.wav}\t${r.text}`).join('\n') + '\n');
  const counts = groups.map(([name, sub]) => `${name} ${rows.filter((r) => r.wav.includes(sub)).length}`);
  console.log(`${rows.length} files of ${set} (${counts.join(', ')})`);
  const results: unknown[] = [];
  for (const s of settings) {
    const params: Partial<EngineParams> = { lmWeights: s.lmWeights, beam: s.beam };
    const engine = await createEngine({ acoustic: model, lm }, params);
    const t0 = performance.now();
    try {
      const r = await evaluateSet(engine, subset);
      const pct = (errors: number, words: number) => (words ? ((100 * errors) / words).toFixed(2) : '-');
      const per = groups.map(([name, sub]) => {
        const g = r.rows.filter((row) => row.wav.includes(sub));
        const e = g.reduce((a, row) => a + row.wordErrors, 0);
        const w = g.reduce((a, row) => a + row.words, 0);
        return { name, wer: pct(e, w), errors: e, words: w };
      });
      const secs = (performance.now() - t0) / 1000;
      // words out per word in: below 1 the search deletes more than it inserts
      const nWords = (t: string) => (t ? t.split(' ').length : 0);
      const lengthRatio = r.rows.reduce((a, row) => a + nWords(row.hyp), 0) / Math.max(1, r.counts.words);
      console.log(
        `${s.name.padEnd(48)} WER ${pct(r.counts.wordErrors, r.counts.words)}%  ` +
          per.map((g) => `${g.name} ${g.wer}%`).join('  ') +
          `  (hyp/ref words ${lengthRatio.toFixed(2)}; decode RTF ${r.rtf.toFixed(4)}, ${secs.toFixed(0)} s)`,
      );
      results.push({
        setting: s.name,
        wer: r.wer,
        counts: r.counts,
        groups: per,
        lengthRatio,
        rtf: r.rtf,
        files: r.files,
        rows: r.rows,
      });
    } finally {
      engine.dispose();
    }
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ set, stride, limit, results }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(`decode_sweep: ${(e as Error).message}`);
  process.exit(2);
});

/**
 * Tunes the language model's shallow-fusion weights on a dev set: a grid over alpha (LM weight)
 * and beta (word bonus), WER of each, and (with --write) the best pair stored in the LM package's
 * model.json (output.alpha, output.beta), where the app and the CLI read them.
 *
 *   npx tsx models/recipe/eval/tune_lm.ts [--model PATH] [--lm PATH] [--limit N] [--write] DEV.tsv
 *   npm run lm:tune -- data/corpus/dev-heldout.tsv --limit 150 --write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEngine, DEFAULT_LM, evaluateSet, loadPackage, readEvalSet } from '../../../renderer/engine/node';
import { takeOption } from '../cli-args';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const model = takeOption(argv, 'model'),
    lmPath = resolve(takeOption(argv, 'lm') ?? DEFAULT_LM),
    limit = Number(takeOption(argv, 'limit') ?? Infinity);
  const alphas = (takeOption(argv, 'alphas') ?? '0.2,0.4,0.6,0.9').split(',').map(Number);
  const betas = (takeOption(argv, 'betas') ?? '0,1,2,3').split(',').map(Number);
  const write = argv.includes('--write');
  const set = argv.find((a) => !a.startsWith('--'));
  if (!set) throw new Error('usage: tune_lm.ts [--model PATH] [--lm PATH] [--limit N] [--write] DEV.tsv');
  const utterances = (await readEvalSet(set)).slice(0, limit).length;
  await loadPackage(lmPath); // fail early with a clear message
  const grid: Array<{ alpha: number; beta: number; wer: number }> = [];
  const run = async (lm: string | null, alpha?: number, beta?: number) => {
    // the engine owns the LM scorer it makes for this grid point, and frees it with the rest
    const engine = await createEngine(
      { acoustic: model, lm },
      { lmWeights: alpha === undefined ? {} : { alpha, beta: beta! } },
    );
    try {
      return (await evaluateSet(engine, set, { limit })).wer;
    } finally {
      engine.dispose();
    }
  };
  const noLm = await run(null);
  console.log(`no LM: WER ${(100 * noLm).toFixed(2)}%`);
  for (const alpha of alphas) {
    for (const beta of betas) {
      const wer = await run(lmPath, alpha, beta);
      grid.push({ alpha, beta, wer });
      console.log(`alpha ${alpha}  beta ${beta}: WER ${(100 * wer).toFixed(2)}%`);
    }
  }
  const best = grid.reduce((a, b) => (b.wer < a.wer ? b : a));
  console.log(
    `best: alpha ${best.alpha}, beta ${best.beta}, WER ${(100 * best.wer).toFixed(2)}% (no LM ${(100 * noLm).toFixed(2)}%) on ${utterances} utterances of ${set}`,
  );
  if (write) {
    const file = join(lmPath, 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.output.alpha = best.alpha;
    json.output.beta = best.beta;
    json.provenance = {
      ...json.provenance,
      alphaBeta: `tuned on ${utterances} utterances of ${set.replace(/^.*data\//, 'data/')}: WER ${(100 * best.wer).toFixed(2)}% with the LM, ${(100 * noLm).toFixed(2)}% without; grid alpha ${alphas.join('/')} × beta ${betas.join('/')}`,
    };
    writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
    console.log(`wrote alpha/beta to ${file}`);
  }
}

main().catch((e) => {
  console.error(`tune_lm: ${(e as Error).message}`);
  process.exit(2);
});

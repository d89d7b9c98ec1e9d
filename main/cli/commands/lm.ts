/**
 * `earshot lm …`: the language model on its own.
 *
 *   earshot lm sample [--lm PATH] [--prompt TEXT] [--temperature T] [--count N] [--seed S]
 *       prints N sentences sampled word by word until <eos> (the seed's one-to-many generation)
 *   earshot lm perplexity [--lm PATH] FILE
 *       perplexity of the LM on FILE (one sentence per line; each scored as <eos> words <eos>)
 *
 * The default LM is the bundled one (models/default/lm). Exit 2 when there is none, or on a usage error.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createLanguageModel,
  DEFAULT_LM,
  lastValue,
  loadPackage,
  LmVocabulary,
  seededRng,
  UsageError,
  type BackendName,
  type LanguageModel,
  type ParsedArgs,
} from '../../../renderer/engine/node';

const LM_USAGE =
  'earshot lm sample [--lm PATH] [--prompt TEXT] [--temperature T] [--count N] [--seed S]\n' +
  '       earshot lm perplexity [--lm PATH] FILE';

export async function lmCommand(rest: string[], args: ParsedArgs): Promise<number> {
  const [sub, ...files] = rest;
  if (sub !== 'sample' && sub !== 'perplexity') {
    throw new UsageError(
      sub ? `unknown lm command "${sub}"; use:\n  ${LM_USAGE}` : `lm needs a command:\n  ${LM_USAGE}`,
    );
  }
  if (args.flags.has('no-lm')) throw new UsageError('--no-lm makes no sense for the lm command');
  const lmPath = lastValue(args, 'lm');
  const path = resolve(lmPath ?? DEFAULT_LM);
  if (!existsSync(join(path, 'model.json')) && !(lmPath && existsSync(path))) {
    process.stderr.write(
      lmPath
        ? `earshot: no language model at ${path}\n`
        : `earshot: no language model: the bundled LM (${path}) is missing; train one with models/recipe/lm (see its README) or pass --lm PATH\n`,
    );
    return 2;
  }
  const pkg = await loadPackage(path);
  if (pkg.json.kind !== 'language') {
    process.stderr.write(`earshot: ${path} is an ${pkg.json.kind} model, not a language model\n`);
    return 2;
  }
  const backend = lastValue(args, 'backend');
  const lm = await createLanguageModel(pkg, {
    backend: backend && backend !== 'auto' ? (backend as BackendName) : 'reference',
  });
  try {
    return sub === 'sample' ? await sample(lm, args) : await perplexity(lm, files);
  } finally {
    lm.dispose();
  }
}

async function sample(lm: LanguageModel, args: ParsedArgs): Promise<number> {
  const temperature = numberOption(args, 'temperature', 1, (v) => v >= 0, 'a number ≥ 0');
  const count = numberOption(args, 'count', 5, (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
  const seed = numberOption(args, 'seed', NaN, (v) => Number.isInteger(v), 'a whole number');
  const prompt = LmVocabulary.words(lastValue(args, 'prompt') ?? '')
    .map((w) => w.replace(/[^a-z']/g, ''))
    .filter((w) => w !== '');
  const unknown = prompt.filter((w) => !lm.vocabulary.has(w));
  if (unknown.length > 0)
    process.stderr.write(`earshot: not in the LM vocabulary, read as <unk>: ${unknown.join(', ')}\n`);
  const rng = Number.isNaN(seed) ? Math.random : seededRng(seed);
  for (let i = 0; i < count; i++) {
    const words = await lm.sample(prompt, temperature, rng);
    process.stdout.write(words.join(' ') + '\n');
  }
  return 0;
}

async function perplexity(lm: LanguageModel, files: string[]): Promise<number> {
  if (files.length !== 1) throw new UsageError(`lm perplexity needs one FILE (one sentence per line)\n  ${LM_USAGE}`);
  const text = await readFile(files[0], 'utf8');
  const sentences = text
    .split('\n')
    .map((l) => LmVocabulary.words(l))
    .filter((s) => s.length > 0);
  if (sentences.length === 0) throw new UsageError(`${files[0]} has no sentences`);
  const t0 = performance.now();
  const scores = await lm.sentenceLogProbs(sentences);
  const logProb = scores.reduce((a, s) => a + s.logProb, 0);
  const tokens = scores.reduce((a, s) => a + s.tokens, 0);
  const oov = scores.reduce((a, s) => a + s.oov, 0);
  const words = tokens - sentences.length;
  process.stdout.write(
    `${files[0]}: ${sentences.length} sentences, ${words} words, OOV ${((100 * oov) / Math.max(1, words)).toFixed(2)}% (read as <unk>)\n` +
      `perplexity ${Math.exp(-logProb / tokens).toFixed(2)} (per word and <eos>; ${(-logProb / tokens).toFixed(4)} nats)  ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

function numberOption(
  args: ParsedArgs,
  key: string,
  fallback: number,
  ok: (v: number) => boolean,
  what: string,
): number {
  const raw = lastValue(args, key);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || !ok(v)) throw new UsageError(`--${key} must be ${what}, not "${raw}"`);
  return v;
}

/**
 * Train on your own recordings: import -> features -> fine-tune the bundled model -> export a package.
 *
 *   npm run train:own -- --layout manifest|librispeech|commonvoice PATH [--minutes 10] [--out data/own]
 *       [--lexicon FILE] [--oov skip|fail] [--split train.tsv] [--limit N] [--dev-fraction 0.05] [--max-steps N]
 *       [--init default|CKPT.pt|PACKAGE] [--config FILE.json] [--no-eval]
 *
 * 1. models/recipe/data/import_corpus.py: the layout -> OUT/corpus/{train,dev}.tsv (16 kHz wavs, CMUdict +
 *    your lexicon phonemes; clips with out-of-lexicon words are reported and left out, or --oov fail stops)
 * 2. models/recipe/dump_features.ts: the app's featurizer -> OUT/features/{train,dev}
 * 3. models/recipe/train.py CONFIG --init=default: fine-tunes for --minutes (or --max-steps) -> OUT/run
 * 4. models/recipe/export.py: -> OUT/model, a package the app and the CLI load; your lexicon's words are
 *    added to its lexicon.txt
 * 5. unless --no-eval or the corpus is too small to hold clips out: WER (with the LM) of the starting
 *    model and the new one on up to 100 held-out clips of yours
 * Each step's wall time is printed and written to OUT/train-own.json.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createEngine,
  DEFAULT_ACOUSTIC,
  evaluateSet,
  lastValue,
  parseArgs,
  UsageError,
} from '../../renderer/engine/node';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const PY = '/usr/bin/python3';
const LAYOUTS = ['manifest', 'librispeech', 'commonvoice'];
const EVAL_CLIPS = 100;

/** Runs a command with its output shown as it comes, -> the output. Rejects on a non-zero exit. */
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    // decoded as UTF-8 by the streams, so that a character split between two chunks comes out whole
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      out += d;
      process.stdout.write(d);
    });
    p.stderr.on('data', (d: string) => {
      out += d;
      process.stderr.write(d);
    });
    p.on('error', fail);
    p.on('close', (code) =>
      code === 0
        ? ok(out)
        : fail(Object.assign(new Error(`${relative(REPO, args[0]) || cmd} exited with ${code}`), { code })),
    );
  });
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [
      'layout',
      'minutes',
      'out',
      'lexicon',
      'oov',
      'split',
      'limit',
      'dev-fraction',
      'max-steps',
      'init',
      'config',
    ],
    flags: ['no-eval', 'help'],
  });
  const usage =
    'usage: train_own.ts --layout manifest|librispeech|commonvoice PATH [--minutes N] [--out DIR] [--lexicon FILE] [--oov skip|fail] [--split TSV] [--limit N] [--dev-fraction F] [--max-steps N] [--init default|PATH] [--config FILE] [--no-eval]';
  if (args.flags.has('help')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const layout = lastValue(args, 'layout');
  if (!layout || !LAYOUTS.includes(layout))
    throw new UsageError(`--layout must be one of ${LAYOUTS.join(', ')}\n${usage}`);
  if (args.positionals.length !== 1) throw new UsageError(`one PATH (the manifest, or the corpus folder)\n${usage}`);
  const source = resolve(args.positionals[0]);
  const out = resolve(lastValue(args, 'out') ?? 'data/own');
  const minutes = Number(lastValue(args, 'minutes') ?? 10);
  if (!(minutes > 0)) throw new UsageError('--minutes takes a positive number');
  const init = lastValue(args, 'init') ?? 'default';
  const config = resolve(lastValue(args, 'config') ?? join(HERE, 'config/acoustic-vtlp-cpu.json'));
  const corpus = join(out, 'corpus'),
    feats = join(out, 'features'),
    runDir = join(out, 'run'),
    model = join(out, 'model');
  mkdirSync(out, { recursive: true });
  const times: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    process.stdout.write(`[train:own] ${name}\n`);
    try {
      return await f();
    } finally {
      times[name] = +((performance.now() - t0) / 1000).toFixed(1);
    }
  };

  await timed('import', () =>
    run(PY, [
      join(HERE, 'data/import_corpus.py'),
      '--layout',
      layout,
      source,
      '--out',
      corpus,
      ...['lexicon', 'oov', 'split', 'limit', 'dev-fraction'].flatMap((k) => {
        const v = lastValue(args, k);
        return v === undefined ? [] : [`--${k}`, k === 'lexicon' ? resolve(v) : v];
      }),
    ]),
  );
  const summary = JSON.parse(readFileSync(join(corpus, 'summary.json'), 'utf8'));

  await timed('features', async () => {
    for (const split of ['train', 'dev'])
      await run('npx', [
        'tsx',
        join(HERE, 'dump_features.ts'),
        '--manifest',
        join(corpus, `${split}.tsv`),
        '--out',
        join(feats, split),
      ]);
  });

  const maxSteps = lastValue(args, 'max-steps');
  const trainLog = await timed('fine-tune', () =>
    run(PY, [
      join(HERE, 'train.py'),
      config,
      `--init=${init}`,
      `--train_dir=${join(feats, 'train')}`,
      `--dev_dir=${join(feats, 'dev')}`,
      `--out_dir=${runDir}`,
      `--budget_minutes=${minutes}`,
      ...(maxSteps ? [`--max_steps=${maxSteps}`, '--log_every=1'] : []),
      ...(minutes < 20 ? [`--eval_minutes=${minutes / 2}`] : []),
    ]),
  );
  const done = /done: step (\d+), dev loss ([\d.na]+), dev PER ([\d.na]+)/.exec(trainLog);
  const from = Number(/resumed from .* \(step (\d+)\)/.exec(trainLog)?.[1] ?? 0);

  await timed('export', async () => {
    const ckpt = existsSync(join(runDir, 'ckpt-best.pt')) ? join(runDir, 'ckpt-best.pt') : join(runDir, 'ckpt.pt');
    const counts = join(DEFAULT_ACOUSTIC, 'word-counts.tsv');
    const note =
      `fine-tuned from ${init} with ${relative(REPO, config)} for ${minutes} min on ${summary.clipsKept} clips ` +
      `(${(summary.hours * 60).toFixed(1)} min of audio, ${summary.speakers} speakers) imported as ${layout} from ${source}`;
    await run(PY, [
      join(HERE, 'export.py'),
      ckpt,
      model,
      ...(existsSync(counts) ? [`--word-counts=${counts}`] : []),
      `--note=${note}`,
    ]);
    const userLex = readFileSync(join(corpus, 'user-lexicon.txt'), 'utf8');
    if (userLex.trim()) appendFileSync(join(model, 'lexicon.txt'), userLex);
  });

  let comparison: { clips: number; before: number | null; after: number } | null = null;
  if (!args.flags.has('no-eval') && summary.dev < summary.clipsKept) {
    comparison = await timed('eval', async () => {
      const lexiconFile =
        existsSync(join(corpus, 'user-lexicon.txt')) && readFileSync(join(corpus, 'user-lexicon.txt'), 'utf8').trim()
          ? join(corpus, 'user-lexicon.txt')
          : undefined;
      const start = init === 'default' ? DEFAULT_ACOUSTIC : existsSync(join(init, 'model.json')) ? init : null;
      const wer = async (m: string) => {
        const engine = await createEngine(
          { acoustic: m },
          { userLexicon: lexiconFile !== undefined ? readFileSync(lexiconFile, 'utf8') : undefined },
        );
        try {
          return (await evaluateSet(engine, join(corpus, 'dev-eval.tsv'), { limit: EVAL_CLIPS })).wer;
        } finally {
          engine.dispose();
        }
      };
      const after = await wer(model);
      const before = start ? await wer(start) : null;
      return { clips: Math.min(EVAL_CLIPS, summary.dev), before, after };
    });
  }

  const report = {
    source,
    layout,
    out,
    minutes,
    init,
    config: relative(REPO, config),
    times,
    clips: {
      read: summary.clipsRead,
      kept: summary.clipsKept,
      leftOutOov: summary.clipsLeftOutOov,
      failed: summary.clipsFailed,
      train: summary.train,
      dev: summary.dev,
    },
    audioMinutes: +(summary.hours * 60).toFixed(2),
    oovWords: summary.oovWords,
    steps: done ? Number(done[1]) - from : null,
    stepTotal: done ? Number(done[1]) : null,
    devPer: done ? Number(done[3]) : null,
    heldOutWer: comparison,
  };
  writeFileSync(join(out, 'train-own.json'), JSON.stringify(report, null, 2) + '\n');
  const t = Object.entries(times)
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ');
  process.stdout.write(
    `\n[train:own] ${summary.clipsKept} clips (${report.audioMinutes} min of audio; ${summary.clipsLeftOutOov} left out for out-of-lexicon words, see ${relative(process.cwd(), join(corpus, 'oov.tsv'))}), ` +
      `${report.steps ?? '?'} steps (${from} → ${report.stepTotal ?? '?'}), dev PER ${report.devPer ?? '?'}${summary.dev >= summary.clipsKept ? ' (dev = train: too few clips to hold out)' : ''}\n`,
  );
  if (comparison)
    process.stdout.write(
      `[train:own] WER with the LM on ${comparison.clips} held-out clips: ${comparison.before === null ? '?' : (100 * comparison.before).toFixed(1)} % before, ${(100 * comparison.after).toFixed(1)} % after\n`,
    );
  process.stdout.write(
    `[train:own] times: ${t}\n[train:own] the model: ${model}\n` +
      `  npx earshot transcribe --model ${relative(process.cwd(), model) || model} FILE.wav      (or in the app: Models → "Load model folder…")\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`train:own: ${(e as Error).message}\n`);
      process.exit(e instanceof UsageError ? 2 : ((e as { code?: number }).code ?? 1));
    },
  );
}

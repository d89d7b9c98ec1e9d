/**
 * earshot — command-line speech to text with the same engine as the desktop app.
 *
 *   earshot transcribe [--model PATH] [--lm PATH | --no-lm] [--format txt|tsv|srt|vtt|json] [-o PATH]
 *                      [--stream] [--quiet] [--lexicon FILE] [--hotword WORD]... [--backend NAME] FILE... (- = stdin)
 *   earshot eval [--model PATH] [--lm PATH | --no-lm] [--json] SET.tsv...     (rows: WAV<TAB>TEXT)
 *   earshot lm sample [--lm PATH] [--prompt TEXT] [--temperature T] [--count N]
 *
 * Exit codes: 0 ok; 1 some input failed or was not fully used (a file that cannot be decoded, a
 * truncated WAV, a --lexicon line that adds nothing: each named on stderr; everything else was
 * still processed); 2 usage or model error (nothing was transcribed).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_BACKENDS,
  availableBackends,
  checkUserLexicon,
  defaultParams,
  evaluateSet,
  isGpuJsBackend,
  lastValue,
  parseArgs,
  UsageError,
  type BackendName,
  type Engine,
  type LoadedPackage,
  type ParsedArgs,
} from '../../renderer/engine/node';
import { FORMATS, transcribeCommand, type OutputFormat } from './commands/transcribe';
import { loadEngine, type ModelOptions } from './load-models';
import { ProgressBar } from './progress-bar';

const USAGE = `Usage:
  earshot transcribe [options] FILE...     transcribe audio files (WAV, FLAC, MP3, OGG; - reads standard input)
  earshot eval [options] SET.tsv...        word/character error rates and real-time factor (rows: WAV<TAB>TEXT)
  earshot lm sample [--lm PATH] [--prompt TEXT] [--temperature T] [--count N] [--seed S]
                                           sample sentences from the language model (one-to-many)
  earshot lm perplexity [--lm PATH] FILE   perplexity of one sentence per line
  earshot backends                         list the compute backends available here

Options:
  --model PATH        acoustic model package (folder or .zip); default: the bundled English model
  --lm PATH           language model package; default: the bundled LM
  --no-lm             decode without the language model
  --alpha A, --beta B LM weight and word bonus, either or both (default: the LM package's tuned values)
  --format FMT        txt (default), tsv (FILE<TAB>TEXT per file), srt, vtt, json (several files: one document)
  -o, --output PATH   write to a file instead of standard output, or to a folder (one that exists,
                      or PATH ending in /): one NAME.FMT per input
  --stream            print the text as it changes while decoding, as the app shows it
  --raw               the recogniser's own words: lower case, no punctuation, /PH PH/ for unknown sounds
  --quiet             no progress bar
  --lexicon FILE      extra pronunciations, one 'word PH PH ...' per line (ARPAbet)
  --hotword WORD      boost a word or phrase (repeatable; 'phrase:bonus' sets the bonus)
  --backend NAME      auto (default), ${ALL_BACKENDS.join(', ')} (\`earshot backends\` lists those available here)
  --decoder NAME      beam (default) or greedy
  --beam-width N      hypotheses the beam search keeps per step (default ${defaultParams().beam.beamWidth}): wider is slower and a little more accurate
  --json              (eval) print the full result as JSON
  --version           print the version

Exit codes: 0 ok; 1 an input failed or was not fully used (named on stderr: a file that cannot be
decoded, a truncated WAV, a --lexicon line that adds nothing), the rest was still done; 2 usage or model error.
`;

/** The package version (package.json two folders up, from main/cli and from the bundle in out/cli alike). */
function version(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

const VALUES = [
  'model',
  'lm',
  'format',
  'lexicon',
  'hotword',
  'backend',
  'decoder',
  'prompt',
  'temperature',
  'count',
  'seed',
  'alpha',
  'beta',
  'beam-width',
  'output',
];
const SHORT = { o: 'output', h: 'help' };
const FLAGS = ['no-lm', 'stream', 'quiet', 'json', 'help', 'version', 'raw'];

/** --backend: 'auto' or one of ALL_BACKENDS; a gpu.js backend must also be available here. */
async function backendOption(args: ParsedArgs): Promise<ModelOptions['backend']> {
  const name = lastValue(args, 'backend');
  if (name === undefined || name === 'auto') return 'auto';
  if (!(ALL_BACKENDS as readonly string[]).includes(name))
    throw new UsageError(`--backend must be auto or one of ${ALL_BACKENDS.join(', ')}, not "${name}"`);
  const backend = name as BackendName;
  if (isGpuJsBackend(backend)) {
    const here = await availableBackends();
    if (!here.includes(backend))
      throw new UsageError(`--backend ${backend} is not available here; these are: auto, ${here.join(', ')}`);
  }
  return backend;
}

async function modelOptions(args: ParsedArgs): Promise<ModelOptions> {
  if (args.flags.has('no-lm') && args.options.has('lm'))
    throw new UsageError('--lm and --no-lm cannot be used together');
  const backend = await backendOption(args);
  const decoder = lastValue(args, 'decoder');
  if (decoder && decoder !== 'beam' && decoder !== 'greedy')
    throw new UsageError(`--decoder must be beam or greedy, not ${decoder}`);
  const beamWidth = lastValue(args, 'beam-width');
  // either weight may be given alone: the other stays the LM package's tuned value
  const weight = (key: 'alpha' | 'beta'): number | undefined => {
    const v = lastValue(args, key);
    if (v === undefined) return undefined;
    if (v.trim() === '' || !Number.isFinite(Number(v))) throw new UsageError(`--${key} takes a number, not "${v}"`);
    return Number(v);
  };
  const alpha = weight('alpha'),
    beta = weight('beta');
  return {
    lmWeights: alpha !== undefined || beta !== undefined ? { alpha, beta } : undefined,
    model: lastValue(args, 'model'),
    lm: args.flags.has('no-lm') ? null : lastValue(args, 'lm'),
    backend,
    hotwords: args.options.get('hotword') ?? [],
    lexiconFile: lastValue(args, 'lexicon'),
    decoder: decoder as 'beam' | 'greedy' | undefined,
    params: beamWidth ? { beam: { beamWidth: Number(beamWidth) } } : undefined,
    raw: args.flags.has('raw'),
  };
}

export async function main(argv: string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, { values: VALUES, flags: FLAGS, short: SHORT });
  } catch (e) {
    process.stderr.write(`earshot: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = args.positionals;
  if (args.flags.has('version')) {
    process.stdout.write(`earshot ${version()}\n`);
    return 0;
  }
  if (args.flags.has('help') || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || args.flags.has('help') ? 0 : 2;
  }
  try {
    switch (command) {
      case 'transcribe': {
        if (rest.length === 0) throw new UsageError('transcribe needs at least one FILE');
        const format = (lastValue(args, 'format') ?? 'txt') as OutputFormat;
        if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
        const options = await modelOptions(args);
        const { engine, lexiconProblems } = await loadChecked(options, { hotwords: true });
        try {
          const code = await transcribeCommand(engine, rest, {
            format,
            stream: args.flags.has('stream'),
            quiet: args.flags.has('quiet'),
            output: lastValue(args, 'output'),
          });
          return Math.max(code, lexiconProblems > 0 ? 1 : 0);
        } finally {
          engine.dispose();
        }
      }
      case 'eval': {
        if (rest.length === 0) throw new UsageError('eval needs at least one SET.tsv');
        const options = { ...(await modelOptions(args)), raw: true }; // WER is measured on the recogniser's own words
        const { engine, loadMs, loading, lexiconProblems } = await loadChecked(options, { hotwords: false });
        const results = [];
        try {
          for (const set of rest) {
            const bar = new ProgressBar(`eval ${set}`, !args.flags.has('quiet') && Boolean(process.stderr.isTTY));
            const r = await evaluateSet(engine, set, {
              onProgress: (done, total) => bar.update(done / total, `${done}/${total} files`),
            });
            bar.done();
            results.push(r);
            if (!args.flags.has('json')) {
              process.stdout.write(
                `${set}: ${r.files} files, ${r.counts.words} words  WER ${(100 * r.wer).toFixed(2)}%  CER ${(100 * r.cer).toFixed(2)}%  ` +
                  `RTF ${r.rtf.toFixed(4)} (${r.audioSeconds.toFixed(1)} s audio)${r.failed ? `  ${r.failed} failed` : ''}\n`,
              );
            }
          }
        } finally {
          engine.dispose();
        }
        if (args.flags.has('json'))
          process.stdout.write(
            JSON.stringify({ model: { ...recognizerInfo(engine), loading }, loadMs, results }, null, 2) + '\n',
          );
        return results.some((r) => r.failed) || lexiconProblems > 0 ? 1 : 0;
      }
      case 'lm': {
        const { lmCommand } = await import('./commands/lm');
        return await lmCommand(rest, args);
      }
      case 'backends': {
        const list: BackendName[] = await availableBackends();
        process.stdout.write(list.join('\n') + '\n');
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`earshot: ${e.message}\n\n${USAGE}`);
    } else {
      process.stderr.write(`earshot: ${(e as Error).message ?? String(e)}\n`);
    }
    return 2;
  }
}

/**
 * loadEngine, then the warnings about what the user gave (hotwords missing from the lexicon, --lexicon lines
 * that add nothing). The loaded packages are let go here: held by the command's async frame while the files
 * were transcribed, the acoustic package's F32 tensors (copied into the RNN) stayed alive: 4.4 MB of
 * ArrayBuffers in a heap snapshot mid-run (default run, 12 files).
 */
async function loadChecked(
  options: ModelOptions,
  warn: { hotwords: boolean },
): Promise<
  { engine: Engine; lexiconProblems: number } & Pick<Awaited<ReturnType<typeof loadEngine>>, 'loadMs' | 'loading'>
> {
  const { engine, acoustic, userLexicon, loadMs, loading } = await loadEngine(options);
  if (warn.hotwords)
    for (const w of engine.info.unknownHotwords)
      process.stderr.write(`earshot: hotword "${w}" is not in the lexicon; add it with --lexicon\n`);
  const lexiconProblems = reportLexicon(options.lexiconFile, userLexicon, acoustic, engine);
  return { engine, lexiconProblems, loadMs, loading };
}

/**
 * Names each --lexicon line that adds nothing on stderr as FILE:LINE: reason (a word without a
 * pronunciation, lower-case or unknown phonemes, an unreadable token). Returns how many.
 */
function reportLexicon(
  file: string | undefined,
  text: string | undefined,
  acoustic: LoadedPackage,
  engine: Engine,
): number {
  if (file === undefined || text === undefined) return 0;
  const output = acoustic.json.output;
  if (output.type !== 'ctc' || output.units !== 'phonemes') {
    process.stderr.write(
      `earshot: ${file}: not used: ${acoustic.json.name} spells words by characters and has no pronunciation lexicon\n`,
    );
    return 1;
  }
  const unknown = new Set(engine.info.unknownWords);
  const problems = checkUserLexicon(text, { alphabet: output.alphabet, isKnown: (word) => !unknown.has(word) });
  for (const p of problems) process.stderr.write(`earshot: ${file}:${p.line}: ${p.reason}\n`);
  return problems.length;
}

/** What `eval --json` has always reported of the model (the engine's info less its LM and readable-text fields). */
function recognizerInfo(engine: Engine): Record<string, unknown> {
  const {
    lmBackend: _lmBackend,
    lmWeights: _lmWeights,
    punctuationName: _punct,
    spellingName: _spell,
    ...info
  } = engine.info;
  return info;
}

/**
 * earshot — command-line speech to text with the same engine as the desktop app.
 *
 *   earshot transcribe [--model PATH] [--lm PATH | --no-lm] [--format txt|tsv|srt|vtt|json]
 *                      [--stream] [--quiet] [--lexicon FILE] [--hotword WORD]... [--backend NAME] FILE...
 *   earshot eval [--model PATH] [--lm PATH | --no-lm] [--json] SET.tsv...     (rows: WAV<TAB>TEXT)
 *   earshot lm sample [--lm PATH] [--prompt TEXT] [--temperature T] [--count N]
 *
 * Exit codes: 0 ok; 1 some input failed (the others were still processed); 2 usage or model error.
 */
import { availableBackends, type BackendName } from '../../models/rnn/backend';
import { lastValue, parseArgs, UsageError, type ParsedArgs } from './args';
import { evaluateSet } from './commands/evaluate';
import { FORMATS, transcribeCommand, type OutputFormat } from './commands/transcribe';
import { loadRecognizer, type ModelOptions } from './load-models';

const USAGE = `Usage:
  earshot transcribe [options] FILE...     transcribe audio files (WAV, FLAC, MP3, OGG)
  earshot eval [options] SET.tsv...        word/character error rates and real-time factor (rows: WAV<TAB>TEXT)
  earshot lm sample [--lm PATH] [--prompt TEXT] [--temperature T] [--count N] [--seed S]
                                           sample sentences from the language model (one-to-many)
  earshot lm perplexity [--lm PATH] FILE   perplexity of one sentence per line
  earshot backends                         list the compute backends available here

Options:
  --model PATH        acoustic model package (folder or .zip); default: the bundled English model
  --lm PATH           language model package; default: the bundled LM
  --no-lm             decode without the language model
  --alpha A --beta B  LM weight and word bonus (default: the LM package's tuned values)
  --format FMT        txt (default), tsv (FILE<TAB>TEXT per file), srt, vtt, json
  --stream            print the text as it changes while decoding, as the app shows it
  --quiet             no progress bar
  --lexicon FILE      extra pronunciations, one 'word PH PH ...' per line (ARPAbet)
  --hotword WORD      boost a word or phrase (repeatable; 'phrase:bonus' sets the bonus)
  --backend NAME      auto (default), reference, js, wasm-simd, cpu, webasm
  --decoder NAME      beam (default) or greedy
  --json              (eval) print the full result as JSON
`;

const VALUES = ['model', 'lm', 'format', 'lexicon', 'hotword', 'backend', 'decoder', 'prompt', 'temperature', 'count', 'seed', 'alpha', 'beta', 'beam-width'];
const FLAGS = ['no-lm', 'stream', 'quiet', 'json', 'help', 'version'];

function modelOptions(args: ParsedArgs): ModelOptions {
  if (args.flags.has('no-lm') && args.options.has('lm')) throw new UsageError('--lm and --no-lm cannot be used together');
  const backend = lastValue(args, 'backend') as ModelOptions['backend'];
  const decoder = lastValue(args, 'decoder');
  if (decoder && decoder !== 'beam' && decoder !== 'greedy') throw new UsageError(`--decoder must be beam or greedy, not ${decoder}`);
  const beamWidth = lastValue(args, 'beam-width');
  const alpha = lastValue(args, 'alpha'), beta = lastValue(args, 'beta');
  if ((alpha === undefined) !== (beta === undefined)) throw new UsageError('--alpha and --beta go together');
  if (alpha !== undefined && !(Number.isFinite(Number(alpha)) && Number.isFinite(Number(beta)))) throw new UsageError('--alpha and --beta take numbers');
  return {
    lmWeights: alpha !== undefined ? { alpha: Number(alpha), beta: Number(beta) } : undefined,
    model: lastValue(args, 'model'),
    lm: args.flags.has('no-lm') ? null : lastValue(args, 'lm'),
    backend: backend ?? 'auto',
    hotwords: args.options.get('hotword') ?? [],
    lexiconFile: lastValue(args, 'lexicon'),
    decoder: decoder as 'beam' | 'greedy' | undefined,
    config: beamWidth ? { beam: { beamWidth: Number(beamWidth) } } : undefined,
  };
}

export async function main(argv: string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, { values: VALUES, flags: FLAGS });
  } catch (e) {
    process.stderr.write(`earshot: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = args.positionals;
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
        const { recognizer } = await loadRecognizer(modelOptions(args));
        for (const w of recognizer.info.unknownHotwords) process.stderr.write(`earshot: hotword "${w}" is not in the lexicon; add it with --lexicon\n`);
        try {
          return await transcribeCommand(recognizer, rest, { format, stream: args.flags.has('stream'), quiet: args.flags.has('quiet') });
        } finally {
          recognizer.dispose();
        }
      }
      case 'eval': {
        if (rest.length === 0) throw new UsageError('eval needs at least one SET.tsv');
        const { recognizer, loadMs, loading } = await loadRecognizer(modelOptions(args));
        const results = [];
        try {
          for (const set of rest) {
            const r = await evaluateSet(recognizer, set, { quiet: args.flags.has('quiet') });
            results.push(r);
            if (!args.flags.has('json')) {
              process.stdout.write(
                `${set}: ${r.files} files, ${r.counts.words} words  WER ${(100 * r.wer).toFixed(2)}%  CER ${(100 * r.cer).toFixed(2)}%  ` +
                  `RTF ${r.rtf.toFixed(4)} (${r.audioSeconds.toFixed(1)} s audio)${r.failed ? `  ${r.failed} failed` : ''}\n`,
              );
            }
          }
        } finally {
          recognizer.dispose();
        }
        if (args.flags.has('json')) process.stdout.write(JSON.stringify({ model: { ...recognizer.info, loading }, loadMs, results }, null, 2) + '\n');
        return results.some((r) => r.failed) ? 1 : 0;
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

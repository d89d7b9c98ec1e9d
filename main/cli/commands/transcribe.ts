import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, sep } from 'node:path';
import {
  AudioFileError,
  renderTranscript,
  settledSegments,
  STDIN,
  toTranscriptJson,
  TRANSCRIPT_FORMAT_NAMES,
  transcribeFile as transcribeWith,
  transcriptFormat,
  UsageError,
  type Engine,
  type Segment,
  type TranscribedFile,
  type TranscriptFormatName,
} from '../../../renderer/engine/node';
import { ProgressBar } from '../progress-bar';

/** The formats of renderer/engine/export/formats.ts, the registry the app's Export uses too. */
export type OutputFormat = TranscriptFormatName;
export const FORMATS: readonly OutputFormat[] = TRANSCRIPT_FORMAT_NAMES;

export interface TranscribeFileOptions {
  /**
   * --stream: called whenever the shown text changes, with the final segments + the partial's
   * settled words (`text`) and the partial's tentative word, the one still being spoken ('' when none).
   */
  stream?: (text: string, tentative: string) => void;
  progress?: ProgressBar;
}

/**
 * Transcribes one file through the engine's streaming pipeline, reading it block by block
 * (engine.params.blockSeconds, 100 ms: a WAV file never sits whole in memory); returns the final segments.
 */
export async function transcribeFile(
  engine: Engine,
  path: string,
  opts: TranscribeFileOptions = {},
): Promise<TranscribedFile> {
  let shown = '\n'; // nothing shown yet: an empty text is not worth a line
  const show = (finals: readonly Segment[], partial: Segment | null) => {
    if (!opts.stream) return;
    const settled = partial ? (settledSegments([partial])[0]?.text ?? '') : '';
    const tentative = partial
      ? partial.words
          .filter((w) => w.tentative)
          .map((w) => w.word)
          .join(' ')
      : '';
    const text = [...finals.map((s) => s.text), settled].filter(Boolean).join(' ');
    if (`${text}\n${tentative}` !== shown) opts.stream(text, tentative);
    shown = `${text}\n${tentative}`;
  };
  const progress = opts.progress;
  const result = await transcribeWith(engine, path, {
    onUpdate: show,
    onProgress: progress
      ? (done, frames, rate) =>
          progress.update(
            Math.min(1, done / Math.max(1, frames)),
            `${(done / rate).toFixed(0)} s / ${(frames / rate).toFixed(0)} s`,
          )
      : undefined,
  });
  progress?.done();
  return result;
}

export function formatTranscript(format: OutputFormat, file: string, segments: Segment[]): string {
  return renderTranscript(format, segments, { source: file });
}

export interface TranscribeCommandOptions {
  format: OutputFormat;
  stream: boolean;
  quiet: boolean;
  /**
   * -o/--output: a file that gets what standard output would, or a folder (one that exists, or a
   * path ending in '/') that gets one NAME.FORMAT per input. Undefined: standard output.
   */
  output?: string;
}

/** The multi-file JSON document: one entry per input, in order, a transcript or the reason it failed. */
export const TRANSCRIPTS_JSON_FORMAT = 'earshot-transcripts';

type Destination = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'folder'; path: string };

function destinationOf(output: string | undefined): Destination {
  if (output === undefined || output === '-') return { kind: 'stdout' };
  let isDir: boolean;
  try {
    isDir = statSync(output).isDirectory();
  } catch {
    isDir = output.endsWith('/') || output.endsWith(sep);
  }
  return isDir ? { kind: 'folder', path: output } : { kind: 'file', path: output };
}

/** The output file name for an input in a folder: its name with the format's extension ('-' → stdin). */
export function outputName(input: string, format: OutputFormat): string {
  const base = input === STDIN ? 'stdin' : basename(input, extname(input));
  return `${base}.${transcriptFormat(format).extension}`;
}

/**
 * Transcribes each file in turn; a file that fails is reported on stderr and the others go on.
 * Returns the exit code: 1 when any input failed or was incomplete (a truncated WAV), else 0.
 */
export async function transcribeCommand(
  engine: Engine,
  files: string[],
  opts: TranscribeCommandOptions,
): Promise<number> {
  if (files.filter((f) => f === STDIN).length > 1) throw new UsageError("standard input ('-') can be read once");
  const dest = destinationOf(opts.output);
  const several = files.length > 1;
  if (dest.kind === 'file' && several && (opts.format === 'srt' || opts.format === 'vtt')) {
    throw new UsageError(
      `several ${opts.format.toUpperCase()} files do not go into one file: give -o a folder (ending in '/') for one file per input`,
    );
  }
  if (dest.kind === 'folder') {
    const names = files.map((f) => outputName(f, opts.format));
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined)
      throw new UsageError(
        `two inputs would both be written to ${join(dest.path, twice)}; transcribe them into different folders`,
      );
    try {
      mkdirSync(dest.path, { recursive: true });
    } catch (e) {
      throw new Error(`cannot create the output folder ${dest.path}: ${(e as Error).message}`, { cause: e });
    }
  }
  // one JSON document covering every input when there are several (on stdout or in one file)
  const jsonDocument = opts.format === 'json' && several && dest.kind !== 'folder';
  const documents: Array<Record<string, unknown>> = [];
  let collected = ''; // what goes to -o FILE
  const emit = (text: string) => {
    if (dest.kind === 'stdout') process.stdout.write(text);
    else collected += text;
  };
  let failed = 0;
  const out = process.stdout;
  for (const file of files) {
    const name = file === STDIN ? 'standard input' : file;
    const progress = new ProgressBar(basename(name), !opts.quiet && !opts.stream && Boolean(process.stderr.isTTY));
    try {
      let lastLine: string | null = null;
      // on a terminal the line is rewritten in place, the word still being spoken dimmed; piped,
      // a line is printed only when it reads differently from the one before
      const streamLine = opts.stream
        ? (text: string, tentative: string) => {
            if (out.isTTY) {
              out.write(`\r${text}${tentative ? `${text ? ' ' : ''}\x1b[2m${tentative}\x1b[22m` : ''}\x1b[K`);
              return;
            }
            const line = [text, tentative].filter(Boolean).join(' ');
            if (line === lastLine) return;
            lastLine = line;
            out.write(`${line}\n`);
          }
        : undefined;
      const { segments, truncated } = await transcribeFile(engine, file, { stream: streamLine, progress });
      if (opts.stream && out.isTTY) out.write('\n');
      if (truncated) {
        failed++;
        process.stderr.write(
          `earshot: ${name}: warning: truncated WAV file: its header promises ${truncated.declaredFrames} samples but the file holds ${truncated.frames}; transcribed what is there\n`,
        );
      }
      if (jsonDocument) {
        documents.push({ file, ...toTranscriptJson(segments) });
        continue;
      }
      const text = formatTranscript(opts.format, file, segments);
      const body = text.endsWith('\n') || text === '' ? text : text + '\n';
      if (dest.kind === 'folder') {
        writeFileSync(join(dest.path, outputName(file, opts.format)), body);
        continue;
      }
      // --stream already printed a txt transcript on stdout
      if (opts.stream && opts.format === 'txt' && dest.kind === 'stdout') continue;
      if (several && opts.format !== 'tsv') emit(`==> ${name} <==\n`);
      emit(body);
    } catch (e) {
      progress.done();
      failed++;
      const why = e instanceof AudioFileError ? e.message : ((e as Error).message ?? String(e));
      process.stderr.write(`earshot: ${name}: ${why}\n`);
      if (jsonDocument) documents.push({ file, error: why });
    }
  }
  if (jsonDocument)
    emit(JSON.stringify({ format: TRANSCRIPTS_JSON_FORMAT, version: 1, files: documents }, null, 2) + '\n');
  if (dest.kind === 'file') writeFileSync(dest.path, collected);
  return failed > 0 ? 1 : 0;
}

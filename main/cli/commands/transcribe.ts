import { basename } from 'node:path';
import { toJson } from '../../../renderer/engine/export/json';
import { toSrt } from '../../../renderer/engine/export/srt';
import { toTsvLine } from '../../../renderer/engine/export/tsv';
import { toTxt } from '../../../renderer/engine/export/txt';
import { toVtt } from '../../../renderer/engine/export/vtt';
import type { Recognizer } from '../../../renderer/engine/pipeline/recognizer';
import { settledSegments, type Segment } from '../../../renderer/engine/transcript/segment';
import { AudioFileError, openAudioFile } from '../audio-file';
import { ProgressBar } from '../progress-bar';

export type OutputFormat = 'txt' | 'tsv' | 'srt' | 'vtt' | 'json';
export const FORMATS: readonly OutputFormat[] = ['txt', 'tsv', 'srt', 'vtt', 'json'];

/** Streaming block: 100 ms, the size a microphone delivers, so the CLI decodes as the app does. */
const BLOCK_SECONDS = 0.1;

export interface TranscribeFileOptions {
  /**
   * --stream: called whenever the shown text changes, with the final segments + the partial's
   * settled words (`text`) and the partial's tentative word, the one still being spoken ('' when none).
   */
  stream?: (text: string, tentative: string) => void;
  progress?: ProgressBar;
}

/**
 * Transcribes one file by streaming it through a fresh stream, reading it block by block (a WAV
 * file never sits whole in memory); returns the final segments.
 */
export async function transcribeFile(recognizer: Recognizer, path: string, opts: TranscribeFileOptions = {}): Promise<{ segments: Segment[]; seconds: number; decodeMs: number }> {
  const audio = await openAudioFile(path);
  const t0 = performance.now();
  const stream = recognizer.createStream();
  const block = Math.max(1, Math.round(audio.sampleRate * BLOCK_SECONDS));
  const segments: Segment[] = [];
  let shown = '';
  const show = (partial: Segment | null) => {
    if (!opts.stream) return;
    const settled = partial ? settledSegments([partial])[0]?.text ?? '' : '';
    const tentative = partial ? partial.words.filter((w) => w.tentative).map((w) => w.word).join(' ') : '';
    const text = [...segments.map((s) => s.text), settled].filter(Boolean).join(' ');
    if (`${text}\n${tentative}` !== shown) opts.stream(text, tentative);
    shown = `${text}\n${tentative}`;
  };
  let done = 0;
  for await (const samples of audio.blocks(block)) {
    stream.acceptWaveform(audio.sampleRate, samples);
    const u = await stream.decode();
    segments.push(...u.finals);
    show(u.partial);
    done += samples.length;
    opts.progress?.update(Math.min(1, done / Math.max(1, audio.frames)), `${(done / audio.sampleRate).toFixed(0)} s`);
  }
  const last = await stream.finish();
  segments.push(...last.finals);
  show(null);
  opts.progress?.done();
  return { segments, seconds: done / audio.sampleRate, decodeMs: performance.now() - t0 };
}

export function formatTranscript(format: OutputFormat, file: string, segments: Segment[]): string {
  switch (format) {
    case 'txt': return toTxt(segments);
    case 'tsv': return toTsvLine(file, settledSegments(segments).map((s) => s.text).join(' ')) + '\n';
    case 'srt': return toSrt(segments);
    case 'vtt': return toVtt(segments);
    case 'json': return toJson(segments);
  }
}

export interface TranscribeCommandOptions {
  format: OutputFormat;
  stream: boolean;
  quiet: boolean;
}

/** Transcribes each file in turn; a file that fails is reported on stderr and the others go on. Returns the exit code. */
export async function transcribeCommand(recognizer: Recognizer, files: string[], opts: TranscribeCommandOptions): Promise<number> {
  let failed = 0;
  const out = process.stdout;
  for (const file of files) {
    const progress = new ProgressBar(basename(file), !opts.quiet && !opts.stream && Boolean(process.stderr.isTTY));
    try {
      // on a terminal the line is rewritten in place, the word still being spoken dimmed
      const streamLine = opts.stream
        ? (text: string, tentative: string) => {
          if (out.isTTY) out.write(`\r${text}${tentative ? `${text ? ' ' : ''}\x1b[2m${tentative}\x1b[22m` : ''}\x1b[K`);
          else out.write(`${[text, tentative].filter(Boolean).join(' ')}\n`);
        }
        : undefined;
      const { segments } = await transcribeFile(recognizer, file, { stream: streamLine, progress });
      if (opts.stream && out.isTTY) out.write('\n');
      const text = formatTranscript(opts.format, file, segments);
      if (files.length > 1 && opts.format !== 'tsv' && !opts.stream) out.write(`==> ${file} <==\n`);
      if (!opts.stream || opts.format !== 'txt') out.write(text.endsWith('\n') || text === '' ? text : text + '\n');
    } catch (e) {
      progress.done();
      failed++;
      const why = e instanceof AudioFileError ? e.message : (e as Error).message ?? String(e);
      process.stderr.write(`earshot: ${file}: ${why}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

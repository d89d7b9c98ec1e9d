/**
 * The transcript formats, in one place: the CLI's `--format` (and its output file names) and the
 * app's Export menu both look a format up here, by name, and render with it.
 *
 * tsv is the CLI's one-line-per-file result (`FILE<TAB>TEXT`, for scripts); the app does not offer
 * it (`app: false`). The media types are the registered ones (text/vtt, text/tab-separated-values,
 * application/json, text/plain) and SubRip's common unregistered one (application/x-subrip).
 */
import { settledSegments, type Segment } from '../transcript/segment';
import { toJson } from './json';
import { toSrt } from './srt';
import { toTsvLine } from './tsv';
import { toTxt } from './txt';
import { toVtt } from './vtt';

export interface RenderContext {
  /** What the transcript is of: the input file in the CLI, the session's title in the app (tsv's first field). */
  source: string;
}

export interface TranscriptFormat {
  /** The format's name: `--format NAME`, the app's `data-format` and menu command `export-NAME`. */
  readonly name: string;
  /** File name extension, without the dot. */
  readonly extension: string;
  /** Media type (the browser download's type). */
  readonly mime: string;
  /** What menus and the save dialog call it. */
  readonly label: string;
  /** The save dialog's filter name. */
  readonly filterName: string;
  /** Whether the app's Export offers it. */
  readonly app: boolean;
  /** The file's text (tentative words are never in it). */
  render(segments: readonly Segment[], context: RenderContext): string;
}

const REGISTRY = {
  txt: {
    name: 'txt',
    extension: 'txt',
    mime: 'text/plain',
    label: 'Plain text (.txt)',
    filterName: 'Text',
    app: true,
    render: (segments) => toTxt(segments),
  },
  tsv: {
    name: 'tsv',
    extension: 'tsv',
    mime: 'text/tab-separated-values',
    label: 'One line per file (.tsv)',
    filterName: 'Tab-separated values',
    app: false,
    render: (segments, { source }) =>
      toTsvLine(
        source,
        settledSegments(segments)
          .map((s) => s.text)
          .join(' '),
      ) + '\n',
  },
  srt: {
    name: 'srt',
    extension: 'srt',
    mime: 'application/x-subrip',
    label: 'SubRip subtitles (.srt)',
    filterName: 'SubRip subtitles',
    app: true,
    render: (segments) => toSrt(segments),
  },
  vtt: {
    name: 'vtt',
    extension: 'vtt',
    mime: 'text/vtt',
    label: 'WebVTT subtitles (.vtt)',
    filterName: 'WebVTT subtitles',
    app: true,
    render: (segments) => toVtt(segments),
  },
  json: {
    name: 'json',
    extension: 'json',
    mime: 'application/json',
    label: 'JSON with word timings (.json)',
    filterName: 'JSON',
    app: true,
    render: (segments) => toJson(segments),
  },
} as const satisfies Record<string, TranscriptFormat>;

type Registry = typeof REGISTRY;

/** Every format's name, in the order the CLI lists them. */
export type TranscriptFormatName = keyof Registry;
/** The formats the app's Export offers. */
export type AppExportFormatName = {
  [K in TranscriptFormatName]: Registry[K]['app'] extends true ? K : never;
}[TranscriptFormatName];

export const TRANSCRIPT_FORMAT_NAMES: readonly TranscriptFormatName[] = Object.keys(REGISTRY) as TranscriptFormatName[];
export const APP_EXPORT_FORMAT_NAMES: readonly AppExportFormatName[] = TRANSCRIPT_FORMAT_NAMES.filter(
  (name): name is AppExportFormatName => REGISTRY[name].app,
);

export function isTranscriptFormatName(value: unknown): value is TranscriptFormatName {
  return typeof value === 'string' && Object.hasOwn(REGISTRY, value);
}

export function isAppExportFormatName(value: unknown): value is AppExportFormatName {
  return isTranscriptFormatName(value) && REGISTRY[value].app;
}

export function transcriptFormat(name: TranscriptFormatName): TranscriptFormat {
  return REGISTRY[name];
}

/** The transcript in format `name`. */
export function renderTranscript(
  name: TranscriptFormatName,
  segments: readonly Segment[],
  context: RenderContext,
): string {
  return REGISTRY[name].render(segments, context);
}

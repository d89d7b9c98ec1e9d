/**
 * Export: the transcript in one of four formats, handed to the host's save (main's save dialog
 * plus an atomic write, or a browser download). The outcome becomes a notice; a failure never
 * touches the transcript. Pure apart from the injected `save`, so Node tests cover it.
 */
import { toJson } from '../../engine/export/json';
import { toSrt } from '../../engine/export/srt';
import { toTxt } from '../../engine/export/txt';
import { toVtt } from '../../engine/export/vtt';
import type { SaveFileRequest, SaveFileResult } from '../../host/host';
import type { Segment } from '../../worker/protocol';

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_LABELS: Record<ExportFormat, string> = {
  txt: 'Plain text (.txt)',
  srt: 'SubRip subtitles (.srt)',
  vtt: 'WebVTT subtitles (.vtt)',
  json: 'JSON with word timings (.json)',
};

const FILTER_NAMES: Record<ExportFormat, string> = { txt: 'Text', srt: 'SubRip subtitles', vtt: 'WebVTT subtitles', json: 'JSON' };

/** "Talk: 2024/05/01" → "Talk- 2024-05-01": safe on every file system, never empty. */
export function fileBaseName(title: string): string {
  const base = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').slice(0, 120);
  return base === '' ? 'transcript' : base;
}

export function exportRequest(segments: readonly Segment[], format: ExportFormat, title: string): SaveFileRequest {
  const data = format === 'txt' ? toTxt(segments) : format === 'srt' ? toSrt(segments) : format === 'vtt' ? toVtt(segments) : toJson(segments);
  return { suggestedName: `${fileBaseName(title)}.${format}`, data, filters: [{ name: FILTER_NAMES[format], extensions: [format] }] };
}

export type ExportOutcome = { tone: 'info' | 'error'; title: string; detail: string } | null;

export async function runExport(
  save: (request: SaveFileRequest) => Promise<SaveFileResult>,
  segments: readonly Segment[],
  format: ExportFormat,
  title: string,
): Promise<ExportOutcome> {
  if (segments.length === 0) return { tone: 'info', title: 'Nothing to export yet', detail: 'Record or import some audio first.' };
  let result: SaveFileResult;
  try {
    result = await save(exportRequest(segments, format, title));
  } catch (error) {
    result = { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (result.status === 'cancelled') return null;
  if (result.status === 'saved') return { tone: 'info', title: 'Exported', detail: `Saved ${result.fileName}.` };
  return { tone: 'error', title: 'Export failed', detail: `${result.message} The transcript is unchanged; try another location.` };
}

/**
 * Export: the transcript in one of the app's formats (renderer/engine/export/formats.ts, the
 * registry the CLI uses too), handed to the host's save (main's save dialog plus an atomic write,
 * or a browser download). The outcome becomes a notice; a failure never touches the transcript.
 * Pure apart from the injected `save`, so Node tests cover it.
 */
import {
  APP_EXPORT_FORMAT_NAMES,
  isAppExportFormatName,
  transcriptFormat,
  type AppExportFormatName,
} from '../../engine/export/formats';
import type { SaveFileRequest, SaveFileResult } from '../../host/host';
import type { Segment } from '../../worker/protocol';

export const EXPORT_FORMATS = APP_EXPORT_FORMAT_NAMES;
export type ExportFormat = AppExportFormatName;
export const isExportFormat = isAppExportFormatName;

/** "Talk: 2024/05/01" → "Talk- 2024-05-01": safe on every file system, never empty. */
export function fileBaseName(title: string): string {
  const base = title
    // eslint-disable-next-line no-control-regex -- control characters are not allowed in file names
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 120);
  return base === '' ? 'transcript' : base;
}

export function exportRequest(segments: readonly Segment[], format: ExportFormat, title: string): SaveFileRequest {
  const spec = transcriptFormat(format);
  return {
    suggestedName: `${fileBaseName(title)}.${spec.extension}`,
    data: spec.render(segments, { source: title }),
    mime: spec.mime,
    filters: [{ name: spec.filterName, extensions: [spec.extension] }],
  };
}

export type ExportOutcome = { tone: 'info' | 'error'; title: string; detail: string } | null;

export async function runExport(
  save: (request: SaveFileRequest) => Promise<SaveFileResult>,
  segments: readonly Segment[],
  format: ExportFormat,
  title: string,
): Promise<ExportOutcome> {
  if (segments.length === 0)
    return { tone: 'info', title: 'Nothing to export yet', detail: 'Record or import some audio first.' };
  let result: SaveFileResult;
  try {
    result = await save(exportRequest(segments, format, title));
  } catch (error) {
    result = { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (result.status === 'cancelled') return null;
  if (result.status === 'saved') return { tone: 'info', title: 'Exported', detail: `Saved ${result.fileName}.` };
  return {
    tone: 'error',
    title: 'Export failed',
    detail: `${result.message} The transcript is unchanged; try another location.`,
  };
}

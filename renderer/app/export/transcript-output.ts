/**
 * The transcript leaving the app: Export (a format, saved by the host) and Copy (plain text to the
 * clipboard). Each says how it went in a notice; neither touches the transcript.
 */
import { toTxt } from '../../engine/export/txt';
import type { Host } from '../../host/host';
import type { TranscriptDocument } from '../session/transcript-document';
import type { Banners } from '../view/banners';
import { runExport, type ExportFormat } from './export-transcript';

export interface TranscriptOutputDeps {
  host: Host;
  doc: TranscriptDocument;
  banners: Banners;
  /** The session's title, the exported file's suggested name. */
  title(): string;
}

export class TranscriptOutput {
  constructor(private readonly deps: TranscriptOutputDeps) {}

  async exportAs(format: ExportFormat): Promise<void> {
    const { host, doc, banners } = this.deps;
    const outcome = await runExport((request) => host.saveFile(request), doc.segments, format, this.deps.title());
    if (outcome) banners.show({ id: 'export', ...outcome, timeoutMs: outcome.tone === 'info' ? 5000 : undefined });
  }

  async copy(): Promise<void> {
    const { doc, banners } = this.deps;
    const text = toTxt(doc.segments);
    if (text === '') {
      banners.show({
        id: 'copy',
        tone: 'info',
        title: 'Nothing to copy yet',
        detail: 'Record or import some audio first.',
        timeoutMs: 4000,
      });
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // clipboard API refused (no focus, no permission): fall back to a selection copy
      const area = document.createElement('textarea');
      area.value = text;
      area.className = 'visually-hidden';
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (!ok) {
        banners.show({
          id: 'copy',
          tone: 'error',
          title: 'Could not copy',
          detail: 'The system refused clipboard access. Select the text and press Ctrl/⌘+C instead.',
        });
        return;
      }
    }
    banners.show({
      id: 'copy',
      tone: 'info',
      title: 'Copied',
      detail: `${doc.segments.length} segment${doc.segments.length === 1 ? '' : 's'} copied as text.`,
      timeoutMs: 3000,
    });
  }
}

/**
 * How a file comes into the app: "Import…" (the host's open dialog) or a drop on the window. Audio
 * goes to the file import (FileImport); a dropped .zip is a model package for the model manager.
 */
import type { Host } from '../host/host';
import { byId } from './dom';
import { bytesSource, fileSource, type FileImport } from './file-import';
import { toPayload, type ModelManager } from './model-manager';
import type { Banners } from './view/banners';

export interface ImportTriggersDeps {
  host: Host;
  files: FileImport;
  models: ModelManager;
  banners: Banners;
  /** A run (microphone or file) is going on. */
  busy(): boolean;
}

export class ImportTriggers {
  constructor(private readonly deps: ImportTriggersDeps) {}

  /** "Import…": the host's open dialog, then the import. */
  async pickAudioFile(): Promise<void> {
    if (this.deps.busy()) return;
    const picked = await this.deps.host.openAudioFile().catch((error: unknown) => ({
      status: 'failed' as const,
      message: error instanceof Error ? error.message : String(error),
    }));
    if (picked.status === 'opened') await this.deps.files.importFile(bytesSource(picked.name, picked.data));
    else if (picked.status === 'failed')
      this.deps.banners.show({ id: 'import', tone: 'error', title: 'Could not open the file', detail: picked.message });
  }

  /** Files dragged over the window show the drop overlay; a drop imports the first file. */
  wireDragAndDrop(): void {
    const overlay = byId<HTMLElement>('drop-overlay');
    let depth = 0;
    const hasFiles = (event: DragEvent): boolean => [...(event.dataTransfer?.types ?? [])].includes('Files');
    window.addEventListener('dragenter', (event) => {
      if (!hasFiles(event)) return;
      depth++;
      overlay.hidden = false;
    });
    window.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) overlay.hidden = true;
    });
    window.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault(); // allow the drop (and never navigate to the file)
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('drop', (event) => {
      event.preventDefault();
      depth = 0;
      overlay.hidden = true;
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      if (/\.zip$/i.test(file.name)) void this.dropModel(file);
      else void this.deps.files.importFile(fileSource(file));
    });
  }

  /** A dropped .zip is a model package (valid for this run; "Load model…" remembers it across restarts). */
  private async dropModel(file: File): Promise<void> {
    const zip = new Uint8Array(await file.arrayBuffer());
    await this.deps.models.openPayload(toPayload({ source: 'zip', name: file.name.replace(/\.zip$/i, ''), zip }), null);
  }
}

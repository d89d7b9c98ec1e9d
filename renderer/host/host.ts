/**
 * What the renderer needs from its surroundings, so the same UI runs inside Electron (through the
 * preload's `window.earshot`) and in a plain browser (fetch, localStorage, IndexedDB, downloads),
 * which is how the end-to-end tests drive it.
 */
import type { MenuCommand, OpenModelResult, SaveFileRequest, SaveFileResult, SessionRecord, SessionSummary, Settings } from '../../main/preload/api';
import type { PackagePayload } from '../worker/protocol';

export type { MenuCommand, OpenModelResult, SaveFileRequest, SaveFileResult, SessionRecord, SessionSummary, Settings };

export interface BundledModels {
  acoustic: PackagePayload | null;
  lm: PackagePayload | null;
}

export interface Host {
  readonly kind: 'electron' | 'browser';
  /** The default models shipped with the app; null members when a package is not bundled. */
  loadBundledModels(): Promise<BundledModels>;
  /** Lets the user pick a package folder or .zip. */
  openModel(kind: 'folder' | 'zip'): Promise<OpenModelResult>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  settings: {
    load(): Promise<Settings>;
    update(patch: Partial<Settings>): Promise<Settings>;
  };
  sessions: {
    write(record: SessionRecord): Promise<void>;
    list(): Promise<SessionSummary[]>;
    read(id: string): Promise<SessionRecord | null>;
    remove(id: string): Promise<void>;
  };
  /** Commands from outside the page (Electron's application menu); the browser has none. */
  onCommand(listener: (command: MenuCommand) => void): () => void;
  /** Sentence telling the user where to allow microphone access in this host. */
  readonly microphonePermissionHowTo: string;
}

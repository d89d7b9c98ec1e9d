/**
 * The type of `window.earshot`, the only thing the preload exposes to the renderer. Shared by
 * main (handler results), the preload (implementation) and the renderer's Electron host.
 * Everything crossing it is structured-cloneable data: no functions, no Node objects, no paths
 * the renderer could use to reach the file system.
 */
import type { MenuCommand } from './ipc-channels';
import type { Settings } from './settings-schema';
import type { SessionRecord, SessionSummary } from './session-schema';

export type { MenuCommand, Settings, SessionRecord, SessionSummary };

/** A model package the user picked, read by main. */
export type OpenedModelPackage =
  | { source: 'folder'; name: string; files: Record<string, Uint8Array> }
  | { source: 'zip'; name: string; zip: Uint8Array };

/**
 * `ref` names the picked package from now on (main remembers where it is, the renderer never sees
 * the path): settings store it, and `openSaved(ref)` reads the package again after a restart.
 */
export type OpenModelResult =
  | { status: 'opened'; model: OpenedModelPackage; ref: string }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string };

export interface SaveFileRequest {
  suggestedName: string;
  /** Text is written as UTF-8. */
  data: string | Uint8Array;
  /** Media type, for a browser download (main writes the bytes and ignores it). */
  mime?: string;
  filters: { name: string; extensions: string[] }[];
}

export type SaveFileResult =
  { status: 'saved'; fileName: string } | { status: 'cancelled' } | { status: 'failed'; message: string };

/** An audio file the user picked for import: its name and bytes (decoded in the renderer and worker). */
export type OpenAudioResult =
  | { status: 'opened'; name: string; data: Uint8Array }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string };

export interface EarshotApi {
  settings: {
    get(): Promise<Settings>;
    /** Unknown or invalid fields are dropped by main; the stored result is returned. */
    update(patch: Partial<Settings>): Promise<Settings>;
  };
  models: {
    /** Shows an open dialog for a package folder or a .zip and returns its bytes. */
    open(kind: 'folder' | 'zip'): Promise<OpenModelResult>;
    /** Reads a package picked earlier again, by the ref `open` returned. Never shows a dialog. */
    openSaved(ref: string): Promise<OpenModelResult>;
  };
  files: {
    /** Save dialog, then an atomic write. Failures (permissions, full disk) come back as `failed`. */
    saveAs(request: SaveFileRequest): Promise<SaveFileResult>;
    /** Open dialog for an audio file to transcribe; returns its bytes. */
    openAudio(): Promise<OpenAudioResult>;
  };
  sessions: {
    write(record: SessionRecord): Promise<void>;
    list(): Promise<SessionSummary[]>;
    read(id: string): Promise<SessionRecord | null>;
    remove(id: string): Promise<void>;
  };
  /** Subscribes to application-menu commands; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

/** Results per invoke channel, for the typed handler registry. */
export interface InvokeResults {
  'earshot:settings:get': Settings;
  'earshot:settings:update': Settings;
  'earshot:model:open': OpenModelResult;
  'earshot:model:open-saved': OpenModelResult;
  'earshot:file:save': SaveFileResult;
  'earshot:file:open-audio': OpenAudioResult;
  'earshot:session:write': void;
  'earshot:session:list': SessionSummary[];
  'earshot:session:read': SessionRecord | null;
  'earshot:session:remove': void;
}

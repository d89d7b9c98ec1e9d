/**
 * What the renderer needs from its surroundings, so the same UI runs inside Electron (through the
 * preload's `window.earshot`) and in a plain browser (fetch, localStorage, IndexedDB, downloads),
 * which is how the end-to-end tests drive it.
 */
import type {
  MenuCommand,
  OpenAudioResult,
  OpenModelResult,
  SaveFileRequest,
  SaveFileResult,
  SessionRecord,
  SessionSummary,
  Settings,
} from '../shared/earshot-api';
import type { PackagePayload } from '../worker/protocol';

export type {
  MenuCommand,
  OpenAudioResult,
  OpenModelResult,
  SaveFileRequest,
  SaveFileResult,
  SessionRecord,
  SessionSummary,
  Settings,
};

export interface BundledModels {
  acoustic: PackagePayload | null;
  lm: PackagePayload | null;
  /** Readable text: punctuation and capitals, spelled guesses (absent or null when not bundled). */
  punct?: PackagePayload | null;
  spell?: PackagePayload | null;
  /** Letters → phonemes: Settings → Pronunciations proposes a pronunciation with it. */
  g2p?: PackagePayload | null;
}

export interface Host {
  readonly kind: 'electron' | 'browser';
  /** The default models shipped with the app; null members when a package is not bundled. */
  loadBundledModels(): Promise<BundledModels>;
  /** Lets the user pick a package folder or .zip; the result's `ref` names it for settings. */
  openModel(kind: 'folder' | 'zip'): Promise<OpenModelResult>;
  /** Reads a package picked earlier (by its ref) again, without asking the user. */
  openSavedModel(ref: string): Promise<OpenModelResult>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /**
   * Lets the user pick an audio file to transcribe. Electron: main's open dialog (works from a menu
   * command too, which carries no user activation). Browser: a file input, so call it from a click.
   */
  openAudioFile(): Promise<OpenAudioResult>;
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

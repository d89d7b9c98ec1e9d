/**
 * Host in a plain browser (tests, a static deployment): settings in localStorage, autosaved
 * sessions and picked model packages in IndexedDB, exports as downloads, models picked with a
 * file input (a folder with webkitdirectory, or a .zip).
 */
import { mergeSettings, sanitizeSettings } from '../shared/settings-schema';
import { isSessionRecord, summarizeSession } from '../shared/session-schema';
import { fetchBundledModels } from './bundled-models';
import type { Host, OpenAudioResult, SaveFileResult, SessionRecord } from './host';
import type { OpenedModelPackage } from '../shared/earshot-api';

/** Picked packages kept for "the model chosen in settings" after a reload; older ones are dropped. */
const MAX_SAVED_MODELS = 4;

const SETTINGS_KEY = 'earshot.settings';

export function createBrowserHost(): Host {
  const db = new EarshotDb();
  return {
    kind: 'browser',
    loadBundledModels: () => fetchBundledModels(document.baseURI),
    openModel: async (kind) => {
      const picked = await pickModel(kind);
      if (picked.status !== 'opened') return picked;
      const ref = `b${Date.now().toString(36)}${Math.floor(Math.random() * 46656).toString(36)}`;
      // keeping a copy is a convenience: if storage is full, the model still loads now
      await db.saveModel({ ref, model: picked.model, savedAt: new Date().toISOString() }).catch(() => undefined);
      return { status: 'opened', model: picked.model, ref };
    },
    openSavedModel: async (ref) => {
      const saved = await db.readModel(ref).catch(() => null);
      return saved
        ? { status: 'opened', model: saved.model, ref }
        : {
            status: 'failed',
            message: 'This model is no longer stored in the browser. Load it again with “Load model…”.',
          };
    },
    saveFile: async (request): Promise<SaveFileResult> => {
      try {
        const blob = new Blob([typeof request.data === 'string' ? request.data : request.data.slice()], {
          type: request.mime ?? 'application/octet-stream',
        });
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = request.suggestedName;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        return { status: 'saved', fileName: request.suggestedName };
      } catch (error) {
        return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
      }
    },
    openAudioFile: pickAudioFile,
    settings: {
      load: async () => sanitizeSettings(readJson(SETTINGS_KEY)),
      update: async (patch) => {
        const next = mergeSettings(sanitizeSettings(readJson(SETTINGS_KEY)), patch);
        localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
        return next;
      },
    },
    sessions: {
      write: (record) => db.writeSession(record),
      list: async () =>
        (await db.allSessions()).map(summarizeSession).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
      read: (id) => db.readSession(id),
      remove: (id) => db.removeSession(id),
    },
    onCommand: () => () => undefined,
    microphonePermissionHowTo:
      'Click the microphone or site-settings icon in the address bar and allow the microphone for this page.',
  };
}

function readJson(key: string): unknown {
  try {
    const text = localStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** A file input for audio; must be called during a user gesture (a click), as browsers require. */
function pickAudioFile(): Promise<OpenAudioResult> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'audio/*,.wav,.mp3,.ogg,.oga,.opus,.flac,.m4a,.aac,.webm';
    input.addEventListener('cancel', () => resolve({ status: 'cancelled' }));
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve({ status: 'cancelled' });
      file.arrayBuffer().then(
        (buffer) => resolve({ status: 'opened', name: file.name, data: new Uint8Array(buffer) }),
        (error: unknown) =>
          resolve({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
    });
    input.click();
  });
}

type PickResult =
  { status: 'opened'; model: OpenedModelPackage } | { status: 'cancelled' } | { status: 'failed'; message: string };

function pickModel(kind: 'folder' | 'zip'): Promise<PickResult> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    if (kind === 'folder') input.webkitdirectory = true;
    else input.accept = '.zip,application/zip';
    input.addEventListener('cancel', () => resolve({ status: 'cancelled' }));
    input.addEventListener('change', () => {
      void (async () => {
        const files = [...(input.files ?? [])];
        if (files.length === 0) return resolve({ status: 'cancelled' });
        try {
          if (kind === 'zip') {
            const file = files[0];
            resolve({
              status: 'opened',
              model: {
                source: 'zip',
                name: file.name.replace(/\.zip$/i, ''),
                zip: new Uint8Array(await file.arrayBuffer()),
              },
            });
            return;
          }
          const entries = await Promise.all(
            files.map(async (f) => [f.webkitRelativePath || f.name, new Uint8Array(await f.arrayBuffer())] as const),
          );
          const name = (files[0].webkitRelativePath || files[0].name).split('/')[0];
          resolve({ status: 'opened', model: { source: 'folder', name, files: Object.fromEntries(entries) } });
        } catch (error) {
          resolve({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      })();
    });
    input.click();
  });
}

interface SavedModel {
  ref: string;
  model: OpenedModelPackage;
  savedAt: string;
}

/**
 * IndexedDB: autosaved sessions (survive a killed tab, and are not capped at localStorage's ~5 MB)
 * and picked model packages.
 */
class EarshotDb {
  private db: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open('earshot', 2);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains('sessions')) db.createObjectStore('sessions', { keyPath: 'id' });
        if (!db.objectStoreNames.contains('models')) db.createObjectStore('models', { keyPath: 'ref' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('could not open the browser storage'));
    });
    return this.db;
  }

  private async run<T>(
    storeName: 'sessions' | 'models',
    mode: IDBTransactionMode,
    body: (store: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(storeName, mode);
      const request = body(transaction.objectStore(storeName));
      // resolve once the transaction is committed, so a write is on disk before we report it saved
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error ?? new Error('storage transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('storage transaction aborted'));
    });
  }

  async writeSession(record: SessionRecord): Promise<void> {
    if (!isSessionRecord(record)) throw new Error('invalid session record');
    await this.run('sessions', 'readwrite', (s) => s.put(record));
  }

  async readSession(id: string): Promise<SessionRecord | null> {
    const value: unknown = await this.run('sessions', 'readonly', (s) => s.get(id));
    return isSessionRecord(value) ? value : null;
  }

  async allSessions(): Promise<SessionRecord[]> {
    const values: unknown[] = await this.run('sessions', 'readonly', (s) => s.getAll());
    return values.filter(isSessionRecord);
  }

  async removeSession(id: string): Promise<void> {
    await this.run('sessions', 'readwrite', (s) => s.delete(id));
  }

  async saveModel(saved: SavedModel): Promise<void> {
    await this.run('models', 'readwrite', (s) => s.put(saved));
    const all = await this.run('models', 'readonly', (s) => s.getAll() as IDBRequest<SavedModel[]>);
    const stale = all.sort((a, b) => b.savedAt.localeCompare(a.savedAt)).slice(MAX_SAVED_MODELS);
    for (const old of stale) await this.run('models', 'readwrite', (s) => s.delete(old.ref));
  }

  async readModel(ref: string): Promise<SavedModel | null> {
    const value = (await this.run('models', 'readonly', (s) => s.get(ref))) as SavedModel | undefined;
    return value ?? null;
  }
}

/**
 * Host in a plain browser (tests, a static deployment): settings in localStorage, autosaved
 * sessions in IndexedDB, exports as downloads, models picked with a file input.
 */
import { mergeSettings, sanitizeSettings } from '../../main/store/settings-schema';
import { isSessionRecord, summarizeSession } from '../../main/store/session-schema';
import { fetchBundledModels } from './bundled-models';
import type { Host, OpenModelResult, SaveFileResult, SessionRecord } from './host';

const SETTINGS_KEY = 'earshot.settings';

export function createBrowserHost(): Host {
  const sessions = new IndexedDbSessions();
  return {
    kind: 'browser',
    loadBundledModels: () => fetchBundledModels(document.baseURI),
    openModel: pickModel,
    saveFile: async (request): Promise<SaveFileResult> => {
      try {
        const blob = new Blob([typeof request.data === 'string' ? request.data : request.data.slice()], { type: 'application/octet-stream' });
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
    settings: {
      load: async () => sanitizeSettings(readJson(SETTINGS_KEY)),
      update: async (patch) => {
        const next = mergeSettings(sanitizeSettings(readJson(SETTINGS_KEY)), patch);
        localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
        return next;
      },
    },
    sessions: {
      write: (record) => sessions.write(record),
      list: async () => (await sessions.all()).map(summarizeSession).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
      read: (id) => sessions.read(id),
      remove: (id) => sessions.remove(id),
    },
    onCommand: () => () => undefined,
    microphonePermissionHowTo: 'Click the microphone or site-settings icon in the address bar and allow the microphone for this page.',
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

function pickModel(kind: 'folder' | 'zip'): Promise<OpenModelResult> {
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
            resolve({ status: 'opened', model: { source: 'zip', name: file.name.replace(/\.zip$/i, ''), zip: new Uint8Array(await file.arrayBuffer()) } });
            return;
          }
          const entries = await Promise.all(files.map(async (f) => [f.webkitRelativePath || f.name, new Uint8Array(await f.arrayBuffer())] as const));
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

/** Autosaved sessions in IndexedDB: survives a killed tab, and is not capped at localStorage's ~5 MB. */
class IndexedDbSessions {
  private db: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open('earshot', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('sessions', { keyPath: 'id' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return this.db;
  }

  private async run<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const request = body(db.transaction('sessions', mode).objectStore('sessions'));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async write(record: SessionRecord): Promise<void> {
    if (!isSessionRecord(record)) throw new Error('invalid session record');
    await this.run('readwrite', (s) => s.put(record));
  }

  async read(id: string): Promise<SessionRecord | null> {
    const value: unknown = await this.run('readonly', (s) => s.get(id));
    return isSessionRecord(value) ? value : null;
  }

  async all(): Promise<SessionRecord[]> {
    const values: unknown[] = await this.run('readonly', (s) => s.getAll());
    return values.filter(isSessionRecord);
  }

  async remove(id: string): Promise<void> {
    await this.run('readwrite', (s) => s.delete(id));
  }
}

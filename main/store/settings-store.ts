/**
 * Settings persisted as one JSON file in the app's data folder.
 *
 * Reads tolerate a missing or corrupt file (defaults are used, and a corrupt file is kept aside as
 * `settings.json.corrupt` for diagnosis rather than silently overwritten). Writes are atomic and
 * serialised: two quick updates can never interleave and leave the older one on disk.
 */
import { readFile, rename } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import { defaultSettings, mergeSettings, sanitizeSettings, type Settings } from '../../renderer/shared/settings-schema';

export class SettingsStore {
  private current: Settings = defaultSettings();
  private loaded = false;
  private writeChain: Promise<void> = Promise.resolve();

  constructor(readonly filePath: string) {}

  async load(): Promise<Settings> {
    let text: string | null = null;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== null) {
      try {
        this.current = sanitizeSettings(JSON.parse(text));
      } catch {
        await rename(this.filePath, `${this.filePath}.corrupt`).catch(() => undefined);
        this.current = defaultSettings();
      }
    }
    this.loaded = true;
    return this.get();
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** Merges `patch` (untrusted: it arrives over IPC), persists, and returns the stored result. */
  async update(patch: unknown): Promise<Settings> {
    if (!this.loaded) await this.load();
    this.current = mergeSettings(this.current, patch);
    const snapshot = JSON.stringify(this.current, null, 2) + '\n';
    const write = this.writeChain.then(async () => {
      await mkdir(dirname(this.filePath), { recursive: true });
      await writeFileAtomic(this.filePath, snapshot);
    });
    // keep the chain alive after a failed write; the failure still reaches this caller
    this.writeChain = write.catch(() => undefined);
    await write;
    return this.get();
  }
}

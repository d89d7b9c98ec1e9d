/**
 * The model packages the user has loaded ("Load model…"), remembered so that the model chosen in
 * settings comes back after a restart. Main keeps the paths to itself: the renderer only ever sees
 * an opaque `ref`, and `read(ref)` re-reads the package from where the user picked it.
 *
 * One small JSON file (`<dataDir>/models.json`), rewritten atomically; the newest MAX_ENTRIES are
 * kept, and picking the same path again reuses its ref.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../fs/atomic-write';
import { isModelRef } from '../../renderer/shared/settings-schema';

export type ModelPackageFormat = 'folder' | 'zip';

export interface SavedModelEntry {
  ref: string;
  /** Absolute path of the folder or .zip, as the user picked it. Never sent to the renderer. */
  path: string;
  format: ModelPackageFormat;
  addedAt: string; // ISO 8601
}

export const MAX_SAVED_MODELS = 16;

export class ModelRegistry {
  private entries: SavedModelEntry[] | null = null;
  private writeChain: Promise<void> = Promise.resolve();

  constructor(readonly filePath: string) {}

  /** Records a picked package (or refreshes its entry) and returns its ref. */
  async remember(path: string, format: ModelPackageFormat): Promise<string> {
    const entries = await this.load();
    const existing = entries.find((e) => e.path === path && e.format === format);
    const entry: SavedModelEntry = {
      ref: existing?.ref ?? `m${randomBytes(6).toString('hex')}`,
      path,
      format,
      addedAt: new Date().toISOString(),
    };
    this.entries = [entry, ...entries.filter((e) => e !== existing)].slice(0, MAX_SAVED_MODELS);
    await this.persist();
    return entry.ref;
  }

  /** The entry for `ref`, or null for an unknown (or malformed) ref. */
  async lookup(ref: unknown): Promise<SavedModelEntry | null> {
    if (!isModelRef(ref)) return null;
    return (await this.load()).find((e) => e.ref === ref) ?? null;
  }

  private async load(): Promise<SavedModelEntry[]> {
    if (this.entries) return this.entries;
    try {
      const parsed: unknown = JSON.parse(await readFile(this.filePath, 'utf8'));
      this.entries = Array.isArray(parsed) ? parsed.filter(isSavedModelEntry) : [];
    } catch {
      this.entries = []; // missing or corrupt: forgetting saved models is harmless
    }
    return this.entries;
  }

  private async persist(): Promise<void> {
    const text = JSON.stringify(this.entries, null, 2) + '\n';
    const write = this.writeChain.then(async () => {
      await mkdir(dirname(this.filePath), { recursive: true });
      await writeFileAtomic(this.filePath, text);
    });
    this.writeChain = write.catch(() => undefined);
    await write;
  }
}

function isSavedModelEntry(value: unknown): value is SavedModelEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isModelRef(v.ref) &&
    typeof v.path === 'string' &&
    v.path.length > 0 &&
    (v.format === 'folder' || v.format === 'zip') &&
    typeof v.addedAt === 'string'
  );
}

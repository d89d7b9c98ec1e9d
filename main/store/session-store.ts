/**
 * Autosaved sessions: one JSON file per session in `<dataDir>/sessions/`, rewritten atomically
 * after every final segment so a crash or kill loses at most the current partial.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import {
  isSessionRecord,
  MAX_SESSION_BYTES,
  SESSION_ID_PATTERN,
  summarizeSession,
  type SessionRecord,
  type SessionSummary,
} from '../../renderer/shared/session-schema';

export class SessionStore {
  constructor(readonly dir: string) {}

  async write(record: unknown): Promise<void> {
    if (!isSessionRecord(record)) throw new Error('invalid session record');
    const text = JSON.stringify(record);
    if (text.length > MAX_SESSION_BYTES)
      throw new Error(`session ${record.id} is larger than ${MAX_SESSION_BYTES >> 20} MiB`);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.fileOf(record.id), text);
  }

  async read(id: unknown): Promise<SessionRecord | null> {
    const path = this.fileOf(id);
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      return isSessionRecord(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  /** Newest first; unreadable files are skipped rather than failing the whole list. */
  async list(): Promise<SessionSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: SessionSummary[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const record = await this.read(name.slice(0, -'.json'.length));
      if (record) out.push(summarizeSession(record));
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async remove(id: unknown): Promise<void> {
    await rm(this.fileOf(id), { force: true });
  }

  private fileOf(id: unknown): string {
    if (typeof id !== 'string' || !SESSION_ID_PATTERN.test(id)) throw new Error('invalid session id');
    return join(this.dir, `${id}.json`);
  }
}

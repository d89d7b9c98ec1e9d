import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionStore } from '../../../main/store/session-store';
import type { SessionRecord } from '../../../renderer/shared/session-schema';

function record(id: string, updatedAt: string): SessionRecord {
  return { id, startedAt: updatedAt, updatedAt, finished: false, title: id, segments: [{ id: 0, text: 'hello' }] };
}

describe('SessionStore', () => {
  it('writes, lists newest first, reads back and removes sessions', async () => {
    const store = new SessionStore(join(await mkdtemp(join(tmpdir(), 'earshot-sessions-')), 'sessions'));
    await store.write(record('a', '2024-01-01T00:00:00Z'));
    await store.write(record('b', '2024-02-01T00:00:00Z'));
    expect((await store.list()).map((s) => s.id)).toEqual(['b', 'a']);
    expect((await store.read('a'))?.segments).toHaveLength(1);
    await store.remove('a');
    expect((await store.list()).map((s) => s.id)).toEqual(['b']);
  });

  it('refuses ids that could escape the sessions folder', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'earshot-sessions-')), 'sessions');
    const store = new SessionStore(dir);
    await expect(store.write({ ...record('x', '2024-01-01T00:00:00Z'), id: '../../evil' })).rejects.toThrow(
      /invalid session/,
    );
    await expect(store.read('../settings')).rejects.toThrow(/invalid session id/);
    await expect(store.remove('..')).rejects.toThrow(/invalid session id/);
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

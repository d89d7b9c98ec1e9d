import { describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../main/fs/atomic-write';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'earshot-atomic-'));
}

describe('writeFileAtomic', () => {
  it('writes text and bytes and replaces an existing file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'out.txt');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, new TextEncoder().encode('second'));
    expect(await readFile(file, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['out.txt']); // no temporary file left behind
  });

  it('leaves the old content and no temporary file when the write fails', async () => {
    if (process.getuid?.() === 0) return; // root ignores directory permissions
    const dir = await tempDir();
    const file = join(dir, 'keep.txt');
    await writeFile(file, 'old');
    await chmod(dir, 0o500);
    try {
      await expect(writeFileAtomic(file, 'new')).rejects.toMatchObject({ code: 'EACCES' });
    } finally {
      await chmod(dir, 0o700);
    }
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });

  it('rejects with ENOENT when the folder does not exist, creating nothing', async () => {
    const dir = await tempDir();
    await expect(writeFileAtomic(join(dir, 'missing', 'x.txt'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

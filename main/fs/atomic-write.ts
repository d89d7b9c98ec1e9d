/**
 * Atomic file writes: the target path holds either the old content or the new content, never a
 * half-written file, even if the process is killed or the disk fills up mid-write.
 *
 * How: write a temporary sibling (same directory, so the rename cannot cross file systems), fsync
 * it, rename it over the target, then fsync the directory so the rename itself survives a crash.
 * On any failure the temporary file is removed and the error is rethrown unchanged (callers show
 * ENOSPC / EACCES to the user; the target is untouched).
 */
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(filePath: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(filePath);
  const tmpPath = join(dir, `.${basename(filePath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    handle = await open(tmpPath, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(tmpPath, filePath);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await rm(tmpPath, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes a completed rename durable. Some platforms (Windows) cannot open directories: ignore. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort only: the rename already happened
  }
}

/**
 * Node only: writes a package's files (from writeModelPackage) to disk as a folder, or as a .zip when
 * `path` ends in '.zip'. Used by the training recipe's tools and by test fixtures.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ZipPackageOptions, zipModelPackage } from './write-package';

export async function writeModelPackageToDisk(
  files: ReadonlyMap<string, Uint8Array>,
  path: string,
  zipOptions: ZipPackageOptions = {},
): Promise<void> {
  if (path.toLowerCase().endsWith('.zip')) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, zipModelPackage(files, zipOptions));
    return;
  }
  for (const [relativePath, bytes] of files) {
    const target = join(path, ...relativePath.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
}

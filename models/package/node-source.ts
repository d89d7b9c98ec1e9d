/**
 * Node only: a model package on disk, as a folder, a .zip, or the path of its model.json.
 * (The core in package-source.ts stays free of Node imports so it also runs in a Web Worker.)
 */

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ModelPackageError } from './package-error';
import { type PackageSource, looksLikeZip, normalizePackagePath, packagePathsFrom, zipSource } from './package-source';

/** Opens a package folder, a .zip of one, or a package's model.json. */
export async function nodeSource(path: string): Promise<PackageSource> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new ModelPackageError({ file: path, problem: 'no such file or folder', source: path });
  }
  if (info.isDirectory()) return folderSource(path);

  if (basename(path) === 'model.json') return folderSource(dirname(path));
  const bytes = new Uint8Array(await readFile(path));
  if (!looksLikeZip(bytes)) {
    throw new ModelPackageError({
      file: path,
      problem: 'not a model package: expected a folder, a .zip of one, or a model.json',
      source: path,
    });
  }
  return zipSource(path, bytes);
}

/** A folder on disk; files are read lazily, so a big package costs only what the loader reads. */
async function folderSource(folder: string): Promise<PackageSource> {
  const rawPaths = await listFilesRecursively(folder);
  const paths = packagePathsFrom(rawPaths);
  return {
    name: folder,
    list: async () => [...paths.keys()],
    read: async (path) => {
      const raw = paths.get(normalizePackagePath(path) ?? '');
      if (raw === undefined)
        throw new ModelPackageError({ file: path, problem: 'no such file in the package', source: folder });
      const bytes = await readFile(join(folder, ...raw.split('/')));
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a view: no second copy of the file
    },
  };
}

/** Package-relative paths ('/'-separated) of every file under `folder`. */
async function listFilesRecursively(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

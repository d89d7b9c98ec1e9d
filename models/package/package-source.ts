/**
 * Where a model package's files come from: an in-memory map (tests, a browser folder pick) or zip bytes.
 * (A folder or .zip on disk: node-source.ts, kept apart so this file runs in a Web Worker and the browser.)
 *
 * Paths are package-relative with '/' separators ('model.json', 'lexicon/words.txt'). A package whose
 * files all sit in one top folder ('en-phonemes/model.json', as zipping a folder usually gives) is read
 * as if that folder were the root.
 */

import { unzipSync } from 'fflate';
import { ModelPackageError } from './package-error';

export interface PackageSource {
  /** For messages and the model manager: a folder path, a zip file name, or a caller's label. */
  name: string;
  /** Package-relative paths of all files (no folders). */
  list(): Promise<string[]>;
  /** Bytes of one file; a ModelPackageError naming `path` if there is no such file. */
  read(path: string): Promise<Uint8Array>;
}

/** The file every package has at its root. */
export const MODEL_JSON = 'model.json';

/**
 * 'a\\b/./c' → 'a/b/c'. Returns null for paths that leave the package: absolute, drive-letter or '..'.
 */
export function normalizePackagePath(path: string): string | null {
  const unified = path.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[a-zA-Z]:/.test(unified)) return null;
  const parts: string[] = [];
  for (const part of unified.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : null;
}

/** Archive litter that is never part of a package: macOS resource forks and Finder files, Windows thumbnails. */
function isJunk(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return path.startsWith('__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db';
}

/**
 * Cleans raw paths (normalize, drop folders and junk) and, when model.json is not at the root but every
 * file shares one top folder, strips that folder. Returns package path → raw path.
 */
export function packagePathsFrom(rawPaths: Iterable<string>): Map<string, string> {
  const cleaned = new Map<string, string>();
  for (const raw of rawPaths) {
    if (raw.endsWith('/') || raw.endsWith('\\')) continue; // zip folder entries
    const path = normalizePackagePath(raw);
    if (path === null || isJunk(path)) continue;
    cleaned.set(path, raw);
  }
  if (cleaned.has(MODEL_JSON) || cleaned.size === 0) return cleaned;

  const tops = new Set<string>();
  for (const path of cleaned.keys()) tops.add(path.includes('/') ? path.slice(0, path.indexOf('/')) : '');
  if (tops.size !== 1 || tops.has('')) return cleaned;
  const prefixLength = [...tops][0].length + 1;
  const stripped = new Map<string, string>();
  for (const [path, raw] of cleaned) stripped.set(path.slice(prefixLength), raw);
  return stripped;
}

function missingFile(path: string, sourceName: string): ModelPackageError {
  return new ModelPackageError({ file: path, problem: 'no such file in the package', source: sourceName });
}

/**
 * The [path, content] pairs of files given as a Map or as a plain object. (`instanceof Map` alone would type a
 * ReadonlyMap's entries as `any`.)
 */
export function fileEntries<T>(files: ReadonlyMap<string, T> | Record<string, T>): [string, T][] {
  return isMap(files) ? [...files.entries()] : Object.entries(files);
}

function isMap<T>(files: ReadonlyMap<string, T> | Record<string, T>): files is ReadonlyMap<string, T> {
  return files instanceof Map;
}

/** Files held in memory: tests, or bytes already read from a browser folder pick. */
export function memorySource(
  name: string,
  files: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>,
): PackageSource {
  const entries = fileEntries(files);
  const bytesByRaw = new Map(entries);
  const paths = packagePathsFrom(bytesByRaw.keys());
  return {
    name,
    list: async () => [...paths.keys()],
    read: async (path) => {
      const raw = paths.get(normalizePackagePath(path) ?? '');
      const bytes = raw === undefined ? undefined : bytesByRaw.get(raw);
      if (bytes === undefined) throw missingFile(path, name);
      return bytes;
    },
  };
}

/** What a browser gives for `<input type="file" webkitdirectory>` or a drop: File objects (structurally). */
export interface PickedFile {
  name: string;
  /** 'folder/sub/file.txt' for a folder pick; empty or absent for single files. */
  webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Reads picked files into memory. A single picked .zip is opened as a zip package. */
export async function pickedFilesSource(
  name: string,
  picked: Iterable<PickedFile> | ArrayLike<PickedFile>,
): Promise<PackageSource> {
  const list = Array.from(picked as ArrayLike<PickedFile>);
  if (list.length === 1 && list[0].name.toLowerCase().endsWith('.zip')) {
    return zipSource(list[0].name, new Uint8Array(await list[0].arrayBuffer()));
  }
  const files = new Map<string, Uint8Array>();
  for (const file of list) {
    const path =
      file.webkitRelativePath !== undefined && file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name;
    files.set(path, new Uint8Array(await file.arrayBuffer()));
  }
  return memorySource(name, files);
}

/** A zip of a package (files at the root, or inside one top folder). Unzipped on first use. */
export function zipSource(name: string, zipBytes: Uint8Array): PackageSource {
  let opened: PackageSource | undefined;
  const open = (): PackageSource => {
    if (opened === undefined) {
      let files: Record<string, Uint8Array>;
      try {
        files = unzipSync(zipBytes);
      } catch (error) {
        throw new ModelPackageError({
          file: name,
          problem: `not a readable zip archive (${(error as Error).message})`,
          source: name,
        });
      }
      opened = memorySource(name, files);
    }
    return opened;
  };
  return {
    name,
    list: async () => open().list(),
    read: async (path) => open().read(path),
  };
}

/** True for bytes that start like a zip archive ('PK\x03\x04', or 'PK\x05\x06' for an empty one). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  );
}

/**
 * Reading model package folders from disk: the bundled default models (`models/default/acoustic`
 * and `models/default/lm`) and packages the user opens. The renderer never gets a path, only a
 * file list and bytes, so it needs no file-system access of its own.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUNDLED_MODEL_KINDS, type BundledModelIndex } from '../../renderer/shared/bundled-model-index';

/** What a model folder holds, as the renderer receives it. Paths are package-relative, '/'-separated. */
export interface ModelFolderFiles {
  name: string;
  files: Record<string, Uint8Array>;
}

/** Upper bound on what a package may hold; a larger folder is almost certainly the wrong one. */
export const MAX_PACKAGE_BYTES = 512 * 1024 * 1024;
const MAX_PACKAGE_FILES = 256;

/** Lists regular files under `dir` (recursively, sorted, hidden files skipped); null if `dir` is absent. */
export async function listModelFiles(dir: string): Promise<string[] | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return null;
  } catch {
    return null;
  }
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    const entries = await readdir(join(dir, sub), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isFile()) out.push(rel);
      if (out.length > MAX_PACKAGE_FILES)
        throw new Error(`${dir}: more than ${MAX_PACKAGE_FILES} files; is this a model package?`);
    }
  };
  await walk('');
  return out.sort();
}

/**
 * Index of the bundled models under `root` (which holds `acoustic/` and `lm/`); a package without model.json counts as
 * absent.
 */
export async function buildBundledModelIndex(root: string): Promise<BundledModelIndex> {
  const index: BundledModelIndex = { acoustic: null, lm: null, punct: null, spell: null, g2p: null };
  for (const kind of BUNDLED_MODEL_KINDS) {
    const files = await listModelFiles(join(root, kind));
    index[kind] = files && files.includes('model.json') ? files : null;
  }
  return index;
}

/** Reads a whole package folder into memory, with a clear error if it is not one. */
export async function readModelFolder(dir: string): Promise<ModelFolderFiles> {
  const list = await listModelFiles(dir);
  if (!list) throw new Error(`${dir}: not a folder`);
  if (!list.includes('model.json'))
    throw new Error(`${dir}: no model.json in this folder; a model package holds model.json plus its weights`);
  const files: Record<string, Uint8Array> = {};
  let total = 0;
  for (const rel of list) {
    const bytes = new Uint8Array(await readFile(join(dir, ...rel.split('/'))));
    total += bytes.byteLength;
    if (total > MAX_PACKAGE_BYTES) throw new Error(`${dir}: larger than ${MAX_PACKAGE_BYTES >> 20} MiB`);
    files[rel] = bytes;
  }
  return { name: basename(dir), files };
}

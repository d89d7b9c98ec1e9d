/**
 * Resolves a request-supplied relative path inside a root folder, refusing anything that would
 * escape it (`..`, absolute paths, NUL bytes, backslash tricks). Used wherever a renderer or URL
 * names a file: the app:// protocol, bundled model files, autosaved sessions.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export function resolveInside(root: string, relativePath: string): string | null {
  if (relativePath.includes('\0') || relativePath.includes('\\')) return null;
  if (isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath)) return null;
  const rootAbs = resolve(root);
  const target = resolve(rootAbs, relativePath);
  const rel = relative(rootAbs, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return target;
}

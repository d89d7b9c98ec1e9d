/**
 * Maps an app:// request to a file of the built renderer plus the headers to send. Plain logic so
 * path traversal and the per-file CSP are unit-tested; main/index.ts only streams the file.
 */
import { extname } from 'node:path';
import { resolveInside } from '../fs/safe-path';
import { APP_HOST, APP_SCHEME } from '../security/origin-policy';
import { cspForPath, SECURITY_HEADERS } from '../security/csp';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.safetensors': 'application/octet-stream',
};

export function mimeTypeOf(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type AppRequestResolution =
  { ok: true; filePath: string; headers: Record<string, string> } | { ok: false; status: 403 | 404 };

export function resolveAppRequest(requestUrl: string, rendererDir: string): AppRequestResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 404 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 403 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 404 };
  }
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const filePath = resolveInside(rendererDir, relative);
  if (!filePath) return { ok: false, status: 403 };
  return {
    ok: true,
    filePath,
    headers: {
      'Content-Type': mimeTypeOf(filePath),
      'Content-Security-Policy': cspForPath(pathname),
      ...SECURITY_HEADERS,
    },
  };
}

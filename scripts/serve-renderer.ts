/**
 * Serves a built renderer (out/web, or a test's build) on 127.0.0.1 with the headers main's
 * app:// handler sends: the per-file Content-Security-Policy and the other security headers.
 * 127.0.0.1 is a secure context, so the microphone (getUserMedia) and the engine worker's
 * WebAssembly work as in the app. `npm run web` and the end-to-end tests use it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveInside } from '../main/fs/safe-path';
import { mimeTypeOf } from '../main/protocol/app-request';
import { cspForPath, SECURITY_HEADERS } from '../main/security/csp';

export interface ServeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Replaces the bodies of some paths (tests: e.g. a corrupt model.json). */
  overrides?: Record<string, string>;
}

export async function serveRenderer(
  root: string,
  options: ServeOptions = {},
): Promise<{ server: Server; url: string }> {
  const overrides = options.overrides ?? {};
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
      const headers = {
        'Content-Type': mimeTypeOf(relative),
        'Content-Security-Policy': cspForPath(pathname),
        ...SECURITY_HEADERS,
        'Cache-Control': 'no-store',
      };
      if (pathname in overrides) {
        res.writeHead(200, headers).end(overrides[pathname]);
        return;
      }
      const file = resolveInside(root, relative);
      if (!file || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, headers).end(await readFile(file));
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', ok);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/**
 * Runs the RNN stack inside Debian's Chromium for the browser-only gpu.js backends (webgl, webgl2,
 * webgpu): bundles gpu-browser-entry.ts with esbuild (installed as vite's dependency), serves it
 * from a localhost http server, and opens it in a headless persistent context on a fresh profile.
 * Used by test/e2e/gpu-parity.test.ts and test/bench/bench-browser.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH, HEADLESS_CHROMIUM_ARGS } from './chromium';

export { CHROMIUM_PATH, chromiumAvailable } from './chromium';

export const CHROMIUM_ARGS = [
  ...HEADLESS_CHROMIUM_ARGS,
  '--enable-unsafe-webgpu',
  // with --disable-gpu, WebGL runs on SwiftShader only when this is allowed explicitly
  '--enable-unsafe-swiftshader',
];

const here = dirname(fileURLToPath(import.meta.url));

/** The entry bundled for the page: one IIFE script, gpu.js taken from its "browser" build. */
export async function bundleEntry(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'gpu-browser-entry.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

function serve(script: string): Promise<Server> {
  const html = '<!doctype html><meta charset="utf-8"><title>earshot rnn</title><script src="/rnn.js"></script>';
  const server = createServer((req, res) => {
    if (req.url === '/rnn.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export interface BrowserSession {
  page: Page;
  /** console lines the page printed (warnings from gpu.js land here) */
  consoleLines: string[];
  close(): Promise<void>;
}

/** Bundles, serves and opens the page; close() tears everything down (browser, server, profile). */
export async function openRnnPage(): Promise<BrowserSession> {
  const script = await bundleEntry();
  const server = await serve(script);
  const profile = await mkdtemp(join(tmpdir(), 'earshot-gpu-'));
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => '__earshotRnn' in globalThis);
    const ctx = context;
    return {
      page,
      consoleLines,
      async close() {
        await ctx.close().catch(() => undefined);
        await new Promise<void>((r) => server.close(() => r()));
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await context?.close().catch(() => undefined);
    server.close();
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
}

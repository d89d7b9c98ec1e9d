/**
 * npm run web [-- --port N] [--no-build] [--out DIR]: the app in a browser, for machines where
 * Electron's binary is missing (`npm start` then stops with "Electron uninstall"). Builds the
 * renderer as `npm run build` does, with the bundled models, into out/web, and serves it on
 * 127.0.0.1 (default port 5180) with the app's headers; the renderer finds no `window.earshot`
 * and runs on the browser host: settings in localStorage, sessions in IndexedDB, exports as
 * downloads, models loaded from files you pick. Open the printed URL in Chromium or Chrome.
 * Ctrl+C stops it.
 */
import { resolve } from 'node:path';
import { build } from 'vite';
import { rendererViteConfig } from '../electron.vite.config';
import { serveRenderer } from './serve-renderer';

const root = resolve(import.meta.dirname, '..');

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = resolve(option('out') ?? resolve(root, 'out/web'));
  const port = Number(option('port') ?? 5180);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port takes a port number, not ${option('port')}`);
  if (!args.includes('--no-build')) {
    process.stdout.write(`building the renderer into ${out} …\n`);
    await build({ ...rendererViteConfig({ outDir: out }), configFile: false, logLevel: 'warn' });
  }
  const { url } = await serveRenderer(out, { port });
  process.stdout.write(`Earshot (browser host) at ${url}\nopen it in Chromium or Chrome; Ctrl+C stops the server\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run web: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

#!/usr/bin/env node
// `earshot` command. Runs the prebuilt bundle (out/cli/cli.mjs, made by `npm install`'s prepare
// step) when it is newer than every engine and CLI source file; otherwise compiles the TypeScript
// on the fly through tsx, so `npx earshot` always runs the code in the tree.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = join(root, 'out/cli/cli.mjs');

function newestSource(dir, newest = 0) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = newestSource(p, newest);
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (process.env.EARSHOT_CLI_TSX === '1' || !existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  const sources = ['main/cli', 'renderer/engine', 'models/rnn', 'models/package', 'models/language'];
  return sources.every((d) => newestSource(join(root, d)) <= built);
}

let cli;
if (bundleIsFresh()) {
  cli = await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));

/**
 * Debian's Chromium, as the browser tests and benches launch it through playwright-core (app-harness.ts for the
 * app, gpu-browser-harness.ts for the RNN backends).
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** The flags every launch starts from: headless on a fresh profile, no GPU process, no background network. */
export const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

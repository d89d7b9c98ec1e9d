/**
 * Where the end-to-end tests save their screenshots. A test run writes them to the git-ignored
 * test-results/screenshots/, so `npm test` leaves the tree clean; `npm run screenshots`
 * (EARSHOT_UPDATE_SCREENSHOTS=1) writes the committed ones in test/e2e/screenshots/ that README shows.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The committed screenshots README shows. */
export const COMMITTED_SCREENSHOTS = join(here, 'screenshots');

/** A test run's screenshots (git-ignored). */
export const RUN_SCREENSHOTS = resolve(here, '../../test-results/screenshots');

export function screenshotDir(env: Record<string, string | undefined> = process.env): string {
  return env.EARSHOT_UPDATE_SCREENSHOTS === '1' ? COMMITTED_SCREENSHOTS : RUN_SCREENSHOTS;
}

/**
 * One temporary folder per test run: every test's mkdtemp(tmpdir()) and every child process
 * (Chromium profiles, PyTorch runs, synthesized audio) lands under it, and it is removed when the
 * run ends, so repeated `npm test` runs leave nothing behind in the system's temp folder.
 * Forked test workers inherit TMPDIR from this process. EARSHOT_KEEP_TEST_TMP=1 keeps it for a post-mortem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'earshot-test-run-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.EARSHOT_KEEP_TEST_TMP === '1') console.log(`test temp folder kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMITTED_SCREENSHOTS, screenshotDir } from './screenshot-dir';

const ROOT = resolve(__dirname, '../..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

describe('e2e screenshots', () => {
  it('a test run writes them to a git-ignored folder, so `npm test` leaves the tree clean', () => {
    const runDir = relative(ROOT, screenshotDir({}));
    expect(git('check-ignore', join(runDir, '01-ready.png')).trim()).toBe(join(runDir, '01-ready.png'));
    const source = readFileSync(join(ROOT, 'test/e2e/app.test.ts'), 'utf8');
    expect(source).toMatch(/const screenshots = screenshotDir\(\);/);
  });

  it('`npm run screenshots` refreshes the committed ones README shows', () => {
    expect(screenshotDir({ EARSHOT_UPDATE_SCREENSHOTS: '1' })).toBe(COMMITTED_SCREENSHOTS);
    const committed = git('ls-files', relative(ROOT, COMMITTED_SCREENSHOTS))
      .trim()
      .split('\n')
      .filter((f) => f.endsWith('.png'));
    expect(committed.length).toBeGreaterThanOrEqual(12);
    const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.screenshots as string;
    expect(script).toMatch(/EARSHOT_UPDATE_SCREENSHOTS=1 .*vitest run test\/e2e\/app\.test\.ts/);
  });
});

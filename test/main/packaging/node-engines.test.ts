/**
 * The Node versions package.json declares are the ones every installed package accepts (no
 * EBADENGINE warning from `npm ci` on any of them), the lock file agrees with package.json, and
 * README says the same.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const semver = createRequire(join(root, 'package.json'))('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

describe('Node engines', () => {
  const declared: string = pkg.engines.node;
  // the lowest version of each branch: ">=20" allows 20.0.0, "^20.19.0 || >=22.12.0" allows 20.19.0 and 22.12.0
  const lowest = declared.split('||').map((branch) => semver.minVersion(branch.trim())!.version);

  it('every package in the lock file accepts the lowest Node version of each declared branch', () => {
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(
      lock.packages as Record<string, { engines?: { node?: string } | string[] }>,
    )) {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (path === '' || !range) continue;
      for (const version of lowest)
        if (!semver.satisfies(version, range)) refused.push(`${path} needs node ${range}, not ${version}`);
    }
    expect(refused).toEqual([]);
  });

  it('the lock file was made from this package.json', () => {
    expect(lock.packages[''].engines).toEqual(pkg.engines);
    expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
  });

  it('README names the same Node versions', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const version of lowest) expect(readme).toContain(`Node ${version.replace(/\.0$/, '')}`);
  });
});

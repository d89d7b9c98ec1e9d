import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';

describe('the test run', () => {
  it('puts temporary files in its own folder, which it removes at the end (test/global-setup.ts)', () => {
    expect(basename(tmpdir())).toMatch(/^earshot-test-run-/);
  });
});

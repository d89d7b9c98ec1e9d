import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';

// The Beneath a Steel Sky extractor on a tiny synthetic sky.dnr/sky.dsk (Huffman-coded text, RNC-packed speech);
// no game data in the repository. The Python unittest skips its sox step where sox is missing.
describe.skipIf(!existsSync(PY))('real speech: Beneath a Steel Sky extractor (models/recipe/data/real/bass.py)', () => {
  it('reads back the exact texts and PCM of two lines and clips, rejects a corrupt RNC stream, writes clips.tsv', () => {
    const r = spawnSync(PY, ['-m', 'unittest', '-v', 'test_bass'], {
      cwd: join(REPO, 'models/recipe/data/real'),
      encoding: 'utf8',
    });
    const log = `${r.stdout}\n${r.stderr}`;
    expect(r.status, log).toBe(0);
    expect(log).toMatch(/Ran 3 tests/);
    expect(log).toMatch(/test_text_and_pcm \S+ \.\.\. ok/);
    expect(log).toMatch(/test_rnc_rejects_corruption \S+ \.\.\. ok/);
  }, 30_000);
});

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSpeller, phonemesOfUnknown } from '../../../models/language/speller';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import type { BackendName } from '../../../models/rnn/backend';
import { wasmSimdAvailable } from '../../../models/rnn/wasm-simd';

const PY = '/usr/bin/python3';
const hasTorch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const RECIPE = resolve(__dirname, '../../../models/recipe/spell');
const BUNDLED = resolve(__dirname, '../../../models/default/spell');
const BUNDLED_G2P = resolve(__dirname, '../../../models/default/g2p');
const BACKENDS: BackendName[] = ['reference', 'js', ...(wasmSimdAvailable() ? (['wasm-simd'] as const) : []), 'cpu'];

async function check(pkgDir: string, inputs: string[][], backends: BackendName[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-spell-parity-'));
  writeFileSync(join(dir, 'in.txt'), inputs.map((i) => i.join(' ')).join('\n') + '\n');
  execFileSync(PY, [join(RECIPE, 'score_package.py'), pkgDir, join(dir, 'in.txt'), join(dir, 'out.json')], {
    timeout: 120_000,
  });
  const torch = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { output: string[]; rows: number[][] }[];
  const pkg = await loadModelPackage(await nodeSource(pkgDir));
  for (const backend of backends) {
    const sp = await createSpeller(pkg, { backend });
    try {
      for (let i = 0; i < inputs.length; i++) {
        const { output, rows } = await sp.convertWithRows(inputs[i]);
        expect(output, `${backend} ${inputs[i].join(' ')}`).toEqual(torch[i].output);
        expect(rows.length).toBe(torch[i].rows.length);
        let err = 0;
        rows.forEach((r, u) => r.forEach((v, j) => (err = Math.max(err, Math.abs(v - torch[i].rows[u][j])))));
        expect(err, backend).toBeLessThan(1e-4);
      }
    } finally {
      sp.dispose();
    }
  }
}

function randomPackage(direction: 'p2g' | 'g2p'): string {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-spell-pkg-'));
  execFileSync(PY, [join(RECIPE, 'export_spell.py'), '--random=11', `--direction=${direction}`, dir], {
    timeout: 60_000,
  });
  return dir;
}

describe.skipIf(!hasTorch)('PyTorch and the engine agree on a spelling package (python3-torch present)', () => {
  it(`gives the same greedy outputs and decoder log-probabilities (1e-4), phonemes → letters, on ${BACKENDS.join(', ')}`, async () => {
    await check(randomPackage('p2g'), [['T', 'IH', 'L', 'AE', 'N', 'D'], ['K', 'AE', 'T'], ['ZH']], BACKENDS);
  }, 60_000);

  it('and letters → phonemes', async () => {
    await check(randomPackage('g2p'), [[...'tiland'], [...'cat']], ['reference', 'js']);
  }, 60_000);

  it.skipIf(!existsSync(join(BUNDLED, 'model.json')))(
    'agrees on the bundled speller (models/default/spell), whose spelling of a plain word starts right',
    async () => {
      await check(
        BUNDLED,
        [
          ['K', 'AE', 'T'],
          ['T', 'IH', 'L', 'AE', 'N', 'D'],
        ],
        ['js'],
      );
      const sp = await createSpeller(await loadModelPackage(await nodeSource(BUNDLED)), { backend: 'js' });
      expect(await sp.spell('D AO G')).toMatch(/^d[a-z]{2,4}$/); // a plausible spelling ('daug' from the bundled model): starts right, no stray symbols
      expect(await sp.spell('not phonemes')).toBeNull();
      sp.dispose();
    },
    60_000,
  );
});

describe.skipIf(!hasTorch || !existsSync(join(BUNDLED_G2P, 'model.json')))(
  'the bundled letters → phonemes model (models/default/g2p)',
  () => {
    it('agrees with PyTorch, and proposes a plausible pronunciation', async () => {
      await check(BUNDLED_G2P, [[...'cat'], [...'zorblax']], ['js']);
      const g2p = await createSpeller(await loadModelPackage(await nodeSource(BUNDLED_G2P)), { backend: 'js' });
      expect(g2p.direction).toBe('g2p');
      expect(await g2p.spell('zorblax')).toMatch(/^Z (AO|AA|OW) R B L (AE|AA|AH) K S$/); // a word it never saw, read as written ('Z AO R B L AA K S' from the bundled model)
      expect(await g2p.spell('T IH L')).toBeNull(); // not letters
      g2p.dispose();
    }, 60_000);
  },
);

describe('phonemesOfUnknown', () => {
  it("reads the decoder's /PH PH/ form only", () => {
    expect(phonemesOfUnknown('/T IH L/')).toBe('T IH L');
    expect(phonemesOfUnknown('til')).toBeNull();
    expect(phonemesOfUnknown('/t ih/')).toBeNull();
  });
});

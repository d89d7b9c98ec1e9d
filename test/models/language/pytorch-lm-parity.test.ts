import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLanguageModel } from '../../../models/language/language-model';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import { writeModelPackageToDisk } from '../../../models/package/node-write';
import { quantizePackage } from '../../../models/recipe/quantize_package';
import { makeWordLm, testPackageFiles } from '../../fixtures/make-test-models';

const PY = '/usr/bin/python3';
const hasTorch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const SCORE = resolve(__dirname, '../../../models/recipe/lm/score_package.py');
const BUNDLED_LM = resolve(__dirname, '../../../models/default/lm');

/** Max |engine − PyTorch| over every log-prob row of every prefix of every sentence. */
async function maxParityError(pkgDir: string, sentences: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-lm-parity-'));
  writeFileSync(join(dir, 'sentences.txt'), sentences.join('\n') + '\n');
  execFileSync(PY, [SCORE, pkgDir, join(dir, 'sentences.txt'), join(dir, 'out.f32')], { timeout: 120_000 });
  const buf = readFileSync(join(dir, 'out.f32'));
  const torchRows = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const lm = await createLanguageModel(await loadModelPackage(await nodeSource(pkgDir)));
  const V = lm.vocabulary.size;
  let offset = 0;
  let maxErr = 0;
  try {
    for (const s of sentences) {
      const words = s.split(' ');
      for (let t = 0; t <= words.length; t++) {
        const row = await lm.logProbs(words.slice(0, t));
        for (let v = 0; v < V; v++) maxErr = Math.max(maxErr, Math.abs(row[v] - torchRows[offset + v]));
        offset += V;
      }
    }
  } finally {
    lm.dispose();
  }
  expect(offset).toBe(torchRows.length); // same number of rows on both sides
  return maxErr;
}

describe.skipIf(!hasTorch)('PyTorch and the engine agree on a language model package (python3-torch present)', () => {
  for (const cell of ['gru', 'lstm', 'vanilla'] as const) {
    it(`gives the same next-word log-probabilities to 1e-4 for a ${cell} test LM`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-lm-pkg-'));
      await writeModelPackageToDisk(testPackageFiles(makeWordLm({ cell, seed: 31, hiddenSizes: [12, 12] })), dir);
      const err = await maxParityError(dir, ['the cat', 'a dog to two too', 'zebra bat the', 'two']);
      expect(err).toBeLessThan(1e-4);
    });
  }

  it('gives the same log-probabilities to 1e-4 for a test LM with int8 matrices (quantize_package.ts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-lm-pkg-'));
    await writeModelPackageToDisk(testPackageFiles(makeWordLm({ seed: 33, hiddenSizes: [16] })), join(dir, 'f32'));
    const { int8 } = await quantizePackage(join(dir, 'f32'), join(dir, 'i8'), { int8From: 100 });
    expect(int8.map((t) => t.name)).toContain('output.W_ya');
    const err = await maxParityError(join(dir, 'i8'), ['the cat', 'a dog to two too', 'zebra bat the', 'two']);
    expect(err).toBeLessThan(1e-4);
  });

  it.skipIf(!existsSync(join(BUNDLED_LM, 'model.json')))(
    'gives the same log-probabilities to 1e-4 for the bundled LM (models/default/lm)',
    async () => {
      const err = await maxParityError(BUNDLED_LM, [
        "i don't know where they're going",
        'it is too late to write',
        'the xylophonist sings',
      ]);
      expect(err).toBeLessThan(1e-4);
    },
  );
});

if (!hasTorch) {
  describe('PyTorch parity of language models', () => {
    it.skip('is skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch)', () => undefined);
  });
}

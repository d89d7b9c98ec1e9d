import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import { writeModelPackageToDisk } from '../../../models/package/node-write';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import {
  makeCharacterCtcModel,
  makePhonemeCtcModel,
  seededRandom,
  testPackageFiles,
} from '../../fixtures/make-test-models';

const PY = '/usr/bin/python3';
const hasTorch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const FORWARD = resolve(__dirname, '../../../models/recipe/forward_package.py');

describe.skipIf(!hasTorch)('PyTorch and the engine agree on a package (python3-torch present)', () => {
  for (const [name, model] of [
    ['GRU phoneme model', makePhonemeCtcModel({ seed: 21, hiddenSizes: [24, 16] })],
    ['vanilla character model', makeCharacterCtcModel({ cell: 'vanilla', seed: 22 })],
    ['LSTM character model', makeCharacterCtcModel({ cell: 'lstm', seed: 23 })],
  ] as const) {
    it(`gives the same posteriors to 1e-4 for the ${name}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-parity-'));
      const pkgDir = join(dir, 'pkg');
      await writeModelPackageToDisk(testPackageFiles(model), pkgDir);
      const pkg = await loadModelPackage(await nodeSource(pkgDir));
      const rnn = await createRnnStack(pkg.json.layers, pkg.tensors, { backend: 'reference' });
      const steps = 50;
      const rnd = seededRandom(5);
      const x = Float32Array.from({ length: steps * rnn.inputSize }, () => rnd() * 4 - 2);
      writeFileSync(join(dir, 'in.f32'), x);
      execFileSync(PY, [FORWARD, pkgDir, join(dir, 'in.f32'), String(steps), join(dir, 'out.f32')]);
      const buf = readFileSync(join(dir, 'out.f32'));
      const torchOut = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      const engineOut = await rnn.forward(x, steps, rnn.initialState(1));
      expect(torchOut.length).toBe(engineOut.length);
      let maxErr = 0;
      for (let i = 0; i < engineOut.length; i++) maxErr = Math.max(maxErr, Math.abs(engineOut[i] - torchOut[i]));
      expect(maxErr).toBeLessThan(1e-4);
      rnn.dispose();
    });
  }
});

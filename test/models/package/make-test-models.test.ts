import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import {
  makeCharacterCtcModel,
  standardTestModels,
  testFeatureSpec,
  testPackageFiles,
  writeTestModels,
} from '../../fixtures/make-test-models';

describe('test model fixtures', () => {
  it('are deterministic: the same seed gives the same bytes', () => {
    const a = testPackageFiles(makeCharacterCtcModel({ seed: 5 }));
    const b = testPackageFiles(makeCharacterCtcModel({ seed: 5 }));
    const c = testPackageFiles(makeCharacterCtcModel({ seed: 6 }));
    expect(b).toEqual(a);
    expect(c.get('weights.safetensors')).not.toEqual(a.get('weights.safetensors'));
  });

  it('use the agreed acoustic feature spec', () => {
    expect(testFeatureSpec()).toEqual({
      sampleRate: 16000,
      windowSize: 512,
      hopSize: 160,
      type: 'logmel',
      nMels: 40,
      windowing: 'hanning',
      inputScale: 32768,
      dither: 1,
      normalization: null,
    });
    const models = standardTestModels();
    expect(models['char-ctc-gru'].json.stacking).toEqual({ frames: 3, stride: 3 });
    expect(Object.values(models).map((m) => m.json.kind)).toEqual(['acoustic', 'acoustic', 'acoustic', 'language']);
  });

  it('writes four loadable package folders', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'earshot-fixtures-'));
    try {
      const folders = await writeTestModels(temp);
      expect(folders).toEqual(['char-ctc-vanilla', 'char-ctc-gru', 'phoneme-ctc', 'word-lm']);
      for (const folder of folders) {
        const pkg = await loadModelPackage(await nodeSource(join(temp, folder)));
        expect(pkg.parameterCount).toBeGreaterThan(0);
      }
      expect(await readFile(join(temp, 'phoneme-ctc', 'lexicon.txt'), 'utf8')).toContain('TWO T UW');
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  });
});

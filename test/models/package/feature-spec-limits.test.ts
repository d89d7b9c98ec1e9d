/**
 * Regressions found by the loader fuzzer (test/bench/fuzz.ts): feature specs that used to pass
 * validation and then hung or failed inside the engine are refused at load time, naming the field.
 *   - features.sampleRate 67108864 (and 2^30, 2^53): the resampler produced samples forever (hang)
 *   - features.hopSize 1000 > windowSize 512: the Framer threw at the first acceptWaveform
 */
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../models/package/load-package';
import { ModelPackageError } from '../../../models/package/package-error';
import { memorySource } from '../../../models/package/package-source';
import { makePhonemeCtcModel, testPackageFiles } from '../../fixtures/make-test-models';

const files = testPackageFiles(makePhonemeCtcModel());

function withFeatures(edit: Record<string, unknown>): Map<string, Uint8Array> {
  const json = JSON.parse(new TextDecoder().decode(files.get('model.json')));
  Object.assign(json.features, edit);
  return new Map(files).set('model.json', new TextEncoder().encode(JSON.stringify(json)));
}

async function refusal(edit: Record<string, unknown>): Promise<ModelPackageError> {
  try {
    await loadModelPackage(memorySource('limits', withFeatures(edit)));
  } catch (e) {
    expect(e).toBeInstanceOf(ModelPackageError);
    return e as ModelPackageError;
  }
  throw new Error(`accepted ${JSON.stringify(edit)}`);
}

describe('feature spec limits', () => {
  it.each([
    [{ sampleRate: 67_108_864 }, 'features.sampleRate'],
    [{ sampleRate: 2 ** 53 }, 'features.sampleRate'],
    [{ sampleRate: 1e-300 }, 'features.sampleRate'],
    [{ sampleRate: 999 }, 'features.sampleRate'],
    [{ hopSize: 1000 }, 'features.hopSize'],
    [{ windowSize: 2 ** 30 }, 'features.windowSize'],
    [{ windowSize: 8 }, 'features.windowSize'],
    [{ nMels: 300 }, 'features.nMels'],
    [{ inputScale: 1e308 }, 'features.inputScale'],
    [{ dither: 40_000 }, 'features.dither'],
  ])('refuses %j at load, naming %s (instead of hanging or failing in the engine)', async (edit, field) => {
    const e = await refusal(edit);
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
  });

  it('still accepts the edges of the ranges', async () => {
    for (const edit of [
      { sampleRate: 1000 },
      { sampleRate: 768_000 },
      { hopSize: 512 },
      { nMels: 40, windowSize: 512 },
    ]) {
      await expect(loadModelPackage(memorySource('limits', withFeatures(edit)))).resolves.toBeTruthy();
    }
  });
});

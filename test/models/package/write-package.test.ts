import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedPackage, loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import { writeModelPackageToDisk } from '../../../models/package/node-write';
import { ModelPackageError } from '../../../models/package/package-error';
import { memorySource, zipSource } from '../../../models/package/package-source';
import { writeModelPackage, zipModelPackage } from '../../../models/package/write-package';
import { makePhonemeCtcModel, makeWordLm } from '../../fixtures/make-test-models';

const model = makePhonemeCtcModel({ cell: 'lstm', seed: 31 });

function sameTensorBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('writeModelPackage → loadModelPackage', () => {
  it('F32 round trip is exact', async () => {
    const files = writeModelPackage(model.json, model.tensors, model.extraFiles, { dtype: 'F32' });
    const pkg = await loadModelPackage(memorySource('f32', files));
    expect(pkg.json).toEqual(model.json);
    for (const [name, tensor] of model.tensors) {
      expect(pkg.tensors.get(name)?.shape).toEqual(tensor.shape);
      expect(sameTensorBits(pkg.tensors.get(name)!.data, tensor.data)).toBe(true);
    }
  });

  it('F16 round trip stays within float16 precision and halves the weights', async () => {
    const f16 = writeModelPackage(model.json, model.tensors, model.extraFiles, { dtype: 'F16' });
    const f32 = writeModelPackage(model.json, model.tensors, model.extraFiles, { dtype: 'F32' });
    const pkg = await loadModelPackage(memorySource('f16', f16));
    for (const [name, tensor] of model.tensors) {
      const loaded = pkg.tensors.get(name)!;
      expect(loaded.shape).toEqual(tensor.shape);
      let worst = 0;
      for (let i = 0; i < tensor.data.length; i++) {
        const tolerance = Math.abs(tensor.data[i]) * 2 ** -11 + 2 ** -25;
        worst = Math.max(worst, Math.abs(loaded.data[i] - tensor.data[i]) / tolerance);
      }
      expect(worst, name).toBeLessThanOrEqual(1);
    }
    expect(f16.get('weights.safetensors')!.length).toBeLessThan(f32.get('weights.safetensors')!.length * 0.55);
  });

  it('writes model.json, the weights and the extra files, nothing else', () => {
    const files = writeModelPackage(model.json, model.tensors, model.extraFiles, { dtype: 'F32' });
    expect([...files.keys()].sort()).toEqual(['lexicon.txt', 'model.json', 'weights.safetensors', 'word-counts.tsv']);
  });

  it('refuses to write a package that would not load (verify on by default)', () => {
    const tensors = new Map(model.tensors);
    tensors.delete('output.b_y');
    expect(() => writeModelPackage(model.json, tensors, model.extraFiles, { dtype: 'F32' })).toThrow(/output\.b_y/);
    expect(() =>
      writeModelPackage(model.json, tensors, model.extraFiles, { dtype: 'F32', verify: false }),
    ).not.toThrow();
  });

  it('refuses an extra file outside the package', () => {
    const extra = { ...model.extraFiles, '../evil.txt': 'x' };
    expect(() => writeModelPackage(model.json, model.tensors, extra, { dtype: 'F32' })).toThrow(ModelPackageError);
  });
});

describe('a folder and a .zip (with and without a top folder) load the same', () => {
  let temp: string;
  const lm = makeWordLm({ seed: 32 });
  const packages: Record<string, LoadedPackage> = {};

  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'earshot-write-'));
    const files = writeModelPackage(lm.json, lm.tensors, lm.extraFiles, { dtype: 'F16' });
    await writeModelPackageToDisk(files, join(temp, 'folder'));
    await writeModelPackageToDisk(files, join(temp, 'flat.zip'));
    await writeModelPackageToDisk(files, join(temp, 'nested.zip'), { topFolder: 'word-lm' });
    packages.folder = await loadModelPackage(await nodeSource(join(temp, 'folder')));
    packages.flatZip = await loadModelPackage(await nodeSource(join(temp, 'flat.zip')));
    packages.nestedZip = await loadModelPackage(await nodeSource(join(temp, 'nested.zip')));
    packages.zipBytes = await loadModelPackage(
      zipSource('bytes.zip', zipModelPackage(files, { topFolder: 'x', level: 0 })),
    );
    packages.memory = await loadModelPackage(memorySource('memory', files));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it('nests the zip entries under the top folder when asked', async () => {
    const { unzipSync } = await import('fflate');
    const entries = Object.keys(unzipSync(new Uint8Array(await readFile(join(temp, 'nested.zip'))))).sort();
    expect(entries).toEqual(['word-lm/model.json', 'word-lm/vocabulary.txt', 'word-lm/weights.safetensors']);
  });

  it.each(['flatZip', 'nestedZip', 'zipBytes', 'memory'])('%s equals the folder', (key) => {
    const { source: _a, ...folder } = packages.folder;
    const { source: _b, ...other } = packages[key];
    expect(other).toEqual(folder);
  });

  it('names each package by where it came from', () => {
    expect(packages.folder.source).toBe(join(temp, 'folder'));
    expect(packages.nestedZip.source).toBe(join(temp, 'nested.zip'));
  });
});

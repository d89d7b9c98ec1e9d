import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SAVED_MODELS, ModelRegistry } from '../../../main/store/model-registry';

async function registryFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'earshot-models-')), 'models.json');
}

describe('ModelRegistry', () => {
  it('remembers picked packages across instances and reuses the ref of a path picked again', async () => {
    const file = await registryFile();
    const a = new ModelRegistry(file);
    const ref = await a.remember('/data/models/en-small', 'folder');
    const zipRef = await a.remember('/data/models/en-small.zip', 'zip');
    expect(zipRef).not.toBe(ref);
    expect(await a.remember('/data/models/en-small', 'folder')).toBe(ref);

    const b = new ModelRegistry(file);
    expect(await b.lookup(ref)).toMatchObject({ path: '/data/models/en-small', format: 'folder' });
    expect(await b.lookup(zipRef)).toMatchObject({ format: 'zip' });
  });

  it('answers null for unknown and malformed refs', async () => {
    const registry = new ModelRegistry(await registryFile());
    await registry.remember('/m', 'folder');
    for (const ref of ['mnothere', '', '../x', null, 7, 'a/b']) expect(await registry.lookup(ref)).toBeNull();
  });

  it('keeps only the newest entries', async () => {
    const file = await registryFile();
    const registry = new ModelRegistry(file);
    const first = await registry.remember('/m/0', 'folder');
    for (let i = 1; i <= MAX_SAVED_MODELS; i++) await registry.remember(`/m/${i}`, 'folder');
    expect(await registry.lookup(first)).toBeNull();
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(MAX_SAVED_MODELS);
  });

  it('treats a corrupt file as empty and drops malformed entries', async () => {
    const file = await registryFile();
    await writeFile(file, '{ nope');
    expect(await new ModelRegistry(file).lookup('mabc')).toBeNull();
    await writeFile(
      file,
      JSON.stringify([
        { ref: 'ok1', path: '/m', format: 'zip', addedAt: 'x' },
        { ref: '../bad', path: '/m', format: 'zip', addedAt: 'x' },
        { ref: 'ok2', path: '/m', format: 'exe', addedAt: 'x' },
      ]),
    );
    const registry = new ModelRegistry(file);
    expect(await registry.lookup('ok1')).not.toBeNull();
    expect(await registry.lookup('ok2')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundledModelIndex, listModelFiles } from '../../../main/fs/model-folder';
import { resolveInside } from '../../../main/fs/safe-path';

describe('model folders', () => {
  it('indexes bundled packages, skipping hidden files and packages without model.json', async () => {
    const root = await mkdtemp(join(tmpdir(), 'earshot-models-'));
    await mkdir(join(root, 'acoustic', 'lexicon'), { recursive: true });
    await writeFile(join(root, 'acoustic', 'model.json'), '{}');
    await writeFile(join(root, 'acoustic', 'weights.safetensors'), '');
    await writeFile(join(root, 'acoustic', 'lexicon', 'words.txt'), '');
    await writeFile(join(root, 'acoustic', '.DS_Store'), '');
    await mkdir(join(root, 'lm'));
    await writeFile(join(root, 'lm', 'notes.txt'), '');
    expect(await buildBundledModelIndex(root)).toEqual({
      acoustic: ['lexicon/words.txt', 'model.json', 'weights.safetensors'],
      lm: null,
      punct: null,
      spell: null,
      g2p: null,
    });
    expect(await listModelFiles(join(root, 'missing'))).toBeNull();
  });

  it('resolveInside keeps paths inside their root', () => {
    expect(resolveInside('/r', 'a/b.txt')).toBe('/r/a/b.txt');
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\..\\..\\x', 'a\0b', '', '.'])
      expect(resolveInside('/r', bad)).toBeNull();
  });
});

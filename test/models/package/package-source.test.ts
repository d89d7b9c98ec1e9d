import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { nodeSource } from '../../../models/package/node-source';
import { ModelPackageError } from '../../../models/package/package-error';
import {
  memorySource,
  normalizePackagePath,
  pickedFilesSource,
  zipSource,
} from '../../../models/package/package-source';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('normalizePackagePath', () => {
  it.each([
    ['model.json', 'model.json'],
    ['./lexicon/words.txt', 'lexicon/words.txt'],
    ['lexicon\\words.txt', 'lexicon/words.txt'],
    ['a//b', 'a/b'],
  ])('turns %s into %s', (raw, normalized) => {
    expect(normalizePackagePath(raw)).toBe(normalized);
  });

  it.each(['../weights.safetensors', 'a/../../b', '/etc/passwd', 'C:\\model.json', '', './'])('refuses %j', (raw) => {
    expect(normalizePackagePath(raw)).toBeNull();
  });
});

describe('memorySource', () => {
  it('lists and reads files at the root', async () => {
    const source = memorySource('m', { 'model.json': text('{}'), 'sub/lexicon.txt': text('A AH') });
    expect((await source.list()).sort()).toEqual(['model.json', 'sub/lexicon.txt']);
    expect(decode(await source.read('sub/lexicon.txt'))).toBe('A AH');
  });

  it('reads a package inside one top folder as if the folder were the root', async () => {
    const source = memorySource('m', { 'pkg/model.json': text('{}'), 'pkg/weights.safetensors': text('w') });
    expect((await source.list()).sort()).toEqual(['model.json', 'weights.safetensors']);
    expect(decode(await source.read('weights.safetensors'))).toBe('w');
  });

  it('keeps the top folder when model.json is already at the root', async () => {
    const source = memorySource('m', { 'model.json': text('{}'), 'pkg/x': text('') });
    expect((await source.list()).sort()).toEqual(['model.json', 'pkg/x']);
  });

  it('keeps paths as they are when files sit in two top folders', async () => {
    const source = memorySource('m', { 'a/model.json': text('{}'), 'b/x': text('') });
    expect((await source.list()).sort()).toEqual(['a/model.json', 'b/x']);
  });

  it('ignores macOS archive litter when looking for the top folder', async () => {
    const source = memorySource('m', {
      'pkg/model.json': text('{}'),
      '__MACOSX/pkg/._model.json': text('junk'),
      'pkg/.DS_Store': text('junk'),
    });
    expect(await source.list()).toEqual(['model.json']);
  });

  it('refuses to read a file it does not have, naming the path and the package', async () => {
    const source = memorySource('my-package', { 'model.json': text('{}') });
    const error = (await source.read('lexicon.txt').catch((e) => e)) as ModelPackageError;
    expect(error).toBeInstanceOf(ModelPackageError);
    expect(error.file).toBe('lexicon.txt');
    expect(error.message).toContain('my-package');
  });
});

describe('zipSource', () => {
  it.each([
    ['at the root', ''],
    ['inside one top folder', 'en-test/'],
  ])('reads a zip with files %s', async (_, prefix) => {
    const zip = zipSync({
      [`${prefix}model.json`]: text('{"a":1}'),
      [`${prefix}data/lexicon.txt`]: text('A AH'),
    });
    const source = zipSource('pkg.zip', zip);
    expect((await source.list()).sort()).toEqual(['data/lexicon.txt', 'model.json']);
    expect(decode(await source.read('model.json'))).toBe('{"a":1}');
  });

  it('refuses bytes that are not a zip, naming the zip', async () => {
    const source = zipSource('broken.zip', text('definitely not a zip archive'));
    const error = (await source.list().catch((e) => e)) as ModelPackageError;
    expect(error).toBeInstanceOf(ModelPackageError);
    expect(error.message).toContain('broken.zip');
    expect(error.message).toContain('not a readable zip');
  });
});

describe('pickedFilesSource (browser folder pick or drop)', () => {
  const picked = (name: string, relative: string, content: string) => ({
    name,
    webkitRelativePath: relative,
    arrayBuffer: async () => text(content).buffer as ArrayBuffer,
  });

  it('reads a picked folder, stripping its name', async () => {
    const source = await pickedFilesSource('pkg', [
      picked('model.json', 'pkg/model.json', '{}'),
      picked('w', 'pkg/w', 'x'),
    ]);
    expect((await source.list()).sort()).toEqual(['model.json', 'w']);
  });

  it('opens a single picked .zip as a zip package', async () => {
    const zip = zipSync({ 'model.json': text('{}') });
    const source = await pickedFilesSource('pkg', [{ name: 'pkg.zip', arrayBuffer: async () => zip.slice().buffer }]);
    expect(source.name).toBe('pkg.zip');
    expect(await source.list()).toEqual(['model.json']);
  });
});

describe('nodeSource', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'earshot-source-'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(folder, 'pkg', 'sub'), { recursive: true });
    await writeFile(join(folder, 'pkg', 'model.json'), '{}');
    await writeFile(join(folder, 'pkg', 'sub', 'lexicon.txt'), 'A AH');
    await writeFile(
      join(folder, 'pkg.zip'),
      zipSync({ 'pkg/model.json': text('{}'), 'pkg/sub/lexicon.txt': text('A AH') }),
    );
    await writeFile(join(folder, 'notes.txt'), 'hello');
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each([
    ['a folder', 'pkg'],
    ['a .zip', 'pkg.zip'],
    ['the path of model.json', 'pkg/model.json'],
  ])('opens %s', async (_, relative) => {
    const source = await nodeSource(join(folder, relative));
    expect((await source.list()).sort()).toEqual(['model.json', 'sub/lexicon.txt']);
    expect(decode(await source.read('sub/lexicon.txt'))).toBe('A AH');
  });

  it('refuses a path that does not exist, naming it', async () => {
    const path = join(folder, 'nope');
    await expect(nodeSource(path)).rejects.toThrow(path);
  });

  it('refuses a file that is neither a zip nor model.json', async () => {
    await expect(nodeSource(join(folder, 'notes.txt'))).rejects.toThrow(/not a model package/);
  });
});

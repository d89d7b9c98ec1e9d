import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModels, loadModelsHere, type LoadedModels } from '../../../main/cli/model-loader';
import type { LexiconTrie } from '../../../renderer/engine/decoding/lexicon-trie';
import { makeWordLm, testPackageFiles, writeTestModels } from '../../fixtures/make-test-models';
import { writeModelPackageToDisk } from '../../../models/package/node-write';

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-loader-'));
  await writeTestModels(dir);
  writeFileSync(join(dir, 'broken.zip'), 'PK not really a zip');
});

function dump(trie: LexiconTrie): string[] {
  return Array.from({ length: trie.nodeCount }, (_, n) => {
    const kids: number[] = [];
    for (let e = trie.childBegin(n); e < trie.childEnd(n); e++) kids.push(trie.childUnitAt(e), trie.childNodeAt(e));
    return `${kids.join(',')}|${[...trie.wordsAt(n)].map((id) => `${trie.word(id)}:${trie.wordCounts[id]}`).join(',')}`;
  });
}

function tensors(m: LoadedModels): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const pkg of [m.acoustic, m.lm])
    for (const [name, t] of pkg?.tensors ?? []) out[`${pkg!.json.kind}:${name}`] = [...t.shape, ...t.data];
  return out;
}

describe('the CLI model loader', () => {
  it('loads the packages and builds the lexicon in a worker, the same as in this thread', async () => {
    const request = {
      model: join(dir, 'phoneme-ctc'),
      lm: join(dir, 'word-lm'),
      userLexicon: 'earshot D AO G T\nzorblax\n',
      timeBackends: false,
    };
    const worker = await loadModels(request);
    const here = await loadModelsHere(request);
    expect(worker.loadedIn).toBe('worker');
    expect(worker.workerError).toBeUndefined();
    expect(tensors(worker)).toEqual(tensors(here));
    expect(worker.lm!.files.vocabulary).toEqual(here.lm!.files.vocabulary);
    expect(worker.acoustic.json).toEqual(here.acoustic.json);
    expect(dump(worker.lexicon!.trie)).toEqual(dump(here.lexicon!.trie));
    expect(worker.lexicon!.trie.hasWord('earshot')).toBe(true); // the user lexicon is merged
    expect(worker.lexicon!.unknown).toEqual(['zorblax']);
    expect(worker.timing).toBeNull();
  });

  it("passes an LM's counts of the words outside its vocabulary (output.unknownWords) across the thread boundary", async () => {
    const lm = makeWordLm({ seed: 5 });
    if (lm.json.output.type !== 'lm') throw new Error('not an LM');
    lm.json.output.unknownWords = { counts: 'unk-counts.tsv', add: 0.5 };
    lm.extraFiles = { ...lm.extraFiles, 'unk-counts.tsv': 'zebra\t3\ngnu\t1\n' };
    await writeModelPackageToDisk(testPackageFiles(lm), join(dir, 'word-lm-unk'));
    const request = { model: join(dir, 'phoneme-ctc'), lm: join(dir, 'word-lm-unk'), timeBackends: false };
    const worker = await loadModels(request);
    expect(worker.loadedIn).toBe('worker');
    expect(worker.lm!.files.unknownWordCounts).toBe('zebra\t3\ngnu\t1\n');
    expect(worker.lm!.files).toEqual((await loadModelsHere(request)).lm!.files);
  });

  it('times the backends first when asked, in a process of its own', async () => {
    const m = await loadModels({ model: join(dir, 'char-ctc-gru'), lm: null, timeBackends: true });
    expect(m.loadedIn).toBe('worker');
    expect(m.lexicon).toBeNull(); // a character model has no prefix tree
    const timings = m.timing!.timings;
    expect(timings.map((t) => t.backend)).toEqual(expect.arrayContaining(['reference', 'js']));
    expect(timings.find((t) => t.backend === m.timing!.backend)!.msPerStep!).toBeLessThanOrEqual(timings[0].msPerStep!);
  });

  it('fails on a broken package with the message loading it here gives', async () => {
    const request = { model: join(dir, 'broken.zip'), lm: null, timeBackends: true };
    const here = await loadModelsHere(request).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(here).toMatch(/broken\.zip/);
    await expect(loadModels(request)).rejects.toThrow(here!);
    await expect(loadModels({ ...request, timeBackends: false })).rejects.toThrow(here!);
  });

  it('loads in this thread when no worker can start, and says why', async () => {
    const m = await loadModels(
      { model: join(dir, 'phoneme-ctc'), lm: null, timeBackends: true },
      new URL('file:///nonexistent/loader.mjs'),
    );
    expect(m.loadedIn).toBe('here');
    expect(m.workerError).toBeTruthy();
    expect(m.lexicon!.trie.hasWord(m.lexicon!.trie.word(0))).toBe(true);
    expect(m.timing!.timings.length).toBeGreaterThanOrEqual(2);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * models/recipe/data/prepare_words.py on a tiny made-up sentence corpus: isolated words and short
 * phrases, with the vocabulary split so that dev and test words are never said alone in training.
 */
const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const hasPython = spawnSync(PY, ['-c', 'import hashlib'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasPython)('prepare_words.py', () => {
  it('writes 1-3 word rows per split from disjoint vocabularies, with their pronunciations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-words-'));
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words = Array.from({ length: 400 }, (_, i) => `w${letters[i % 26]}${letters[Math.floor(i / 26)]}`);
    mkdirSync(join(dir, 'corpus'));
    const lexLines = [...words.map((w) => `${w}\tW AH N`), "don't\tD OW N T", 'rare\tR EH R'];
    writeFileSync(join(dir, 'corpus/lexicon.tsv'), lexLines.join('\n') + '\n');
    const counts = [...words.map((w, i) => `${w}\t${3 + (i % 50)}`), "don't\t99", 'rare\t1', 'notinlex\t50'];
    writeFileSync(join(dir, 'corpus/word-counts-train.tsv'), counts.join('\n') + '\n');
    const out = join(dir, 'text');
    const log = execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/data/prepare_words.py'),
        ...['--corpus', join(dir, 'corpus'), '--out', out, '--train', '300', '--dev', '20', '--test', '20'],
      ],
      { encoding: 'utf8' },
    );
    expect(log).toMatch(/utterances 300\/20\/20/);
    const rows = readFileSync(join(out, 'sentences.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(340);
    const vocab = (split: string) => new Set(rows.filter((r) => r[3] === split).flatMap((r) => r[2].split(' ')));
    const [train, dev, test] = ['train', 'dev', 'test'].map(vocab) as [Set<string>, Set<string>, Set<string>];
    expect(dev.size).toBeGreaterThan(0);
    expect(test.size).toBeGreaterThan(0);
    for (const w of dev) expect(train.has(w) || test.has(w)).toBe(false);
    for (const w of test) expect(train.has(w)).toBe(false);
    for (const r of rows) {
      expect(r).toHaveLength(5);
      expect(r[4]).toBe(r[2]);
      const n = r[2].split(' ').length;
      expect(n >= 1 && n <= 3).toBe(true);
    }
    // each row's first field is unique; the three lengths all occur in training
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
    const lengths = new Set(rows.filter((r) => r[3] === 'train').map((r) => r[2].split(' ').length));
    expect([...lengths].sort()).toEqual([1, 2, 3]);
    // not alphabetic, too rare, or without a pronunciation: never drawn
    const all = new Set([...train, ...dev, ...test]);
    for (const w of ["don't", 'rare', 'notinlex']) expect(all.has(w)).toBe(false);
    const lex = readFileSync(join(out, 'lexicon.tsv'), 'utf8').trim().split('\n');
    expect(new Set(lex.map((l) => l.split('\t')[0]))).toEqual(all);
  });
});

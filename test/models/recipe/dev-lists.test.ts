import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvalSet } from '../../../renderer/engine/node';

/**
 * models/recipe/eval/make_dev_lists.py: decode_sweep's two dev lists, built from the dev sets through
 * data/evalroot's links, so that each path names its group (/corpus/, /real/, /corpus-words/).
 */
const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const SCRIPT = join(REPO, 'models/recipe/eval/make_dev_lists.py');
const hasPython = spawnSync(PY, ['-c', 'import random'], { stdio: 'ignore' }).status === 0;

function set(dir: string, name: string, prefix: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  const rows = Array.from({ length: n }, (_, i) => `wav/${prefix}${i}.wav\t${prefix} words ${i}`);
  writeFileSync(join(dir, name), rows.join('\n') + '\n');
}

function fakeData(): string {
  const data = mkdtempSync(join(tmpdir(), 'earshot-devlists-'));
  set(join(data, 'corpus'), 'dev-heldout.tsv', 'tts', 40);
  set(join(data, 'corpus'), 'test-heldout.tsv', 'ttstest', 5); // never read
  set(join(data, 'corpus-words'), 'dev-heldout.tsv', 'word', 12);
  set(join(data, 'corpus-words'), 'dev-heldout-noisy.tsv', 'noisyword', 12);
  set(join(data, 'real-noscore'), 'dev-real-bass.tsv', 'bass', 20);
  set(join(data, 'real-noscore'), 'dev-real-fotaq.tsv', 'fotaq', 15);
  set(join(data, 'real-noscore'), 'test-real-bass.tsv', 'bassTest', 5); // never read
  mkdirSync(join(data, 'evalroot'));
  for (const [link, target] of [
    ['corpus', '../corpus'],
    ['corpus-words', '../corpus-words'],
    ['real', '../real-noscore'],
  ])
    symlinkSync(target, join(data, 'evalroot', link));
  return data;
}

describe.skipIf(!hasPython)('make_dev_lists.py', () => {
  it('draws TTS and dev-real clips into lm-dev-words with every clean word clip; dev-rest has all the others', async () => {
    const data = fakeData();
    const out = join(data, 'evals');
    const run = (seed: string) =>
      execFileSync(PY, [SCRIPT, '--data', data, '--out', out, '--tts', '10', '--real', '8', '--seed', seed], {
        cwd: REPO,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    run('1');
    const first = readFileSync(join(out, 'lm-dev-words.tsv'), 'utf8');
    const words = await readEvalSet(join(out, 'lm-dev-words.tsv'));
    const rest = await readEvalSet(join(out, 'dev-rest.tsv'));
    const count = (rows: { wav: string }[], sub: string) => rows.filter((r) => r.wav.includes(sub)).length;
    // decode_sweep's groups are path substrings: the links keep them
    expect([count(words, '/corpus/'), count(words, '/real/'), count(words, '/corpus-words/')]).toEqual([10, 8, 12]);
    expect([count(rest, '/corpus/'), count(rest, '/real/'), count(rest, '/corpus-words/')]).toEqual([30, 27, 12]);
    expect(count(words, 'noisyword')).toBe(0);
    expect(count(rest, 'noisyword')).toBe(12);
    // disjoint, together every dev clip, no test clip
    const all = [...words, ...rest].map((r) => r.wav);
    expect(new Set(all).size).toBe(40 + 35 + 24);
    expect(all.some((w) => /Test|ttstest/.test(w))).toBe(false);
    // each row keeps its own text
    for (const r of [...words, ...rest]) {
      const [, prefix, i] = /\/wav\/([a-zA-Z]+)(\d+)\.wav$/.exec(r.wav)!;
      expect(r.text).toBe(`${prefix} words ${i}`);
    }
    // the same seed gives the same lists; another seed another draw
    run('1');
    expect(readFileSync(join(out, 'lm-dev-words.tsv'), 'utf8')).toBe(first);
    run('2');
    expect(readFileSync(join(out, 'lm-dev-words.tsv'), 'utf8')).not.toBe(first);
  });

  it('names what is missing', () => {
    const data = mkdtempSync(join(tmpdir(), 'earshot-devlists-empty-'));
    const r = spawnSync(PY, [SCRIPT, '--data', data, '--out', join(data, 'evals')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/missing .*corpus\/dev-heldout\.tsv.*npm run data:all/);
  });
});

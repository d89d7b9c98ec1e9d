import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** models/recipe/eval/compare_dev.py: a paired bootstrap of two models' dev WER over decode_sweep's per-file rows. */
const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const SCRIPT = join(REPO, 'models/recipe/eval/compare_dev.py');
const hasPython = spawnSync(PY, ['-c', 'import json'], { stdio: 'ignore' }).status === 0;

type Row = { wav: string; wordErrors: number; words: number };
const sweep = (rows: Row[]) => ({
  set: 'dev.tsv',
  results: [{ setting: 'default', rows: rows.map((r) => ({ ...r, ref: 'x', hyp: 'y' })) }],
});

describe.skipIf(!hasPython)('compare_dev.py', () => {
  it('pairs files by path, pools lists and splits groups; a consistent gain has an interval below zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-compare-'));
    // 40 TTS files: B has one error fewer on every one; 40 real files: B is the same as A
    const tts = (errs: number) =>
      Array.from({ length: 40 }, (_, i) => ({ wav: `/d/corpus/t${i}.wav`, wordErrors: errs + (i % 3), words: 10 }));
    const real = Array.from({ length: 40 }, (_, i) => ({ wav: `/d/real/r${i}.wav`, wordErrors: i % 4, words: 8 }));
    writeFileSync(join(dir, 'a1.json'), JSON.stringify(sweep(tts(3))));
    writeFileSync(join(dir, 'a2.json'), JSON.stringify(sweep(real)));
    writeFileSync(join(dir, 'b1.json'), JSON.stringify(sweep(tts(2))));
    // B's second list has one file A lacks: left out of the pairs
    writeFileSync(
      join(dir, 'b2.json'),
      JSON.stringify(sweep([...real, { wav: '/d/real/extra.wav', wordErrors: 0, words: 5 }])),
    );
    const out = execFileSync(
      PY,
      [
        SCRIPT,
        '--a',
        `${join(dir, 'a1.json')},${join(dir, 'a2.json')}`,
        '--b',
        `${join(dir, 'b1.json')},${join(dir, 'b2.json')}`,
        '--groups',
        'tts=/corpus/,real=/real/',
        '--resamples',
        '300',
        '--json',
        join(dir, 'out.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(out).toContain('80 files decoded by both (left out: 0 only in A, 1 only in B)');
    const r = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).pools;
    // TTS: A 4.0 errors per 10 words on average (3 + mean of 0,1,2 over 40 files), B one fewer
    expect(r.tts.files).toBe(40);
    expect(r.tts.werA - r.tts.werB).toBeCloseTo(10, 6);
    expect(r.tts.high).toBeLessThan(0);
    expect(r.tts.pBetter).toBe(1);
    // real: identical, so every resample gives 0 and B is never better
    expect(r.real.diff).toBe(0);
    expect([r.real.low, r.real.high]).toEqual([0, 0]);
    expect(r.real.pBetter).toBe(0);
    expect(r.all.files).toBe(80);
    expect(r.all.diff).toBeLessThan(0);
  });

  it('refuses lists that are not the same (different reference lengths) and a missing setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-compare-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(sweep([{ wav: '/w.wav', wordErrors: 1, words: 4 }])));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(sweep([{ wav: '/w.wav', wordErrors: 1, words: 5 }])));
    const bad = spawnSync(PY, [SCRIPT, '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json')], {
      encoding: 'utf8',
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('different reference lengths');
    const noSetting = spawnSync(
      PY,
      [SCRIPT, '--a', join(dir, 'a.json'), '--b', join(dir, 'a.json'), '--setting', 'beamWidth=9'],
      { encoding: 'utf8' },
    );
    expect(noSetting.status).not.toBe(0);
    expect(noSetting.stderr).toContain("no setting 'beamWidth=9' (it has: default)");
    const missing = spawnSync(PY, [SCRIPT, '--a', join(dir, 'a.json'), '--b', join(dir, 'none.json')], {
      encoding: 'utf8',
    });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('none.json: No such file or directory');
  });
});

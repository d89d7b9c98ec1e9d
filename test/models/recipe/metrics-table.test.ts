import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** models/recipe/eval/metrics_table.py: eval_all's JSON as README's table and the package's provenance.metrics. */
const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const SCRIPT = join(REPO, 'models/recipe/eval/metrics_table.py');
const hasPython = spawnSync(PY, ['-c', 'import json'], { stdio: 'ignore' }).status === 0;

const set = (name: string, wer: number, werLm: number) => ({
  name,
  status: 'ok',
  clips: 10,
  models: [{ wer, werLm, cer: wer / 2, cerLm: werLm / 2 }],
});

describe.skipIf(!hasPython)('metrics_table.py', () => {
  it('prints previous, new and PocketSphinx figures per set and writes provenance.metrics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-metrics-'));
    writeFileSync(
      join(dir, 'new.json'),
      JSON.stringify({
        format: 'earshot-eval-all',
        date: '2026-12-07T10:00:00Z',
        sets: [
          set('corpus/test-heldout', 0.5, 0.25),
          set('real-eval/all', 1, 0.8),
          { name: 'x/missing', status: 'missing' },
        ],
      }),
    );
    const previous = {
      provenance: {
        metrics: {
          sets: {
            'corpus/test-heldout': { wer: 58.5, werLm: 28.6, cerLm: 15.2, pocketsphinx: { wer: 13.6, cer: 6.4 } },
          },
        },
      },
    };
    writeFileSync(join(dir, 'old.json'), JSON.stringify(previous));
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(
      join(dir, 'pkg/model.json'),
      JSON.stringify({ format: 'earshot-model', provenance: { cpuHours: 1 } }),
    );
    const out = execFileSync(
      PY,
      [SCRIPT, join(dir, 'new.json'), '--previous', join(dir, 'old.json'), '--package', join(dir, 'pkg'), '--write'],
      { encoding: 'utf8' },
    );
    expect(out).toContain(
      '| corpus/test-heldout (TTS, held-out voices) | 10 | 58.5 / 28.6 | **50.0 / 25.0** | 15.2 → 12.5 | 13.6 / 6.4 |',
    );
    expect(out).toContain('| real-eval/all | 10 | — | **100 / 80.0** | — → 40.0 | — |');
    expect(out).not.toContain('x/missing');
    const mj = JSON.parse(readFileSync(join(dir, 'pkg/model.json'), 'utf8'));
    expect(mj.provenance.cpuHours).toBe(1);
    expect(mj.provenance.metrics.date).toBe('2026-12-07T10:00:00Z');
    expect(mj.provenance.metrics.sets['corpus/test-heldout']).toEqual({
      clips: 10,
      wer: 50,
      werLm: 25,
      cer: 25,
      cerLm: 12.5,
      previousModel: { wer: 58.5, werLm: 28.6, cerLm: 15.2 },
      pocketsphinx: { wer: 13.6, cer: 6.4 },
    });
  });

  it('--previous-result takes the previous figures from an eval_all result on the same files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-metrics-prev-'));
    const result = (wer: number) =>
      JSON.stringify({ format: 'earshot-eval-all', sets: [set('corpus/test-heldout', wer, wer / 2)] });
    writeFileSync(join(dir, 'new.json'), result(0.5));
    writeFileSync(join(dir, 'old-result.json'), result(0.6));
    writeFileSync(
      join(dir, 'old.json'),
      JSON.stringify({
        provenance: {
          metrics: {
            sets: { 'corpus/test-heldout': { wer: 1, werLm: 1, cerLm: 1, pocketsphinx: { wer: 13.6, cer: 6.4 } } },
          },
        },
      }),
    );
    const out = execFileSync(
      PY,
      [
        SCRIPT,
        join(dir, 'new.json'),
        '--previous',
        join(dir, 'old.json'),
        '--previous-result',
        join(dir, 'old-result.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(out).toContain('| 10 | 60.0 / 30.0 | **50.0 / 25.0** | 15.0 → 12.5 | 13.6 / 6.4 |');
  });

  it('refuses a file that is not an eval_all result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-metrics-bad-'));
    writeFileSync(join(dir, 'x.json'), '{"sets": []}');
    writeFileSync(join(dir, 'old.json'), '{}');
    const r = spawnSync(PY, [SCRIPT, join(dir, 'x.json'), '--previous', join(dir, 'old.json')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('is not an eval_all.ts --json result');
  });
});

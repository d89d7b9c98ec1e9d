import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTables, globMatcher, listSets, poolResults, type SetResult } from '../../../models/recipe/eval/eval_all';

const REPO = resolve(__dirname, '../../..');
const espeak = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const pocketsphinx =
  existsSync('/usr/bin/pocketsphinx_batch') && existsSync('/usr/share/pocketsphinx/model/en-us/en-us');
const bundled = existsSync(join(REPO, 'models/default/acoustic/model.json'));

describe('eval:all set discovery and tables', () => {
  it('lists the known sets, present or missing, and every real source found, in table order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-evalall-'));
    mkdirSync(join(dir, 'real'));
    for (const f of ['test-real-bass.tsv', 'dev-real-fotaq.tsv', 'dev-real-bass.tsv', 'notes.txt'])
      writeFileSync(join(dir, 'real', f), '');
    const sets = listSets(dir);
    expect(sets.map((s) => [s.name, s.missing])).toEqual([
      ['corpus/test-heldout', true],
      ['corpus/test-heldout-noisy', true],
      ['corpus-words/test-heldout', true],
      ['real/dev-real-bass', false],
      ['real/test-real-bass', false],
      ['real/dev-real-fotaq', false],
      ['real-eval/pocketsphinx', true],
      ['real-eval/ktuberling', true],
      ['real-eval/klettres', true],
      ['real-eval/tuxpaint', true],
      ['real-eval/alsa', true],
      ['real-eval/all', true],
    ]);
    expect(
      listSets(join(dir, 'none'))
        .filter((s) => s.group.startsWith('real speech'))
        .map((s) => s.name),
    ).toEqual(['real/dev-real-*', 'real/test-real-*']);
  });

  it('matches set names with globs (* spans folders, commas separate globs)', () => {
    const m = globMatcher('real-eval/*,*heldout');
    expect(['real-eval/all', 'corpus/test-heldout', 'corpus/test-heldout-noisy', 'real/dev-real-x'].filter(m)).toEqual([
      'real-eval/all',
      'corpus/test-heldout',
    ]);
    expect(globMatcher('real/dev-real-?ass')('real/dev-real-bass')).toBe(true);
  });

  const c = (wordErrors: number, words: number, charErrors: number, chars: number) => ({
    wordErrors,
    words,
    charErrors,
    chars,
  });
  const f = (wer: number) => ({
    wer,
    cer: wer / 2,
    werLm: wer / 4,
    cerLm: null,
    rtf: 0.01,
    rtfLm: 0.02,
    failed: 0,
    counts: c(wer * 4, 4, wer * 20, 40),
    countsLm: null,
    decodeSeconds: 0.1,
    decodeSecondsLm: 0.2,
  });
  const ps = { wer: 0.1, cer: 0.05, rtf: 0.1, counts: c(1, 10, 2, 40), audioSeconds: 10, decodeSeconds: 1 };

  it('puts a column per model next to each other, and says missing', () => {
    const results: SetResult[] = [
      {
        name: 'corpus/test-heldout',
        group: 'TTS held-out',
        path: '',
        status: 'ok',
        clips: 3,
        words: 12,
        models: [f(0.5), f(0.25)],
        pocketsphinx: ps,
      },
      { name: 'corpus/test-heldout-noisy', group: 'TTS held-out', path: '', status: 'missing' },
    ];
    const md = formatTables(results, ['old', 'new'], true, true).split('\n');
    expect(md[2]).toBe(
      '| set | clips | WER old | WER new | WER+LM old | WER+LM new | CER old | CER new | CER+LM old | CER+LM new | PS WER | PS CER |',
    );
    expect(md[4]).toBe('| corpus/test-heldout | 3 | 50.0 | 25.0 | 12.5 | 6.3 | 25.0 | 12.5 | n/a | n/a | 10.0 | 5.0 |');
    expect(md[5]).toMatch(/^\| corpus\/test-heldout-noisy \| missing \|/);
  });

  it('pools a union set (real-eval/all) from its parts: summed errors over summed words, not a mean of rates', () => {
    const part = (name: string, clips: number, counts: ReturnType<typeof c>): SetResult => ({
      name,
      group: 'real-eval, per package (reserved: never trained on)',
      path: '',
      status: 'ok',
      clips,
      words: counts.words,
      audioSeconds: clips,
      models: [
        {
          ...f(0),
          counts,
          countsLm: c(0, counts.words, 0, counts.chars),
          decodeSeconds: clips / 10,
          decodeSecondsLm: clips / 5,
        },
      ],
      pocketsphinx: { ...ps, counts, audioSeconds: clips, decodeSeconds: clips },
    });
    const all = poolResults(
      {
        name: 'real-eval/all',
        group: 'real-eval, per package (reserved: never trained on)',
        path: 'x',
        missing: false,
      },
      [part('a', 2, c(1, 2, 1, 10)), part('b', 8, c(2, 8, 9, 30))],
    );
    expect(all.clips).toBe(10);
    expect(all.models![0].wer).toBeCloseTo(0.3, 12);
    expect(all.models![0].cer).toBeCloseTo(0.25, 12);
    expect(all.models![0].werLm).toBe(0);
    expect(all.models![0].rtf).toBeCloseTo(0.1, 12);
    expect(all.pocketsphinx!.wer).toBeCloseTo(0.3, 12);
    expect(all.pooledFrom).toEqual(['a', 'b']);
  });
});

describe.skipIf(!espeak || !pocketsphinx || !bundled)('npm run eval:all on a tiny espeak-ng set', () => {
  it('evaluates two models side by side with and without the LM and PocketSphinx, as earshot eval scores them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-evalall-'));
    mkdirSync(join(dir, 'corpus/wav'), { recursive: true });
    const sentences = ['the cat sat on the mat', 'we went to the store', 'there is a dog in the house'];
    sentences.forEach((s, i) =>
      execFileSync('espeak-ng', ['-v', 'en-us', '-w', join(dir, 'corpus/wav', `${i}.wav`), s]),
    );
    writeFileSync(join(dir, 'corpus/test-heldout.tsv'), sentences.map((s, i) => `wav/${i}.wav\t${s}\n`).join(''));
    mkdirSync(join(dir, 'real-eval'));
    writeFileSync(join(dir, 'real-eval/klettres.tsv'), `../corpus/wav/0.wav\t${sentences[0]}\n`);
    writeFileSync(join(dir, 'real-eval/alsa.tsv'), `../corpus/wav/1.wav\t${sentences[1]}\n`);
    writeFileSync(
      join(dir, 'real-eval/all.tsv'),
      `../corpus/wav/0.wav\t${sentences[0]}\n../corpus/wav/1.wav\t${sentences[1]}\n`,
    );
    const json = join(dir, 'out.json');
    const out = execFileSync(
      'npx',
      [
        'tsx',
        'models/recipe/eval/eval_all.ts',
        '--data',
        dir,
        '--limit',
        '2',
        '--sets',
        'corpus/*,real/*,real-eval/klettres,real-eval/alsa,real-eval/all',
        '--model',
        'models/default/acoustic',
        '--model',
        join(REPO, 'models/default/acoustic'),
        '--json',
        json,
        '--markdown',
      ],
      { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toMatch(/\| set \| clips \| WER A \| WER B \| WER\+LM A \| WER\+LM B \|/);
    expect(out).toMatch(/\| corpus\/test-heldout-noisy \| missing \|/);
    expect(out).toMatch(/missing: corpus\/test-heldout-noisy, real\/dev-real-\*, real\/test-real-\*/);
    expect(out).not.toMatch(/real-eval\/(pocketsphinx|ktuberling|tuxpaint)/);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r.format).toBe('earshot-eval-all');
    const set = r.sets.find((s: SetResult) => s.name === 'corpus/test-heldout');
    expect(set.status).toBe('ok');
    expect(set.clips).toBe(2);
    expect(set.models).toHaveLength(2);
    const figures = (m: Record<string, unknown>) =>
      ['wer', 'cer', 'werLm', 'cerLm', 'counts', 'countsLm', 'failed'].map((k) => m[k]);
    expect(figures(set.models[1])).toEqual(figures(set.models[0]));
    for (const k of ['wer', 'cer', 'werLm', 'cerLm']) expect(Number.isFinite(set.models[0][k])).toBe(true);
    expect(set.pocketsphinx.wer).toBeGreaterThanOrEqual(0);
    expect(set.pocketsphinx.cer).toBeGreaterThan(0);
    // real-eval/all is pooled from its two packages, and equals the heldout set's first two clips scored together
    const byName = (n: string) => r.sets.find((s: SetResult) => s.name === n);
    expect(byName('real-eval/all').pooledFrom).toEqual(['real-eval/klettres', 'real-eval/alsa']);
    expect(byName('real-eval/all').clips).toBe(2);
    expect(byName('real-eval/all').models[0].counts).toEqual(set.models[0].counts);
    expect(byName('real-eval/all').pocketsphinx.counts).toEqual(set.pocketsphinx.counts);
    // the same two clips through `earshot eval --no-lm` give the same word errors
    writeFileSync(
      join(dir, 'corpus/two.tsv'),
      sentences
        .slice(0, 2)
        .map((s, i) => `wav/${i}.wav\t${s}\n`)
        .join(''),
    );
    const ev = JSON.parse(
      execFileSync(
        process.execPath,
        ['main/cli/bin.mjs', 'eval', '--no-lm', '--quiet', '--json', join(dir, 'corpus/two.tsv')],
        { cwd: REPO, encoding: 'utf8' },
      ),
    );
    expect(set.models[0].wer).toBeCloseTo(ev.results[0].wer, 9);
    expect(set.models[0].cer).toBeCloseTo(ev.results[0].cer, 9);
  }, 180_000);
});

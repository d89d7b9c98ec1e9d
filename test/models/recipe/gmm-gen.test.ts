/**
 * The generator of training features from PocketSphinx's acoustic model (models/recipe/gmm_gen/):
 * its reader against the installed Debian package (pocketsphinx-en-us), parameter generation
 * against a dense solve, determinism by seed, and a smoke run: generated features -> train.py ->
 * export.py -> the engine loads the package -> the CLI transcribes a WAV.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';

const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const GEN = join(REPO, 'models/recipe/gmm_gen');
const MODEL = '/usr/share/pocketsphinx/model/en-us/en-us';
const numpy = spawnSync(PY, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const torch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const espeak = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const model = existsSync(join(MODEL, 'mdef')) && existsSync('/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict');

function py(code: string): unknown {
  return JSON.parse(execFileSync(PY, ['-c', code], { cwd: GEN, encoding: 'utf8' }));
}

/**
 * A sentences.tsv (id, source, text, split, original) with train sentences and one dev sentence that must never be
 * used.
 */
function sentences(dir: string): string {
  const train = [
    'the cat sat on the mat',
    'we went to the store',
    'there is a dog in the house',
    'go forward ten meters',
    'she sells sea shells by the shore',
    'open the door and look outside',
  ];
  const rows = train.map((t, i) => `s${i}\ttest\t${t}\ttrain\t${t}.`);
  rows.push('d0\ttest\tthe zebra ate quartz\tdev\tthe zebra ate quartz.'); // CMUdict words: only the split keeps it out
  const path = join(dir, 'sentences.tsv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

function generate(out: string, seed: number, sents: string, hours = '0.01'): string {
  return execFileSync(
    PY,
    [
      join(GEN, 'generate.py'),
      '--hours',
      hours,
      '--out',
      out,
      '--seed',
      String(seed),
      '--sentences',
      sents,
      '--batch',
      '8',
    ],
    { cwd: REPO, encoding: 'utf8' },
  );
}

function shardBytes(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('shard-'))
    .sort()
    .map((f) => readFileSync(join(dir, f)).toString('base64'))
    .join('|');
}

describe.skipIf(!numpy || !model)('PocketSphinx model reader (pocketsphinx-en-us, numpy)', () => {
  it('reads every file with the shapes and checksums of the installed package', () => {
    const r = py(`
import json, numpy as np
from sphinx_model import SphinxModel
m = SphinxModel()
d = m.mdef
print(json.dumps(dict(means=list(m.means.shape), variances=list(m.variances.shape), tmat=list(m.tmat.shape),
  sendump=list(m.sendump.shape), sums=[m.means_ok, m.variances_ok, m.tmat_ok],
  raw_mix=[float(np.exp(-m.sendump.astype(float) * 1024 * np.log(1.0001)).sum(1).min()), float(np.exp(-m.sendump.astype(float) * 1024 * np.log(1.0001)).sum(1).max())],
  mix_rows=float(abs(m.mixw.sum(1) - 1).max()), tmat_rows=float(abs(m.tmat.sum(-1) - 1).max()),
  counts=[d.n_ciphone, d.n_phone, d.n_emit_state, d.n_ci_sen, d.n_sen, d.n_tmat, d.n_sseq], triphones=len(d.triphones),
  extra=d.extra, trailing=d.trailing_bytes, sen2cb_min=int(d.sen2cb.min()), sil=d.ciphones[d.sil],
  aa=d.senones(d.phone("AA", "AA", "AA", "s")).tolist(), ci_aa=d.senones(d.ci_index["AA"]).tolist(),
  feat=m.feat_params["feat"])))`) as Record<string, unknown>;
    expect(r.means).toEqual([42, 3, 128, 13]);
    expect(r.variances).toEqual([42, 3, 128, 13]);
    expect(r.tmat).toEqual([42, 3, 4]);
    expect(r.sendump).toEqual([3, 128, 5126]);
    expect(r.sums).toEqual([true, true, true]);
    const [lo, hi] = r.raw_mix as number[];
    expect(lo).toBeGreaterThan(0.85); // the stored weights lose some mass (0.91-0.99): renormalised
    expect(hi).toBeLessThanOrEqual(1.0001);
    expect(r.mix_rows).toBeLessThan(1e-9);
    expect(r.tmat_rows).toBeLessThan(1e-6);
    expect(r.counts).toEqual([42, 137_095, 3, 126, 5126, 42, 29_324]);
    expect(r.triphones).toBe(137_095 - 42);
    expect(r.extra).toBe(29_324 * 3); // the int32 before the senone sequences: their total length
    expect(r.trailing).toBe(0);
    expect(r.sen2cb_min).toBeGreaterThanOrEqual(0);
    expect(r.sil).toBe('SIL');
    expect(r.aa).toEqual([158, 181, 210]); // "AA AA AA s" in pocketsphinx_mdef_convert -text's listing
    expect(r.ci_aa).toEqual([6, 7, 8]);
    expect(r.feat).toBe('1s_c_d_dd');
  });

  it.skipIf(spawnSync('pocketsphinx_mdef_convert', [], { stdio: 'ignore' }).error !== undefined)(
    'agrees with pocketsphinx_mdef_convert -text on every triphone',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-mdef-'));
      execFileSync('pocketsphinx_mdef_convert', ['-text', join(MODEL, 'mdef'), join(dir, 'mdef.txt')], {
        stdio: 'ignore',
      });
      const r = py(`
import json
from sphinx_model import Mdef, MODEL_DIR
d = Mdef(MODEL_DIR + "/mdef")
n = bad = 0
for line in open("${dir}/mdef.txt"):
    f = line.split()
    if len(f) != 10 or f[0].startswith("#") or f[1] == "-":
        continue
    pid = d.phone(f[0], f[1], f[2], f[3])
    n += 1
    bad += d.senones(pid).tolist() != [int(x) for x in f[6:9]] or int(d.tmat[pid]) != int(f[5])
print(json.dumps(dict(n=n, bad=bad)))`) as { n: number; bad: number };
      expect(r.n).toBe(137_053);
      expect(r.bad).toBe(0);
    },
  );

  it('parameter generation equals the dense least-squares solution, utterances of different lengths in one batch', () => {
    const r = py(`
import json, numpy as np
from mlpg import mlpg, WINDOWS
rng = np.random.default_rng(0)
B, T, D = 3, 40, 2
mu = rng.standard_normal((B, T, 3, D)); var = rng.uniform(0.5, 2, (B, T, 3, D)); L = np.array([40, 25, 7])
x = mlpg(mu, var, L)
err = 0.0
for b in range(B):
    n = L[b]
    for d in range(D):
        W = np.zeros((3 * n, n))
        for t in range(n):
            for k, taps in enumerate(WINDOWS):
                for o, w in taps:
                    W[k * n + t, min(max(t + o, 0), n - 1)] += w
        lam = np.concatenate([1 / var[b, :n, k, d] for k in range(3)]); m = np.concatenate([mu[b, :n, k, d] for k in range(3)])
        c = np.linalg.solve(W.T @ (lam[:, None] * W), W.T @ (lam * m))
        err = max(err, float(abs(c - x[b, :n, d]).max()))
print(json.dumps(dict(err=err, pad=float(abs(x[2, 7:]).max()))))`) as { err: number; pad: number };
    expect(r.err).toBeLessThan(1e-9);
    expect(r.pad).toBe(0);
  });

  it('is deterministic by seed, uses only the train split, and writes the shard format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-gmm-'));
    const sents = sentences(dir);
    const log = generate(join(dir, 'a'), 3, sents, '0.005');
    generate(join(dir, 'b'), 3, sents, '0.005');
    generate(join(dir, 'c'), 4, sents, '0.005');
    expect(log).toMatch(/done: \d+ utterances, 0\.00\d h in 1 shard/);
    expect(shardBytes(join(dir, 'a'))).toBe(shardBytes(join(dir, 'b')));
    expect(shardBytes(join(dir, 'a'))).not.toBe(shardBytes(join(dir, 'c')));
    const meta = JSON.parse(readFileSync(join(dir, 'a/features.json'), 'utf8'));
    expect(meta).toMatchObject({ type: 'sphinx-mfcc', nMfcc: 13, quantScale: 1, quantOffset: 128 });
    expect(meta.alphabet.slice(0, 3)).toEqual(['<blank>', 'AA', 'AE']);
    const utts = readFileSync(join(dir, 'a/shard-000-000.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const frames = readFileSync(join(dir, 'a/shard-000-000.u8')).length / 13;
    expect(utts.reduce((s, u) => s + u.frames, 0)).toBe(frames);
    expect(frames).toBeGreaterThanOrEqual(1800); // 0.005 h of 10 ms frames
    expect(utts.every((u) => !u.text.includes('zebra'))).toBe(true); // never the dev sentence
    const cat = utts.find((u) => u.text === 'the cat sat on the mat');
    expect(cat).toBeDefined();
    expect(cat.labels.map((i: number) => meta.alphabet[i]).join(' ')).toBe('DH AH K AE T S AE T AA N DH AH M AE T');
    expect(utts.every((u) => u.frames > 3 * u.labels.length)).toBe(true); // at least 3 frames per phone, plus silence
  });
});

describe.skipIf(!numpy || !torch || !espeak || !model)(
  'generated features smoke run (numpy, python3-torch, espeak-ng)',
  () => {
    it('to_logmel.py fits the cepstra -> log-mel map on speech featurized both ways and writes generated features as log-mel shards', () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-gmm-lm-'));
      const texts = ['the cat sat on the mat', 'we went to the store', 'open the door and look outside'];
      const rows = texts.map((t, i) => {
        execFileSync('espeak-ng', ['-v', i === 1 ? 'en-us+f2' : 'en-us', '-w', join(dir, `u${i}.wav`), t]);
        return `u${i}\tu${i}.wav\t0\tespeak\tnone\t${t}\tAH`;
      });
      writeFileSync(join(dir, 'm.tsv'), rows.join('\n') + '\n');
      const dump = (out: string, spec: string) =>
        execFileSync(
          'npx',
          [
            'tsx',
            'models/recipe/dump_features.ts',
            '--manifest',
            join(dir, 'm.tsv'),
            '--out',
            join(dir, out),
            '--spec',
            spec,
          ],
          { cwd: REPO, stdio: 'ignore' },
        );
      dump('sx', 'models/recipe/config/features-sphinx.json');
      dump('lm', 'models/recipe/config/features.json');
      const tool = join(GEN, 'to_logmel.py');
      const fitLog = execFileSync(
        PY,
        [tool, 'fit', '--sx', join(dir, 'sx'), '--logmel', join(dir, 'lm'), '--out', join(dir, 'map.json')],
        { cwd: REPO, encoding: 'utf8' },
      );
      expect(fitLog).toMatch(/fit on 3 utterances/);
      const map = JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8'));
      expect(map.weights).toHaveLength(40);
      expect(map.weights[0]).toHaveLength(14);
      // 13 cepstra explain most of a speech band's log energy (the 25-filter bank spans 130-6800 Hz)
      const r2 = [...map.r2].sort((a: number, b: number) => a - b);
      expect(r2[20]).toBeGreaterThan(0.7);
      expect(map.maxFrameCountDifference).toBeLessThanOrEqual(3);
      generate(join(dir, 'gmm'), 1, sentences(dir), '0.003');
      for (const noise of ['0', '1']) {
        const out = join(dir, `gmm-lm-${noise}`);
        const log = execFileSync(
          PY,
          [tool, 'apply', '--map', join(dir, 'map.json'), '--in', join(dir, 'gmm'), '--out', out, '--noise', noise],
          { cwd: REPO, encoding: 'utf8' },
        );
        expect(log).toMatch(/utterances, 0\.00\d h of log-mel frames in 1 shard/);
        const meta = JSON.parse(readFileSync(join(out, 'features.json'), 'utf8'));
        expect(meta).toMatchObject({ type: 'logmel', nMels: 40, quantScale: 8, quantOffset: 0 });
        expect(meta.generator.how).toContain('to_logmel.py');
        expect(meta.generator.sourceGenerator.source).toContain('PocketSphinx en-us acoustic model');
        const src = readFileSync(join(dir, 'gmm/shard-000-000.jsonl'), 'utf8').trim().split('\n');
        const dst = readFileSync(join(out, 'shard-000-000.jsonl'), 'utf8').trim().split('\n');
        expect(dst.map((l) => JSON.parse(l).labels)).toEqual(src.map((l) => JSON.parse(l).labels));
        const frames = readFileSync(join(out, 'shard-000-000.u8'));
        expect(frames.length).toBe(dst.reduce((s, l) => s + JSON.parse(l).frames, 0) * 40);
        // log-mel values in the range speech has in the real features (not clipped at 0 or 255)
        const real = readFileSync(
          readdirSync(join(dir, 'lm'))
            .filter((f) => f.endsWith('.u8'))
            .map((f) => join(dir, 'lm', f))[0],
        );
        const mean = (b: Buffer) => b.reduce((s, v) => s + v, 0) / b.length;
        expect(Math.abs(mean(frames) - mean(real))).toBeLessThan(25);
        expect(frames.filter((v) => v === 0 || v === 255).length).toBeLessThan(frames.length * 0.01);
      }
    }, 120_000);

    it('generates, trains a few steps, exports, the engine loads the sphinx-mfcc package and the CLI transcribes', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-gmm-smoke-'));
      generate(join(dir, 'gmm'), 1, sentences(dir));
      const log = execFileSync(
        PY,
        [
          'models/recipe/train.py',
          `--train_dir=${dir}/gmm`,
          `--dev_dir=${dir}/gmm`,
          `--out_dir=${dir}/run`,
          '--init=scratch',
          '--hidden=16',
          '--layers=2',
          '--max_steps=4',
          '--log_every=1',
          '--threads=1',
        ],
        { cwd: REPO, encoding: 'utf8' },
      );
      expect(log).toMatch(/step 4 {2}loss/);
      execFileSync(
        PY,
        [
          'models/recipe/export.py',
          `${dir}/run/ckpt.pt`,
          `${dir}/pkg`,
          `--word-counts=${dir}/none.tsv`,
          '--features=models/recipe/config/features-sphinx.json',
        ],
        { cwd: REPO },
      );
      const pkg = await loadModelPackage(await nodeSource(join(dir, 'pkg')));
      expect(pkg.json.features).toMatchObject({ type: 'sphinx-mfcc', nMfcc: 13, windowSize: 410, fftSize: 512 });
      expect(pkg.json.layers[0].inputSize).toBe(13 * (pkg.json.stacking?.frames ?? 0));
      execFileSync('espeak-ng', ['-v', 'en-us', '-w', join(dir, 'a.wav'), 'the cat sat on the mat']);
      const out = execFileSync(
        process.execPath,
        ['main/cli/bin.mjs', 'transcribe', '--no-lm', '--model', `${dir}/pkg`, '--format', 'json', join(dir, 'a.wav')],
        { cwd: REPO, encoding: 'utf8' },
      );
      expect(JSON.parse(out).format).toBe('earshot-transcript');
    }, 120_000);
  },
);

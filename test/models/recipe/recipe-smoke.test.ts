import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';

const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const ready =
  spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

const SENTENCES = [
  'the cat sat on the mat',
  'we went to the store',
  'there is a dog in the house',
  'go forward ten meters',
];

/** CMUdict pronunciations of the words, stress digits stripped, ' | ' between words (the corpus manifest format). */
function phonemes(text: string, dict: Map<string, string>): string {
  return text
    .split(' ')
    .map((w) => dict.get(w)!)
    .join(' | ');
}

describe.skipIf(!ready || !existsSync(CMUDICT))('training recipe smoke run (espeak-ng, python3-torch)', () => {
  let dir = '';
  it('synthesizes, dumps features with the app featurizer, trains a few steps, exports, and the CLI transcribes with the result', () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-recipe-'));
    const dict = new Map<string, string>();
    for (const line of readFileSync(CMUDICT, 'utf8').split('\n')) {
      const [w, ...ph] = line.trim().split(/\s+/);
      if (w && !dict.has(w)) dict.set(w, ph.map((p) => p.replace(/\d/g, '')).join(' '));
    }
    mkdirSync(join(dir, 'wav'));
    const rows = ['id\twav_path\tduration_s\tvoice\taugment\ttext\tphonemes'];
    SENTENCES.forEach((s, i) => {
      execFileSync('espeak-ng', ['-v', 'en-us', '-w', join(dir, 'wav', `${i}.wav`), s]);
      rows.push(`u${i}\twav/${i}.wav\t0\tespeak-ng en-us\tnone\t${s}\t${phonemes(s, dict)}`);
    });
    writeFileSync(join(dir, 'train.tsv'), rows.join('\n') + '\n');
    execFileSync(
      'npx',
      ['tsx', 'models/recipe/dump_features.ts', '--manifest', join(dir, 'train.tsv'), '--out', join(dir, 'feat/train')],
      { cwd: REPO },
    );
    execFileSync(
      'npx',
      ['tsx', 'models/recipe/dump_features.ts', '--manifest', join(dir, 'train.tsv'), '--out', join(dir, 'feat/dev')],
      { cwd: REPO },
    );
    const log = execFileSync(
      PY,
      [
        'models/recipe/train.py',
        `--train_dir=${dir}/feat/train`,
        `--dev_dir=${dir}/feat/dev`,
        `--out_dir=${dir}/run`,
        '--hidden=16',
        '--layers=2',
        '--max_steps=4',
        '--log_every=1',
        '--threads=1',
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(log).toMatch(/step 4 {2}loss/);
    expect(log).toMatch(/dev PER/);
    execFileSync(PY, ['models/recipe/export.py', `${dir}/run/ckpt.pt`, `${dir}/pkg`, `--word-counts=${dir}/none.tsv`], {
      cwd: REPO,
    });
    const out = execFileSync(
      process.execPath,
      ['main/cli/bin.mjs', 'transcribe', '--no-lm', '--model', `${dir}/pkg`, '--format', 'json', `${dir}/wav/0.wav`],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(JSON.parse(out).format).toBe('earshot-transcript');
    const early = execFileSync(
      PY,
      [
        'models/recipe/train.py',
        `--train_dir=${dir}/feat/train`,
        `--dev_dir=${dir}/feat/dev`,
        `--out_dir=${dir}/run-early`,
        `--init=${dir}/run/ckpt.pt`,
        `--teacher=${dir}/run/ckpt.pt`,
        '--dropout=0.05',
        '--max_steps=2',
        '--log_every=1',
        '--threads=1',
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(early).toMatch(/teacher: .*ckpt\.pt, its outputs 1\.0 step\(s\) earlier/);
    expect(early).toMatch(/done: step 6, .*emission centroid/);
    expect(early).toMatch(/^dropout 0\.1 -> 0\.05$/m); // an explicit --dropout overrides the checkpoint's on resume
  });

  it('ships the features in checksummed parts and trains from them as on a GPU machine (gpu_train.sh, here on the CPU, with VTLP and tempo perturbation)', async () => {
    const ship = join(dir, 'ship'),
      res = join(dir, 'gpu-out');
    execFileSync('bash', ['models/recipe/ship_features.sh', join(dir, 'feat'), ship, '1'], { cwd: REPO });
    expect(readFileSync(join(ship, 'SHA256SUMS'), 'utf8')).toMatch(/train\.tar\.xz\.00/);
    const env = {
      ...process.env,
      SHIP: ship,
      STASH: join(dir, 'stash'),
      WORK: join(dir, 'work'),
      OUT: res,
      PYTHON: PY,
      TRAIN_ARGS: '--device=cpu --hidden=16 --layers=2 --max_steps=3 --threads=1 --vtlp_p=1 --tempo_p=1',
    };
    const log = execFileSync(
      'bash',
      ['models/recipe/gpu_train.sh', 'train', '0.5', 'models/recipe/config/acoustic-gpu.json'],
      { cwd: REPO, env, encoding: 'utf8' },
    );
    expect(log).toMatch(/train\.tar\.xz\.00: OK/);
    expect(log).toMatch(/done: step 3/);
    execFileSync(
      PY,
      ['models/recipe/export.py', join(res, 'acoustic-gpu.json'), `${dir}/pkg-gpu`, `--word-counts=${dir}/none.tsv`],
      { cwd: REPO },
    );
    const pkg = await loadModelPackage(await nodeSource(join(dir, 'pkg-gpu')));
    expect(pkg.json.layers.map((l) => l.hiddenSize)).toEqual([16, 16]);
  }, 240_000);

  it('exports a package the engine loads, with provenance and the training curves', async () => {
    const pkg = await loadModelPackage(await nodeSource(join(dir, 'pkg')));
    expect(pkg.json.kind).toBe('acoustic');
    expect(pkg.json.output.type === 'ctc' && pkg.json.output.units).toBe('phonemes');
    expect((pkg.json.provenance as { steps: number }).steps).toBe(4);
    expect(existsSync(join(dir, 'pkg', 'curves.svg'))).toBe(true);
  });

  it('averages two checkpoints of one lineage (different dropout) into one the engine loads, and says so', async () => {
    const log = execFileSync(
      PY,
      ['models/recipe/average.py', `${dir}/avg.pt`, `${dir}/run/ckpt.pt`, `${dir}/run-early/ckpt.pt`],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(log).toMatch(/averaged 2 checkpoints \(steps 4, 6\)/);
    execFileSync(PY, ['models/recipe/export.py', `${dir}/avg.pt`, `${dir}/pkg-avg`, `--word-counts=${dir}/none.tsv`], {
      cwd: REPO,
    });
    const avg = await loadModelPackage(await nodeSource(join(dir, 'pkg-avg')));
    const from = (avg.json.provenance as { averagedFrom: { step: number }[] }).averagedFrom;
    expect(from.map((a) => a.step)).toEqual([4, 6]);
    // the averaged weights are the mean: neither input's
    const a = await loadModelPackage(await nodeSource(join(dir, 'pkg')));
    const [key, first] = [...a.tensors][0];
    expect(Array.from(avg.tensors.get(key)!.data.slice(0, 8))).not.toEqual(Array.from(first.data.slice(0, 8)));
    // a soup of a soup keeps the inner list, so the provenance names every run in it
    execFileSync(PY, ['models/recipe/average.py', `${dir}/avg2.pt`, `${dir}/run/ckpt.pt`, `${dir}/avg.pt`], {
      cwd: REPO,
    });
    execFileSync(
      PY,
      ['models/recipe/export.py', `${dir}/avg2.pt`, `${dir}/pkg-avg2`, `--word-counts=${dir}/none.tsv`],
      {
        cwd: REPO,
      },
    );
    const avg2 = await loadModelPackage(await nodeSource(join(dir, 'pkg-avg2')));
    type Entry = { step: number; averagedFrom?: Entry[] };
    const outer = (avg2.json.provenance as { averagedFrom: Entry[] }).averagedFrom;
    expect(outer.map((a) => a.step)).toEqual([4, 6]);
    expect(outer[0].averagedFrom).toBeUndefined();
    expect(outer[1].averagedFrom!.map((a) => a.step)).toEqual([4, 6]);
  });
});

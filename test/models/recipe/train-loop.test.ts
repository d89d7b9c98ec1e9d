import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const torch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

function py(code: string): string {
  return execFileSync(PY, ['-c', code], { cwd: join(REPO, 'models/recipe'), encoding: 'utf8' });
}

// models/recipe/train_loop.py: the scaffolding that train.py, lm/train_lm.py, punct/train_punct.py and
// spell/train_spell.py share; the language model's and the tagger's training on a tiny corpus (train.py's smoke run is
// in recipe-smoke.test.ts).
describe.skipIf(!torch)("the training loops' shared scaffolding (python3-torch)", () => {
  it('steps to max_steps over as many passes as it takes, with warm-up then the cosine, and a running loss', () => {
    const out = JSON.parse(
      py(`
import json, torch
from train_loop import Loop
torch.manual_seed(0)
m = torch.nn.Linear(3, 1)
opt = torch.optim.AdamW(m.parameters(), lr=1.0)
x = torch.randn(8, 3)
passes, lrs, losses = [], [], []
def epoch():
    passes.append(1)
    return ["a", "b", "c"]
loop = Loop(m, opt, lr=1e-2, lr_min=1e-3, warmup_steps=4, grad_clip=1.0, budget_minutes=1e9, max_steps=10, smoothing=0.5)
seen = []
for b in loop.batches(epoch):
    seen.append(b)
    lrs.append(opt.param_groups[0]["lr"])
    loss = (m(x) ** 2).mean()
    losses.append(loss.item())
    loop.update(loss)
ema = losses[0]
for v in losses[1:]:
    ema = 0.5 * ema + 0.5 * v
resumed = Loop(m, opt, lr=1e-2, lr_min=1e-3, warmup_steps=0, grad_clip=1.0, budget_minutes=1e9, max_steps=3, step0=loop.step)
first_lr = None
for b in resumed.batches(epoch):
    first_lr = resumed.lr if first_lr is None else first_lr
    resumed.update((m(x) ** 2).mean())
print(json.dumps(dict(steps=loop.step, passes=len(passes), seen="".join(seen), lrs=lrs, run_loss=loop.run_loss, ema=ema,
                      resumed_step=resumed.step, first_lr=first_lr)))
`),
    );
    expect(out.steps).toBe(10);
    expect(out.seen).toBe('abcabcabca'); // 3 full passes and one batch of a 4th
    // the resumed run's 3 steps take pass 5; pass 6 is drawn before the budget check ends the loop, as in the
    // flat loops before (where each pass's batches, and the random draws for them, came before the check)
    expect(out.passes).toBe(6);
    const cosine = (k: number) => 1e-3 + 0.5 * 9e-3 * (1 + Math.cos((Math.PI * k) / 10));
    for (let k = 0; k < 10; k++) expect(out.lrs[k]).toBeCloseTo(Math.min(1, (k + 1) / 4) * cosine(k), 12);
    expect(out.lrs[0]).toBeCloseTo(2.5e-3, 12); // a quarter of lr: the first of 4 warm-up steps
    expect(out.run_loss).toBe(out.ema);
    expect(out.resumed_step).toBe(13); // steps count on from step0; max_steps counts this run's
    expect(out.first_lr).toBeCloseTo(1e-2, 12); // no warm-up when resuming: the cosine starts at lr
  });

  it('stops at a signal or when the CPU budget is spent; keeps the latest checkpoint and the best by its metric', () => {
    const out = JSON.parse(
      py(`
import itertools, json, os, signal, tempfile, torch
from train_loop import Checkpoints, Loop, stop_on_signals
m = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
stop = stop_on_signals()
loop = Loop(m, opt, lr=0.1, lr_min=0.01, warmup_steps=0, grad_clip=1.0, budget_minutes=1e9, stop=stop)
for _ in loop.batches(lambda: itertools.repeat(None)):
    loop.update(m(torch.ones(1, 2)).sum())
    if loop.step == 2:
        os.kill(os.getpid(), signal.SIGTERM)
signalled = loop.step
cpu = Loop(m, opt, lr=0.1, lr_min=0.01, warmup_steps=0, grad_clip=1.0, budget_minutes=0.002, clock="cpu")
for _ in cpu.batches(lambda: itertools.repeat(None)):
    cpu.update(m(torch.ones(1, 2)).sum())
d = tempfile.mkdtemp()
ck = Checkpoints(d)
found = []
for v, metric in ((1, 0.5), (2, 0.7), (3, float("nan")), (4, 0.4)):
    ck.save(dict(v=v, opt={"state": v}), metric)
    last, best = torch.load(os.path.join(d, "ckpt.pt")), torch.load(os.path.join(d, "ckpt-best.pt"))
    found.append([last["v"], best["v"], best["opt"]])
lm = tempfile.mkdtemp()
Checkpoints(lm).save(dict(v=1))
sn = tempfile.mkdtemp()
snaps = Checkpoints(sn, snapshots=True)
for step, metric in ((120, 0.5), (340, 0.6)):
    snaps.save(dict(step=step, v=step, opt={"state": 1}), metric)
snap = torch.load(os.path.join(sn, "snap-0000120.pt"))
print(json.dumps(dict(signalled=signalled, cpu_steps=cpu.step, cpu_progress=cpu.progress(), found=found,
                      files=sorted(os.listdir(d)), lm_files=sorted(os.listdir(lm)), snap_files=sorted(os.listdir(sn)),
                      snap=[snap["v"], snap["opt"]])))
`),
    );
    expect(out.signalled).toBe(2);
    expect(out.cpu_steps).toBeGreaterThan(0);
    expect(out.cpu_progress).toBeGreaterThanOrEqual(1);
    expect(out.found).toEqual([
      [1, 1, null],
      [2, 1, null], // a worse metric: the best stays
      [3, 1, null], // NaN (no dev set) is never best
      [4, 4, null],
    ]);
    expect(out.files).toEqual(['ckpt-best.pt', 'ckpt.pt']); // no .tmp left behind
    expect(out.lm_files).toEqual(['ckpt.pt']); // no metric: no best file
    // snapshots: every saved state kept by its step, weights only; the best and latest as before
    expect(out.snap_files).toEqual(['ckpt-best.pt', 'ckpt.pt', 'snap-0000120.pt', 'snap-0000340.pt']);
    expect(out.snap).toEqual([120, null]);
  });

  it('train_lm.py trains a few steps on a tiny corpus and resumes; train_punct.py trains to its CPU budget', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-train-loop-'));
    const words = ['the', 'cat', 'sat', 'on', 'mat', 'a', 'dog', 'ran', 'home', 'and'];
    const sentences = Array.from({ length: 60 }, (_, i) =>
      Array.from({ length: 3 + (i % 5) }, (_, j) => words[(i * 7 + j * 3) % words.length]),
    );
    writeFileSync(join(dir, 'vocab.txt'), ['<unk>', '<eos>', ...words].join('\n') + '\n');
    writeFileSync(join(dir, 'train.txt'), sentences.map((s) => s.join(' ')).join('\n') + '\n');
    writeFileSync(
      join(dir, 'test.txt'),
      sentences
        .slice(0, 8)
        .map((s) => s.join(' '))
        .join('\n') + '\n',
    );
    const lm = ['--embedding=8', '--hidden=8', '--batch_tokens=64', '--log_every=1', '--threads=1', '--device=cpu'];
    const run = (script: string, args: string[]) =>
      execFileSync(PY, [script, ...args], { cwd: REPO, encoding: 'utf8' });
    const first = run('models/recipe/lm/train_lm.py', [
      `--data_dir=${dir}`,
      `--out_dir=${dir}/lm`,
      '--max_steps=4',
      ...lm,
    ]);
    expect(first).toMatch(/step 4 {2}loss [\d.]+ \(ppl \d+\) {2}lr /);
    expect(first).toMatch(/done: step 4, /);
    const more = run('models/recipe/lm/train_lm.py', [
      `--data_dir=${dir}`,
      `--out_dir=${dir}/lm2`,
      `--init=${dir}/lm/ckpt.pt`,
      '--max_steps=2',
      ...lm,
    ]);
    expect(more).toMatch(/resumed from checkpoint .* \(step 4\)/);
    expect(more).toMatch(/done: step 6, /);

    const punct = join(dir, 'punct');
    const tag = (s: string[]) => s.map((w, j) => `${w}|${j === 0 ? 'c' : 'l'}|${j === s.length - 1 ? '.' : '-'}`);
    mkdirSync(punct);
    writeFileSync(join(punct, 'vocab.txt'), ['<unk>', '<pad>', ...words].join('\n') + '\n');
    writeFileSync(join(punct, 'train.txt'), sentences.map((s) => tag(s).join(' ')).join('\n') + '\n');
    writeFileSync(
      join(punct, 'dev.txt'),
      sentences
        .slice(0, 4)
        .map((s) => tag(s).join(' '))
        .join('\n') + '\n',
    );
    const tagger = run('models/recipe/punct/train_punct.py', [
      `--data_dir=${punct}`,
      `--out_dir=${punct}/run`,
      '--embedding=8',
      '--hidden=8',
      '--batch=4',
      '--budget_cpu_minutes=0.01',
      '--threads=1',
    ]);
    expect(tagger).toMatch(/dev, look-ahead 3: \{"model"/);
    expect(tagger).toMatch(/done: step [1-9]\d*, \d+ words/);
  }, 180_000);
});

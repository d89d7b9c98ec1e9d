import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const torch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

function py(code: string): string {
  return execFileSync(PY, ['-c', code], { cwd: join(REPO, 'models/recipe'), encoding: 'utf8' });
}

describe.skipIf(!torch)('recipe tools (python3-torch)', () => {
  it('VTLP warp matrices: identity at alpha 1, rows that sum to 1, alpha < 1 moves the spectrum up', () => {
    const out = JSON.parse(
      py(`
import json, torch
from vtlp import warp_matrices
W = warp_matrices(torch.tensor([1.0, 0.85, 1.15]), 40, 16000)
x = torch.zeros(40); x[20] = 1.0        # energy in one band
up, down = W[1] @ x, W[2] @ x
print(json.dumps(dict(identity=bool(torch.allclose(W[0], torch.eye(40), atol=1e-6)),
  rowmin=float(W.sum(-1).min()), rowmax=float(W.sum(-1).max()),
  up=float((up * torch.arange(40.)).sum() / up.sum()), down=float((down * torch.arange(40.)).sum() / down.sum()))))`),
    );
    expect(out.identity).toBe(true);
    expect(out.rowmin).toBeCloseTo(1, 6);
    expect(out.rowmax).toBeCloseTo(1, 6);
    expect(out.up).toBeGreaterThan(20.5); // a shorter vocal tract: the band's energy shows up higher
    expect(out.down).toBeLessThan(19.5);
  });

  it('emission-delay distillation: zero when the student is the teacher moved a step earlier, steps past the length ignored', () => {
    const out = JSON.parse(
      py(`
import json, math, torch
from losses import distill_loss
torch.manual_seed(0)
t = torch.log_softmax(torch.randn(2, 12, 5) * 3, -1)
lens = torch.tensor([12, 8])
early = torch.cat([t[:, 1:], t[:, -1:]], 1)                 # the teacher's outputs one step sooner
late = early.clone(); late[1, 7:] = torch.log_softmax(torch.randn(5, 5), -1)   # student 2 differs only past its length - 1
print(json.dumps(dict(early=float(distill_loss(early, t, lens, 1)), same=float(distill_loss(t, t, lens, 1)),
  past=float(distill_loss(late, t, lens, 1)), short=float(distill_loss(t[:, :1], t[:, :1], lens, 1)),
  whole=float(distill_loss(early, t, lens, 1.0)), half=float(distill_loss(torch.logaddexp(t, early[:, :]) - math.log(2), t, lens, 0.5)))))`),
    );
    expect(out.early).toBeCloseTo(0, 6);
    expect(out.same).toBeGreaterThan(0.1); // unmoved outputs are a step late
    expect(out.past).toBeCloseTo(0, 6);
    expect(Math.abs(out.short)).toBe(0); // nothing to compare: a zero that still has a graph
    expect(out.whole).toBeCloseTo(0, 6);
    expect(out.half).toBeCloseTo(0, 5); // half a step: the mean of the two steps' distributions
  });

  it('config overrides keep the default type, a fraction stays a float, and a value ending in .json is a value', () => {
    const out = JSON.parse(
      py(`
import json
from configurator import load_config
c = load_config(dict(a=7, b=2.5, c="x", d=False, e=3, f="y"), ["--a=0.3", "--b=4", "--c=7", "--d=1", "--e=5", "--f=run/ckpt.json"], here=".", repo=".")
print(json.dumps(c))`),
    );
    expect(out).toEqual({ a: 0.3, b: 4, c: '7', d: true, e: 5, f: 'run/ckpt.json' });
  });

  it('a portable checkpoint (json + safetensors) round-trips the weights and what export needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-ckpt-'));
    const out = JSON.parse(
      py(`
import json, torch
from model import AcousticConfig, AcousticRNN, config_dict
from checkpoint_io import write_portable, load_checkpoint
torch.manual_seed(0)
m = AcousticRNN(AcousticConfig(hidden=8, layers=2))
ck = dict(config=config_dict(m.cfg), model=m.state_dict(), step=5, mean=torch.randn(40), std=torch.rand(40) + 0.5,
          history=[dict(step=5, dev_per=float("nan"))], train_hours=0.1, train_cfg=dict(lr=1e-3), alphabet=["_", "AA"],
          dev_loss=1.5, dev_per=float("nan"))
write_portable(ck, "${dir}/c")
back = load_checkpoint("${dir}/c.json")
same = all(torch.equal(back["model"][k], v) for k, v in m.state_dict().items())
print(json.dumps(dict(same=same, step=back["step"], mean=bool(torch.allclose(back["mean"], ck["mean"])), alphabet=back["alphabet"],
  per_nan=back["dev_per"] != back["dev_per"], hist=back["history"][0]["dev_per"])))`),
    );
    expect(out).toEqual({ same: true, step: 5, mean: true, alphabet: ['_', 'AA'], per_nan: true, hist: null });
  });

  it('widen.py: wider layers compute the same outputs, and one training step brings the new units in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-widen-'));
    py(`
import torch
from model import AcousticConfig, AcousticRNN, config_dict
torch.manual_seed(0)
m = AcousticRNN(AcousticConfig(hidden=8, layers=2, dropout=0.0))
torch.save(dict(config=config_dict(m.cfg), model=m.state_dict(), step=7, mean=torch.zeros(40), std=torch.ones(40),
                history=[dict(step=7)], opt=None), "${dir}/small.pt")`);
    const log = execFileSync(
      PY,
      [join(REPO, 'models/recipe/widen.py'), `${dir}/small.pt`, `${dir}/wide.pt`, '--hidden', '12,10'],
      {
        encoding: 'utf8',
      },
    );
    expect(log).toContain('widened [8, 8] -> [12, 10]');
    const out = JSON.parse(
      py(`
import json, torch
from model import AcousticConfig, AcousticRNN
from checkpoint_io import load_checkpoint
a_ck, b_ck = load_checkpoint("${dir}/small.pt"), load_checkpoint("${dir}/wide.pt")
a = AcousticRNN(AcousticConfig(**a_ck["config"])); a.load_state_dict(a_ck["model"]); a.eval()
b = AcousticRNN(AcousticConfig(**b_ck["config"])); b.load_state_dict(b_ck["model"]); b.eval()
x = torch.randn(3, 50, 120)
change = float((a(x)[0] - b(x)[0]).abs().max())
# one step of plain SGD on some loss: the zero weights that read the new units must move
b.train()
loss = -b(x)[0][..., 1].mean()
loss.backward()
read = b.out.weight.grad[:, 8:].abs().sum().item() + b.rnns[1].weight_ih_l0.grad[:, 8:].abs().sum().item()
print(json.dumps(dict(change=change, sizes=b_ck["config"]["hidden_sizes"], step=b_ck["step"], opt=b_ck["opt"],
  read_grad=read, zero_read=float(b_ck["model"]["out.weight"][:, 8:].abs().sum()),
  src=b_ck["widened_from"]["sizes"])))`),
    );
    expect(out.change).toBeLessThan(1e-6);
    expect(out.sizes).toEqual([12, 10]);
    expect(out.step).toBe(7);
    expect(out.opt).toBeNull();
    expect(out.src).toEqual([8, 8]);
    expect(out.zero_read).toBe(0);
    expect(out.read_grad).toBeGreaterThan(0);
    const narrower = spawnSync(
      PY,
      [join(REPO, 'models/recipe/widen.py'), `${dir}/small.pt`, `${dir}/x.pt`, '--hidden', '6'],
      {
        encoding: 'utf8',
      },
    );
    expect(narrower.status).not.toBe(0);
    expect(narrower.stderr).toContain('layer 0: 6 units is narrower than the model');
  });

  it('fit_check.py: PER 0 where the labels are the greedy output of the model itself, per source, and a wrong width refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-fit-'));
    // A random model and two tiny feature splits in the shard format: in "own", each utterance's labels are what
    // the model itself reads from the frames (through the same quantisation, normalisation and stacking), in
    // "other" the same labels one utterance on, so only a pipeline that matches the model's gives PER 0.
    py(`
import json, os, torch
from model import AcousticConfig, AcousticRNN, config_dict
from per import ctc_greedy
torch.manual_seed(3)
m = AcousticRNN(AcousticConfig(n_mels=4, hidden=8, layers=1, n_units=5, dropout=0.0)); m.eval()
with torch.no_grad():
    m.out.bias[0] = -4.0                                   # blank seldom best: every utterance reads some units
mean, std = torch.full((4,), 2.0), torch.full((4,), 0.5)
torch.save(dict(config=config_dict(m.cfg), model=m.state_dict(), step=1, mean=mean, std=std, history=[], opt=None),
           "${dir}/m.pt")
q = torch.randint(0, 255, (6 * 30, 4), dtype=torch.uint8)
labels = []
for i in range(6):
    x = (q[i * 30:(i + 1) * 30].float() - 10) / 50
    lp, _ = m(((x - mean) / std).reshape(1, 10, 12))
    labels.append(ctc_greedy(lp[0].argmax(-1).tolist()))
    assert labels[-1], 'an utterance with no units'
voices = ["real:bass:s0", "real:bass:s1", "real:fotaq:c1", "espeak:en+f1", "espeak:en+m2", "flite-rms"]
for name, shift in (("own", 0), ("other", 1)):
    os.makedirs(f"${dir}/{name}")
    json.dump(dict(type="logmel", nMels=4, quantScale=50, quantOffset=10, hopSize=160, sampleRate=16000,
                   alphabet=["_", "a", "b", "c", "d"]), open(f"${dir}/{name}/features.json", "w"))
    open(f"${dir}/{name}/shard-000-000.u8", "wb").write(q.numpy().tobytes())
    with open(f"${dir}/{name}/shard-000-000.jsonl", "w") as f:
        for i in range(6):
            f.write(json.dumps(dict(id=f"u{i}", offset=i * 30, frames=30, labels=labels[(i + shift) % 6], voice=voices[i])) + "\\n")`);
    const log = execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/eval/fit_check.py'),
        `${dir}/m.pt`,
        `${dir}/own`,
        `${dir}/other`,
        '--json',
        `${dir}/out.json`,
      ],
      { encoding: 'utf8' },
    );
    expect(log).toContain('6 utterances');
    const out = JSON.parse(readFileSync(`${dir}/out.json`, 'utf8'));
    const own = out.splits[`${dir}/own`],
      other = out.splits[`${dir}/other`];
    expect(own.per).toBe(0);
    expect(other.per).toBeGreaterThan(0);
    expect(Object.keys(own.sources)).toEqual(['espeak', 'flite-rms', 'real:bass', 'real:fotaq']);
    expect(own.sources['real:bass'].utterances).toBe(2);
    expect(own.loss).toBeLessThan(other.loss);
    py(`
import json
m = json.load(open("${dir}/own/features.json")); m["nMels"] = 5
json.dump(m, open("${dir}/own/features.json", "w"))`);
    const wrong = spawnSync(PY, [join(REPO, 'models/recipe/eval/fit_check.py'), `${dir}/m.pt`, `${dir}/own`], {
      encoding: 'utf8',
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('5 features per frame, the model reads 4');
  });

  it('word_crops.py: the Viterbi CTC path gives each label its steps, and crops carry their words, labels and audio', () => {
    // A path known in advance (blank _, labels a b b c; the two b's need a blank between them): its spans come back.
    const spans = JSON.parse(
      py(`
import json, torch
from word_crops import ctc_viterbi
path = [0, 1, 1, 0, 2, 0, 2, 2, 0, 3, 0, 0]
lp = torch.full((len(path), 4), -6.0)
for t, k in enumerate(path):
    lp[t, k] = -0.01
spans, score = ctc_viterbi(lp, [1, 2, 2, 3])
print(json.dumps(dict(spans=spans, score=score, short=ctc_viterbi(lp[:4], [1, 2, 2, 3]))))`),
    );
    expect(spans.spans).toEqual([
      [1, 2],
      [4, 4],
      [6, 7],
      [9, 9],
    ]);
    expect(spans.score).toBeCloseTo(-0.12, 5);
    expect(spans.short).toBeNull(); // 4 steps cannot hold a b _ b c
    // End to end with a random model: two sentences (one whose per-word phonemes do not add up to its labels,
    // which is skipped and counted), crops inside the sentence, their labels the words' own, and WAV cuts of
    // the same frames.
    const dir = mkdtempSync(join(tmpdir(), 'earshot-crops-'));
    py(`
import json, os, struct, wave, torch
from model import AcousticConfig, AcousticRNN, config_dict
torch.manual_seed(5)
m = AcousticRNN(AcousticConfig(n_mels=4, hidden=8, layers=1, n_units=5, dropout=0.0))
torch.save(dict(config=config_dict(m.cfg), model=m.state_dict(), step=1, mean=torch.zeros(4), std=torch.ones(4),
                history=[], opt=None), "${dir}/m.pt")
os.makedirs("${dir}/split"); os.makedirs("${dir}/wav")
json.dump(dict(type="logmel", nMels=4, quantScale=50, quantOffset=10, hopSize=160, sampleRate=16000,
               alphabet=["<blank>", "AA", "B", "K", "D"]), open("${dir}/split/features.json", "w"))
q = torch.randint(0, 255, (150, 4), dtype=torch.uint8)
open("${dir}/split/shard-000-000.u8", "wb").write(q.numpy().tobytes())
rows = [dict(id="s1", offset=0, frames=90, labels=[2, 1, 4, 3, 1, 2, 2, 1, 4], text="bad cab bad", voice="real:x:a"),
        dict(id="s2", offset=90, frames=60, labels=[2, 1, 4], text="bad", voice="real:x:b")]
with open("${dir}/split/shard-000-000.jsonl", "w") as f:
    f.write("".join(json.dumps(r) + "\\n" for r in rows))
for r in rows:
    with wave.open(f"${dir}/wav/{r['id']}.wav", "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
        w.writeframes(struct.pack(f"<{r['frames'] * 160}h", *range(r['frames'] * 160)))
with open("${dir}/train.tsv", "w") as f:
    f.write("s1\\twav/s1.wav\\t0.9\\treal:x:a\\tnone\\tbad cab bad\\tB AA D | K AA B | AA D\\n")   # last word's phonemes wrong
    f.write("s2\\twav/s2.wav\\t0.6\\treal:x:b\\tnone\\tbad\\tB AA D\\n")
with open("${dir}/ok.tsv", "w") as f:
    f.write("s1\\twav/s1.wav\\t0.9\\treal:x:a\\tnone\\tbad cab bad\\tB AA D | K AA B | AA D\\n".replace("| AA D", "| B AA D"))
    f.write("s2\\twav/s2.wav\\t0.6\\treal:x:b\\tnone\\tbad\\tB AA D\\n")`);
    const run = (manifest: string, out: string) =>
      execFileSync(
        PY,
        [
          join(REPO, 'models/recipe/word_crops.py'),
          `${dir}/m.pt`,
          `${dir}/split`,
          `${dir}/${manifest}`,
          `${dir}/${out}`,
          '--min-score',
          '-100',
          '--per-utterance',
          '4',
          '--wav-out',
          `${dir}/${out}-wav`,
        ],
        { encoding: 'utf8' },
      );
    const bad = spawnSync(
      PY,
      [
        join(REPO, 'models/recipe/word_crops.py'),
        `${dir}/m.pt`,
        `${dir}/split`,
        `${dir}/train.tsv`,
        `${dir}/bad`,
        '--min-score',
        '-100',
      ],
      { encoding: 'utf8' },
    );
    expect(bad.status).not.toBe(0); // s1 skipped, s2 a one-word sentence: nothing to crop
    expect(bad.stderr).toContain("'label_mismatch': 1");
    run('ok.tsv', 'crops');
    const counts = JSON.parse(readFileSync(`${dir}/crops/crops.json`, 'utf8'));
    expect(counts).toMatchObject({ sentences: 2, kept: 2, label_mismatch: 0 });
    const crops = readFileSync(`${dir}/crops/shard-000-000.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const phones: Record<string, number[]> = { bad: [2, 1, 4], cab: [3, 1, 2] };
    expect(crops.length).toBe(counts.crops);
    expect(crops.length).toBeGreaterThanOrEqual(3); // the three words of s1 and a two-word span
    for (const c of crops) {
      expect(c.id.startsWith('s1~w')).toBe(true);
      expect(c.labels).toEqual(c.text.split(' ').flatMap((w: string) => phones[w]));
      expect(c.text.split(' ').length).toBeLessThan(3);
      expect(c.crop[0]).toBeGreaterThanOrEqual(0);
      expect(c.crop[1]).toBeLessThanOrEqual(90);
      expect(c.frames).toBe(c.crop[1] - c.crop[0] + c.pad[0] + c.pad[1]);
    }
    const meta = JSON.parse(readFileSync(`${dir}/crops/features.json`, 'utf8'));
    expect(meta.derivedFrom.tool).toBe('models/recipe/word_crops.py');
    expect(meta.alphabet).toEqual(['<blank>', 'AA', 'B', 'K', 'D']);
    // each WAV holds the samples of its crop's frames: the ramp written above, from sample crop[0] * 160
    const wavs = JSON.parse(
      py(`
import json, os, struct, wave
out = []
for line in open("${dir}/crops-wav/crops.tsv"):
    name, text = line.rstrip("\\n").split("\\t")
    with wave.open(os.path.join("${dir}/crops-wav", name)) as w:
        n = w.getnframes(); first = struct.unpack("<h", w.readframes(1))[0] if n else None
    out.append(dict(name=name, text=text, n=n, first=first))
print(json.dumps(out))`),
    );
    expect(wavs.length).toBe(crops.length);
    wavs.forEach((w: { n: number; first: number; text: string }, i: number) => {
      expect(w.text).toBe(crops[i].text);
      expect(w.n).toBe((crops[i].crop[1] - crops[i].crop[0]) * 160);
      expect(w.first).toBe(crops[i].crop[0] * 160);
    });
    // --pad-from other: s1's crops are padded with s2's quiet frames (the only other sentence), and say so
    execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/word_crops.py'),
        `${dir}/m.pt`,
        `${dir}/split`,
        `${dir}/ok.tsv`,
        `${dir}/crops-other`,
        '--min-score',
        '-100',
        '--pad-from',
        'other',
      ],
      { encoding: 'utf8' },
    );
    const other = JSON.parse(
      py(`
import json
q = open("${dir}/split/shard-000-000.u8", "rb").read()
s1 = {q[i * 4:(i + 1) * 4] for i in range(0, 90)}
s2 = {q[i * 4:(i + 1) * 4] for i in range(90, 150)}
c = open("${dir}/crops-other/shard-000-000.u8", "rb").read()
out = []
for line in open("${dir}/crops-other/shard-000-000.jsonl"):
    r = json.loads(line)
    rows = [c[(r["offset"] + i) * 4:(r["offset"] + i + 1) * 4] for i in range(r["frames"])]
    pads = rows[:r["pad"][0]] + rows[len(rows) - r["pad"][1]:]
    out.append(dict(padFrom=r.get("padFrom"), pads=len(pads), fromS2=sum(p in s2 and p not in s1 for p in pads)))
print(json.dumps(dict(rows=out, meta=json.load(open("${dir}/crops-other/features.json"))["derivedFrom"])))`),
    );
    expect(other.meta.padFrom).toBe('other');
    expect(other.rows.length).toBeGreaterThanOrEqual(3);
    expect(other.rows.some((r: { pads: number }) => r.pads > 0)).toBe(true);
    for (const r of other.rows) {
      expect(r.padFrom).toBe('s2');
      expect(r.fromS2).toBe(r.pads); // every pad frame is one of s2's (and not also one of s1's)
    }
  });
});

describe.skipIf(!torch)('running normalisation: engine and recipe agree (models/recipe/cmn.py)', () => {
  it('gives the same normalised frames as the engine Normalizer, within and past the window', async () => {
    const { Normalizer } = await import('../../../renderer/engine/features/normalizer');
    const { writeFileSync, readFileSync } = await import('node:fs');
    const D = 5,
      T = 700,
      prior = 100,
      window = 300;
    let seed = 7;
    const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const x = Float32Array.from({ length: T * D }, (_, i) => 12 + 6 * rnd() + (i % D) + (i > 400 * D ? 3 : 0));
    const mean = Float32Array.from({ length: D }, (_, d) => 14 + d),
      std = Float32Array.from({ length: D }, (_, d) => 2 + d / 10);
    const dir = mkdtempSync(join(tmpdir(), 'cmn-'));
    writeFileSync(join(dir, 'x.f32'), Buffer.from(x.buffer));
    writeFileSync(join(dir, 'mean.f32'), Buffer.from(mean.buffer));
    writeFileSync(join(dir, 'std.f32'), Buffer.from(std.buffer));
    execFileSync(PY, [
      join(REPO, 'models/recipe/cmn.py'),
      join(dir, 'x.f32'),
      join(dir, 'mean.f32'),
      join(dir, 'std.f32'),
      String(prior),
      String(window),
      join(dir, 'y.f32'),
    ]);
    const y = new Float32Array(readFileSync(join(dir, 'y.f32')).buffer.slice(0));
    const n = new Normalizer(
      { mean: Array.from(mean), std: Array.from(std), running: { priorFrames: prior, windowFrames: window } },
      D,
    );
    let maxDiff = 0;
    for (let t = 0; t < T; t++) {
      const out = n.apply(x.slice(t * D, (t + 1) * D));
      for (let d = 0; d < D; d++) maxDiff = Math.max(maxDiff, Math.abs(out[d] - y[t * D + d]));
    }
    expect(y.length).toBe(T * D);
    expect(maxDiff).toBeLessThan(1e-4);
  });
});

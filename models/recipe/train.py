"""Trains the phoneme-CTC acoustic model on feature shards.  Flat, nanoGPT style.

    /usr/bin/python3 models/recipe/train.py config/acoustic-cpu.json [--key=value ...]

Resume: --init=default starts from the committed model (models/default/acoustic), --init=PATH.pt from
a checkpoint, --init=scratch from random weights. Every checkpoint carries its config; a resumed model keeps
its own network shape and dropout, unless --dropout is given.
Runs on CUDA when there is one (--device=auto).

Several training splits mix with weights: --train_dir=data/features/train:0.5,data/features/real-train:3
(each utterance of a split is drawn WEIGHT times per epoch; fractions draw a new subset each epoch).
Several dev splits (--dev_dir=A,B) are each evaluated; the best checkpoint has the lowest mean PER.
--cmn_prior=P --cmn_window=W: per-stream running mean normalisation (models/recipe/cmn.py, the
engine's Normalizer); 0 keeps the global statistics. --lead_trim_p: the share of utterances whose
leading silence is cut to a random length, none included. --tempo_p: the share of utterances read at a
random rate in [tempo_min, tempo_max] (frames interpolated along time: speaking rate changes, spectra do not).
"""
import math
import os
import random
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import AcousticConfig, AcousticRNN, config_dict, load_trained  # noqa: E402
from shards import ShardSet, concat, parse_dirs, speech_onsets  # noqa: E402
from cmn import normalise  # noqa: E402
from curves import write_curves  # noqa: E402
from configurator import load_config, pack_by_size  # noqa: E402
from vtlp import warp_matrices  # noqa: E402
from losses import ctc_loss, distill_loss  # noqa: E402
from per import ctc_greedy, edit_distance  # noqa: E402
from train_loop import Checkpoints, Loop, setup  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# ---- configuration: defaults, then a JSON file, then --key=value -------------------------------
cfg = load_config(dict(
    train_dir="data/features/train", dev_dir="data/features/dev", out_dir="data/runs/acoustic",
    init="scratch",                 # scratch | default | path/to/ckpt.pt | path/to/package-folder
    default_package="models/default/acoustic",
    hidden=256, layers=3, cell="gru", stack=3,
    dropout=None,                   # between RNN layers; None: 0.1 from scratch, the checkpoint's own when resuming
    batch_frames=12000,             # feature frames per batch (~32 utterances of 4 s)
    lr=2e-3, lr_min=1e-4, warmup_steps=200, weight_decay=1e-2, grad_clip=5.0,
    budget_minutes=55.0, max_steps=10**9, eval_minutes=8.0, dev_limit=300,
    freq_masks=2, freq_mask_width=6, time_masks=2, time_mask_width=15, gain_jitter=0.5,
    vtlp_p=0.0, vtlp_min=0.8, vtlp_max=1.12,   # vocal-tract-length perturbation: P(warp), range of the frequency scale
    tempo_p=0.0, tempo_min=0.87, tempo_max=1.15,  # tempo perturbation in the feature domain: P(resample the frame axis), rate range
    teacher="",                     # distil from this model (package folder | checkpoint | default), its outputs moved
    distill_shift=1.0,              # ... this many steps earlier (fractions mix two steps): the student learns to spike sooner
    distill_weight=0.15,            # weight of the per-step KL(teacher at t+shift || student at t) next to the CTC loss (2 cost 20 WER points)
    cmn_prior=0, cmn_window=600,     # running mean normalisation: weight of the stored mean in frames (0: global), window
    cmn_init_jitter=0.0,            # ... training only: shift the running mean's start by U(-j, j) nats (a stream's earlier level)
    lead_trim_p=0.0,                # share of utterances whose leading silence is cut to U(0, all of it)
    snapshots=False,                # also keep each evaluation's weights as OUT/snap-STEP.pt (to average with average.py)
    threads=1, device="auto", seed=1234, log_every=20,
), sys.argv[1:], here=HERE, repo=REPO, path_keys=("out_dir", "default_package"))

cfg["dropout"] = None if cfg["dropout"] in (None, "") else float(cfg["dropout"])   # no default type to parse by
device = setup(cfg)
random.seed(cfg["seed"])

train_parts = parse_dirs(cfg["train_dir"], REPO)
train = concat([ShardSet(d) for d, _ in train_parts], [w for _, w in train_parts], [os.path.relpath(d, REPO) for d, _ in train_parts])
for d, w in train_parts:
    us = [u for u in train.utts if u["source"] == os.path.relpath(d, REPO)]
    h = sum(u["frames"] for u in us) * train.spec["hopSize"] / train.spec["sampleRate"] / 3600
    print(f"train part {os.path.relpath(d, REPO)}: {len(us)} utterances, {h:.2f} h, weight {w}")
onsets = speech_onsets(train) if cfg["lead_trim_p"] > 0 else None
devs = {os.path.relpath(d, REPO): ShardSet(d, limit=cfg["dev_limit"]) for d, _ in parse_dirs(cfg["dev_dir"], REPO) if os.path.isdir(d)}
dev = next(iter(devs.values()), None)
print(f"train: {len(train.utts)} utterances, {train.hours():.2f} h;  dev: {', '.join(f'{k} {len(v.utts)}' for k, v in devs.items()) or 'none'};  device {device}")

# ---- model: from scratch, from the committed package, or from a checkpoint ---------------------
def load_model(init: str):
    """-> (config, model, mean, std, step, optimiser state, history) from a package folder or a checkpoint."""
    m, ck = load_trained(init)
    return m.cfg, m, ck["mean"], ck["std"], ck["step"], ck.get("opt"), ck.get("history", [])


step0, mean, std, opt_state, history = 0, None, None, None, []
init = cfg["default_package"] if cfg["init"] == "default" else cfg["init"]
if init != "scratch":
    mcfg, model, mean, std, step0, opt_state, history = load_model(init)
    print(f"resumed from {init} (step {step0})")
else:
    mcfg = AcousticConfig(n_mels=train.n_mels, stack=cfg["stack"], cell=cfg["cell"], hidden=cfg["hidden"], layers=cfg["layers"],
                          n_units=len(train.alphabet), dropout=0.1 if cfg["dropout"] is None else cfg["dropout"])
    model = AcousticRNN(mcfg)
if cfg["dropout"] is not None and cfg["dropout"] != mcfg.dropout:  # resuming with another dropout
    print(f"dropout {mcfg.dropout} -> {cfg['dropout']}")
    mcfg.dropout = model.drop.p = cfg["dropout"]
cfg["dropout"] = mcfg.dropout   # the checkpoint's train_cfg records the dropout in effect
if mean is None:
    mean, std = train.stats()
model.to(device)
n_params = sum(p.numel() for p in model.parameters())
print(f"model: {mcfg.layers}×{mcfg.cell.upper()}-{mcfg.hidden}, {n_params/1e6:.2f}M parameters")

# ---- teacher: the same model's outputs, earlier, as targets (emission-delay distillation) ---------
teacher = None
if cfg["teacher"]:
    tpath = cfg["default_package"] if cfg["teacher"] == "default" else cfg["teacher"]
    tcfg, teacher, tmean, tstd, *_ = load_model(tpath)
    if (tcfg.stack, tcfg.n_mels, tcfg.n_units) != (mcfg.stack, mcfg.n_mels, mcfg.n_units) or not (
            torch.allclose(tmean, mean) and torch.allclose(tstd, std)):
        sys.exit(f"teacher {tpath}: its input, output or feature normalisation differs from the model's")
    teacher.to(device).eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    print(f"teacher: {tpath}, its outputs {cfg['distill_shift']} step(s) earlier, weight {cfg['distill_weight']}")

opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
if opt_state:
    opt.load_state_dict(opt_state)
mean_d, std_d = mean.to(device), std.to(device)
for ds in (train, *devs.values()):   # each split's uint8 frames live on the training device (20 h of audio is ~0.3 GB)
    ds.frames = ds.frames.to(device)


if cfg["vtlp_p"] > 0 and train.spec["type"] != "logmel":
    sys.exit(f"--vtlp_p: VTLP warps log-mel bands, the features are {train.spec['type']}")
gain_cep = torch.zeros(mcfg.n_mels, device=device)          # a gain g on cepstra (orthonormal DCT) is c0 += sqrt(nMels)·g
gain_cep[0] = math.sqrt(train.spec["nMels"])


def make_batches(ds: ShardSet, batch_frames: int, shuffle: bool):
    order = list(range(len(ds.utts)))
    if shuffle:   # weighted draw: each utterance floor(w) times, and once more with probability frac(w)
        order = [i for i in order for _ in range(int(ds.utts[i].get("weight", 1.0)) +
                                                 (random.random() < ds.utts[i].get("weight", 1.0) % 1))]
    order.sort(key=lambda i: ds.utts[i]["frames"])
    batches = pack_by_size(order, lambda i: ds.utts[i]["frames"], batch_frames)
    if shuffle:
        random.shuffle(batches)
    return batches


def collate(ds: ShardSet, idx: list, augment: bool):
    """-> x (B, T/stack, stack·n_mels) normalised, step lengths, concatenated labels, label lengths.

    Vectorised over the batch (one gather from the split's frames, which live on the training device),
    so that a GPU is not kept waiting by a Python loop over utterances.
    """
    s, M = mcfg.stack, mcfg.n_mels
    frames = ds.frames
    offs = torch.tensor([ds.utts[i]["offset"] for i in idx])
    n = torch.tensor([ds.utts[i]["frames"] for i in idx])
    if augment and onsets is not None:                                       # cut leading silence: none to all of it
        lead = torch.tensor([max(0, onsets[i] - 2) for i in idx])
        cut = torch.where(torch.rand(len(idx)) < cfg["lead_trim_p"], (torch.rand(len(idx)) * (lead + 1)).long(), torch.zeros_like(lead))
        offs, n = offs + cut, n - cut
    B = len(idx)
    rate = None
    if augment and cfg["tempo_p"] > 0:                                       # tempo: read the frames at rate r per utterance
        lo, hi = math.log(cfg["tempo_min"]), math.log(cfg["tempo_max"])
        rate = torch.where(torch.rand(B) < cfg["tempo_p"], torch.exp(lo + torch.rand(B) * (hi - lo)), torch.ones(B))
        n_src, n = n, torch.floor(n / rate).long()                           # r > 1: faster speech, fewer frames
    n = n // s * s
    T = int(n.max())
    t = torch.arange(T)
    valid = (t[None, :] < n[:, None])                                        # (B, T)
    if rate is None:
        gidx = (offs[:, None] + t[None, :]).clamp(max=frames.shape[0] - 1)
        x = frames[gidx.to(frames.device)].float()
    else:                                                                    # linear interpolation between source frames
        pos = t[None, :] * rate[:, None]
        i0 = torch.minimum(pos.floor().long(), (n_src - 1)[:, None])
        frac = (pos - i0).clamp(0, 1)[:, :, None].to(frames.device)
        i1 = torch.minimum(i0 + 1, (n_src - 1)[:, None])
        g0 = (offs[:, None] + i0).clamp(max=frames.shape[0] - 1).to(frames.device)
        g1 = (offs[:, None] + i1).clamp(max=frames.shape[0] - 1).to(frames.device)
        x = frames[g0].float() * (1 - frac) + frames[g1].float() * frac
    x = (x - getattr(ds, "quant_offset", 0)) / ds.quant_scale                # (B, T, M)
    if augment and cfg["vtlp_p"] > 0:                                        # VTLP: warp the mel axis per utterance
        lo, hi = math.log(cfg["vtlp_min"]), math.log(cfg["vtlp_max"])
        alpha = torch.exp(lo + torch.rand(B) * (hi - lo))
        alpha = torch.where(torch.rand(B) < cfg["vtlp_p"], alpha, torch.ones(B))
        x = torch.bmm(x, warp_matrices(alpha, M, ds.spec["sampleRate"]).transpose(1, 2).to(x.device))
    if augment:                                                              # gain: a shift of log-power
        g = ((torch.rand(B, 1, 1) * 2 - 1) * cfg["gain_jitter"]).to(x.device)
        x = x + (g if ds.spec["type"] == "logmel" else g * gain_cep)         # cepstra: only c0 moves, by sqrt(nMels)·g
    m0 = mean_d.expand(B, M)
    if augment and cfg["cmn_prior"] > 0 and cfg["cmn_init_jitter"] > 0:    # the stream's level before this utterance
        m0 = m0 + ((torch.rand(B, 1) * 2 - 1) * cfg["cmn_init_jitter"]).to(x.device)
    x = normalise(x, m0, std_d, cfg["cmn_prior"], cfg["cmn_window"])
    keep = valid[:, :, None].expand(B, T, M).clone()
    if augment:                                                              # SpecAugment (on normalised features: 0 = mean)
        f = torch.arange(M)
        for _ in range(cfg["freq_masks"]):
            w = torch.randint(0, cfg["freq_mask_width"] + 1, (B,))
            f0 = (torch.rand(B) * (M - w + 1)).long()
            keep &= ~((f[None, :] >= f0[:, None]) & (f[None, :] < (f0 + w)[:, None]))[:, None, :]
        wmax = torch.clamp(n // 8, min=1).clamp(max=cfg["time_mask_width"])
        for _ in range(cfg["time_masks"]):
            w = (torch.rand(B) * (wmax + 1)).long()
            t0 = (torch.rand(B) * (torch.clamp(n - w, min=0) + 1)).long()
            keep &= ~((t[None, :] >= t0[:, None]) & (t[None, :] < (t0 + w)[:, None]))[:, :, None]
    x = x * keep.to(x.device)
    x = x.reshape(B, T // s, s * M)                                          # frame stacking, as the engine's Stacker
    labels = [torch.tensor(ds.utts[i]["labels"], dtype=torch.long) for i in idx]
    return x, n // s, torch.cat(labels), torch.tensor([len(l) for l in labels])


def evaluate():
    """Over every dev split: the mean of their dev losses, PERs and centroids, and each split's PER."""
    if not devs:
        return float("nan"), float("nan"), float("nan"), {}
    res = {k: evaluate_one(v) for k, v in devs.items()}
    mean_of = lambda j: sum(r[j] for r in res.values()) / len(res)  # noqa: E731
    return mean_of(0), mean_of(1), mean_of(2), {k: round(r[1], 4) for k, r in res.items()}


@torch.no_grad()
def evaluate_one(dev):
    """Dev CTC loss, greedy phoneme error rate (held-out speakers), and the emission centroid in ms: the
    mean time of the phoneme posterior mass in a dev utterance (its fall = spikes come earlier)."""
    model.eval()
    tot_loss, n_b, errs, n_ref = 0.0, 0, 0, 0
    centroid, n_c = 0.0, 0
    for idx in make_batches(dev, 16000, False):
        x, lens, labels, llens = collate(dev, idx, False)
        lp, _ = model(x.to(device))
        tot_loss += ctc_loss(lp, lens, labels, llens).item()
        n_b += 1
        best = lp.argmax(-1).cpu()
        nonblank = 1 - lp[..., 0].exp().cpu()                                # (B, T): P(a phoneme) per step
        off = 0
        for b in range(len(idx)):
            w = nonblank[b, : lens[b]]
            centroid += float((w * torch.arange(len(w))).sum() / w.sum().clamp(min=1e-6))
            n_c += 1
            seq = ctc_greedy(best[b, : lens[b]].tolist())
            ref = labels[off : off + llens[b]].tolist()
            off += llens[b]
            errs += edit_distance(seq, ref)
            n_ref += len(ref)
    model.train()
    centroid_ms = centroid / max(1, n_c) * mcfg.stack * dev.spec["hopSize"] / dev.spec["sampleRate"] * 1000
    return tot_loss / max(1, n_b), errs / max(1, n_ref), centroid_ms


def record_eval(step):
    """Evaluates on dev, adds the point to the history, saves the checkpoints -> (dev loss, PER, centroid ms)."""
    dl, dp, dc, pers = evaluate()
    history.append(dict(step=step, minutes=round(loop.elapsed() / 60, 2), train_loss=round(loop.run_loss or float("nan"), 4),
                        dev_loss=round(dl, 4), dev_per=round(dp, 4), dev_centroid_ms=round(dc, 1),
                        **({"dev_pers": pers} if len(pers) > 1 else {})))
    if len(pers) > 1:
        print("   dev PER by split: " + ", ".join(f"{k} {v:.3f}" for k, v in pers.items()), flush=True)
    save(step, dl, dp)
    return dl, dp, dc


def save(step, dev_loss, dev_per):
    """ckpt.pt: the latest state (with the optimiser's, to resume); ckpt-best.pt: the weights with the
    lowest dev PER so far (no optimiser state: a few MB, for export)."""
    weights = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    ck = dict(config=config_dict(mcfg), model=weights, opt=opt.state_dict(), step=step, mean=mean, std=std,
              cmn=dict(priorFrames=cfg["cmn_prior"], windowFrames=cfg["cmn_window"]) if cfg["cmn_prior"] > 0 else None,
              history=history, train_hours=train.hours(), train_cfg=cfg, alphabet=train.alphabet, dev_loss=dev_loss, dev_per=dev_per)
    checkpoints.save(ck, dev_per)
    write_curves(history, os.path.join(cfg["out_dir"], "curves.svg"))


checkpoints = Checkpoints(cfg["out_dir"], snapshots=bool(cfg["snapshots"]))
loop = Loop(model, opt, lr=cfg["lr"], lr_min=cfg["lr_min"], warmup_steps=cfg["warmup_steps"] if step0 == 0 else 0,
            grad_clip=cfg["grad_clip"], budget_minutes=cfg["budget_minutes"], max_steps=cfg["max_steps"], step0=step0,
            smoothing=0.05, eval_minutes=cfg["eval_minutes"])
frames_done = 0
model.train()
for idx in loop.batches(lambda: make_batches(train, cfg["batch_frames"], True)):
    x, lens, labels, llens = collate(train, idx, True)
    lp, _ = model(x.to(device))
    loss = ctc_loss(lp, lens, labels, llens)
    if teacher is not None:
        with torch.no_grad():
            tlp, _ = teacher(x.to(device))
        loss = loss + cfg["distill_weight"] * distill_loss(lp, tlp, lens, cfg["distill_shift"])
    loop.update(loss)
    step = loop.step
    frames_done += int(lens.sum())
    if step % cfg["log_every"] == 0:
        el = loop.elapsed()
        print(f"step {step}  loss {loop.run_loss:.3f}  lr {loop.lr:.2e}  {frames_done/el:.0f} steps/s  "
              f"elapsed {el/60:.1f} min  left {loop.left(el)/60:.1f} min", flush=True)
    if loop.eval_due():
        dl, dp, dc = record_eval(step)
        print(f"== eval step {step}: dev loss {dl:.3f}  dev PER {dp:.3f}  emission centroid {dc:.1f} ms", flush=True)
        loop.evaluated()
step = loop.step
dl, dp, dc = record_eval(step)
print(f"done: step {step}, dev loss {dl:.3f}, dev PER {dp:.3f}, emission centroid {dc:.1f} ms, {loop.elapsed()/60:.1f} min; checkpoint {cfg['out_dir']}/ckpt.pt")

"""Trains the punctuation-and-case tagger on data/punct (prepare_punct_text.py).  Flat, nanoGPT style.

    nice -n 15 /usr/bin/python3 models/recipe/punct/train_punct.py [config/punct-cpu.json] [--heads=4] [--budget_cpu_minutes=12] [--init=data/runs/punct/ckpt.pt]

One CPU thread; the budget counts CPU time of this process (the machine is shared); SIGTERM stops early
(evaluates and saves). The look-ahead is chosen on the first dev_streams held-out dev streams. Writes OUT_DIR/ckpt.pt (model config, weights, vocabulary, dev figures, history) and
prints the held-out dev figures for each look-ahead (model and the capitalise-first / period-last baseline) at the end.
"""
import itertools
import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from punct_model import IGNORE, PunctConfig, Tagger, Vocabulary, collate, config_dict, evaluate, read_streams, training_sequence  # noqa: E402
from configurator import load_config  # noqa: E402
from train_loop import Loop, save_atomic, setup, stop_on_signals  # noqa: E402

cfg = load_config(dict(
    data_dir="data/punct", out_dir="data/runs/punct",
    embedding=64, hidden=128, layers=1, cell="gru", dropout=0.1, heads=4, reference=True,
    batch=32, max_words=64, cut_p=0.3, lr=4e-3, lr_min=2e-4, grad_clip=1.0,
    init="scratch", budget_cpu_minutes=12.0, eval_every=400, dev_streams=300, threads=1, seed=99,
), sys.argv[1:], here=HERE, repo=REPO, path_keys=("data_dir", "out_dir"))
setup(cfg)
rng = random.Random(cfg["seed"])

# SIGTERM / SIGINT end training early: the loop stops, evaluates and saves as at the end of the budget
STOP = stop_on_signals()

vocab = Vocabulary.read(os.path.join(cfg["data_dir"], "vocab.txt"))
train = read_streams(os.path.join(cfg["data_dir"], "train.txt"))
dev = read_streams(os.path.join(cfg["data_dir"], "dev.txt"))[: cfg["dev_streams"]]
H = cfg["heads"]
mcfg = PunctConfig(vocab_size=len(vocab.words), embedding=cfg["embedding"], hidden=cfg["hidden"], layers=cfg["layers"],
                   cell=cfg["cell"], dropout=cfg["dropout"], lookahead=H - 1, heads=H)
model = Tagger(mcfg)
step0, words0, minutes0, history0 = 0, 0, 0.0, []
if cfg["init"] != "scratch":      # continue a checkpoint's weights (the schedule starts over for this run's budget)
    ck0 = torch.load(cfg["init"], map_location="cpu")
    if ck0["vocab"] != vocab.words or ck0["config"]["heads"] != H:
        sys.exit(f"{cfg['init']}: another vocabulary or number of heads")
    model.load_state_dict(ck0["model"])
    step0, words0, minutes0, history0 = ck0["step"], ck0["words"], ck0["minutes"], ck0.get("history", [])
    print(f"resumed from {cfg['init']} (step {step0}, {minutes0} CPU-min)")
print(f"train {len(train)} streams, dev {len(dev)}; V={len(vocab.words)}; look-aheads 0-{H - 1} (one head each); "
      f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)
opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=1e-5)
loop = Loop(model, opt, lr=cfg["lr"], lr_min=cfg["lr_min"], warmup_steps=50, grad_clip=cfg["grad_clip"],
            budget_minutes=cfg["budget_cpu_minutes"], step0=step0, clock="cpu", stop=STOP)
t0 = time.time()
words, history = words0, list(history0)
model.train()
for _ in loop.batches(lambda: itertools.repeat(None)):      # no epochs: each step draws its own sequences
    seqs = [training_sequence(train, rng, cfg["max_words"], cfg["cut_p"]) for _ in range(cfg["batch"])]
    x, y = collate(seqs, vocab, H - 1, H)
    logits, _ = model(x, reference=cfg["reference"])          # (B, T, 20·H)
    B, T = x.shape
    logits = logits.reshape(B, T, H, -1).permute(2, 0, 1, 3)  # (H, B, T, 20)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=IGNORE) * H
    loop.update(loss)
    step, run_loss = loop.step, loop.run_loss
    words += int((y[0] != IGNORE).sum())
    if step % 100 == 0:
        el, cpu = time.time() - t0, loop.elapsed()
        print(f"step {step} loss {run_loss:.4f} (sum over heads) lr {loop.lr:.1e} {words/cpu:.0f} words/CPU-s  "
              f"CPU {cpu/60:.1f} min (wall {el/60:.1f}) of {loop.budget/60:.0f}", flush=True)
    if step % cfg["eval_every"] == 0:
        history.append({"step": step, "cpuMinutes": round(loop.elapsed() / 60, 2), "train_loss": round(run_loss, 4)})
step, run_loss = loop.step, loop.run_loss
minutes = round(minutes0 + loop.elapsed() / 60, 2)
wall = round((time.time() - t0) / 60, 2)
dev_fig = {}
for k in range(H):
    dev_fig[k] = evaluate(model, vocab, dev, k)
    print(f"dev, look-ahead {k}: {json.dumps(dev_fig[k])}", flush=True)
history.append({"step": step, "cpuMinutes": minutes, "train_loss": round(run_loss, 4)})
save_atomic(dict(config=config_dict(mcfg), model=model.state_dict(), vocab=vocab.words, step=step, words=words,
                 minutes=minutes, wall_minutes=wall, train_cfg=cfg, dev=dev_fig, history=history), os.path.join(cfg["out_dir"], "ckpt.pt"))
print(f"done: step {step}, {words} words, {minutes} CPU-min ({wall} wall); {cfg['out_dir']}/ckpt.pt", flush=True)

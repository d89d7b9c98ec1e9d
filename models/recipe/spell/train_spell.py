"""Trains the phonemes → spelling encoder-decoder (spell_model.py) on CMUdict, 5 % of its words held out.

    nice -n 15 /usr/bin/python3 models/recipe/spell/train_spell.py [config/spell-cpu.json] [--direction=g2p] [--budget_cpu_minutes=12]

One CPU thread; the budget counts this process's CPU time; SIGTERM stops early (evaluates and saves). Writes OUT_DIR/ckpt.pt and prints the held-out
word accuracy and letter (symbol) error rate of greedy decoding.
"""
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
from spell_model import SpellConfig, Speller, batch, config_dict, evaluate, read_cmudict, split_words  # noqa: E402
from configurator import load_config  # noqa: E402
from train_loop import Loop, save_atomic, setup, stop_on_signals  # noqa: E402

cfg = load_config(dict(
    out_dir="data/runs/spell", direction="p2g", embedding=32, hidden=128, batch=128, lr=3e-3, lr_min=1e-4,
    grad_clip=1.0, budget_cpu_minutes=12.0, eval_n=1000, threads=1, seed=17,
), sys.argv[1:], here=HERE, repo=REPO, path_keys=("out_dir",))
setup(cfg)
rng = random.Random(cfg["seed"])

# SIGTERM / SIGINT end training early: the loop stops, evaluates and saves as at the end of the budget
STOP = stop_on_signals()
entries = read_cmudict()
train, held = split_words(entries)
mcfg = SpellConfig(direction=cfg["direction"], embedding=cfg["embedding"], hidden=cfg["hidden"])
model = Speller(mcfg)
print(f"{cfg['direction']}: train {len(train)} entries, held out {len(held)} ({len(set(w for w, _ in held))} words); "
      f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)
opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=1e-5)
# length-sorted buckets so a batch pads little
order = sorted(range(len(train)), key=lambda i: (len(train[i][1]), rng.random()))
buckets = [order[i:i + cfg["batch"]] for i in range(0, len(order), cfg["batch"])]


def epoch():
    rng.shuffle(buckets)
    return buckets


loop = Loop(model, opt, lr=cfg["lr"], lr_min=cfg["lr_min"], warmup_steps=50, grad_clip=cfg["grad_clip"],
            budget_minutes=cfg["budget_cpu_minutes"], clock="cpu", stop=STOP)
t0 = time.time()
seen = 0
for idx in loop.batches(epoch):
    src, lengths, dec_in, tgt = batch([train[i] for i in idx], model)
    logits = model(src, lengths, dec_in)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-1)
    loop.update(loss)
    step, run_loss = loop.step, loop.run_loss
    seen += len(idx)
    if step % 100 == 0:
        cpu = loop.elapsed()
        print(f"step {step} loss {run_loss:.4f} lr {loop.lr:.1e} epoch {seen/len(train):.2f} CPU {cpu/60:.1f} min "
              f"(wall {(time.time()-t0)/60:.1f}) of {loop.budget/60:.0f}", flush=True)
step = loop.step
minutes = round(loop.elapsed() / 60, 2)
wall = round((time.time() - t0) / 60, 2)
sample = random.Random(1).sample(held, min(cfg["eval_n"], len(held)))
fig = evaluate(model, sample)
print(f"held-out sample of {len(sample)} entries: {fig}", flush=True)
save_atomic(dict(config=config_dict(mcfg), model=model.state_dict(), step=step, epochs=round(seen / len(train), 2),
                 minutes=minutes, wall_minutes=wall, train_cfg=cfg, heldSample=fig), os.path.join(cfg["out_dir"], "ckpt.pt"))
print(f"done: step {step}, {seen/len(train):.2f} epochs, {minutes} CPU-min ({wall} wall); {cfg['out_dir']}/ckpt.pt", flush=True)

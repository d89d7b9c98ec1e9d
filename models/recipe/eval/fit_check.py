#!/usr/bin/python3
"""fit_check: how well a model fits its training splits against how well it does on held-out ones, per source.

  /usr/bin/python3 models/recipe/eval/fit_check.py MODEL SPLIT [SPLIT ...] [--limit N] [--seed S] [--json OUT]

MODEL  a package folder or a train.py checkpoint; SPLIT a feature folder (data/features/real-train, ...).
Each split: N utterances drawn at random (all if fewer), no augmentation, the model's own normalisation,
one utterance at a time; prints the CTC loss per utterance, the greedy phoneme error rate (PER), and the PER
per source (the voice up to its first ':', real speech up to its second: real:bass, real:fotaq, espeak, ...).
A training split whose PER is as high as its held-out twin's is underfitted (more capacity, more training or a
larger share of the mix will help), one far lower is overfitted (more voices or more regularisation will).
"""
import argparse
import json
import os
import random
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from model import load_trained, utterance_log_probs  # noqa: E402
from shards import ShardSet  # noqa: E402
from losses import ctc_loss  # noqa: E402
from per import ctc_greedy, edit_distance  # noqa: E402


def source_of(voice: str) -> str:
    parts = voice.split(":")
    return ":".join(parts[:2]) if parts[0] == "real" else parts[0]


@torch.no_grad()
def check_split(model, mean, std, ds: ShardSet, idx: list) -> dict:
    loss, errs, n_ref, by = 0.0, 0, 0, {}
    for i in idx:
        u = ds.utts[i]
        lp = utterance_log_probs(model, ds.values(u), mean, std)
        ref = u["labels"]
        loss += ctc_loss(lp[None], torch.tensor([len(lp)]), torch.tensor(ref), torch.tensor([len(ref)])).item()
        e = edit_distance(ctc_greedy(lp.argmax(-1).tolist()), ref)
        errs, n_ref = errs + e, n_ref + len(ref)
        g = by.setdefault(source_of(u.get("voice", "?")), [0, 0, 0])
        g[0], g[1], g[2] = g[0] + e, g[1] + len(ref), g[2] + 1
    return dict(utterances=len(idx), loss=round(loss / max(1, len(idx)), 4), per=round(errs / max(1, n_ref), 4),
                sources={k: dict(utterances=v[2], per=round(v[0] / max(1, v[1]), 4)) for k, v in sorted(by.items())})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("splits", nargs="+")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    torch.set_num_threads(1)
    model, ck = load_trained(a.model)
    model.eval()
    out = {}
    for split in a.splits:
        ds = ShardSet(split)
        if ds.n_mels != model.cfg.n_mels:
            sys.exit(f"{split}: {ds.n_mels} features per frame, the model reads {model.cfg.n_mels}")
        idx = random.Random(a.seed).sample(range(len(ds.utts)), min(a.limit, len(ds.utts)))
        r = out[split] = check_split(model, ck["mean"], ck["std"], ds, idx)
        srcs = ", ".join(f"{k} {v['per']:.3f} ({v['utterances']})" for k, v in r["sources"].items())
        print(f"{split}: {r['utterances']} utterances, loss {r['loss']:.3f}, PER {r['per']:.3f}; by source: {srcs}", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(dict(model=a.model, limit=a.limit, seed=a.seed, splits=out), f, indent=1)


if __name__ == "__main__":
    main()

"""Runs a `kind: spelling` package in PyTorch's own nn.GRU (for the PyTorch/engine parity test).

    /usr/bin/python3 models/recipe/spell/score_package.py PACKAGE_DIR INPUTS.txt OUTPUT.json

For each line of INPUTS.txt (source symbols separated by spaces), greedy decoding: the output symbols and the
decoder's log-softmax rows at every step (the end symbol's step included), as JSON.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spell_model import load_package  # noqa: E402


@torch.no_grad()
def greedy_rows(model, src_ids):
    src = torch.tensor([list(reversed(src_ids))])
    c = model.encode(src, torch.tensor([len(src_ids)]))
    h, prev, out, rows = c[None].contiguous(), model.start, [], []
    for _ in range(model.cfg.max_out):
        x = torch.cat([model.dec_embed(torch.tensor([[prev]])), c[:, None, :]], 2)
        s, h = model.dec(x, h)
        row = torch.log_softmax(model.out(s[0, 0]), -1)
        rows.append(row.tolist())
        prev = int(row.argmax())
        if prev == model.end:
            break
        out.append(model.tgt[prev])
    return out, rows


def main():
    pkg, inputs, outp = sys.argv[1], sys.argv[2], sys.argv[3]
    model, _ = load_package(pkg)
    si = {s: i for i, s in enumerate(model.src)}
    res = []
    for line in open(inputs, encoding="utf-8"):
        syms = line.split()
        if syms:
            out, rows = greedy_rows(model, [si[s] for s in syms])
            res.append({"output": out, "rows": rows})
    json.dump(res, open(outp, "w"))


if __name__ == "__main__":
    main()

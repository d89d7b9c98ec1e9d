"""Runs a model package's acoustic RNN in PyTorch on given inputs (for the PyTorch/engine parity test).

    /usr/bin/python3 models/recipe/forward_package.py PACKAGE_DIR INPUT.f32 STEPS OUTPUT.f32

INPUT.f32: steps × input_size float32 (already normalised and stacked); OUTPUT.f32: steps × units log-probs.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import load_package  # noqa: E402


def main():
    pkg, inp, steps, outp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    model, _ = load_package(pkg)
    cfg = model.cfg
    model.eval()
    x = torch.frombuffer(bytearray(open(inp, "rb").read()), dtype=torch.float32).reshape(1, steps, cfg.input_size)
    with torch.no_grad():
        lp, _ = model(x)
    open(outp, "wb").write(lp[0].contiguous().numpy().astype("float32").tobytes())


if __name__ == "__main__":
    main()

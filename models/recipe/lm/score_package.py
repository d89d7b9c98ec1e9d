"""Runs a `kind: language` package in PyTorch's own nn.GRU/LSTM/RNN (for the PyTorch/engine parity test).

    /usr/bin/python3 models/recipe/lm/score_package.py PACKAGE_DIR SENTENCES.txt OUTPUT.f32

For each line of SENTENCES.txt (words separated by spaces; OOV words read as <unk>), writes the
log-softmax rows after <eos>, after <eos> w1, … after <eos> w1 … wn: (n + 1) × V float32 per sentence,
sentences one after the other.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lm_model import load_package  # noqa: E402
from lm_data import Vocabulary  # noqa: E402


def main():
    pkg, sentences, outp = sys.argv[1], sys.argv[2], sys.argv[3]
    model, words, _ = load_package(pkg)
    vocab = Vocabulary(words)
    with open(outp, "wb") as out, torch.no_grad():
        for line in open(sentences, encoding="utf-8"):
            ids = vocab.ids(line.strip())
            x = torch.tensor([[vocab.eos] + ids], dtype=torch.long)    # (1, n+1)
            logits, _ = model(x, reference=True)                        # (1, n+1, V)
            out.write(torch.log_softmax(logits[0], dim=-1).contiguous().numpy().astype("float32").tobytes())


if __name__ == "__main__":
    main()

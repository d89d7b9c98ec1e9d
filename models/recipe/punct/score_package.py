"""Runs a `kind: punctuation` package in PyTorch's own nn.GRU (for the PyTorch/engine parity test).

    /usr/bin/python3 models/recipe/punct/score_package.py PACKAGE_DIR WORDS.txt OUTPUT.f32 [TAGS.json]

For each line of WORDS.txt, the log-softmax tag rows of its words read from a zero state (n × tags float32),
lines one after the other. With TAGS.json: the lines as the segments of one session, tagged by the streaming
algorithm (punct_model.tag_segments: state carried, look-ahead flushed with pads), tag ids per segment.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from punct_model import load_package, tag_segments  # noqa: E402


def main():
    pkg, lines, outp = sys.argv[1], sys.argv[2], sys.argv[3]
    model, vocab, _ = load_package(pkg)
    with open(outp, "wb") as out, torch.no_grad():
        for line in open(lines, encoding="utf-8"):
            words = line.split()
            if not words:
                continue
            logits, _ = model(torch.tensor([[vocab.id(w) for w in words]]), reference=True)
            out.write(torch.log_softmax(logits[0], dim=-1).contiguous().numpy().astype("float32").tobytes())
    if len(sys.argv) > 4:
        segments = [line.split() for line in open(lines, encoding="utf-8") if line.split()]
        k = model.pcfg.lookahead
        json.dump(tag_segments(model, vocab, segments, k, reference=True), open(sys.argv[4], "w"))


if __name__ == "__main__":
    main()

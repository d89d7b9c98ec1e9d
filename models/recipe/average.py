"""Average the weights of several checkpoints of one lineage (fine-tunes resumed from the same model).

    /usr/bin/python3 models/recipe/average.py OUT.pt CKPT.pt CKPT.pt [...]

Runs resumed from one checkpoint with different data or regularisation stay close in weight space, and the
mean of their weights (a "model soup") is often better on the dev sets than each of them. The checkpoints
must share the network's shape and the feature normalisation; the output carries the first checkpoint's
config, training config and history, no optimiser state, and the list it was averaged from, which export.py
writes into the package's provenance. Check it on the dev sets like any other checkpoint.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoint_io import load_checkpoint  # noqa: E402


def network_shape(config: dict) -> dict:
    """A checkpoint's model config less dropout (training-only: fine-tunes may differ in it and still average)."""
    return {k: v for k, v in config.items() if k != "dropout"}


def averaged_entry(path: str, ck: dict) -> dict:
    """One input as the provenance lists it; an input that is itself a soup keeps its own list, so that the
    released model's provenance names every run in it (and, by repetition, each one's share)."""
    entry = {"checkpoint": os.path.relpath(path), "step": ck["step"], "dev_per": ck.get("dev_per")}
    if ck.get("averaged_from"):
        entry["averagedFrom"] = ck["averaged_from"]
    return entry


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out_path, paths = sys.argv[1], sys.argv[2:]
    cks = [load_checkpoint(p) for p in paths]
    first = cks[0]
    for p, c in zip(paths[1:], cks[1:]):
        if network_shape(c["config"]) != network_shape(first["config"]) or c["model"].keys() != first["model"].keys():
            sys.exit(f"{p}: its network differs from {paths[0]}'s")
        if not (torch.allclose(c["mean"], first["mean"]) and torch.allclose(c["std"], first["std"])):
            sys.exit(f"{p}: its feature normalisation differs from {paths[0]}'s")
    out = dict(first)
    out["opt"] = None
    out["model"] = {k: sum(c["model"][k].float() for c in cks) / len(cks) for k in first["model"]}
    out["step"] = max(c["step"] for c in cks)
    out["dev_loss"] = out["dev_per"] = None   # the inputs' dev figures are not the mean's: measure it
    out["averaged_from"] = [averaged_entry(p, c) for p, c in zip(paths, cks)]
    torch.save(out, out_path)
    print(f"averaged {len(cks)} checkpoints (steps {', '.join(str(c['step']) for c in cks)}) -> {out_path}")


if __name__ == "__main__":
    main()

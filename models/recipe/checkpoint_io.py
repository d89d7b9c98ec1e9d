"""Checkpoints that any PyTorch version can read: PyTorch's .pt, or a portable pair NAME.json + NAME.safetensors.

A GPU machine may run a much newer PyTorch than Debian's 1.13 here; the portable pair carries the weights
(model state_dict, as safetensors) and everything else export.py needs (config, normalisation, steps, history)
as JSON, so nothing depends on pickle compatibility between versions.

    /usr/bin/python3 models/recipe/checkpoint_io.py ckpt-best.pt OUT_PREFIX   # writes OUT_PREFIX.json + .safetensors
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

_TENSORS = ("mean", "std")
_KEEP = ("config", "cmn", "step", "history", "train_hours", "train_cfg", "alphabet", "dev_loss", "dev_per", "averaged_from")


def _plain(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def write_portable(ck: dict, prefix: str) -> None:
    safetensors_io.save({k: v.float() for k, v in ck["model"].items()}, prefix + ".safetensors")
    meta = {k: _plain(ck.get(k)) for k in _KEEP}
    for k in _TENSORS:
        meta[k] = [float(x) for x in ck[k]]
    with open(prefix + ".json", "w") as f:
        json.dump(meta, f)


def load_checkpoint(path: str) -> dict:
    """A .pt checkpoint, or the portable pair named by its .json (or .safetensors) file."""
    if path.endswith(".json") or path.endswith(".safetensors"):
        prefix = path.rsplit(".", 1)[0]
        ck = json.load(open(prefix + ".json"))
        ck["model"] = safetensors_io.load(prefix + ".safetensors")
        for k in _TENSORS:
            ck[k] = torch.tensor(ck[k])
        for k in ("dev_loss", "dev_per"):
            ck[k] = float("nan") if ck.get(k) is None else ck[k]
        return ck
    return torch.load(path, map_location="cpu")


if __name__ == "__main__":
    write_portable(torch.load(sys.argv[1], map_location="cpu"), sys.argv[2])
    print(f"wrote {sys.argv[2]}.json and {sys.argv[2]}.safetensors")

"""The recipes' configuration, nanoGPT style: defaults, then a JSON file, then --key=value.

    cfg = load_config(dict(lr=2e-3, ...), sys.argv[1:], here=HERE, repo=REPO, path_keys=("out_dir",))

A `.json` argument is read as given, else relative to `here` (the script's folder); `--key=value`
takes the type of the default (a string when the key has none, or a string default). The path keys
are made absolute against `repo`.
"""
import json
import os


def load_config(defaults: dict, argv: list, here: str, repo: str, path_keys=()) -> dict:
    cfg = dict(defaults)
    for a in argv:
        if a.startswith("--"):   # first: a value may itself end in .json (--init=run/ckpt.json)
            k, v = a[2:].split("=", 1)
            cfg[k] = _parse(cfg.get(k), v)
        elif a.endswith(".json"):
            cfg.update(json.load(open(a if os.path.exists(a) else os.path.join(here, a))))
    for k in path_keys:
        cfg[k] = os.path.join(repo, cfg[k]) if not os.path.isabs(cfg[k]) else cfg[k]
    return cfg


def _parse(default, v: str):
    """--key=value takes the type of the default; a number stays a float where it is not whole (JSON's 7 vs 7.5)."""
    if isinstance(default, bool):
        return v.lower() in ("1", "true", "yes")
    if isinstance(default, (int, float)):
        x = float(v)
        return int(x) if isinstance(default, int) and x.is_integer() else x
    return v


def pack_by_size(order: list, size_of, budget: int) -> list:
    """The indices of `order`, in order, grouped so that (largest size) × count ≤ budget (a lone item may exceed it)."""
    batches, cur, longest = [], [], 0
    for i in order:
        n = size_of(i)
        if cur and max(longest, n) * (len(cur) + 1) > budget:
            batches.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        batches.append(cur)
    return batches

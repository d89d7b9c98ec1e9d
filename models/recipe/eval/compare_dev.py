#!/usr/bin/env python3
"""Is model B's dev WER really lower than model A's? A paired bootstrap over the files of decode_sweep's
--json output (every file's reference, hypothesis and word errors), so that a difference of a few tenths
of a point is read against the spread the dev lists' make-up alone would give.

    /usr/bin/python3 models/recipe/eval/compare_dev.py --a A1.json[,A2.json...] --b B1.json[,B2.json...]
        [--setting default] [--groups tts=/corpus/,real=/real/,words=/corpus-words/] [--resamples 2000] [--seed 1]

Each side may name several JSON files (one per dev list, in the same order on both sides); their files are
pooled. Files are paired by their WAV path, and only files both sides decoded count. For the whole pool and
each group (a file belongs to the first group whose substring its path contains) it prints A's and B's WER,
the difference B - A in points, its 95 % interval from resampling files with replacement (the same draw for
A and B), and the share of resamples in which B is better. Dev lists only: never a test set or real-eval.
"""
from __future__ import annotations

import argparse
import json
import random
import sys


def load_rows(paths: list[str], setting: str) -> dict[str, tuple[int, int]]:
    """wav -> (word errors, reference words) for one side, over one or more decode_sweep JSON files."""
    rows: dict[str, tuple[int, int]] = {}
    for path in paths:
        try:
            with open(path, encoding="utf8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit(f"{path}: {e.strerror if isinstance(e, OSError) else f'not JSON ({e})'}")
        results = doc.get("results") or []
        match = [r for r in results if r.get("setting") == setting]
        if not match:
            names = ", ".join(str(r.get("setting")) for r in results) or "none"
            sys.exit(f"{path}: no setting {setting!r} (it has: {names})")
        for row in match[0].get("rows") or []:
            rows[row["wav"]] = (int(row["wordErrors"]), int(row["words"]))
    return rows


def parse_groups(text: str) -> list[tuple[str, str]]:
    out = []
    for part in filter(None, text.split(",")):
        name, sep, sub = part.partition("=")
        if not sep or not name or not sub:
            sys.exit(f"bad group {part!r} (want NAME=SUBSTRING)")
        out.append((name, sub))
    return out


def paired_bootstrap(pairs: list[tuple[int, int, int]], resamples: int, rng: random.Random) -> dict:
    """pairs: (errors A, errors B, words) per file -> WERs, B - A in points, its 95 % interval, P(B < A)."""
    words = sum(p[2] for p in pairs)
    ea = sum(p[0] for p in pairs)
    eb = sum(p[1] for p in pairs)
    diffs = []
    n = len(pairs)
    for _ in range(resamples):
        sa = sb = sw = 0
        for _ in range(n):
            a, b, w = pairs[rng.randrange(n)]
            sa += a
            sb += b
            sw += w
        diffs.append(100.0 * (sb - sa) / sw if sw else 0.0)
    diffs.sort()
    lo = diffs[int(0.025 * (resamples - 1))]
    hi = diffs[int(round(0.975 * (resamples - 1)))]
    return {
        "files": n,
        "words": words,
        "werA": 100.0 * ea / words if words else 0.0,
        "werB": 100.0 * eb / words if words else 0.0,
        "diff": 100.0 * (eb - ea) / words if words else 0.0,
        "low": lo,
        "high": hi,
        "pBetter": sum(d < 0 for d in diffs) / resamples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", required=True, help="decode_sweep --json output(s) of model A, comma-separated")
    ap.add_argument("--b", required=True, help="the same lists decoded with model B")
    ap.add_argument("--setting", default="default")
    ap.add_argument("--groups", default="", help="NAME=SUBSTRING,... (a file goes to the first that matches)")
    ap.add_argument("--resamples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args(argv)
    if args.resamples < 100:
        sys.exit("--resamples: at least 100")

    a = load_rows(args.a.split(","), args.setting)
    b = load_rows(args.b.split(","), args.setting)
    common = sorted(set(a) & set(b))
    if not common:
        sys.exit("no file decoded by both sides")
    mismatch = [w for w in common if a[w][1] != b[w][1]]
    if mismatch:
        sys.exit(f"{len(mismatch)} file(s) with different reference lengths, e.g. {mismatch[0]}: not the same lists")
    groups = parse_groups(args.groups)

    pools: dict[str, list[tuple[int, int, int]]] = {"all": []}
    for name, _ in groups:
        pools[name] = []
    for wav in common:
        pair = (a[wav][0], b[wav][0], a[wav][1])
        pools["all"].append(pair)
        for name, sub in groups:
            if sub in wav:
                pools[name].append(pair)
                break

    only = (len(a) - len(common), len(b) - len(common))
    print(f"{len(common)} files decoded by both" + (f" (left out: {only[0]} only in A, {only[1]} only in B)" if any(only) else ""))
    print(f"{'pool':<8} {'files':>6} {'words':>6} {'WER A':>7} {'WER B':>7} {'B-A':>7}  95% interval     P(B better)")
    out = {}
    for name, pairs in pools.items():
        if not pairs:
            continue
        r = paired_bootstrap(pairs, args.resamples, random.Random(f"{args.seed}:{name}"))
        out[name] = r
        print(f"{name:<8} {r['files']:>6} {r['words']:>6} {r['werA']:>7.2f} {r['werB']:>7.2f} {r['diff']:>+7.2f}"
              f"  [{r['low']:+6.2f}, {r['high']:+6.2f}]  {r['pBetter']:.3f}")
    if args.json:
        with open(args.json, "w", encoding="utf8") as f:
            json.dump({"a": args.a, "b": args.b, "setting": args.setting, "resamples": args.resamples,
                       "seed": args.seed, "pools": out}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

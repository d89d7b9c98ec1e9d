#!/usr/bin/python3
"""to_logmel: PocketSphinx-generated cepstra (generate.py, feature type sphinx-mfcc) as log-mel frames,
so that a log-mel model (the bundled one) can train on them.

  # 1. fit: the same clips featurized both ways (dump_features.ts with each spec), paired by utterance id
  to_logmel.py fit --sx data/features/sx-pairs --logmel data/features/lm-pairs --out data/features/sx2lm.json
  # 2. apply: every generated utterance through the map, written as log-mel shards
  to_logmel.py apply --map data/features/sx2lm.json --in data/features/gmm-train --out data/features/gmm-lm-train
      [--noise 1.0] [--noise-frames 5] [--seed 1]

The map is linear: 13 cepstra and a constant -> the 40 log-mel values of the same 10 ms frame (ridge least
squares). Cepstra are a cosine transform of a smoothed log spectrum, and log-mel is another sampling of a
log spectrum, so a linear map is the natural one; it cannot bring back what 13 cepstra drop (harmonics,
fine spectral detail), so --noise adds, per band, Gaussian noise with the fit's residual spread times
the factor (0: the conditional mean alone, smoother across bands than speech). The noise is smoothed along
time over --noise-frames frames (a Hann window, rescaled to keep its spread): the generated frames already
change from one frame to the next more than real speech does, and white noise would add to that.
Fit on wideband and band-limited speech together (the TTS corpus and the 11 kHz game speech), so that the
map learns the top bands from the cepstra rather than from one channel. The log-mel frames are quantized as
dump_features.ts quantizes log-mel (config/quantization.json) and carry the labels and ids of the input;
features.json is the log-mel spec of --logmel's with a `generator` field saying how they were made.
Standard library + torch only.
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from shards import ShardSet  # noqa: E402
from shard_writer import ShardWriter  # noqa: E402


def fit(a):
    sx, lm = ShardSet(a.sx), ShardSet(a.logmel)
    if sx.spec.get("type") != "sphinx-mfcc" or lm.spec.get("type") != "logmel":
        raise SystemExit("to_logmel fit: --sx must hold sphinx-mfcc features and --logmel log-mel features")
    by_id = {u["id"]: u for u in lm.utts}
    xs, ys, lag = [], [], []
    for u in sx.utts:
        v = by_id.get(u["id"])
        if v is None:
            continue
        n = min(u["frames"], v["frames"])
        lag.append(abs(u["frames"] - v["frames"]))
        xs.append(sx.values(u)[:n])
        ys.append(lm.values(v)[:n])
    if not xs:
        raise SystemExit("to_logmel fit: no utterance id is in both --sx and --logmel")
    x, y = torch.cat(xs).double(), torch.cat(ys).double()
    xb = torch.cat([x, torch.ones(len(x), 1, dtype=torch.float64)], 1)
    # ridge on the cepstra only (not the constant), scaled by the frame count
    reg = torch.eye(xb.shape[1], dtype=torch.float64) * a.ridge * len(x)
    reg[-1, -1] = 0
    w = torch.linalg.solve(xb.T @ xb + reg, xb.T @ y)                      # (14, 40)
    resid = y - xb @ w
    r2 = 1 - resid.var(0) / y.var(0)
    out = {"weights": w.T.tolist(), "residualStd": resid.std(0).tolist(), "r2": r2.tolist(),
           "frames": len(x), "utterances": len(xs), "maxFrameCountDifference": max(lag),
           "ridge": a.ridge, "sxSpec": sx.spec, "logmelSpec": lm.spec,
           "logmelQuant": {"scale": lm.quant_scale, "offset": lm.quant_offset}, "alphabet": lm.alphabet}
    json.dump(out, open(a.out, "w"), indent=1)
    print("[to_logmel] fit on %d utterances, %d frames: R^2 per band min %.3f / median %.3f / max %.3f; "
          "residual std median %.3f (log-mel units); frame counts differ by <= %d"
          % (len(xs), len(x), r2.min(), r2.median(), r2.max(), resid.std(0).median(), max(lag)))


def apply(a):
    m = json.load(open(a.map))
    src = ShardSet(a.input)
    if src.spec.get("type") != "sphinx-mfcc":
        raise SystemExit("to_logmel apply: --in must hold sphinx-mfcc features")
    if src.alphabet != m["alphabet"]:
        raise SystemExit("to_logmel apply: the input's phoneme alphabet differs from the map's log-mel features'")
    w = torch.tensor(m["weights"], dtype=torch.float32).T                   # (14, 40)
    sd = torch.tensor(m["residualStd"], dtype=torch.float32) * a.noise
    scale, offset = m["logmelQuant"]["scale"], m["logmelQuant"]["offset"]
    g = torch.Generator().manual_seed(a.seed)
    k = torch.hann_window(a.noise_frames + 2, periodic=False)[1:-1] if a.noise_frames > 1 else torch.ones(1)
    k = (k / k.pow(2).sum().sqrt()).view(1, 1, -1)                            # unit gain on white noise's power
    os.makedirs(a.out, exist_ok=True)
    spec = dict(m["logmelSpec"], quantScale=scale, quantOffset=offset, alphabet=m["alphabet"])
    spec["generator"] = {"from": os.path.relpath(a.input), "how": "models/recipe/gmm_gen/to_logmel.py: linear map "
                         "of the cepstra, residual noise x%g over %d frames" % (a.noise, a.noise_frames), "map": os.path.relpath(a.map),
                         "sourceGenerator": json.load(open(os.path.join(a.input, "features.json"))).get("generator")}
    json.dump(spec, open(os.path.join(a.out, "features.json"), "w"), indent=2)
    n_bands = w.shape[1]
    shards = ShardWriter(a.out)
    total = 0
    for u in src.utts:
        x = src.values(u)
        y = torch.cat([x, torch.ones(len(x), 1)], 1) @ w
        if a.noise > 0:
            z = torch.randn(n_bands, 1, len(x) + k.shape[-1] - 1, generator=g)
            y = y + torch.nn.functional.conv1d(z, k).squeeze(1).T * sd
        q = (y * scale + offset).round().clamp(0, 255).to(torch.uint8)
        shards.add(q.numpy().tobytes(), len(q), u)
        total += len(q)
    shards.flush()
    print("[to_logmel] %d utterances, %.3f h of log-mel frames in %d shard(s): %s"
          % (len(src.utts), total / 360000, shards.shards, a.out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit")
    f.add_argument("--sx", required=True)
    f.add_argument("--logmel", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--ridge", type=float, default=1e-4)
    p = sub.add_parser("apply")
    p.add_argument("--map", required=True)
    p.add_argument("--in", dest="input", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--noise", type=float, default=1.0)
    p.add_argument("--noise-frames", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(1)
    fit(a) if a.cmd == "fit" else apply(a)


if __name__ == "__main__":
    main()

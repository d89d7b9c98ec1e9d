"""Widen a trained GRU/LSTM/vanilla acoustic model without changing what it computes, so that a larger
network can start from the trained weights instead of from scratch (a function-preserving widening in the
spirit of Net2Net: Chen, Goodfellow and Shlens, 2016).

    /usr/bin/python3 models/recipe/widen.py CKPT.pt|PACKAGE_DIR OUT.pt --hidden 320 [--seed 1] [--scale 0.1]

Each layer a<t> = RNN(W_aa a<t-1>, W_ax x<t>) gets new hidden units. Their own rows (in W_ax, W_aa and the
biases, every gate) are drawn small at random, so they compute something and can learn; every weight that
*reads* a new unit is zero: the new columns of W_aa (each unit's recurrence on the new units), of the next
layer's W_ax and of the output W_ya. So the old units see exactly what they saw before and y<t> is unchanged
at step 0; the gradients through those zero read-weights are not zero (they are the new units' activations
times the output's error), so training brings the new units in. The script checks the outputs on random
input (largest change of a log-probability, printed) and writes a checkpoint for train.py's --init with no
optimiser state, the step count, history and normalisation carried over, and the widening recorded.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import AcousticConfig, AcousticRNN, config_dict, load_trained  # noqa: E402

GATES = {"gru": 3, "lstm": 4, "vanilla": 1}


def widen(model: AcousticRNN, sizes: list, gen: torch.Generator, scale: float) -> AcousticRNN:
    """A new AcousticRNN with per-layer hidden sizes `sizes` (each >= the old one) computing the same outputs."""
    old = model.cfg
    if len(sizes) != len(old.sizes):
        raise ValueError(f"{len(sizes)} sizes for {len(old.sizes)} layers")
    for l, (h, h0) in enumerate(zip(sizes, old.sizes)):
        if h < h0:
            raise ValueError(f"layer {l}: {h} units is narrower than the model's {h0}")
    cfg = AcousticConfig(**{**config_dict(old), "hidden": sizes[0], "hidden_sizes": list(sizes)})
    new = AcousticRNN(cfg)
    g = GATES[old.cell]
    with torch.no_grad():
        n_in0 = old.input_size
        n_in1 = cfg.input_size
        for l, (src, dst) in enumerate(zip(model.rnns, new.rnns)):
            h0, h1 = old.sizes[l], sizes[l]
            # every new parameter starts as small noise; the copies and the zero read-weights overwrite it below
            for p in dst.parameters():
                p.copy_(torch.randn(p.shape, generator=gen) * scale / max(h1, 1) ** 0.5)
            for k in range(g):
                rows0 = slice(k * h0, (k + 1) * h0)
                rows1 = slice(k * h1, k * h1 + h0)   # the old units keep their place in each gate block
                dst.weight_ih_l0[rows1, :n_in0] = src.weight_ih_l0[rows0]
                dst.weight_ih_l0[rows1, n_in0:n_in1] = 0      # old units never read the previous layer's new units
                dst.weight_hh_l0[rows1, :h0] = src.weight_hh_l0[rows0]
                dst.weight_hh_l0[rows1, h0:] = 0              # ... nor this layer's new units
                dst.bias_ih_l0[rows1] = src.bias_ih_l0[rows0]
                dst.bias_hh_l0[rows1] = src.bias_hh_l0[rows0]
            n_in0, n_in1 = h0, h1
        new.out.weight.zero_()
        new.out.weight[:, :old.sizes[-1]] = model.out.weight
        new.out.bias.copy_(model.out.bias)
    return new


def max_output_change(a: AcousticRNN, b: AcousticRNN, gen: torch.Generator, steps: int = 200) -> float:
    a.eval()
    b.eval()
    x = torch.randn(2, steps, a.cfg.input_size, generator=gen)
    with torch.no_grad():
        return float((a(x)[0] - b(x)[0]).abs().max())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", help="train.py checkpoint (.pt or portable .json) or a package folder")
    ap.add_argument("out", help="the widened checkpoint (.pt), for train.py --init")
    ap.add_argument("--hidden", required=True, help="new hidden size, one for every layer or comma-separated per layer")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=0.1, help="new units' weights ~ N(0, scale²/hidden)")
    args = ap.parse_args(argv)

    model, ck = load_trained(args.src)
    sizes = [int(s) for s in args.hidden.split(",")]
    if len(sizes) == 1:
        sizes = sizes * len(model.cfg.sizes)
    gen = torch.Generator().manual_seed(args.seed)
    try:
        new = widen(model, sizes, gen, args.scale)
    except ValueError as e:
        sys.exit(f"widen.py: {e}")
    change = max_output_change(model, new, torch.Generator().manual_seed(args.seed + 1))
    if change > 1e-4:
        sys.exit(f"widen.py: the widened model's outputs differ by {change:.2e}: not function-preserving")
    out = {k: ck.get(k) for k in ("mean", "std", "step", "history", "cmn", "train_hours", "train_cfg", "alphabet")}
    out.update(config=config_dict(new.cfg), model={k: v.detach().clone() for k, v in new.state_dict().items()},
               opt=None, dev_loss=None, dev_per=None,
               widened_from={"source": os.path.relpath(args.src), "sizes": model.cfg.sizes, "seed": args.seed,
                             "scale": args.scale})
    torch.save(out, args.out)
    n0 = sum(p.numel() for p in model.parameters())
    n1 = sum(p.numel() for p in new.parameters())
    print(f"widened {model.cfg.sizes} -> {new.cfg.sizes}: {n0 / 1e6:.2f}M -> {n1 / 1e6:.2f}M parameters, "
          f"largest log-probability change {change:.1e} -> {args.out}")


if __name__ == "__main__":
    main()

"""The acoustic model: a unidirectional (streaming) RNN stack with a phoneme CTC output.

    x<t>  = 3 stacked log-mel frames (stack × n_mels = 120 values), 33 steps/s
    a<t>  = GRU/LSTM/vanilla layers, hidden state carried forward only (no look-ahead: it can stream)
    y<t>  = softmax(W_ya a<t> + b_y) over 40 units: CTC blank + 39 ARPAbet phonemes (many-to-many)

Tensor names follow the engine's package format (models/package/model-spec.ts):
PyTorch weight_ih_l{l} -> layers.{l}.W_ax, weight_hh_l{l} -> layers.{l}.W_aa, bias_ih/hh -> b_ax/b_aa.
"""
import json
import os
from dataclasses import dataclass, asdict, field

import torch
import torch.nn as nn

import safetensors_io
from checkpoint_io import load_checkpoint


def rnn_layer_tensors(l: int, cell: str, w_ih, w_hh, b_ih, b_hh) -> dict:
    """Package tensors of RNN layer l from PyTorch's weight_ih/weight_hh/bias_ih/bias_hh (shared with lm/lm_model.py)."""
    t = {f"layers.{l}.W_ax": w_ih, f"layers.{l}.W_aa": w_hh}
    if cell == "vanilla":
        t[f"layers.{l}.b_a"] = b_ih + b_hh   # the seed's single b_a
    else:
        t[f"layers.{l}.b_ax"] = b_ih
        t[f"layers.{l}.b_aa"] = b_hh
    return t


def load_rnn_layer(t: dict, l: int, cell: str, w_ih, w_hh, b_ih, b_hh, check_shapes: bool = False) -> None:
    """Copies package tensors of RNN layer l into PyTorch's parameters (under torch.no_grad()); the inverse of rnn_layer_tensors."""
    for param, key in ((w_ih, "W_ax"), (w_hh, "W_aa")):
        if check_shapes:
            want, got = param.shape, t[f"layers.{l}.{key}"].shape
            if want != got:
                raise ValueError(f"layers.{l}.{key}: expected {list(want)}, found {list(got)}")
        param.copy_(t[f"layers.{l}.{key}"])
    if cell == "vanilla":
        b_ih.copy_(t[f"layers.{l}.b_a"])
        b_hh.zero_()
    else:
        b_ih.copy_(t[f"layers.{l}.b_ax"])
        b_hh.copy_(t[f"layers.{l}.b_aa"])


@dataclass
class AcousticConfig:
    n_mels: int = 40          # feature size per frame
    stack: int = 3            # frames concatenated per RNN step (= stride)
    cell: str = "gru"         # gru | lstm | vanilla
    hidden: int = 256
    layers: int = 3
    hidden_sizes: list = field(default_factory=list)   # per-layer sizes; empty = [hidden] * layers
    n_units: int = 40         # blank + 39 phonemes
    dropout: float = 0.1      # between RNN layers, training only
    activation: str = "tanh"  # vanilla cell's g1

    @property
    def input_size(self) -> int:
        return self.n_mels * self.stack

    @property
    def sizes(self) -> list:
        return list(self.hidden_sizes) if self.hidden_sizes else [self.hidden] * self.layers


class AcousticRNN(nn.Module):
    def __init__(self, cfg: AcousticConfig):
        super().__init__()
        self.cfg = cfg
        kinds = {"gru": nn.GRU, "lstm": nn.LSTM}
        if cfg.cell not in ("gru", "lstm", "vanilla"):
            raise ValueError(f"unknown cell {cfg.cell}")
        # One single-layer RNN per layer, so layers may differ in size (the package format allows it).
        self.rnns = nn.ModuleList()
        n_in = cfg.input_size
        for h in cfg.sizes:
            if cfg.cell == "vanilla":
                self.rnns.append(nn.RNN(n_in, h, 1, nonlinearity=cfg.activation, batch_first=True))
            else:
                self.rnns.append(kinds[cfg.cell](n_in, h, 1, batch_first=True))
            n_in = h
        self.drop = nn.Dropout(cfg.dropout)
        self.out = nn.Linear(n_in, cfg.n_units)

    def forward(self, x, state=None):
        # x: (B, T, stack·n_mels) -> log-probs (B, T, n_units); state: one entry per layer
        new_state = []
        a = x
        for l, rnn in enumerate(self.rnns):
            if l > 0:
                a = self.drop(a)
            a, s = rnn(a, None if state is None else state[l])
            new_state.append(s)
        return torch.log_softmax(self.out(a), dim=-1), new_state

    # ---- package tensors <-> PyTorch parameters -------------------------------------------
    def package_tensors(self) -> dict:
        t = {}
        for l, rnn in enumerate(self.rnns):
            t.update(rnn_layer_tensors(l, self.cfg.cell, rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0))
        t["output.W_ya"] = self.out.weight
        t["output.b_y"] = self.out.bias
        return {k: v.detach().clone() for k, v in t.items()}

    def load_package_tensors(self, t: dict) -> None:
        with torch.no_grad():
            for l, rnn in enumerate(self.rnns):
                load_rnn_layer(t, l, self.cfg.cell, rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0,
                               check_shapes=True)
            self.out.weight.copy_(t["output.W_ya"])
            self.out.bias.copy_(t["output.b_y"])

    def layer_specs(self) -> list:
        specs, n_in = [], self.cfg.input_size
        for h in self.cfg.sizes:
            s = {"cell": self.cfg.cell, "inputSize": n_in, "hiddenSize": h}
            n_in = h
            if self.cfg.cell == "vanilla":
                s["activation"] = self.cfg.activation
            specs.append(s)
        return specs


def config_from_model_json(mj: dict) -> AcousticConfig:
    layers = mj["layers"]
    feats = mj["features"]
    n = feats["nMels"] if feats["type"] == "logmel" else feats["nMfcc"]
    return AcousticConfig(
        n_mels=n, stack=mj["stacking"]["frames"], cell=layers[0]["cell"], hidden=layers[0]["hiddenSize"],
        layers=len(layers), hidden_sizes=[l["hiddenSize"] for l in layers], n_units=len(mj["output"]["alphabet"]),
        activation=layers[0].get("activation", "tanh"),
    )


def config_dict(cfg: AcousticConfig) -> dict:
    return asdict(cfg)


def load_package(pkg_dir: str) -> tuple:
    """A model package folder (model.json + weights) -> (AcousticRNN with its weights, model.json as a dict)."""
    with open(os.path.join(pkg_dir, "model.json")) as f:
        mj = json.load(f)
    m = AcousticRNN(config_from_model_json(mj))
    m.load_package_tensors(safetensors_io.load(os.path.join(pkg_dir, mj["weights"])))
    return m, mj


def utterance_log_probs(model: "AcousticRNN", x: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """One utterance's feature values (frames, n_mels) -> log-probs (steps, units): normalised with the model's
    mean and std, trimmed to whole steps and stacked as the network reads them (no state, no augmentation)."""
    s = model.cfg.stack
    n = x.shape[0] // s * s
    lp, _ = model(((x[:n] - mean) / std).reshape(1, n // s, s * x.shape[1]))
    return lp[0]


def load_trained(path: str) -> tuple:
    """A package folder or a train.py checkpoint -> (AcousticRNN with its weights, checkpoint dict: config, mean,
    std, step, history, and for a checkpoint also its optimiser state and the rest it carries)."""
    if os.path.isdir(path):
        m, mj = load_package(path)
        norm, prov = mj["features"]["normalization"], mj.get("provenance", {})
        return m, dict(config=config_dict(m.cfg), mean=torch.tensor(norm["mean"]), std=torch.tensor(norm["std"]),
                       step=int(prov.get("steps", 0)), history=list(prov.get("history", [])), cmn=None, opt=None)
    ck = load_checkpoint(path)
    m = AcousticRNN(AcousticConfig(**ck["config"]))
    m.load_state_dict(ck["model"])
    return m, ck

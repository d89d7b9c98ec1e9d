"""The acoustic model: a unidirectional (streaming) RNN stack with a phoneme CTC output.

    x<t>  = 3 stacked log-mel frames (stack × n_mels = 120 values), 33 steps/s
    a<t>  = GRU/LSTM/vanilla layers, hidden state carried forward only (no look-ahead: it can stream)
    y<t>  = softmax(W_ya a<t> + b_y) over 40 units: CTC blank + 39 ARPAbet phonemes (many-to-many)

Tensor names follow the engine's package format (models/package/model-spec.ts):
PyTorch weight_ih_l{l} -> layers.{l}.W_ax, weight_hh_l{l} -> layers.{l}.W_aa, bias_ih/hh -> b_ax/b_aa.
"""
from dataclasses import dataclass, asdict, field

import torch
import torch.nn as nn


@dataclass
class AcousticConfig:
    n_mels: int = 40          # feature size per frame
    stack: int = 3            # frames concatenated per RNN step (= stride)
    cell: str = "gru"         # gru | lstm | vanilla
    hidden: int = 256
    layers: int = 3
    n_units: int = 40         # blank + 39 phonemes
    dropout: float = 0.1      # between RNN layers, training only
    activation: str = "tanh"  # vanilla cell's g1

    @property
    def input_size(self) -> int:
        return self.n_mels * self.stack


class AcousticRNN(nn.Module):
    def __init__(self, cfg: AcousticConfig):
        super().__init__()
        self.cfg = cfg
        kinds = {"gru": nn.GRU, "lstm": nn.LSTM}
        if cfg.cell in kinds:
            self.rnn = kinds[cfg.cell](cfg.input_size, cfg.hidden, cfg.layers, batch_first=True, dropout=cfg.dropout if cfg.layers > 1 else 0.0)
        elif cfg.cell == "vanilla":
            self.rnn = nn.RNN(cfg.input_size, cfg.hidden, cfg.layers, nonlinearity=cfg.activation, batch_first=True, dropout=cfg.dropout if cfg.layers > 1 else 0.0)
        else:
            raise ValueError(f"unknown cell {cfg.cell}")
        self.out = nn.Linear(cfg.hidden, cfg.n_units)

    def forward(self, x, state=None):
        # x: (B, T, stack·n_mels) -> log-probs (B, T, n_units)
        a, state = self.rnn(x, state)
        return torch.log_softmax(self.out(a), dim=-1), state

    # ---- package tensors <-> PyTorch parameters -------------------------------------------
    def package_tensors(self) -> dict:
        t = {}
        for l in range(self.cfg.layers):
            w_ih, w_hh = getattr(self.rnn, f"weight_ih_l{l}"), getattr(self.rnn, f"weight_hh_l{l}")
            b_ih, b_hh = getattr(self.rnn, f"bias_ih_l{l}"), getattr(self.rnn, f"bias_hh_l{l}")
            t[f"layers.{l}.W_ax"] = w_ih
            t[f"layers.{l}.W_aa"] = w_hh
            if self.cfg.cell == "vanilla":
                t[f"layers.{l}.b_a"] = b_ih + b_hh   # the seed's single b_a
            else:
                t[f"layers.{l}.b_ax"] = b_ih
                t[f"layers.{l}.b_aa"] = b_hh
        t["output.W_ya"] = self.out.weight
        t["output.b_y"] = self.out.bias
        return {k: v.detach().clone() for k, v in t.items()}

    def load_package_tensors(self, t: dict) -> None:
        with torch.no_grad():
            for l in range(self.cfg.layers):
                getattr(self.rnn, f"weight_ih_l{l}").copy_(t[f"layers.{l}.W_ax"])
                getattr(self.rnn, f"weight_hh_l{l}").copy_(t[f"layers.{l}.W_aa"])
                if self.cfg.cell == "vanilla":
                    getattr(self.rnn, f"bias_ih_l{l}").copy_(t[f"layers.{l}.b_a"])
                    getattr(self.rnn, f"bias_hh_l{l}").zero_()
                else:
                    getattr(self.rnn, f"bias_ih_l{l}").copy_(t[f"layers.{l}.b_ax"])
                    getattr(self.rnn, f"bias_hh_l{l}").copy_(t[f"layers.{l}.b_aa"])
            self.out.weight.copy_(t["output.W_ya"])
            self.out.bias.copy_(t["output.b_y"])

    def layer_specs(self) -> list:
        specs = []
        for l in range(self.cfg.layers):
            s = {"cell": self.cfg.cell, "inputSize": self.cfg.input_size if l == 0 else self.cfg.hidden, "hiddenSize": self.cfg.hidden}
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
        layers=len(layers), n_units=len(mj["output"]["alphabet"]), activation=layers[0].get("activation", "tanh"),
    )


def config_dict(cfg: AcousticConfig) -> dict:
    return asdict(cfg)

"""The word-level RNN language model of the seed (section 4): P(x<t> | x<1> ... x<t-1>) by softmax over V words.

    x<t>  = embedding[w<t-1>]                 (E)   the previous word; <eos> is also the sentence-start input
    a<t>  = GRU (or LSTM / vanilla) layers    (H)   hidden state carried along the sentence
    y<t>  = softmax(W_ya a<t> + b_y)          (V)   V = 10,000 words + <unk> + <eos>

Tensor names follow the engine's package format (models/package/model-spec.ts): `embedding` (V, E),
weight_ih_l{l} -> layers.{l}.W_ax, weight_hh_l{l} -> layers.{l}.W_aa, bias_ih/hh -> b_ax/b_aa,
the output layer -> output.W_ya (V, H), output.b_y (V). The engine runs exactly these equations
(models/rnn/rnn-stack.ts), so the exported numbers match PyTorch's to float rounding.
"""
import json
import os
import sys
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import safetensors_io  # noqa: E402  (models/recipe/safetensors_io.py)
from model import load_rnn_layer, rnn_layer_tensors  # noqa: E402  (models/recipe/model.py)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onednn_linear import linear  # noqa: E402


@dataclass
class LmConfig:
    vocab_size: int = 10002   # V: words + <unk> + <eos>
    embedding: int = 128      # E
    cell: str = "gru"         # gru | lstm | vanilla
    hidden: int = 256         # H
    layers: int = 1
    dropout: float = 0.25     # on the embedding and on the RNN output, training only
    activation: str = "tanh"  # vanilla cell's g1


class WordRNN(nn.Module):
    def __init__(self, cfg: LmConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.embedding)
        between = cfg.dropout if cfg.layers > 1 else 0.0
        if cfg.cell == "gru":
            self.rnn = nn.GRU(cfg.embedding, cfg.hidden, cfg.layers, batch_first=True, dropout=between)
        elif cfg.cell == "lstm":
            self.rnn = nn.LSTM(cfg.embedding, cfg.hidden, cfg.layers, batch_first=True, dropout=between)
        elif cfg.cell == "vanilla":
            self.rnn = nn.RNN(cfg.embedding, cfg.hidden, cfg.layers, nonlinearity=cfg.activation, batch_first=True, dropout=between)
        else:
            raise ValueError(f"unknown cell {cfg.cell}")
        self.drop = nn.Dropout(cfg.dropout)
        self.out = nn.Linear(cfg.hidden, cfg.vocab_size)
        nn.init.uniform_(self.embed.weight, -0.1, 0.1)

    def forward(self, words, state=None, reference: bool = False):
        # words: (B, T) word ids -> logits (B, T, V), state (layers, B, H)
        # reference=True runs torch's own nn.GRU / nn.Linear (the parity tests' ground truth); the
        # default runs the same equations with every matmul through oneDNN (onednn_linear.py): ~8× faster here.
        x = self.drop(self.embed(words))          # (B, T, E)
        if reference or self.cfg.cell != "gru":
            a, state = self.rnn(x, state)         # (B, T, H)
            return self.out(self.drop(a)), state  # (B, T, V)
        a, state = self._gru(x, state)
        return linear(self.drop(a), self.out.weight, self.out.bias), state

    def _gru(self, x, state):
        """nn.GRU's equations (gates r, z, n; b_hn inside r ⊙ (W_hn h + b_hn)) with oneDNN matmuls."""
        B, T, _ = x.shape
        H = self.cfg.hidden
        finals = []
        for l in range(self.cfg.layers):
            w_ih, w_hh = getattr(self.rnn, f"weight_ih_l{l}"), getattr(self.rnn, f"weight_hh_l{l}")
            b_ih, b_hh = getattr(self.rnn, f"bias_ih_l{l}"), getattr(self.rnn, f"bias_hh_l{l}")
            gi = linear(x, w_ih, b_ih)                                   # (B, T, 3H) all steps at once
            h = state[l] if state is not None else x.new_zeros(B, H)    # (B, H)
            outs = []
            for t in range(T):
                gh = linear(h, w_hh, b_hh)                               # (B, 3H)
                i_r, i_z, i_n = gi[:, t].split(H, dim=1)
                h_r, h_z, h_n = gh.split(H, dim=1)
                r = torch.sigmoid(i_r + h_r)
                z = torch.sigmoid(i_z + h_z)
                n = torch.tanh(i_n + r * h_n)
                h = (1 - z) * n + z * h
                outs.append(h)
            finals.append(h)
            x = torch.stack(outs, 1)                                     # (B, T, H)
            if l < self.cfg.layers - 1 and self.training and self.cfg.dropout > 0:
                x = nn.functional.dropout(x, self.cfg.dropout)
        return x, torch.stack(finals, 0)

    # ---- package tensors <-> PyTorch parameters -------------------------------------------
    def layer_params(self, l: int) -> tuple:
        """PyTorch's weight_ih, weight_hh, bias_ih, bias_hh of layer l."""
        return tuple(getattr(self.rnn, f"{name}_l{l}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))

    def package_tensors(self) -> dict:
        t = {"embedding": self.embed.weight}
        for l in range(self.cfg.layers):
            t.update(rnn_layer_tensors(l, self.cfg.cell, *self.layer_params(l)))
        t["output.W_ya"] = self.out.weight
        t["output.b_y"] = self.out.bias
        return {k: v.detach().clone() for k, v in t.items()}

    def load_package_tensors(self, t: dict) -> None:
        with torch.no_grad():
            self.embed.weight.copy_(t["embedding"])
            for l in range(self.cfg.layers):
                load_rnn_layer(t, l, self.cfg.cell, *self.layer_params(l))
            self.out.weight.copy_(t["output.W_ya"])
            self.out.bias.copy_(t["output.b_y"])

    def layer_specs(self) -> list:
        specs = []
        for l in range(self.cfg.layers):
            s = {"cell": self.cfg.cell, "inputSize": self.cfg.embedding if l == 0 else self.cfg.hidden, "hiddenSize": self.cfg.hidden}
            if self.cfg.cell == "vanilla":
                s["activation"] = self.cfg.activation
            specs.append(s)
        return specs


def config_from_model_json(mj: dict, vocab_size: int) -> LmConfig:
    layers = mj["layers"]
    return LmConfig(vocab_size=vocab_size, embedding=mj["output"]["embeddingSize"], cell=layers[0]["cell"],
                    hidden=layers[0]["hiddenSize"], layers=len(layers), activation=layers[0].get("activation", "tanh"))


def load_package(folder: str) -> tuple:
    """A `kind: language` package folder -> (WordRNN in eval mode, vocabulary list, model.json dict)."""
    mj = json.load(open(os.path.join(folder, "model.json")))
    vocab = [l.rstrip("\n") for l in open(os.path.join(folder, mj["output"]["vocabulary"]), encoding="utf-8") if l.rstrip("\n")]
    model = WordRNN(config_from_model_json(mj, len(vocab)))
    model.load_package_tensors(safetensors_io.load(os.path.join(folder, mj["weights"])))
    return model.eval(), vocab, mj


def config_dict(cfg: LmConfig) -> dict:
    return asdict(cfg)

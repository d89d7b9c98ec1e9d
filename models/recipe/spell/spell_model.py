"""Phonemes → spelling: the seed's encoder-decoder (section 3.1), two GRUs, no attention.

    encoder   h<t> = GRU_enc(h<t-1>, E_ph[p<T-t>])        reads the phonemes in reverse order (Sutskever et al.)
              c    = h<T>                                  the whole pronunciation in one vector (H)
    decoder   s<0> = c
              s<u> = GRU_dec(s<u-1>, [E_l[y<u-1>]; c])     previous letter (<s> first) and c at every step
              P(y<u> | y<u-1> …, p) = softmax(W_ya s<u> + b_y)   over the letters and </s>

The same code runs letters → phonemes (direction "g2p") with the alphabets swapped.
Package tensors (kind "spelling", models/package/model-spec.ts): encoder.embedding (|in|, E), encoder.layers.0.*,
decoder.embedding (|out|+1, E) (the last row is <s>), layers.0.* (the decoder), output.W_ya (|out|, H), output.b_y.
"""
import json
import os
import random
import re
import sys
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import safetensors_io  # noqa: E402
from per import edit_distance  # noqa: E402
from model import load_rnn_layer, rnn_layer_tensors  # noqa: E402

CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
PHONES = "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split()
LETTERS = list("abcdefghijklmnopqrstuvwxyz'")
END = "</s>"


def read_cmudict(path=CMUDICT):
    """-> [(word, [phonemes])], stress digits stripped, every variant kept, only words of a-z and '."""
    out = []
    for line in open(path, encoding="utf-8", errors="replace"):
        parts = line.split()
        if len(parts) < 2:
            continue
        w = re.sub(r"\(\d+\)$", "", parts[0]).lower()
        ph = [re.sub(r"\d", "", p) for p in parts[1:]]
        if re.fullmatch(r"[a-z']+", w) and all(p in PHONES for p in ph):
            out.append((w, ph))
    return out


def split_words(entries, held_fraction=0.05, seed=5):
    """Held out by WORD (all its variants go together): -> train entries, held-out entries."""
    words = sorted(set(w for w, _ in entries))
    rng = random.Random(seed)
    held = set(rng.sample(words, int(len(words) * held_fraction)))
    return [e for e in entries if e[0] not in held], [e for e in entries if e[0] in held]


@dataclass
class SpellConfig:
    direction: str = "p2g"    # p2g: phonemes -> letters; g2p: letters -> phonemes
    embedding: int = 32
    hidden: int = 128
    max_out: int = 24


def alphabets(direction):
    return (PHONES, LETTERS) if direction == "p2g" else (LETTERS, PHONES)


class Speller(nn.Module):
    def __init__(self, cfg: SpellConfig):
        super().__init__()
        self.cfg = cfg
        src, tgt = alphabets(cfg.direction)
        self.src, self.tgt = src, tgt + [END]
        self.enc_embed = nn.Embedding(len(src), cfg.embedding)
        self.dec_embed = nn.Embedding(len(self.tgt) + 1, cfg.embedding)     # + <s>
        self.enc = nn.GRU(cfg.embedding, cfg.hidden, batch_first=True)
        self.dec = nn.GRU(cfg.embedding + cfg.hidden, cfg.hidden, batch_first=True)
        self.out = nn.Linear(cfg.hidden, len(self.tgt))
        self.start = len(self.tgt)
        self.end = len(self.tgt) - 1

    def encode(self, src, lengths):
        """src (B, S) ids, each row already reversed and left-aligned; -> c (B, H) at each row's last real step."""
        a, _ = self.enc(self.enc_embed(src))
        return a[torch.arange(src.shape[0]), lengths - 1]

    def forward(self, src, lengths, dec_in):
        """Teacher forcing: dec_in (B, U) previous-symbol ids (<s> first) -> logits (B, U, |tgt|)."""
        c = self.encode(src, lengths)
        x = torch.cat([self.dec_embed(dec_in), c[:, None, :].expand(-1, dec_in.shape[1], -1)], 2)
        s, _ = self.dec(x, c[None].contiguous())
        return self.out(s)

    @torch.no_grad()
    def greedy(self, src_ids):
        """One input sequence (list of ids, in order) -> output ids without </s>."""
        src = torch.tensor([list(reversed(src_ids))])
        c = self.encode(src, torch.tensor([len(src_ids)]))
        h, prev, out = c[None].contiguous(), self.start, []
        for _ in range(self.cfg.max_out):
            x = torch.cat([self.dec_embed(torch.tensor([[prev]])), c[:, None, :]], 2)
            s, h = self.dec(x, h)
            prev = int(self.out(s[0, 0]).argmax())
            if prev == self.end:
                break
            out.append(prev)
        return out

    def package_tensors(self):
        t = {"encoder.embedding": self.enc_embed.weight, "decoder.embedding": self.dec_embed.weight}
        for prefix, rnn in (("encoder.", self.enc), ("", self.dec)):
            for k, v in rnn_layer_tensors(0, "gru", rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0).items():
                t[prefix + k] = v
        t["output.W_ya"], t["output.b_y"] = self.out.weight, self.out.bias
        return {k: v.detach().clone() for k, v in t.items()}

    def load_package_tensors(self, t):
        with torch.no_grad():
            self.enc_embed.weight.copy_(t["encoder.embedding"])
            self.dec_embed.weight.copy_(t["decoder.embedding"])
            enc = {k[len("encoder."):]: v for k, v in t.items() if k.startswith("encoder.layers.")}
            load_rnn_layer(enc, 0, "gru", self.enc.weight_ih_l0, self.enc.weight_hh_l0, self.enc.bias_ih_l0, self.enc.bias_hh_l0)
            load_rnn_layer(t, 0, "gru", self.dec.weight_ih_l0, self.dec.weight_hh_l0, self.dec.bias_ih_l0, self.dec.bias_hh_l0)
            self.out.weight.copy_(t["output.W_ya"])
            self.out.bias.copy_(t["output.b_y"])


def batch(entries, model: Speller):
    """[(word, phonemes)] -> src (B, S) reversed ids, lengths, dec_in (B, U), targets (B, U) with -1 padding."""
    si = {s: i for i, s in enumerate(model.src)}
    ti = {s: i for i, s in enumerate(model.tgt)}
    pairs = []
    for w, ph in entries:
        s, t = (ph, list(w)) if model.cfg.direction == "p2g" else (list(w), ph)
        pairs.append(([si[x] for x in s], [ti[x] for x in t] + [model.end]))
    S = max(len(s) for s, _ in pairs)
    U = max(len(t) for _, t in pairs)
    src = torch.zeros(len(pairs), S, dtype=torch.long)
    lengths = torch.tensor([len(s) for s, _ in pairs])
    dec_in = torch.full((len(pairs), U), model.start, dtype=torch.long)
    tgt = torch.full((len(pairs), U), -1, dtype=torch.long)
    for b, (s, t) in enumerate(pairs):
        src[b, : len(s)] = torch.tensor(list(reversed(s)))
        dec_in[b, 1: len(t)] = torch.tensor(t[:-1])
        tgt[b, : len(t)] = torch.tensor(t)
    return src, lengths, dec_in, tgt


@torch.no_grad()
def greedy_batch(model: Speller, sources):
    """Greedy decoding of many inputs at once (lists of source ids) -> output ids without </s>; the same
    outputs as `greedy` one at a time."""
    B = len(sources)
    S = max(len(x) for x in sources)
    src = torch.zeros(B, S, dtype=torch.long)
    for b, x in enumerate(sources):
        src[b, : len(x)] = torch.tensor(list(reversed(x)))
    c = model.encode(src, torch.tensor([len(x) for x in sources]))
    h, prev = c[None].contiguous(), torch.full((B,), model.start, dtype=torch.long)
    outs, done = [[] for _ in range(B)], torch.zeros(B, dtype=torch.bool)
    for _ in range(model.cfg.max_out):
        x = torch.cat([model.dec_embed(prev)[:, None, :], c[:, None, :]], 2)
        a, h = model.dec(x, h)
        prev = model.out(a[:, 0]).argmax(-1)
        for b in range(B):
            if not done[b]:
                if int(prev[b]) == model.end:
                    done[b] = True
                else:
                    outs[b].append(int(prev[b]))
        if bool(done.all()):
            break
    return outs


def evaluate(model: Speller, held, batch_size=512):
    """Word accuracy (the output equals one of the word's spellings / pronunciations) and symbol error rate
    (edit distance to the nearest reference / reference length), greedy decoding, over held-out inputs."""
    was = model.training
    model.eval()
    si = {s: i for i, s in enumerate(model.src)}
    refs = {}
    for w, ph in held:
        s, t = (tuple(ph), list(w)) if model.cfg.direction == "p2g" else (tuple(w), ph)
        refs.setdefault(s, []).append(t)
    keys = list(refs)
    right = errors = length = 0
    for i in range(0, len(keys), batch_size):
        part = keys[i:i + batch_size]
        for s, out in zip(part, greedy_batch(model, [[si[x] for x in s] for s in part])):
            hyp = [model.tgt[j] for j in out]
            ts = refs[s]
            right += any(hyp == t for t in ts)
            best = min(ts, key=lambda t: edit_distance(hyp, t))
            errors += edit_distance(hyp, best)
            length += len(best)
    model.train(was)
    return {"inputs": len(refs), "wordAccuracy": round(right / max(1, len(refs)), 4),
            "symbolErrorRate": round(errors / max(1, length), 4)}


def load_package(folder):
    mj = json.load(open(os.path.join(folder, "model.json")))
    o = mj["output"]
    cfg = SpellConfig(direction=o["direction"], embedding=o["embeddingSize"], hidden=mj["layers"][0]["hiddenSize"], max_out=o["maxLength"])
    model = Speller(cfg)
    model.load_package_tensors(safetensors_io.load(os.path.join(folder, mj["weights"])))
    return model.eval(), mj


def config_dict(cfg):
    return asdict(cfg)

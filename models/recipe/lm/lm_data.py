"""The LM's text as word ids: vocabulary, sentences, length-bucketed batches, and perplexity.

A sentence w1 … wn is trained as the seed's many-to-many sequence with <eos> at both ends:
    input   <eos> w1 w2 … wn          (<eos> doubles as the start-of-sentence input)
    target  w1    w2 …  wn  <eos>
Words outside the vocabulary are <unk>, both as inputs and as targets.
"""
import math
import os
import random
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from configurator import pack_by_size  # noqa: E402  (models/recipe/configurator.py)

UNK, EOS = "<unk>", "<eos>"
PAD = -1   # target id of padding: ignored by the loss


class Vocabulary:
    def __init__(self, words: list):
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}
        self.unk, self.eos = self.index[UNK], self.index[EOS]

    @classmethod
    def read(cls, path: str) -> "Vocabulary":
        return cls([l.rstrip("\n") for l in open(path, encoding="utf-8") if l.rstrip("\n")])

    def __len__(self):
        return len(self.words)

    def ids(self, sentence: str) -> list:
        return [self.index.get(w, self.unk) for w in sentence.split()]


def read_sentences(path: str, vocab: Vocabulary) -> list:
    """-> [list of word ids] per non-empty line."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            ids = vocab.ids(line.strip().lower())
            if ids:
                out.append(ids)
    return out


def make_batches(sentences: list, batch_tokens: int, shuffle: bool, rng: random.Random) -> list:
    """Indices grouped so that (longest + 1) × count ≤ batch_tokens: sentences of similar length pad little."""
    order = sorted(range(len(sentences)), key=lambda i: (len(sentences[i]), rng.random() if shuffle else i))
    batches = pack_by_size(order, lambda i: len(sentences[i]) + 1, batch_tokens)
    if shuffle:
        rng.shuffle(batches)
    return batches


def collate(sentences: list, idx: list, eos: int):
    """-> inputs (B, T) and targets (B, T) with PAD after each sentence's <eos>; T = longest + 1."""
    T = max(len(sentences[i]) for i in idx) + 1
    x = torch.full((len(idx), T), eos, dtype=torch.long)
    y = torch.full((len(idx), T), PAD, dtype=torch.long)
    for b, i in enumerate(idx):
        s = torch.tensor(sentences[i], dtype=torch.long)
        x[b, 1 : len(s) + 1] = s
        y[b, : len(s)] = s
        y[b, len(s)] = eos
    return x, y


@torch.no_grad()
def evaluate(model, sentences: list, eos: int, unk: int, device, reference: bool = False) -> dict:
    """Per-token cross-entropy (nats), perplexity = exp(ce), over every word and each sentence's <eos>.
    <unk> targets count as tokens (the usual closed-vocabulary perplexity); oovRate is their share of the words.
    logZ: mean and spread of each position's log-sum-exp of logits; a self-normalised model (train_lm.py
    --self_norm) keeps it near a constant, so that a decoder may read logit − mean as log P without the softmax."""
    was_training = model.training
    model.eval()
    total, tokens, oov = 0.0, 0, 0
    z_sum, z_sq = 0.0, 0.0   # log Z = logsumexp of a position's logits (0 everywhere: a self-normalised LM)
    for idx in make_batches(sentences, 4000, False, random.Random(0)):
        x, y = collate(sentences, idx, eos)
        logits, _ = model(x.to(device), reference=reference)
        y = y.to(device)
        flat, target = logits.reshape(-1, logits.shape[-1]), y.reshape(-1)
        total += F.cross_entropy(flat, target, ignore_index=PAD, reduction="sum").item()
        keep = target != PAD
        log_z = torch.logsumexp(flat[keep], dim=-1).double()
        z_sum += log_z.sum().item()
        z_sq += (log_z * log_z).sum().item()
        tokens += int(keep.sum())
        oov += int((y == unk).sum())
    model.train(was_training)
    ce = total / max(1, tokens)
    words = tokens - len(sentences)
    z_mean = z_sum / max(1, tokens)
    z_std = math.sqrt(max(0.0, z_sq / max(1, tokens) - z_mean * z_mean))
    return {"crossEntropy": round(ce, 4), "perplexity": round(math.exp(ce), 2), "sentences": len(sentences), "tokens": tokens,
            "oovRate": round(oov / max(1, words), 4),
            "logZ": {"mean": round(z_mean, 4), "std": round(z_std, 4)}}

"""The punctuation-and-case tagger: the seed's many-to-many RNN over words, with a look-ahead of k words as a delay.

    x<t>  = embedding[w<t>]                       (E)   word t as the recogniser writes it (lower case)
    a<t>  = GRU(a<t-1>, x<t>)                     (H)   unidirectional, state carried along the stream
    y<t>  = softmax(W_ya a<t> + b_y)              (20)  the tag of word t-k: case × following mark

The tag for word t is emitted after reading word t+k (k = `lookahead`); after the last word, k `<pad>`
inputs flush the remaining tags. Tag id = case * 5 + mark, case in CASES (lower, Capitalised, UPPER,
mixed: the form comes from the package's list), mark in MARKS ("-" = none).

Package tensors: `embedding` (V, E), layers.0.* (models/package/model-spec.ts), output.W_ya (20, H), output.b_y.
"""
import json
import os
import random
import sys
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lm"))
import safetensors_io  # noqa: E402
from lm_model import LmConfig, WordRNN  # noqa: E402

CASES = ["l", "c", "u", "m"]
MARKS = ["-", ",", ".", "?", "!"]
N_TAGS = len(CASES) * len(MARKS)
UNK, PAD = "<unk>", "<pad>"
IGNORE = -1


@dataclass
class PunctConfig:
    vocab_size: int = 10002
    embedding: int = 64
    hidden: int = 128
    layers: int = 1
    cell: str = "gru"
    dropout: float = 0.1
    lookahead: int = 2
    heads: int = 1            # training: heads for look-aheads 0 … heads-1 side by side; a package has one (its lookahead)
    segment_end: bool = False  # a final segment's end ends a sentence ('.' unless ? or !), the next segment starts one (package output.segmentEnd)
    mid_capital_bias: float = 0.0  # added to 'capitalized' of a word that does not start a sentence, its mark kept (package output.midSentenceCapitalBias)


class Tagger(WordRNN):
    """WordRNN (models/recipe/lm/lm_model.py: embedding → GRU) with 20-way tag outputs, one per look-ahead.

    Training runs `heads` output layers on the one GRU: head j is trained on the tag of word t-j, so one run gives
    dev figures for every look-ahead 0 … heads-1; the export keeps the chosen head as output.W_ya / output.b_y."""

    def __init__(self, cfg: PunctConfig):
        super().__init__(LmConfig(vocab_size=cfg.vocab_size, embedding=cfg.embedding, cell=cfg.cell, hidden=cfg.hidden,
                                  layers=cfg.layers, dropout=cfg.dropout))
        self.pcfg = cfg
        self.out = nn.Linear(cfg.hidden, N_TAGS * cfg.heads)

    def head_of(self, k: int) -> int:
        return k if self.pcfg.heads > 1 else 0

    def keep_head(self, k: int) -> None:
        """Drops every output head but look-ahead k's (for the export)."""
        h = self.head_of(k)
        out = nn.Linear(self.pcfg.hidden, N_TAGS)
        with torch.no_grad():
            out.weight.copy_(self.out.weight[h * N_TAGS:(h + 1) * N_TAGS])
            out.bias.copy_(self.out.bias[h * N_TAGS:(h + 1) * N_TAGS])
        self.out = out
        self.pcfg.heads, self.pcfg.lookahead = 1, k


def tag_id(case: str, mark: str) -> int:
    return CASES.index(case) * len(MARKS) + MARKS.index(mark)


class Vocabulary:
    def __init__(self, words):
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}
        self.unk, self.pad = self.index[UNK], self.index[PAD]

    @classmethod
    def read(cls, path):
        return cls(l.rstrip("\n") for l in open(path, encoding="utf-8") if l.rstrip("\n"))

    def id(self, w):
        return self.index.get(w, self.unk)


def read_streams(path):
    """-> [[(word, case, mark)]] per line of word|case|mark tokens."""
    out = []
    for line in open(path, encoding="utf-8"):
        toks = [tuple(t.split("|")) for t in line.split()]
        if toks:
            out.append(toks)
    return out


def training_sequence(streams, rng, max_words=64, cut_p=0.3):
    """1-6 random streams joined (sentence boundaries inside a sequence), at most max_words; with probability
    cut_p it ends at a random word instead (a segment that stops mid-sentence)."""
    seq = []
    for _ in range(rng.randint(1, 6)):
        s = streams[rng.randrange(len(streams))]
        if seq and len(seq) + len(s) > max_words:
            break
        seq.extend(s[:max_words])
    if rng.random() < cut_p and len(seq) > 2:
        seq = seq[: rng.randint(1, len(seq) - 1)]
    return seq


def collate(seqs, vocab: Vocabulary, k: int, heads: int = 1):
    """-> inputs (B, T+k) word ids with k <pad> at the end (k = the largest look-ahead), targets (heads, B, T+k)
    where targets[j, :, t] = tag of word t-j (the look-ahead of head j; a single head's look-ahead is k)."""
    T = max(len(s) for s in seqs)
    x = torch.full((len(seqs), T + k), vocab.pad, dtype=torch.long)
    y = torch.full((heads, len(seqs), T + k), IGNORE, dtype=torch.long)
    for b, s in enumerate(seqs):
        x[b, : len(s)] = torch.tensor([vocab.id(w) for w, _c, _m in s])
        tags = torch.tensor([tag_id(c, m) for _w, c, m in s])
        for j in range(heads):
            d = j if heads > 1 else k
            y[j, b, d : d + len(s)] = tags
    return x, y


# ---- streaming inference, the engine's algorithm (models/language/punctuator.ts) -------------------------

def end_sentence(tag: int) -> int:
    """segment_end: the segment's last tag takes '.' unless its mark already ends a sentence."""
    return tag if MARKS[tag % len(MARKS)] in ".?!" else (tag // len(MARKS)) * len(MARKS) + MARKS.index(".")


def start_sentence(tag: int) -> int:
    """segment_end: a lower-case first word after a sentence end is capitalised."""
    return tag_id("c", MARKS[tag % len(MARKS)]) if CASES[tag // len(MARKS)] == "l" else tag


def decide(rows, starts_sentence: bool, capital_bias: float) -> list:
    """rows (n, 20): one word's tag scores per row, in word order. -> tag ids, word by word: the best tag; for a word
    that does not start a sentence (the first when not starts_sentence, else one after a word tagged . ? !), the
    case chosen again for the best tag's mark with capital_bias added to 'capitalized' (the mark is kept)."""
    tags, initial = [], starts_sentence
    c = CASES.index("c")
    for r in rows:
        t = int(r.argmax())
        if not initial and capital_bias != 0:
            m = t % len(MARKS)
            col = r.reshape(len(CASES), len(MARKS))[:, m].clone()
            col[c] += capital_bias
            t = int(col.argmax()) * len(MARKS) + m
        tags.append(t)
        initial = MARKS[t % len(MARKS)] in ".?!"
    return tags


@torch.no_grad()
def tag_segments(model: Tagger, vocab: Vocabulary, segments, k: int, reference=False, segment_end=None, capital_bias=None):
    """Segments of one session (lists of words), tagged as the engine does: the state after each segment's
    real words is carried to the next; the segment's last k tags come from k <pad> inputs run on a copy of
    that state. With segment_end (default: the model's pcfg.segment_end), each segment's last word ends a
    sentence and the first word of each segment starts one (models/language/punctuator.ts does the same).
    capital_bias (default: pcfg.mid_capital_bias): see `decide`. -> per segment, a list of tag ids."""
    if segment_end is None:
        segment_end = model.pcfg.segment_end
    if capital_bias is None:
        capital_bias = model.pcfg.mid_capital_bias
    state = None
    out = []
    h = model.head_of(k)
    at_start = True   # the session's first word, or the last segment ended with . ? !
    for words in segments:
        if not words:
            out.append([])
            continue
        x = torch.tensor([[vocab.id(w) for w in words]])
        logits, state = model(x, state, reference=reference)
        rows = logits[0, k:, h * N_TAGS:(h + 1) * N_TAGS]
        if k:
            pads = torch.full((1, k), vocab.pad, dtype=torch.long)
            flush, _ = model(pads, state.clone(), reference=reference)
            rows = torch.cat([rows, flush[0, :, h * N_TAGS:(h + 1) * N_TAGS]], 0)
        # k > len(words): the first outputs belong to the previous segment's words (already shown)
        tags = decide(rows[-len(words):], at_start or segment_end, capital_bias)
        if segment_end:
            tags[0] = start_sentence(tags[0])
            tags[-1] = end_sentence(tags[-1])
        at_start = MARKS[tags[-1] % len(MARKS)] in ".?!"
        out.append(tags)
    return out


def baseline_tags(segments):
    """The baseline: capitalise each segment's first word, a period after its last."""
    out = []
    for words in segments:
        t = [tag_id("l", "-")] * len(words)
        if words:
            t[0] = tag_id("c", "-")
            t[-1] = tag_id("c" if len(words) == 1 else "l", ".")
        out.append(t)
    return out


def score(gold, pred) -> dict:
    """gold: [(word, case, mark)], pred: tag ids, same length. -> counts to sum then `figures`."""
    c = {"words": 0, "caseRight": 0, "capRight": 0, "capGold": 0}
    for m in MARKS[1:] + ["eos"]:
        c[m] = [0, 0, 0]   # tp, fp, fn
    for (_w, gc, gm), t in zip(gold, pred):
        pc, pm = CASES[t // len(MARKS)], MARKS[t % len(MARKS)]
        c["words"] += 1
        c["caseRight"] += pc == gc
        for m in MARKS[1:]:
            c[m][0] += pm == m and gm == m
            c[m][1] += pm == m and gm != m
            c[m][2] += pm != m and gm == m
        ge, pe = gm in ".?!", pm in ".?!"
        c["eos"][0] += ge and pe
        c["eos"][1] += pe and not ge
        c["eos"][2] += ge and not pe
    return c


def add(a, b):
    for key, v in b.items():
        a[key] = [x + y for x, y in zip(a.get(key, [0] * len(v)), v)] if isinstance(v, list) else a.get(key, 0) + v
    return a


def f1(tp, fp, fn):
    return round(2 * tp / max(1, 2 * tp + fp + fn), 4)


def figures(c) -> dict:
    return {"words": c["words"], "caseAccuracy": round(c["caseRight"] / max(1, c["words"]), 4),
            "markF1": {m: f1(*c[m]) for m in MARKS[1:]}, "sentenceBoundaryF1": f1(*c["eos"])}


def sessions_of(streams, per_session, seed=7):
    """Held-out streams grouped into sessions of `per_session` streams (each stream one segment), order shuffled."""
    order = list(range(len(streams)))
    random.Random(seed).shuffle(order)
    return [[streams[i] for i in order[j:j + per_session]] for j in range(0, len(order), per_session)]


def evaluate(model, vocab, streams, k, per_session=5, reference=False, segment_end=None, capital_bias=None, counts=False) -> dict:
    """Model and baseline on held-out streams, each stream one segment, per_session segments with the state carried.
    counts: the raw counts (to pool sets with `add`) instead of figures."""
    was = model.training
    model.eval()
    cm, cb = {}, {}
    for sess in sessions_of(streams, per_session):
        words = [[w for w, _c, _m in s] for s in sess]
        for gold, p, b in zip(sess, tag_segments(model, vocab, words, k, reference, segment_end, capital_bias), baseline_tags(words)):
            add(cm, score(gold, p))
            add(cb, score(gold, b))
    model.train(was)
    return {"model": cm, "baseline": cb} if counts else {"model": figures(cm), "baseline": figures(cb)}


# ---- package <-> model ------------------------------------------------------------------------------------

def load_package(folder):
    mj = json.load(open(os.path.join(folder, "model.json")))
    o = mj["output"]
    vocab = Vocabulary.read(os.path.join(folder, o["vocabulary"]))
    L = mj["layers"]
    cfg = PunctConfig(vocab_size=len(vocab.words), embedding=o["embeddingSize"], hidden=L[0]["hiddenSize"], layers=len(L),
                      cell=L[0]["cell"], lookahead=o["lookahead"], segment_end=bool(o.get("segmentEnd", False)),
                      mid_capital_bias=float(o.get("midSentenceCapitalBias", 0.0)))
    model = Tagger(cfg)
    model.load_package_tensors(safetensors_io.load(os.path.join(folder, mj["weights"])))
    return model.eval(), vocab, mj


def config_dict(cfg: PunctConfig) -> dict:
    return asdict(cfg)

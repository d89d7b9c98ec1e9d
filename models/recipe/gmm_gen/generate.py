"""Generates training features from PocketSphinx's US English acoustic model (a GMM-HMM trained on
many real speakers), in the shard format of models/recipe/dump_features.ts, type 'sphinx-mfcc'.

    /usr/bin/python3 models/recipe/gmm_gen/generate.py --hours 4 --out data/features/gmm-train [--seed 1]

For each sentence of data/corpus/sentences.tsv's train split (shuffled by the seed):
  text -> CMUdict phones (first pronunciation; a sentence with an unknown word is skipped), SIL at
  both ends and, with probability --pause, between words -> triphones with their word position
  (mdef; the same triphone at another position, else the CI phone, when the model has none)
  -> a state path per phone sampled from its transition matrix -> per frame and per stream
  (c, Δc, ΔΔc) one Gaussian drawn from the senone's mixture weights -> the smooth static cepstra
  that best fit those Gaussians (mlpg.py) -> each dimension's spread around the utterance mean
  scaled to a target (--gv model: the spread of frames drawn independently from the utterance's chosen
  Gaussians, i.e. of the model's real speakers over those states; --gv speech: the within-utterance
  std measured on speech, speech_stats.json), and an utterance mean drawn from speech's (speech_stats.json;
  the model's cepstra are mean-normalised, the featurizer's are not)
  -> uint8 frames q = round(x · quantScale + quantOffset).
Deterministic by --seed. The model files are read from the installed package (sphinx_model.py).
"""
import argparse
import json
import os
import re
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RECIPE = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(RECIPE))
sys.path.insert(0, HERE)
from mlpg import mlpg  # noqa: E402
from sphinx_model import CMUDICT, MODEL_DIR, SphinxModel  # noqa: E402
sys.path.insert(0, os.path.dirname(HERE))
from shard_writer import ShardWriter  # noqa: E402

FRAMES_PER_HOUR = 360_000   # 10 ms hop


def phoneme_alphabet() -> list[str]:
    """The acoustic model's output alphabet (models/recipe/phonemes.ts): the blank, then the engine's ARPABET_39,
    read from renderer/engine/decoding/lexicon.ts (one definition)."""
    src = open(os.path.join(REPO, "renderer", "engine", "decoding", "lexicon.ts")).read()
    body = re.search(r"ARPABET_39: readonly string\[\] = \[(.*?)\];", src, re.S).group(1)
    return ["<blank>"] + re.findall(r"'([A-Z]+)'", body)


def read_dict(path: str) -> dict[str, list[str]]:
    """CMUdict: word -> phones of its first pronunciation, stress digits stripped."""
    out: dict[str, list[str]] = {}
    for line in open(path, encoding="utf8", errors="replace"):
        parts = line.split()
        if len(parts) < 2 or "(" in parts[0]:
            continue
        out.setdefault(parts[0].lower(), [re.sub(r"\d", "", p) for p in parts[1:]])
    return out


def read_sentences(path: str) -> list[str]:
    """Texts of the train split only (id, source, text, split, original)."""
    out = []
    for line in open(path, encoding="utf8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 4 and cols[3] == "train" and cols[2].strip():
            out.append(cols[2].strip())
    return out


class Generator:
    def __init__(self, model: SphinxModel, stats: dict, pause: float = 0.1, gv: str = "model", var_floor: float = 1e-4):
        self.m = model
        md = model.mdef
        self.sil = md.ciphones[md.sil]
        self.pause = pause
        self.gv = gv
        self.means = model.means.astype(np.float64)
        self.vars = np.maximum(model.variances.astype(np.float64), var_floor)
        # inverse-CDF sampling of codewords: row (stream, senone) cumulative weights, offset by the row
        # number so one searchsorted over the flattened array serves every row
        w = model.mixw.transpose(0, 2, 1)                                       # (stream, senone, codeword)
        cdf = np.cumsum(w, axis=-1)
        cdf[..., -1] = 1.0
        self.n_cw = w.shape[-1]
        rows = np.arange(w.shape[0] * w.shape[1]).reshape(w.shape[0], w.shape[1], 1)
        self.cdf_flat = (cdf + rows).ravel()
        self.n_sen = w.shape[1]
        self.gv_std = np.array(stats["withinStd"], np.float64)
        self.mean_mean = np.array(stats["uttMeanMean"], np.float64)
        self.mean_std = np.array(stats["uttMeanStd"], np.float64)
        self.pid_cache: dict[tuple, tuple[np.ndarray, int]] = {}

    def phone_states(self, base: str, left: str, right: str, wpos: str) -> tuple[np.ndarray, int]:
        key = (base, left, right, wpos)
        hit = self.pid_cache.get(key)
        if hit is None:
            md = self.m.mdef
            pid = md.ci_index[base] if base == self.sil else md.phone(base, left, right, wpos)
            hit = (md.senones(pid), int(md.tmat[pid]))
            self.pid_cache[key] = hit
        return hit

    def senone_path(self, words: list[list[str]], rng: np.random.Generator) -> np.ndarray:
        """Phones (with SIL at the ends and sampled pauses) -> one senone id per frame."""
        seq: list[tuple[str, str]] = [(self.sil, "s")]
        for i, w in enumerate(words):
            if i and rng.random() < self.pause:
                seq.append((self.sil, "s"))
            for j, p in enumerate(w):
                seq.append((p, "s" if len(w) == 1 else "b" if j == 0 else "e" if j == len(w) - 1 else "i"))
        seq.append((self.sil, "s"))
        frames: list[np.ndarray] = []
        u = rng.random((len(seq), 3, 2))
        for k, (p, pos) in enumerate(seq):
            left = seq[k - 1][0] if k else self.sil
            right = seq[k + 1][0] if k + 1 < len(seq) else self.sil
            sen, tm = self.phone_states(p, left, right, pos)
            a = self.m.tmat[tm]
            s = 0
            while s < 3:
                stay = a[s, s]
                # frames in state s: geometric with P(leave) = 1 - stay (at least one)
                n = 1 + int(np.log(max(u[k, s, 0], 1e-300)) / np.log(stay)) if stay > 0 else 1
                frames.append(np.full(n, sen[s], np.int32))
                leave = a[s, s + 1:]
                tot = leave.sum()
                step = 1
                if tot > 0 and len(leave) > 1 and u[k, s, 1] * tot >= leave[0]:
                    step = 2          # a skip transition
                s += step
        return np.concatenate(frames)

    def gaussians(self, senones: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Per frame and stream, one density drawn from the senone's mixture -> means, variances (T, 3, 13)."""
        T = len(senones)
        n_str = self.means.shape[1]
        rows = (np.arange(n_str)[None, :] * self.n_sen + senones[:, None])    # (T, stream)
        u = rng.random((T, n_str)) + rows
        flat = np.searchsorted(self.cdf_flat, u.ravel(), side="right").reshape(T, n_str)
        cw = np.minimum(flat - rows * self.n_cw, self.n_cw - 1)
        cb = self.m.mdef.sen2cb[senones][:, None]
        st = np.arange(n_str)[None, :]
        return self.means[cb, st, cw], self.vars[cb, st, cw]

    def finish(self, c: np.ndarray, mu: np.ndarray, var: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Each dimension's spread around the utterance mean scaled to a target, and an utterance mean
        drawn from speech's. Target ('model'): the std over the utterance of frames drawn independently
        from its chosen static Gaussians, sqrt(var_t(μ_t) + mean_t(σ²_t)) (what the model's real
        speakers spread over those states); ('speech'): the within-utterance std measured on speech."""
        m = c.mean(0)
        sd = c.std(0)
        target = np.sqrt(mu.var(0) + var.mean(0)) if self.gv == "model" else self.gv_std
        scale = np.where(sd > 1e-6, target / np.maximum(sd, 1e-6), 1.0)
        return (c - m) * scale + self.mean_mean + self.mean_std * rng.standard_normal(len(m))

    def batch(self, items: list[tuple[list[list[str]], np.random.Generator]]) -> list[np.ndarray]:
        """Utterances (phones per word, own RNG) -> static cepstra (T_i, 13) each."""
        paths = [self.senone_path(w, r) for w, r in items]
        lengths = np.array([len(p) for p in paths])
        T = int(lengths.max())
        D = self.means.shape[-1]
        mu = np.zeros((len(items), T, 3, D))
        var = np.ones((len(items), T, 3, D))
        for b, (p, (_, r)) in enumerate(zip(paths, items)):
            mu[b, :len(p)], var[b, :len(p)] = self.gaussians(p, r)
        c = mlpg(mu, var, lengths)
        return [self.finish(c[b, :n], mu[b, :n, 0], var[b, :n, 0], r) for b, (n, (_, r)) in enumerate(zip(lengths, items))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hours", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sentences", default=os.path.join(REPO, "data/corpus/sentences.tsv"))
    ap.add_argument("--dict", default=CMUDICT)
    ap.add_argument("--model", default=MODEL_DIR)
    ap.add_argument("--stats", default=os.path.join(HERE, "speech_stats.json"))
    ap.add_argument("--spec", default=os.path.join(RECIPE, "config/features-sphinx.json"))
    ap.add_argument("--pause", type=float, default=0.1, help="probability of a pause (SIL) between two words")
    ap.add_argument("--gv", choices=("model", "speech"), default="model",
                    help="within-utterance std target: implied by the model's Gaussians, or measured on speech (--stats)")
    ap.add_argument("--batch", type=int, default=64, help="utterances per parameter-generation batch")
    args = ap.parse_args()

    t0 = time.time()
    spec = json.load(open(args.spec))
    quant = json.load(open(os.path.join(RECIPE, "config/quantization.json")))[spec["type"]]
    model = SphinxModel(args.model)
    fp = model.feat_params
    agree = {"lowFreq": float(fp["lowerf"]), "highFreq": float(fp["upperf"]), "nMels": int(fp["nfilt"]), "lifter": int(fp["lifter"])}
    bad = {k: (spec[k], v) for k, v in agree.items() if spec[k] != v}
    if bad or fp.get("transform") != "dct" or fp.get("feat") != "1s_c_d_dd" or spec["type"] != "sphinx-mfcc":
        sys.exit(f"the feature spec {args.spec} does not match {args.model}/feat.params: {bad or fp}")
    stats = json.load(open(args.stats))
    gen = Generator(model, stats, pause=args.pause, gv=args.gv)
    alphabet = phoneme_alphabet()
    unit = {p: i for i, p in enumerate(alphabet)}
    lex = read_dict(args.dict)
    sentences = read_sentences(args.sentences)
    if not sentences:
        sys.exit(f"no train sentences in {args.sentences}")
    os.makedirs(args.out, exist_ok=True)
    json.dump({**spec, "quantScale": quant["scale"], "quantOffset": quant["offset"], "alphabet": alphabet,
               "generator": {"source": "PocketSphinx en-us acoustic model (Debian pocketsphinx-en-us, BSD-style, Alpha Cephei)",
                             "seed": args.seed, "hours": args.hours, "pause": args.pause, "gv": args.gv}},
              open(os.path.join(args.out, "features.json"), "w"), indent=2)

    rng = np.random.default_rng(args.seed)
    target = int(args.hours * FRAMES_PER_HOUR)
    total = n_utt = skipped = 0
    shards = ShardWriter(args.out)

    order = rng.permutation(len(sentences))
    pos = 0
    while total < target:
        items, texts = [], []
        while len(items) < args.batch:
            if pos == len(order):
                order, pos = rng.permutation(len(sentences)), 0
            text = sentences[order[pos]]
            pos += 1
            words = [lex.get(w) for w in text.split()]
            if any(w is None for w in words):
                skipped += 1
                continue
            items.append((words, np.random.default_rng([args.seed, n_utt + len(items)])))
            texts.append(text)
        for (words, _), text, c in zip(items, texts, gen.batch(items)):
            if total >= target:
                break
            q = np.clip(np.rint(c * quant["scale"] + quant["offset"]), 0, 255).astype(np.uint8)
            labels = [unit[p] for w in words for p in w]
            shards.add(q.tobytes(), len(c), {"id": f"gmm{args.seed}-{n_utt:07d}", "frames": len(c), "labels": labels,
                                              "text": text, "voice": "gmm pocketsphinx-en-us"})
            total += len(c)
            n_utt += 1
        done = total / max(target, 1)
        print(f"{n_utt} utterances, {total / FRAMES_PER_HOUR:.2f} h, {time.time() - t0:.0f} s"
              + (f", ~{(time.time() - t0) * (1 - done) / done / 60:.1f} min left" if done < 1 else ""), flush=True)
    shards.flush()
    print(f"done: {n_utt} utterances, {total / FRAMES_PER_HOUR:.3f} h in {shards.shards} shard(s), {skipped} sentences skipped"
          f" (unknown words), {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()

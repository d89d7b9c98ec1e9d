"""Reads the feature shards written by dump_features.ts (the app's own featurizer) and by
gmm_gen/generate.py: uint8 q per value, x = (q - quantOffset) / quantScale."""
import glob
import json
import os

import torch


class ShardSet:
    """All utterances of one split in memory: uint8 frames (N_frames, n_mels) + an index."""

    def __init__(self, directory: str, limit: int | None = None):
        meta = json.load(open(os.path.join(directory, "features.json")))
        self.quant_scale = meta["quantScale"]
        self.quant_offset = meta.get("quantOffset", 0)   # shards older than the offset field: 0
        self.n_mels = meta["nMels"] if meta["type"] == "logmel" else meta["nMfcc"]
        # where the frames came from (a generator model, or word_crops.py's cuts of another split) is not the features' kind
        self.spec = {k: v for k, v in meta.items() if k not in ("quantScale", "quantOffset", "alphabet", "generator", "derivedFrom")}
        self.alphabet = meta["alphabet"]
        blobs, self.utts, base = [], [], 0
        for u8 in sorted(glob.glob(os.path.join(directory, "shard-*.u8"))):
            raw = torch.frombuffer(bytearray(open(u8, "rb").read()), dtype=torch.uint8).reshape(-1, self.n_mels)
            for line in open(u8[:-3] + ".jsonl"):
                if not line.strip():
                    continue
                u = json.loads(line)
                u["offset"] += base
                self.utts.append(u)
            blobs.append(raw)
            base += raw.shape[0]
            if limit and len(self.utts) >= limit:
                break
        if not blobs:
            raise FileNotFoundError(f"no shards in {directory}")
        self.frames = torch.cat(blobs)
        if limit:
            self.utts = self.utts[:limit]

    def stored(self, u: dict) -> torch.Tensor:
        """One utterance's frames (an entry of self.utts) as stored: (frames, n_mels) uint8."""
        return self.frames[u["offset"]: u["offset"] + u["frames"]]

    def values(self, u: dict) -> torch.Tensor:
        """One utterance's frames (an entry of self.utts) as feature values: (frames, n_mels) floats."""
        return (self.stored(u).float() - self.quant_offset) / self.quant_scale

    def hours(self) -> float:
        return sum(u["frames"] for u in self.utts) * self.spec["hopSize"] / self.spec["sampleRate"] / 3600

    def stats(self, max_frames: int = 2_000_000):
        """Per-dimension mean and std over (a sample of) the frames."""
        step = max(1, self.frames.shape[0] // max_frames)
        x = (self.frames[::step].float() - self.quant_offset) / self.quant_scale
        return x.mean(0), x.std(0).clamp_min(1e-3)


def parse_dirs(spec: str, repo: str) -> list:
    """'DIR[:WEIGHT],DIR2[:WEIGHT]' -> [(absolute dir, weight)]; a weight is how many times per epoch
    each of that split's utterances is drawn (0.5: half of them, a new half each epoch)."""
    out = []
    for part in [p.strip() for p in spec.split(",") if p.strip()]:
        path, weight = part, 1.0
        head, _, tail = part.rpartition(":")
        if head and tail.replace(".", "", 1).isdigit():
            path, weight = head, float(tail)
        out.append((path if os.path.isabs(path) else os.path.join(repo, path), weight))
    return out


def concat(sets: list, weights: list, names: list) -> "ShardSet":
    """One ShardSet over several (same features and alphabet); each utterance keeps its split's
    weight ("weight") and name ("source")."""
    first = sets[0]
    for s, n in zip(sets[1:], names[1:]):
        if (s.spec != first.spec or s.alphabet != first.alphabet or s.quant_scale != first.quant_scale
                or getattr(s, "quant_offset", 0) != getattr(first, "quant_offset", 0)):
            raise ValueError(f"{n}: its features.json (features, alphabet or quantisation) differs from {names[0]}'s")
    out = ShardSet.__new__(ShardSet)
    out.quant_scale, out.n_mels, out.spec, out.alphabet = first.quant_scale, first.n_mels, first.spec, first.alphabet
    out.quant_offset = getattr(first, "quant_offset", 0)
    out.utts, base, blobs = [], 0, []
    for s, w, n in zip(sets, weights, names):
        for u in s.utts:
            out.utts.append(dict(u, offset=u["offset"] + base, weight=w, source=n))
        blobs.append(s.frames)
        base += s.frames.shape[0]
    out.frames = torch.cat(blobs)
    return out


def speech_onsets(ds: "ShardSet", look: int = 200, rise: float = 2.0) -> list:
    """Per utterance, the first frame whose mean log-mel rises `rise` nats above the utterance's quiet
    floor (10th percentile of its first `look` frames): where the leading silence ends."""
    energy = (ds.frames.float().mean(1) - getattr(ds, "quant_offset", 0)) / ds.quant_scale
    onsets = []
    for u in ds.utts:
        e = energy[u["offset"]: u["offset"] + min(u["frames"], look)]
        floor = torch.quantile(e, 0.1) if len(e) > 1 else e.min()
        above = (e > floor + rise).nonzero()
        onsets.append(int(above[0]) if len(above) else 0)
    return onsets

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
        self.spec = {k: v for k, v in meta.items() if k not in ("quantScale", "quantOffset", "alphabet", "generator")}
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

    def hours(self) -> float:
        return sum(u["frames"] for u in self.utts) * self.spec["hopSize"] / self.spec["sampleRate"] / 3600

    def stats(self, max_frames: int = 2_000_000):
        """Per-dimension mean and std over (a sample of) the frames."""
        step = max(1, self.frames.shape[0] // max_frames)
        x = (self.frames[::step].float() - self.quant_offset) / self.quant_scale
        return x.mean(0), x.std(0).clamp_min(1e-3)

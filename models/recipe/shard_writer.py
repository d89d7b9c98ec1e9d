"""Writes the feature-shard format that shards.ShardSet reads and dump_features.ts writes: uint8 frames in
`shard-PPP-NNN.u8` files of at most ~48 MiB, each with a `.jsonl` index line per utterance whose `offset` is
its first frame in that shard. Standard library only (the generator runs without torch)."""
import json
import os

SHARD_BYTES = 48 * 1024 * 1024


class ShardWriter:
    def __init__(self, out: str, part: int = 0):
        self.out, self.part = out, part
        self.shards = 0
        self._chunks: list[bytes] = []
        self._index: list[str] = []
        self._frames = 0
        self._bytes = 0

    def add(self, frames: bytes, n_frames: int, entry: dict) -> None:
        """One utterance: its uint8 frames (n_frames rows) and its index fields (`offset` is set here)."""
        rest = {k: v for k, v in entry.items() if k not in ("id", "offset")}
        self._index.append(json.dumps({"id": entry["id"], "offset": self._frames, **rest}))
        self._chunks.append(frames)
        self._frames += n_frames
        self._bytes += len(frames)
        if self._bytes >= SHARD_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._index:
            return
        name = os.path.join(self.out, f"shard-{self.part:03d}-{self.shards:03d}")
        with open(name + ".u8", "wb") as f:
            f.write(b"".join(self._chunks))
        with open(name + ".jsonl", "w") as f:
            f.write("\n".join(self._index) + "\n")
        self.shards, self._chunks, self._index, self._frames, self._bytes = self.shards + 1, [], [], 0, 0

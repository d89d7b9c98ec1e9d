"""Minimal safetensors reader/writer (F32, F16; reads I8 matrices) so the recipe needs only Debian's python3-torch.

Layout: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
then the raw little-endian tensor bytes. The engine's TypeScript reader (models/package/safetensors.ts)
reads exactly this.
"""
import json
import struct

import torch

_DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "I8": (torch.int8, 1)}


def save(tensors: dict, path: str, metadata: dict | None = None, dtype: str = "F32") -> None:
    if dtype not in ("F32", "F16"):
        raise ValueError(f"safetensors_io.save writes F32 or F16, not {dtype}")
    torch_dtype, size = _DTYPES[dtype]
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu", torch_dtype).contiguous()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)   # keep tensor data 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def load(path: str) -> dict:
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        torch_dtype, _ = _DTYPES[info["dtype"]]
        a, b = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + a : base + b]), dtype=torch_dtype).reshape(info["shape"])
        out[name] = t.float()
    # an I8 matrix X stands for q * X.scale[row] (rounded to float32, as models/package/safetensors.ts reads it)
    for name, info in header.items():
        if name != "__metadata__" and info["dtype"] == "I8":
            out[name] = out[name] * out.pop(name + ".scale").reshape(-1, 1)
    return out

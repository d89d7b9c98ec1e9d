"""Reads PocketSphinx's acoustic model files (Debian `pocketsphinx-en-us`) into numpy arrays.

This project's own reader of the file formats, written from the files themselves: the text each
binary file carries at its start describes its layout, and the counts below were checked against
the installed package (test/models/recipe/gmm-gen.test.ts). Nothing of the model is committed;
the files are read where the package installs them.

    means, variances      s3 header ("s3", "version 1.0", "chksum0 yes", "endhdr"), int32 0x11223344
                          (byte order), int32 n_codebook, n_stream, n_density, int32 veclen[n_stream],
                          int32 count, float32[count], uint32 checksum
    transition_matrices   same header, int32 n_tmat, n_from, n_to, int32 count, float32[count], checksum
    sendump               int32-length-prefixed strings (ended by length 0), int32 n_codeword, int32
                          n_senone, then uint8 [stream][codeword][senone]: -log_1.0001(p) >> 10
    mdef                  "BMDF", int32 version 1, int32 length + format text, int32 n_ciphone, n_phone,
                          n_emit_state, n_ci_sen, n_sen, n_tmat, n_sseq, n_ctx, n_cd_tree, sil,
                          NUL-terminated CI phone names padded to 4 bytes, cd_tree
                          {int16 ctx, int16 n_down, int32 down-or-pid}[n_cd_tree], phones
                          {int32 ssid, int32 tmat, int8 attr[4]}[n_phone], one int32 the format text
                          does not mention, int16 sseq[n_sseq][n_emit_state]
The checksum is the s3 one: for each 32-bit word w, sum = rotate_left(sum, 20) + w (mod 2^32).
"""
import os
import struct

import numpy as np

MODEL_DIR = "/usr/share/pocketsphinx/model/en-us/en-us"
CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
BYTE_ORDER_MAGIC = 0x11223344
# word positions as the mdef's cd_tree numbers them (its first level): internal, begin, end, single
WPOS = {"i": 0, "b": 1, "e": 2, "s": 3}
LOG_BASE = 1.0001
SENDUMP_SHIFT = 10


def s3_checksum(words: np.ndarray) -> int:
    """The s3 checksum over uint32 words: sum = rotl(sum, 20) + w."""
    s = 0
    for w in words.tolist():
        s = ((((s << 20) | (s >> 12)) & 0xFFFFFFFF) + w) & 0xFFFFFFFF
    return s


def _s3_body(path: str):
    raw = open(path, "rb").read()
    end = raw.index(b"endhdr\n") + len(b"endhdr\n")
    header = raw[:end].decode("ascii", "replace").split()
    if not raw.startswith(b"s3\n"):
        raise ValueError(f"{path}: not an s3 file")
    if struct.unpack_from("<I", raw, end)[0] != BYTE_ORDER_MAGIC:
        raise ValueError(f"{path}: big-endian s3 files are not read")
    return raw, end + 4, "chksum0" in header and header[header.index("chksum0") + 1] == "yes"


def read_gaussians(path: str):
    """means or variances -> (array (n_codebook, n_stream, n_density, veclen), checksum ok)."""
    raw, o, has_sum = _s3_body(path)
    start = o
    n_cb, n_str, n_den = struct.unpack_from("<3i", raw, o)
    o += 12
    veclen = struct.unpack_from(f"<{n_str}i", raw, o)
    o += 4 * n_str
    count = struct.unpack_from("<i", raw, o)[0]
    o += 4
    if len(set(veclen)) != 1 or count != n_cb * n_den * sum(veclen):
        raise ValueError(f"{path}: streams of different sizes {veclen} or a count {count} that does not add up")
    data = np.frombuffer(raw, "<f4", count, o).reshape(n_cb, n_str, n_den, veclen[0])
    return data, _checksum_ok(raw, start, o + 4 * count, has_sum)


def _checksum_ok(raw: bytes, start: int, end: int, has_sum: bool) -> bool | None:
    """The stored checksum covers every word after the byte-order magic: the counts and the data."""
    if not has_sum:
        return None
    if len(raw) != end + 4:
        raise ValueError(f"{len(raw) - end} bytes after the data, expected a 4-byte checksum")
    return s3_checksum(np.frombuffer(raw, "<u4", (end - start) // 4, start)) == struct.unpack_from("<I", raw, end)[0]


def read_transitions(path: str):
    """transition_matrices -> (counts (n_tmat, n_from, n_to), checksum ok)."""
    raw, start, has_sum = _s3_body(path)
    n, n_from, n_to, count = struct.unpack_from("<4i", raw, start)
    o = start + 16
    if count != n * n_from * n_to:
        raise ValueError(f"{path}: count {count} != {n}×{n_from}×{n_to}")
    return np.frombuffer(raw, "<f4", count, o).reshape(n, n_from, n_to), _checksum_ok(raw, start, o + 4 * count, has_sum)


def read_sendump(path: str):
    """sendump -> uint8 (n_stream, n_codeword, n_senone) and the header's key/value strings."""
    raw = open(path, "rb").read()
    o, strings = 0, []
    while True:
        n = struct.unpack_from("<i", raw, o)[0]
        o += 4
        if n == 0:
            break
        strings.append(raw[o:o + n].rstrip(b"\0").decode("ascii", "replace"))
        o += n
    info = dict(s.split(" ", 1) for s in strings if s.count(" ") == 1 and s.split(" ")[1].isdigit())
    if int(info.get("cluster_count", "0")) != 0:
        raise ValueError(f"{path}: clustered (compressed) mixture weights are not read")
    n_cw, n_sen = struct.unpack_from("<2i", raw, o)
    o += 8
    n_str = int(info.get("feature_count", "1"))
    if len(raw) - o != n_str * n_cw * n_sen:
        raise ValueError(f"{path}: {len(raw) - o} bytes of weights, expected {n_str}×{n_cw}×{n_sen}")
    return np.frombuffer(raw, np.uint8, n_str * n_cw * n_sen, o).reshape(n_str, n_cw, n_sen), info


def mixture_weights(q: np.ndarray) -> np.ndarray:
    """uint8 sendump values -> probabilities (n_stream, n_codeword, n_senone), each senone's codewords summing to 1."""
    p = np.exp(-q.astype(np.float64) * (1 << SENDUMP_SHIFT) * np.log(LOG_BASE))
    return p / p.sum(axis=1, keepdims=True)


class Mdef:
    """The binary model definition: CI phones, triphones (base, left, right, word position) -> senones, tmat."""

    def __init__(self, path: str):
        raw = open(path, "rb").read()
        if raw[:4] != b"BMDF":
            raise ValueError(f"{path}: not a binary mdef (text mdef files are not read)")
        version, text_len = struct.unpack_from("<2i", raw, 4)
        if version != 1:
            raise ValueError(f"{path}: mdef version {version}, only 1 is read")
        o = 12 + text_len
        (self.n_ciphone, self.n_phone, self.n_emit_state, self.n_ci_sen, self.n_sen, self.n_tmat,
         self.n_sseq, self.n_ctx, self.n_cd_tree, self.sil) = struct.unpack_from("<10i", raw, o)
        o += 40
        self.ciphones = []
        for _ in range(self.n_ciphone):
            e = raw.index(b"\0", o)
            self.ciphones.append(raw[o:e].decode("ascii"))
            o = e + 1
        o = (o + 3) & ~3
        tree = np.frombuffer(raw, np.dtype([("ctx", "<i2"), ("n_down", "<i2"), ("down", "<i4")]), self.n_cd_tree, o)
        o += 8 * self.n_cd_tree
        phones = np.frombuffer(raw, np.dtype([("ssid", "<i4"), ("tmat", "<i4"), ("attr", "i1", 4)]), self.n_phone, o)
        o += 12 * self.n_phone
        self.extra = struct.unpack_from("<i", raw, o)[0]   # the unmentioned int32
        o += 4
        self.sseq = np.frombuffer(raw, "<i2", self.n_sseq * self.n_emit_state, o).reshape(self.n_sseq, self.n_emit_state).astype(np.int32)
        o += 2 * self.n_sseq * self.n_emit_state
        self.trailing_bytes = len(raw) - o
        self.ssid = phones["ssid"].astype(np.int32)
        self.tmat = phones["tmat"].astype(np.int32)
        self.ci_index = {p: i for i, p in enumerate(self.ciphones)}
        # cd_tree: word position -> base -> left -> right (leaf: pid)
        self.triphones: dict[tuple[int, int, int, int], int] = {}
        for wp in range(len(WPOS)):
            node = tree[wp]
            if node["ctx"] != wp:
                raise ValueError(f"{path}: cd_tree root {wp} has context {node['ctx']}")
            for b in range(node["down"], node["down"] + node["n_down"]):
                base = int(tree[b]["ctx"])
                for l_ in range(tree[b]["down"], tree[b]["down"] + tree[b]["n_down"]):
                    left = int(tree[l_]["ctx"])
                    for r in range(tree[l_]["down"], tree[l_]["down"] + tree[l_]["n_down"]):
                        self.triphones[(base, left, int(tree[r]["ctx"]), wp)] = int(tree[r]["down"])
        # codebook of each senone (PTM: the codebook of its base phone)
        self.sen2cb = np.full(self.n_sen, -1, np.int32)
        for pid in range(self.n_ciphone):
            self.sen2cb[self.sseq[self.ssid[pid]]] = pid
        for (base, _, _, _), pid in self.triphones.items():
            self.sen2cb[self.sseq[self.ssid[pid]]] = base

    def phone(self, base: str, left: str, right: str, wpos: str) -> int:
        """pid of the triphone, else the same triphone at another word position, else the CI phone."""
        b, l_, r = self.ci_index[base], self.ci_index[left], self.ci_index[right]
        want = WPOS[wpos]
        for wp in (want, 0, 1, 2, 3):
            pid = self.triphones.get((b, l_, r, wp))
            if pid is not None:
                return pid
        return b

    def senones(self, pid: int) -> np.ndarray:
        return self.sseq[self.ssid[pid]]


class SphinxModel:
    """Everything the generator needs from the model directory."""

    def __init__(self, model_dir: str = MODEL_DIR):
        self.dir = model_dir
        self.means, self.means_ok = read_gaussians(os.path.join(model_dir, "means"))
        self.variances, self.variances_ok = read_gaussians(os.path.join(model_dir, "variances"))
        self.tmat_counts, self.tmat_ok = read_transitions(os.path.join(model_dir, "transition_matrices"))
        self.sendump, self.sendump_info = read_sendump(os.path.join(model_dir, "sendump"))
        self.mixw = mixture_weights(self.sendump)
        self.mdef = Mdef(os.path.join(model_dir, "mdef"))
        t = self.tmat_counts.astype(np.float64)
        self.tmat = t / np.maximum(t.sum(-1, keepdims=True), 1e-30)
        self.feat_params = read_feat_params(os.path.join(model_dir, "feat.params"))


def read_feat_params(path: str) -> dict[str, str]:
    out = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith("-"):
            out[parts[0][1:]] = parts[1]
    return out

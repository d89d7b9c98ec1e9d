#!/usr/bin/python3
"""word_crops: words and short phrases cut out of sentences, as training features (and dev WAVs).

  /usr/bin/python3 models/recipe/word_crops.py MODEL SPLIT MANIFEST OUT [--max-words 3] [--min-phones 3]
      [--per-utterance 3] [--pad-from own|other|mixed] [--wav-out DIR] [--seed S] [--limit N]

MODEL     a package folder or a train.py checkpoint (aligns the sentences)
SPLIT     a feature folder of whole sentences (data/features/real-train)
MANIFEST  the corpus TSV those features came from (data/real-noscore/train.tsv): id, wav, seconds, voice,
          noise, text, and the phonemes per word ("W AH T | Y UW"), which give each word's share of the labels
OUT       a new feature folder: the same features.json (with a "derivedFrom" entry), shards of crops

Real-eval-like audio is words said on their own; the real speech that may be trained on is sentences. So each
sentence is aligned to its phonemes with the model (CTC forced alignment, the Viterbi path over blank-separated
labels), each word's span is read off the path (its first phoneme's first frame to its last phoneme's last),
and a crop of words i..j runs from the middle of the gap before word i to the middle of the gap after word j
(the sentence's own edges at its ends), moved one step earlier for the network's late spikes. Each crop is
padded on both sides with 0-30 frames drawn from the sentence's own quietest frames (its room tone, when it
has 4 or more), so that it starts and ends in the room's own silence as a clip would. The TTS training
sentences are cut the same way (data/features/train with data/corpus/train.tsv: the generated voices word by
word, in their own added noise). With --pad-from other the pads come from another sentence's quiet frames (one
other sentence per crop, both sides): the word then sits in a room that is not its own, as a trimmed or gated
clip's speech does in its digital near-silence; mixed draws own or other at even odds per crop.

Kept: sentences whose phonemes per word add up to the labels, and whose alignment is sound (mean log-probability
of the path per phoneme above --min-score; the rest are counted and reported). From each: every single word of
--min-phones phonemes or more and one random span of 2..--max-words words, at most --per-utterance crops.
With --wav-out the crops are also cut from the sentence's WAV (same frames, hop 10 ms) and listed in
DIR/crops.tsv (file name, text) for decode_sweep.ts / eval.
"""
import argparse
import json
import os
import random
import sys
import wave

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import load_trained, utterance_log_probs  # noqa: E402
from shards import ShardSet  # noqa: E402


def ctc_viterbi(lp: torch.Tensor, labels: list) -> tuple | None:
    """Best CTC path of labels through lp (T, U log-probs), blank 0: for each label, (first step, last step) and
    the path's total log-probability. None when T is too short for the labels."""
    T, L = lp.shape[0], len(labels)
    ext = [0]
    for k in labels:
        ext += [k, 0]
    S = len(ext)
    if T < L + sum(1 for a, b in zip(labels, labels[1:]) if a == b):
        return None
    ext_t = torch.tensor(ext)
    # a label may be skipped into from two back when it differs from that one (and is not a blank)
    skip = torch.zeros(S, dtype=torch.bool)
    for s in range(2, S):
        skip[s] = ext[s] != 0 and ext[s] != ext[s - 2]
    neg = torch.tensor(float("-inf"))
    alpha = torch.full((S,), float("-inf"))
    alpha[0], alpha[1] = lp[0, ext[0]], lp[0, ext[1]]
    back = torch.zeros((T, S), dtype=torch.int8)   # 0 stay, 1 from s-1, 2 from s-2
    for t in range(1, T):
        stay = alpha
        prev1 = torch.cat([neg.view(1), alpha[:-1]])
        prev2 = torch.where(skip, torch.cat([neg.view(1).expand(2), alpha[:-2]]), neg)
        cand = torch.stack([stay, prev1, prev2])
        best, arg = cand.max(0)
        back[t] = arg.to(torch.int8)
        alpha = best + lp[t, ext_t]
    end = S - 1 if alpha[S - 1] >= alpha[S - 2] else S - 2
    score = float(alpha[end])
    if score == float("-inf"):
        return None
    states = [0] * T
    s = end
    for t in range(T - 1, -1, -1):
        states[t] = s
        s -= int(back[t, s])
    spans = [[None, None] for _ in labels]
    for t, s in enumerate(states):
        if s % 2 == 1:
            k = s // 2
            if spans[k][0] is None:
                spans[k][0] = t
            spans[k][1] = t
    return spans, score


def read_manifest(path: str) -> dict:
    """id -> (wav path, [(word, [phoneme, ...]), ...]) from a corpus TSV with per-word phonemes."""
    out, base = {}, os.path.dirname(os.path.abspath(path))
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 7 or not f[0]:
            continue
        words, groups = f[5].split(), [g.split() for g in f[6].split("|")]
        if len(words) != len(groups) or not all(groups):
            continue   # not one non-empty phoneme group per word: no word spans to read
        out[f[0]] = (os.path.join(base, f[1]), list(zip(words, groups)))
    return out


def quiet_frames(q: torch.Tensor, x: torch.Tensor, rise: float = 0.5, least: int = 4):
    """The sentence's quietest stored frames q (uint8; x: the same as feature values) whose mean log-mel is within
    `rise` nats of its 10th percentile: its room tone, from pauses or its edges. None when fewer than `least`."""
    e = x.mean(1)
    if len(e) < least:
        return None
    keep = e <= torch.quantile(e, 0.1) + rise
    return q[keep] if int(keep.sum()) >= least else None


def quiet_pool(ds, limit: int = 2000) -> dict:
    """id -> quiet frames of up to `limit` sentences of the split (every one when fewer), for --pad-from other."""
    step = max(1, len(ds.utts) // limit)
    pool = {}
    for u in ds.utts[::step]:
        quiet = quiet_frames(ds.stored(u), ds.values(u))
        if quiet is not None:
            pool[u["id"]] = quiet
    return pool


def crop_spans(n_words: int, n_phones: list, rng: random.Random, max_words: int, min_phones: int,
               per_utt: int) -> list:
    """Which word ranges (i, j inclusive) to cut from one sentence."""
    singles = [(i, i) for i in range(n_words) if n_phones[i] >= min_phones]
    multi = [(i, i + k - 1) for k in range(2, max_words + 1) for i in range(n_words - k + 1)
             if not (i == 0 and i + k == n_words)]   # never the whole sentence: that is already in training
    if n_words == 1:
        singles = []   # the sentence itself
    rng.shuffle(singles)
    picks = singles[: max(0, per_utt - (1 if multi else 0))]
    if multi:
        picks.append(rng.choice(multi))
    return picks


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("split")
    ap.add_argument("manifest")
    ap.add_argument("out")
    ap.add_argument("--max-words", type=int, default=3)
    ap.add_argument("--min-phones", type=int, default=3)
    ap.add_argument("--per-utterance", type=int, default=3)
    ap.add_argument("--min-score", type=float, default=-2.5, help="mean path log-probability per label")
    ap.add_argument("--pad-from", choices=["own", "other", "mixed"], default="own",
                    help="whose quiet frames pad a crop: its own sentence's, another sentence's, or either at even odds")
    ap.add_argument("--wav-out", default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    model, ck = load_trained(a.model)
    model.eval()
    mean, std, s = ck["mean"], ck["std"], model.cfg.stack
    ds = ShardSet(a.split, limit=a.limit)
    if ds.n_mels != model.cfg.n_mels:
        sys.exit(f"{a.split}: {ds.n_mels} features per frame, the model reads {model.cfg.n_mels}")
    alpha = {p: i for i, p in enumerate(ds.alphabet)}
    man = read_manifest(a.manifest)
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    if a.wav_out:
        os.makedirs(a.wav_out, exist_ok=True)
    meta = json.load(open(os.path.join(a.split, "features.json")))
    meta["derivedFrom"] = dict(tool="models/recipe/word_crops.py", split=a.split, manifest=a.manifest, model=a.model,
                               maxWords=a.max_words, minPhones=a.min_phones, perUtterance=a.per_utterance,
                               minScore=a.min_score, seed=a.seed, **({"padFrom": a.pad_from} if a.pad_from != "own" else {}))
    pool = quiet_pool(ds) if a.pad_from != "own" else {}
    pool_ids = sorted(pool)
    counts = dict(sentences=len(ds.utts), no_manifest=0, label_mismatch=0, unaligned=0, low_score=0, kept=0, crops=0)
    blobs, rows, offset, tsv = [], [], 0, []
    with torch.no_grad():
        for ui, u in enumerate(ds.utts):
            entry = man.get(u["id"])
            if entry is None:
                counts["no_manifest"] += 1
                continue
            wav, words = entry
            try:
                flat = [alpha[p] for _, g in words for p in g]
            except KeyError:
                flat = None
            if flat != u["labels"]:
                counts["label_mismatch"] += 1
                continue
            x = ds.values(u)
            lp = utterance_log_probs(model, x, mean, std)
            r = ctc_viterbi(lp, flat)
            if r is None:
                counts["unaligned"] += 1
                continue
            spans, score = r
            if score / len(flat) < a.min_score:
                counts["low_score"] += 1
                continue
            counts["kept"] += 1
            # each word's first and last step on the path
            wspan, k = [], 0
            for _, g in words:
                wspan.append((spans[k][0], spans[k + len(g) - 1][1]))
                k += len(g)
            T = len(lp)
            q = ds.stored(u)
            quiet = quiet_frames(q, x)
            others = [k for k in pool_ids if k != u["id"]]   # rooms not this sentence's own, for --pad-from other
            for i, j in crop_spans(len(words), [len(g) for _, g in words], rng, a.max_words, a.min_phones,
                                   a.per_utterance):
                lo_t = 0 if i == 0 else max(0, (wspan[i - 1][1] + wspan[i][0] + 1) // 2 - 1)
                hi_t = T if j == len(words) - 1 else max(lo_t + 1, (wspan[j][1] + wspan[j + 1][0] + 1) // 2 - 1)
                lo, hi = lo_t * s, (hi_t * s if j < len(words) - 1 else u["frames"])
                if hi - lo < 3 * s:
                    continue
                room, room_id = quiet, None
                if (a.pad_from == "other" or (a.pad_from == "mixed" and rng.random() < 0.5)) and others:
                    room_id = rng.choice(others)
                    room = pool[room_id]
                parts, pads = [], []
                for _ in range(2):
                    m = rng.randint(0, 30) if room is not None else 0
                    pads.append(m)
                    parts.append(room[torch.randint(len(room), (m,))] if m else q[:0])
                crop = torch.cat([parts[0], q[lo:hi], parts[1]])
                sub = words[i: j + 1]
                cid = f"{u['id']}~w{i}-{j}"
                rows.append(dict(id=cid, offset=offset, frames=int(crop.shape[0]),
                                 labels=[alpha[p] for _, g in sub for p in g], text=" ".join(w for w, _ in sub),
                                 voice=u.get("voice", ""), crop=[lo, hi], pad=pads,
                                 **({"padFrom": room_id} if room_id else {})))
                blobs.append(crop)
                offset += crop.shape[0]
                counts["crops"] += 1
                if a.wav_out:
                    name = cid.replace("~", "_") + ".wav"
                    cut_wav(wav, lo, hi, ds.spec["hopSize"], ds.spec["sampleRate"], os.path.join(a.wav_out, name))
                    tsv.append(name + "\t" + rows[-1]["text"])
            if (ui + 1) % 500 == 0:
                print(f"{ui + 1}/{len(ds.utts)} sentences, {counts['crops']} crops", flush=True)
    if not blobs:
        sys.exit(f"no crops: {counts}")
    for old in os.listdir(a.out):
        if old.startswith("shard-"):
            os.remove(os.path.join(a.out, old))
    with open(os.path.join(a.out, "shard-000-000.u8"), "wb") as f:
        f.write(torch.cat(blobs).numpy().tobytes())
    with open(os.path.join(a.out, "shard-000-000.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    with open(os.path.join(a.out, "features.json"), "w") as f:
        json.dump(meta, f, indent=2)
    if a.wav_out:
        with open(os.path.join(a.wav_out, "crops.tsv"), "w") as f:
            f.write("\n".join(tsv) + "\n")
    hours = offset * ds.spec["hopSize"] / ds.spec["sampleRate"] / 3600
    print(json.dumps(dict(counts, hours=round(hours, 3))), flush=True)
    with open(os.path.join(a.out, "crops.json"), "w") as f:
        json.dump(dict(counts, hours=round(hours, 3)), f, indent=1)


def cut_wav(src: str, lo: int, hi: int, hop: int, feat_rate: int, dst: str) -> None:
    """Samples of frames lo..hi (feature hop at feat_rate) of src into dst."""
    with wave.open(src) as w:
        rate, width, ch = w.getframerate(), w.getsampwidth(), w.getnchannels()
        a = int(lo * hop * rate / feat_rate)
        b = int(hi * hop * rate / feat_rate)
        w.setpos(min(a, w.getnframes()))
        data = w.readframes(max(0, b - a))
    with wave.open(dst, "wb") as o:
        o.setnchannels(ch)
        o.setsampwidth(width)
        o.setframerate(rate)
        o.writeframes(data)


if __name__ == "__main__":
    main()

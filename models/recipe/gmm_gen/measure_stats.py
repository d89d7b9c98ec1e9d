"""Speech statistics the generator matches: per dimension of the sphinx-mfcc cepstra, the mean
within-utterance std, and the mean and std across utterances of the utterance means.

    # 1. a manifest of speech clips (here the TTS corpus's train split) and their features
    /usr/bin/python3 models/recipe/gmm_gen/measure_stats.py manifest data/corpus/wav/train data/corpus/sentences.tsv /tmp/speech.tsv
    npx tsx models/recipe/dump_features.ts --manifest /tmp/speech.tsv --out /tmp/speech-feat --spec models/recipe/config/features-sphinx.json
    # 2. the statistics
    /usr/bin/python3 models/recipe/gmm_gen/measure_stats.py stats /tmp/speech-feat models/recipe/gmm_gen/speech_stats.json
"""
import glob
import json
import os
import sys

import numpy as np


def manifest(wav_dir: str, sentences: str, out: str):
    """Rows for dump_features.ts: the clips of wav_dir whose id is a train sentence (phonemes: a
    placeholder, the statistics do not use labels)."""
    text = {}
    for line in open(sentences, encoding="utf8"):
        c = line.rstrip("\n").split("\t")
        if len(c) >= 4 and c[3] == "train":
            text[c[0]] = c[2]
    rows = ["id\twav_path\tduration_s\tvoice\taugment\ttext\tphonemes"]
    for wav in sorted(glob.glob(os.path.join(wav_dir, "*.wav"))):
        uid = os.path.basename(wav)[:-4]
        if uid in text:
            rows.append(f"{uid}\t{os.path.abspath(wav)}\t0\tcorpus\tnone\t{text[uid]}\tAH")
    open(out, "w").write("\n".join(rows) + "\n")
    print(f"{len(rows) - 1} clips -> {out}")


def stats(feat_dir: str, out: str):
    meta = json.load(open(os.path.join(feat_dir, "features.json")))
    D, scale, offset = meta["nMfcc"], meta["quantScale"], meta.get("quantOffset", 0)
    means, stds, frames = [], [], 0
    for u8 in sorted(glob.glob(os.path.join(feat_dir, "shard-*.u8"))):
        x = (np.fromfile(u8, np.uint8).reshape(-1, D).astype(np.float64) - offset) / scale
        for line in open(u8[:-3] + ".jsonl"):
            if line.strip():
                u = json.loads(line)
                seg = x[u["offset"]:u["offset"] + u["frames"]]
                if len(seg) >= 50:
                    means.append(seg.mean(0))
                    stds.append(seg.std(0))
                    frames += len(seg)
    means, stds = np.array(means), np.array(stds)
    r = lambda a: [round(float(v), 3) for v in a]  # noqa: E731
    res = {"type": meta["type"], "utterances": len(means), "frames": frames,
           "withinStd": r(stds.mean(0)), "uttMeanMean": r(means.mean(0)), "uttMeanStd": r(means.std(0)),
           "measuredOn": os.path.abspath(feat_dir), "how": "models/recipe/gmm_gen/measure_stats.py (docstring)"}
    json.dump(res, open(out, "w"), indent=2)
    print(json.dumps(res))


if __name__ == "__main__":
    if sys.argv[1] == "manifest":
        manifest(*sys.argv[2:5])
    elif sys.argv[1] == "stats":
        stats(*sys.argv[2:4])
    else:
        sys.exit(__doc__)

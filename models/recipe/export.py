"""Exports a training checkpoint as an engine model package (models/package/model-spec.ts).

    /usr/bin/python3 models/recipe/export.py data/runs/acoustic/ckpt.pt models/default/acoustic [--f16] [--note=TEXT] [--metrics=FILE.json]
        [--real-summary=data/real/summary.json] [--cpu-hours=H]

Writes model.json, model.safetensors, lexicon.txt (CMUdict, stress digits stripped) and
word-counts.tsv (homophone tie-break when no language model is loaded).
"""
import json
import math
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import AcousticConfig, AcousticRNN  # noqa: E402
import safetensors_io  # noqa: E402
from curves import write_curves  # noqa: E402
from checkpoint_io import load_checkpoint  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
# The source of generated training features (models/recipe/gmm_gen): the licence as Debian's
# /usr/share/doc/pocketsphinx-en-us/copyright states it for the package's files.
GENERATED_SOURCE = {
    "kind": "features sampled from PocketSphinx's US English GMM-HMM acoustic model (models/recipe/gmm_gen/generate.py)",
    "package": "pocketsphinx-en-us (Debian bookworm main)",
    "licence": "BSD-2-Clause; Copyright 1995-2014 Carnegie Mellon University, 2014-2015 Alpha Cephei Inc.",
}


def training_data(train_cfg: dict, real_summary: dict | None, xl_summary: dict | None = None) -> dict:
    """What the model was trained on, from the feature indexes of its training splits: per split its weight,
    utterances and hours by kind (TTS engine, real-speech source, generated), for real speech each source's
    package, licence and speakers/groups, and for other languages' real speech (voices `xl-<source>`,
    data/xlang) each source's packages with their licences and the espeak-ng voice of its labels."""
    import glob
    from collections import defaultdict
    from shards import parse_dirs
    parts, real_used, generated = [], defaultdict(lambda: {"utterances": 0, "hours": 0.0, "groups": set()}), []
    xl_used = defaultdict(lambda: {"utterances": 0, "hours": 0.0})
    for d, w in parse_dirs(train_cfg.get("train_dir", ""), REPO):
        if not os.path.isdir(d):
            continue
        meta = json.load(open(os.path.join(d, "features.json")))
        if meta.get("generator"):   # features sampled from a model (gmm_gen/generate.py): name the model's source and licence
            generated.append({"split": os.path.relpath(d, REPO), "weight": w, **GENERATED_SOURCE, "settings": meta["generator"]})
        derived = meta.get("derivedFrom")   # cuts of another split (word_crops.py): the same speech, not more of it
        sec = meta["hopSize"] / meta["sampleRate"] / 3600
        kinds = defaultdict(lambda: [0, 0.0])
        for idx in sorted(glob.glob(os.path.join(d, "shard-*.jsonl"))):
            for line in open(idx):
                if not line.strip():
                    continue
                u = json.loads(line)
                voice = u.get("voice", "")
                kind = ":".join(voice.split(":")[:2]) if voice.startswith("real:") else voice.split(":")[0] or "unknown"
                kinds[kind][0] += 1
                kinds[kind][1] += u["frames"] * sec
                if derived:
                    continue
                if voice.startswith("xl-"):
                    xl_used[voice[3:]]["utterances"] += 1
                    xl_used[voice[3:]]["hours"] += u["frames"] * sec
                if voice.startswith("real:"):
                    src = voice.split(":")[1]
                    real_used[src]["utterances"] += 1
                    real_used[src]["hours"] += u["frames"] * sec
                    real_used[src]["groups"].add(voice.split(":", 2)[2])
        parts.append({"split": os.path.relpath(d, REPO), "weight": w,
                      "utterances": sum(v[0] for v in kinds.values()), "hours": round(sum(v[1] for v in kinds.values()), 3),
                      "byKind": {k: {"utterances": v[0], "hours": round(v[1], 3)} for k, v in sorted(kinds.items())},
                      **({"derivedFrom": {"split": derived.get("split"), "tool": derived.get("tool")}} if derived else {})})
    real = {}
    for src, u in sorted(real_used.items()):
        info = (real_summary or {}).get("sources", {}).get(src, {})
        real[src] = {"package": info.get("package"), "licence": info.get("licence"), "utterances": u["utterances"],
                     "hours": round(u["hours"], 3), "speakersOrGroups": len(u["groups"])}
    for g in generated:
        g.update(next(({"utterances": p["utterances"], "hours": p["hours"]} for p in parts if p["split"] == g["split"]), {}))
    other = {}
    for src, u in sorted(xl_used.items()):
        info = (xl_summary or {}).get("sources", {}).get(src, {})
        other[src] = {"packages": info.get("packages"), "labels": f"espeak-ng -v {info.get('espeak_voice')} IPA mapped to ARPAbet (models/recipe/data/xlang/ipa_map.py)",
                      "utterances": u["utterances"], "hours": round(u["hours"], 3), "speakers": 1}
    return {"parts": parts, "realSpeech": real, **({"otherLanguagesRealSpeech": other} if other else {}),
            **({"generated": generated} if generated else {})}


def describe_data(trained_on: dict) -> str:
    """The kinds of training data in words: synthesized speech, real (game) speech, generated features."""
    gen = {g["split"] for g in trained_on.get("generated", [])}
    has_tts = any(p["split"] not in gen and any(not k.startswith(("real:", "xl-")) for k in p["byKind"]) for p in trained_on["parts"])
    words = [w for w, on in (("synthesized speech", has_tts), ("real (game) speech", bool(trained_on["realSpeech"])),
                             ("real speech in other languages", bool(trained_on.get("otherLanguagesRealSpeech"))),
                             ("features generated from PocketSphinx's acoustic model", bool(gen))) if on]
    if not words:   # no training split found here (exported elsewhere): what the recipe trained on before
        return "synthesized speech only"
    return words[0] + " only" if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def write_lexicon(path: str, source: str = CMUDICT) -> int:
    """CMUdict -> `word PH PH ...` lines (lower case, variants as repeated words, stress digits stripped)."""
    n = 0
    with open(source, encoding="utf-8", errors="replace") as f, open(path, "w") as out:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = re.sub(r"\(\d+\)$", "", parts[0]).lower()
            if not re.fullmatch(r"[a-z][a-z']*", word):
                continue
            phones = [re.sub(r"\d", "", p) for p in parts[1:]]
            out.write(word + " " + " ".join(phones) + "\n")
            n += 1
    return n


def measured(v) -> float | None:
    """A dev figure rounded for model.json, or None where there is none (JSON has no NaN)."""
    return round(float(v), 4) if isinstance(v, (int, float)) and math.isfinite(v) else None


def option(name: str, default: str | None = None) -> str | None:
    """The value of --name=VALUE on the command line, else `default`."""
    return next((a.split("=", 1)[1] for a in sys.argv if a.startswith(f"--{name}=")), default)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    dtype = "F16" if "--f16" in sys.argv else "F32"
    ckpt_path, out_dir = args[0], args[1]
    counts_path = option("word-counts", os.path.join(REPO, "data/corpus/word-counts.tsv"))
    ck = load_checkpoint(ckpt_path)
    cfg = AcousticConfig(**ck["config"])
    model = AcousticRNN(cfg)
    model.load_state_dict(ck["model"])
    os.makedirs(out_dir, exist_ok=True)
    # the features the model was trained on: --features=models/recipe/config/features-sphinx.json for sphinx-mfcc
    feats = json.load(open(option("features", os.path.join(HERE, "config/features.json"))))
    n_feat = feats["nMels"] if feats["type"] == "logmel" else feats["nMfcc"]
    if n_feat != cfg.n_mels:
        sys.exit(f"the model takes {cfg.n_mels} features per frame, the feature spec gives {n_feat}: pass --features=SPEC.json")
    feats["normalization"] = {"mean": [round(float(v), 6) for v in ck["mean"]], "std": [round(float(v), 6) for v in ck["std"]]}
    if ck.get("cmn"):   # per-stream running mean (the engine's Normalizer), warm-started from the stored mean
        feats["normalization"]["running"] = {"priorFrames": int(ck["cmn"]["priorFrames"]), "windowFrames": int(ck["cmn"]["windowFrames"])}
    alphabet = ck.get("alphabet")
    if alphabet is None:   # older checkpoints: from the features the model was trained on
        alphabet = json.load(open(os.path.join(REPO, ck["train_cfg"]["train_dir"], "features.json")))["alphabet"]
    n_lex = write_lexicon(os.path.join(out_dir, "lexicon.txt"))
    lex_words = {l.split(" ", 1)[0] for l in open(os.path.join(out_dir, "lexicon.txt"))}
    n_counts = 0
    with open(os.path.join(out_dir, "word-counts.tsv"), "w") as out:
        if os.path.exists(counts_path):
            for line in open(counts_path):
                w, _, c = line.rstrip("\n").partition("\t")
                if w in lex_words and c.isdigit():
                    out.write(f"{w}\t{c}\n")
                    n_counts += 1
    tensors = model.package_tensors()
    safetensors_io.save(tensors, os.path.join(out_dir, "model.safetensors"), dtype=dtype)
    old = {}
    if os.path.exists(os.path.join(out_dir, "model.json")):
        old = json.load(open(os.path.join(out_dir, "model.json"))).get("provenance", {})
    sources = os.path.join(REPO, "data/corpus/sources.json")
    tc = ck["train_cfg"]
    summary_file = option("real-summary", os.path.join(REPO, "data/real/summary.json"))
    real_summary = json.load(open(summary_file)) if os.path.exists(summary_file) else None
    xl_file = os.path.join(REPO, "data/real-xl/summary.json")
    trained_on = training_data(tc, real_summary, json.load(open(xl_file)) if os.path.exists(xl_file) else None)
    provenance = {
        "recipe": "models/recipe (train.py, export.py)",
        "steps": ck["step"],
        "trainHours": round(ck.get("train_hours", 0), 2),
        "parameters": sum(t.numel() for t in tensors.values()),
        "config": {k: tc[k] for k in ("hidden", "layers", "cell", "stack", "dropout", "batch_frames", "lr", "budget_minutes", "freq_masks", "time_masks", "vtlp_p", "vtlp_min", "vtlp_max", "device") if k in tc},
        "devLoss": measured(ck.get("dev_loss")),            # None: not measured (an averaged checkpoint)
        "devPhonemeErrorRate": measured(ck.get("dev_per")),
        "history": ck.get("history", []),
        "data": json.load(open(sources)) if os.path.exists(sources) else old.get("data"),
        "voicesTrain": old.get("voicesTrain"),
        "voicesHeldOut": ["festival cmu_us_slt_arctic_hts", "flite slt", "flite rms"],
        "metrics": old.get("metrics", {}),
        "trainingData": trained_on,
    }
    if ck.get("averaged_from"):   # models/recipe/average.py: the checkpoints whose weights were averaged
        provenance["averagedFrom"] = ck["averaged_from"]
    cpu_hours = option("cpu-hours")
    if cpu_hours:
        provenance["cpuHours"] = float(cpu_hours)   # this model's training, all runs from scratch to here
    metrics = option("metrics")
    if metrics:
        provenance["metrics"] = json.load(open(metrics))   # e.g. earshot eval's WER per set, measured on this export
    note = option("note")
    if note:
        provenance["training"] = note   # how the run went (hardware, time), in words
    summary_path = os.path.join(REPO, "data/corpus/plan-summary.json")
    if os.path.exists(summary_path):
        summary = json.load(open(summary_path))
        provenance["voicesTrain"] = {"utterancesByEngine": summary.get("train_engines"), "distinctVoiceSettings": summary.get("train_voices_distinct")}
        provenance["augmentation"] = summary.get("train_augment")
        provenance["corpusHours"] = summary.get("hours")
    mj = {
        "format": "earshot-model", "version": 1, "kind": "acoustic",
        "name": "earshot-en-phoneme-gru",
        "description": f"English phoneme-CTC acoustic model: {cfg.layers}×{cfg.cell.upper()}-{cfg.hidden}, {cfg.stack}×{cfg.n_mels} {'log-mel' if feats['type'] == 'logmel' else feats['type']} input, trained on {describe_data(trained_on)}.",
        "features": feats,
        "stacking": {"frames": cfg.stack, "stride": cfg.stack},
        "layers": model.layer_specs(),
        "output": {"type": "ctc", "units": "phonemes", "alphabet": alphabet, "blank": 0, "lexicon": "lexicon.txt", "wordCounts": "word-counts.tsv"},
        "weights": "model.safetensors",
        "provenance": provenance,
    }
    json.dump(mj, open(os.path.join(out_dir, "model.json"), "w"), indent=2)
    write_curves(ck.get("history", []), os.path.join(out_dir, "curves.svg"))
    print(f"exported {out_dir}: {provenance['parameters']} parameters ({dtype}), lexicon {n_lex} entries, {n_counts} word counts")


if __name__ == "__main__":
    main()

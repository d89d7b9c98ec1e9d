"""Exports a speller checkpoint as an engine package (`kind: "spelling"`, models/package/model-spec.ts).

    /usr/bin/python3 models/recipe/spell/export_spell.py [data/runs/spell/ckpt.pt] [models/default/spell] [--f16]
    /usr/bin/python3 models/recipe/spell/export_spell.py --random=SEED [--direction=g2p] OUT_DIR   (tiny untrained, for tests)

Writes model.json and model.safetensors, then measures word accuracy and letter (symbol) error rate of greedy
decoding on ALL the held-out CMUdict words with the EXPORTED weights, into the provenance.
"""
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from spell_model import CMUDICT, SpellConfig, Speller, evaluate, load_package, read_cmudict, split_words  # noqa: E402
import safetensors_io  # noqa: E402


def write_package(model: Speller, out_dir, dtype, provenance, description=None):
    os.makedirs(out_dir, exist_ok=True)
    safetensors_io.save(model.package_tensors(), os.path.join(out_dir, "model.safetensors"), dtype=dtype)
    c = model.cfg
    what = "phonemes → letters" if c.direction == "p2g" else "letters → phonemes"
    mj = {
        "format": "earshot-model", "version": 1, "kind": "spelling",
        "name": f"earshot-en-{c.direction}-gru",
        "description": description or (f"English {what}: encoder-decoder, embedding {c.embedding}, GRU-{c.hidden} encoder over the "
                                        f"reversed input, GRU-{c.hidden} decoder fed [previous symbol; encoder state], greedy decoding."),
        "encoder": [{"cell": "gru", "inputSize": c.embedding, "hiddenSize": c.hidden}],
        "layers": [{"cell": "gru", "inputSize": c.embedding + c.hidden, "hiddenSize": c.hidden}],
        "output": {"type": "seq2seq", "direction": c.direction, "source": model.src, "target": model.tgt,
                   "embeddingSize": c.embedding, "maxLength": c.max_out},
        "weights": "model.safetensors",
        "provenance": provenance,
    }
    json.dump(mj, open(os.path.join(out_dir, "model.json"), "w"), indent=2)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "1") for a in sys.argv[1:] if a.startswith("--"))
    if "random" in opts:
        torch.manual_seed(int(opts["random"]))
        model = Speller(SpellConfig(direction=opts.get("direction", "p2g"), embedding=5, hidden=7, max_out=12))
        with torch.no_grad():
            for p in model.parameters():
                p.uniform_(-0.9, 0.9)
        write_package(model, args[0], "F32", {"note": "random weights, for tests"}, "a random test speller")
        return
    ckpt_path = args[0] if args else os.path.join(REPO, "data/runs/spell/ckpt.pt")
    out_dir = args[1] if len(args) > 1 else os.path.join(REPO, "models/default/spell")
    dtype = "F16" if "f16" in opts else "F32"
    ck = torch.load(ckpt_path, map_location="cpu")
    model = Speller(SpellConfig(**ck["config"]))
    model.load_state_dict(ck["model"])
    write_package(model, out_dir, dtype, {})
    pkg, mj = load_package(out_dir)
    entries = read_cmudict()
    _train, held = split_words(entries)
    t0 = time.time()
    fig = evaluate(pkg, held)
    print(f"held-out ({time.time() - t0:.0f} s): {fig}", flush=True)
    tc = ck["train_cfg"]
    mj["provenance"] = {
        "recipe": "models/recipe/spell (spell_model.py, train_spell.py, export_spell.py)",
        "data": f"{CMUDICT} (Debian pocketsphinx-en-us; CMUdict, BSD-style licence), stress digits stripped, every variant; "
                f"{len(entries)} entries, 5 % of the words held out (all their variants), seed 5",
        "steps": ck["step"], "epochs": ck["epochs"], "trainCpuMinutes": ck["minutes"], "trainWallMinutes": ck.get("wall_minutes"),
        "parameters": sum(t.numel() for t in model.package_tensors().values()), "dtype": dtype,
        "config": {x: tc[x] for x in ("direction", "embedding", "hidden", "batch", "lr", "budget_cpu_minutes", "threads") if x in tc},
        "heldOut": fig,
        "heldOutDefinition": ("greedy decoding of every held-out pronunciation; wordAccuracy: the output equals a spelling of that "
                              "pronunciation; symbolErrorRate: edit distance to the nearest such spelling / its length"),
    }
    json.dump(mj, open(os.path.join(out_dir, "model.json"), "w"), indent=2)
    print(f"exported {out_dir}: {mj['provenance']['parameters']} parameters ({dtype})")


if __name__ == "__main__":
    main()

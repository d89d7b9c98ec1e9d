"""Exports an LM training checkpoint as an engine package (`kind: "language"`, models/package/model-spec.ts).

    /usr/bin/python3 models/recipe/lm/export_lm.py [data/runs/lm/ckpt.pt] [models/default/lm] [--f16] [--alpha=A] [--beta=B]
        [--note=TEXT]

Writes model.json, model.safetensors and vocab.txt (one word per line in output-row order, <unk> and
<eos> included), and curves.svg. The held-out perplexity and OOV rate in the provenance are measured
here on the EXPORTED weights (after any F16 rounding).
alpha and beta (shallow-fusion weight and word bonus) keep the values of an existing model.json
(they are tuned on the dev set after training) unless given; a first export uses DEFAULT_ALPHA/BETA.
--note=TEXT is kept in the provenance (`note`): how this model came about, e.g. which package a
fine-tune started from and why.
An existing output.unknownWords (unk_counts.py's counts of the words outside the vocabulary) is kept
while the vocabulary stays the same.
"""
import json
import os
import shutil
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from lm_model import LmConfig, WordRNN, load_package  # noqa: E402
from lm_data import Vocabulary, evaluate, read_sentences  # noqa: E402
from lm_curves import write_lm_curves  # noqa: E402
import safetensors_io  # noqa: E402

DEFAULT_ALPHA, DEFAULT_BETA = 0.5, 1.0


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "1") for a in sys.argv[1:] if a.startswith("--"))
    ckpt_path = args[0] if args else os.path.join(REPO, "data/runs/lm/ckpt.pt")
    out_dir = args[1] if len(args) > 1 else os.path.join(REPO, "models/default/lm")
    dtype = "F16" if "f16" in opts else "F32"
    ck = torch.load(ckpt_path, map_location="cpu")
    cfg = LmConfig(**ck["config"])
    model = WordRNN(cfg)
    model.load_state_dict(ck["model"])
    vocab_words = ck["vocab"]
    os.makedirs(out_dir, exist_ok=True)

    old = {}
    if os.path.exists(os.path.join(out_dir, "model.json")):
        old = json.load(open(os.path.join(out_dir, "model.json")))
    alpha = float(opts.get("alpha", old.get("output", {}).get("alpha", DEFAULT_ALPHA)))
    beta = float(opts.get("beta", old.get("output", {}).get("beta", DEFAULT_BETA)))

    old_vocab_path = os.path.join(out_dir, "vocab.txt")
    old_vocab = open(old_vocab_path, encoding="utf-8").read().split("\n")[:-1] if os.path.exists(old_vocab_path) else None
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8") as f:
        for w in vocab_words:
            f.write(w + "\n")
    tensors = model.package_tensors()
    safetensors_io.save(tensors, os.path.join(out_dir, "model.safetensors"), dtype=dtype)

    tc = ck["train_cfg"]
    data_dir = tc["data_dir"] if os.path.isabs(tc["data_dir"]) else os.path.join(REPO, tc["data_dir"])
    lm_text = json.load(open(os.path.join(data_dir, "lm-text.json"))) if os.path.exists(os.path.join(data_dir, "lm-text.json")) else {}

    mj = {
        "format": "earshot-model", "version": 1, "kind": "language",
        "name": f"earshot-en-word-{cfg.cell}",
        "description": (f"English word-level RNN language model: embedding {cfg.embedding} → {cfg.layers}×{cfg.cell.upper()}-{cfg.hidden} → "
                        f"softmax over {len(vocab_words)} words (the {len(vocab_words) - 2} most frequent training words in CMUdict, <unk>, <eos>)."),
        "layers": model.layer_specs(),
        "output": {"type": "lm", "vocabulary": "vocab.txt", "unk": "<unk>", "eos": "<eos>", "embeddingSize": cfg.embedding,
                   "alpha": alpha, "beta": beta},
        "weights": "model.safetensors",
        "provenance": {},
    }
    json.dump(mj, open(os.path.join(out_dir, "model.json"), "w"), indent=2)

    # held-out figures from the package as written (F16 rounding included)
    t0 = time.time()
    pkg_model, pkg_vocab, _ = load_package(out_dir)
    assert pkg_vocab == vocab_words
    vocab = Vocabulary(pkg_vocab)
    metrics = {}
    for key, name in (("test", "test.txt"), ("devTest", "dev.txt")):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            metrics[key] = evaluate(pkg_model, read_sentences(path, vocab), vocab.eos, vocab.unk, "cpu")
    print(f"held-out evaluation of the exported weights: {time.time() - t0:.0f} s")

    # tokens per epoch: every word and each line's <eos> (sentences and one-word lines)
    train_tokens = lm_text.get("trainWords", 0) + lm_text.get("trainSentences", 0) + lm_text.get("isolatedWordLines", 0) + lm_text.get("transcriptLines", 0)
    provenance = {
        "recipe": "models/recipe/lm (prepare_lm_text.py, train_lm.py, export_lm.py)",
        "steps": ck["step"],
        "trainMinutes": ck.get("minutes"),
        "trainTokensSeen": ck.get("tokens"),
        "epochs": round(ck.get("tokens", 0) / train_tokens, 2) if train_tokens else None,
        "parameters": sum(t.numel() for t in tensors.values()),
        "dtype": dtype,
        "config": {k: tc[k] for k in ("embedding", "hidden", "layers", "cell", "dropout", "batch_tokens", "lr", "budget_minutes", "threads") if k in tc},
        "perplexity": {k: v["perplexity"] for k, v in metrics.items()},
        "oovRate": {k: v["oovRate"] for k, v in metrics.items()},
        "heldOut": {
            "test": "data/lm/test.txt: 3000 random sentences of the corpus train split, never trained on",
            "devTest": "data/lm/dev.txt: the corpus dev + test sentences (the acoustic evaluation text), never trained on",
            "perplexityDefinition": "exp(mean −ln P) over every word (OOV words as <unk>) and each sentence's <eos>",
            "metrics": metrics,
        },
        "lexiconWordsOutsideVocabulary": lm_text.get("lexiconWordsOutsideVocabulary"),
        "alphaBeta": old.get("provenance", {}).get("alphaBeta", "defaults, not yet tuned on a dev set"),
        "data": lm_text,
        "history": ck.get("history", []),
    }
    if "note" in opts:
        provenance["note"] = opts["note"]
    if float(tc.get("self_norm", 0) or 0) > 0 and "test" in metrics:
        # trained with the (log Z)² penalty: a decoder may read log P(w) as logit(w) − logZ without the softmax
        mj["output"]["selfNormalized"] = {"logZ": metrics["test"]["logZ"]["mean"], "logZStd": metrics["test"]["logZ"]["std"],
                                          "penalty": float(tc["self_norm"])}
        provenance["config"]["self_norm"] = float(tc["self_norm"])
    old_unknown = old.get("output", {}).get("unknownWords")
    if old_unknown and os.path.exists(os.path.join(out_dir, old_unknown["counts"])):
        # unk_counts.py's class model for words outside the vocabulary: kept while the vocabulary is the same
        if old.get("output", {}).get("vocabulary") == "vocab.txt" and old_vocab == vocab_words:
            mj["output"]["unknownWords"] = old_unknown
            for key in ("unknownWords", "lexiconWordsOutsideVocabulary"):
                if key in old.get("provenance", {}):
                    provenance[key] = old["provenance"][key]
        else:
            print(f"the vocabulary changed: run unk_counts.py {out_dir} again for output.unknownWords")
    mj["provenance"] = provenance
    json.dump(mj, open(os.path.join(out_dir, "model.json"), "w"), indent=2)
    write_lm_curves(ck.get("history", []), os.path.join(out_dir, "curves.svg"))
    print(f"exported {out_dir}: {provenance['parameters']} parameters ({dtype}), V={len(vocab_words)}; "
          + "  ".join(f"{k} perplexity {v['perplexity']} (OOV {v['oovRate']:.2%})" for k, v in metrics.items()))


if __name__ == "__main__":
    main()

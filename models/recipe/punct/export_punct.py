"""Exports a tagger checkpoint as an engine package (`kind: "punctuation"`, models/package/model-spec.ts).

    /usr/bin/python3 models/recipe/punct/export_punct.py [data/runs/punct/ckpt.pt] [models/default/punct] [--lookahead=K] [--segment_end=auto|0|1] [--end_bias=auto|X] [--capital_bias=auto|X] [--f16] [--eval_streams=500]
    /usr/bin/python3 models/recipe/punct/export_punct.py --random=SEED [--segment_end=1] [--capital_bias=X] OUT_DIR      (a tiny untrained package, for tests)

Keeps the output head of look-ahead K (default: the smallest K whose dev sentence-boundary F1 and mean mark F1
are within 0.01 of the best head's), and output.segmentEnd (a final segment's end ends a sentence; default auto:
on when it raises the dev sentence-boundary F1 without costing 0.01 of case accuracy or mean mark F1), and a bias
added to the output rows of the sentence-ending tags (. ? !): a threshold for ending a sentence inside a segment
(default auto: the best dev sentence-boundary F1 of 0, -0.5, -1, -1.5, -2), and output.midSentenceCapitalBias: added to
'capitalized' when the case of a word inside a sentence is chosen for its mark (default auto: the best case accuracy of
0, -0.5, -1, -1.5, -2, -3 on ALL the dev streams and the corpus's dev sentences pooled, ties to the smaller bias; marks
do not change with it). Writes model.json, model.safetensors, vocab.txt, mixed.tsv, and measures
the held-out figures (model and the capitalise-first / period-last baseline) on the EXPORTED weights:
test.txt (random held-out streams; the first eval_streams) and corpus-test.txt (the acoustic corpus's test sentences).
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
from punct_model import CASES, MARKS, PAD, UNK, PunctConfig, Tagger, Vocabulary, add, evaluate, figures, load_package, read_streams  # noqa: E402
import safetensors_io  # noqa: E402

CASE_NAMES = {"l": "lower", "c": "capitalized", "u": "upper", "m": "mixed"}


def write_package(model: Tagger, words, mixed_rows, out_dir, dtype, provenance, description=None):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    with open(os.path.join(out_dir, "mixed.tsv"), "w", encoding="utf-8") as f:
        for w, form in mixed_rows:
            f.write(f"{w}\t{form}\n")
    safetensors_io.save(model.package_tensors(), os.path.join(out_dir, "model.safetensors"), dtype=dtype)
    c = model.pcfg
    mj = {
        "format": "earshot-model", "version": 1, "kind": "punctuation",
        "name": f"earshot-en-punct-{c.cell}",
        "description": description or (f"English punctuation and capitals: word embedding {c.embedding} → {c.layers}×{c.cell.upper()}-{c.hidden} → "
                                        f"{len(CASES)} cases × {len(MARKS)} marks, look-ahead {c.lookahead} words."),
        "layers": model.layer_specs(),
        "output": {"type": "tagger", "vocabulary": "vocab.txt", "unk": UNK, "pad": PAD, "embeddingSize": c.embedding,
                   "cases": [CASE_NAMES[x] for x in CASES], "marks": ["" if m == "-" else m for m in MARKS],
                   "lookahead": c.lookahead, "mixedCase": "mixed.tsv", **({"segmentEnd": True} if c.segment_end else {}),
                   **({"midSentenceCapitalBias": c.mid_capital_bias} if c.mid_capital_bias else {})},
        "weights": "model.safetensors",
        "provenance": provenance,
    }
    json.dump(mj, open(os.path.join(out_dir, "model.json"), "w"), indent=2)


def choose(dev):
    def key(f):
        m = f["model"]
        return m["sentenceBoundaryF1"], sum(m["markF1"].values()) / len(m["markF1"])
    best = max(dev.values(), key=key)
    for k in sorted(dev, key=int):
        if key(dev[k])[0] >= key(best)[0] - 0.01 and key(dev[k])[1] >= key(best)[1] - 0.01:
            return int(k)
    return int(max(dev, key=lambda k: key(dev[k])))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "1") for a in sys.argv[1:] if a.startswith("--"))
    if "random" in opts:
        torch.manual_seed(int(opts["random"]))
        words = [UNK, PAD] + "the a cat dog is on mat where are you i see it".split()
        model = Tagger(PunctConfig(vocab_size=len(words), embedding=6, hidden=8, lookahead=int(opts.get("lookahead", 2)),
                                   segment_end=opts.get("segment_end", "0") == "1", mid_capital_bias=float(opts.get("capital_bias", 0))))
        with torch.no_grad():
            for p in model.parameters():
                p.uniform_(-0.8, 0.8)
        write_package(model, words, [("mcdonald", "McDonald")], args[0], "F32", {"note": "random weights, for tests"}, "a random test tagger")
        return
    ckpt_path = args[0] if args else os.path.join(REPO, "data/runs/punct/ckpt.pt")
    out_dir = args[1] if len(args) > 1 else os.path.join(REPO, "models/default/punct")
    dtype = "F16" if "f16" in opts else "F32"
    ck = torch.load(ckpt_path, map_location="cpu")
    cfg = PunctConfig(**ck["config"])
    model = Tagger(cfg)
    model.load_state_dict(ck["model"])
    dev = {str(k): v for k, v in ck["dev"].items()}
    k = int(opts["lookahead"]) if "lookahead" in opts else choose(dev)
    model.keep_head(k)
    tc = ck["train_cfg"]
    data_dir = tc["data_dir"]
    mixed_rows = [tuple(l.rstrip("\n").split("\t")) for l in open(os.path.join(data_dir, "mixed.tsv"), encoding="utf-8") if "\t" in l]
    text = json.load(open(os.path.join(data_dir, "punct-text.json")))
    # segmentEnd on the same dev streams as the look-ahead (sessions of 5, as train_punct.py measures them)
    se_dev = {"without": dev[str(k)]["model"]}
    if opts.get("segment_end", "auto") == "auto":
        dev_streams = read_streams(os.path.join(data_dir, "dev.txt"))[: tc.get("dev_streams", 300)]
        se_dev["with"] = evaluate(model, Vocabulary(ck["vocab"]), dev_streams, k, per_session=5, reference=True, segment_end=True)["model"]
        mean_mark = lambda f: sum(f["markF1"].values()) / len(f["markF1"])  # noqa: E731
        w, wo = se_dev["with"], se_dev["without"]
        model.pcfg.segment_end = (w["sentenceBoundaryF1"] > wo["sentenceBoundaryF1"] and w["caseAccuracy"] >= wo["caseAccuracy"] - 0.01
                                  and mean_mark(w) >= mean_mark(wo) - 0.01)
        print(f"dev, segmentEnd: with {json.dumps(w)}; without {json.dumps(wo)} -> {model.pcfg.segment_end}", flush=True)
    else:
        model.pcfg.segment_end = opts["segment_end"] == "1"
    # the sentence-end threshold: a bias on the . ? ! rows of the output layer, chosen on the same dev streams
    ends = torch.tensor([1.0 if MARKS[t % len(MARKS)] in ".?!" else 0.0 for t in range(len(CASES) * len(MARKS))])
    b0 = model.out.bias.detach().clone()
    bias_dev = {}
    if opts.get("end_bias", "auto") == "auto":
        dev_streams = read_streams(os.path.join(data_dir, "dev.txt"))[: tc.get("dev_streams", 300)]
        for d in (0.0, -0.5, -1.0, -1.5, -2.0):
            with torch.no_grad():
                model.out.bias.copy_(b0 + d * ends)
            bias_dev[str(d)] = evaluate(model, Vocabulary(ck["vocab"]), dev_streams, k, per_session=5, reference=True)["model"]
            print(f"dev, end-mark bias {d}: {json.dumps(bias_dev[str(d)])}", flush=True)
        end_bias = float(max(bias_dev, key=lambda d: (bias_dev[d]["sentenceBoundaryF1"], float(d))))
    else:
        end_bias = float(opts["end_bias"])
    with torch.no_grad():
        model.out.bias.copy_(b0 + end_bias * ends)
    # the capital threshold inside a sentence, on every dev stream and the corpus's dev sentences (the choice moves
    # few words: the larger pool), segmentEnd and the end-mark bias as chosen
    capital_dev = {}
    if opts.get("capital_bias", "auto") == "auto":
        vocab_ = Vocabulary(ck["vocab"])
        sets = {name: read_streams(os.path.join(data_dir, name)) for name in ("dev.txt", "corpus-dev.txt")}
        for d in (0.0, -0.5, -1.0, -1.5, -2.0, -3.0):
            pooled = {}
            figs = {}
            for name, streams in sets.items():
                c = evaluate(model, vocab_, streams, k, per_session=5, reference=True, capital_bias=d, counts=True)["model"]
                figs[name] = figures(c)
                add(pooled, c)
            capital_dev[str(d)] = {"pooled": figures(pooled), **figs}
            print(f"dev, capital bias {d}: {json.dumps(capital_dev[str(d)])}", flush=True)
        model.pcfg.mid_capital_bias = float(max(capital_dev, key=lambda d: (capital_dev[d]["pooled"]["caseAccuracy"], float(d))))
    else:
        model.pcfg.mid_capital_bias = float(opts["capital_bias"])
    write_package(model, ck["vocab"], mixed_rows, out_dir, dtype, {})
    t0 = time.time()
    pkg, vocab, mj = load_package(out_dir)
    held = {}
    for key, name in (("test", "test.txt"), ("corpusTest", "corpus-test.txt")):
        streams = read_streams(os.path.join(data_dir, name))[: int(opts.get("eval_streams", 500))]
        held[key] = {"perSegment": evaluate(pkg, vocab, streams, k, per_session=1, reference=True),
                     "sessionsOf5": evaluate(pkg, vocab, streams, k, per_session=5, reference=True)}
        print(f"{key}: {json.dumps(held[key])}", flush=True)
    print(f"held-out evaluation of the exported weights: {time.time() - t0:.0f} s")
    tensors = model.package_tensors()
    mj["provenance"] = {
        "recipe": "models/recipe/punct (prepare_punct_text.py, train_punct.py, export_punct.py)",
        "steps": ck["step"], "trainCpuMinutes": ck["minutes"], "trainWallMinutes": ck.get("wall_minutes"),
        "trainWordsSeen": ck["words"], "epochs": round(ck["words"] / text["trainWords"], 2),
        "parameters": sum(t.numel() for t in tensors.values()), "dtype": dtype,
        "config": {x: tc[x] for x in ("embedding", "hidden", "layers", "cell", "dropout", "heads", "batch", "lr", "budget_cpu_minutes", "threads") if x in tc},
        "lookaheadChoice": "the smallest look-ahead whose dev sentence-boundary F1 and mean mark F1 are within 0.01 of the best head's",
        "segmentEnd": model.pcfg.segment_end,
        "segmentEndChoice": ("on when, on the dev streams (sessions of 5), it raises the sentence-boundary F1 without costing 0.01 of case "
                             "accuracy or mean mark F1" if opts.get("segment_end", "auto") == "auto" else f"--segment_end={opts['segment_end']}"),
        "devSegmentEnd": se_dev,
        "endMarkBias": end_bias,
        "endMarkBiasChoice": ("added to output.b_y of the . ? ! tags: the dev sentence-boundary F1's best of 0, -0.5, -1, -1.5, -2 "
                              "(sessions of 5, segmentEnd as chosen)" if bias_dev else "--end_bias"),
        "devByEndMarkBias": bias_dev,
        "midSentenceCapitalBias": model.pcfg.mid_capital_bias,
        "midSentenceCapitalBiasChoice": ("added to 'capitalized' when the case of a word that does not start a sentence is chosen for "
                                         "its mark: the best pooled dev case accuracy of 0, -0.5, -1, -1.5, -2, -3 (all dev.txt streams "
                                         "and corpus-dev.txt, sessions of 5, segmentEnd and end-mark bias as chosen; ties to the smaller)"
                                         if capital_dev else "--capital_bias"),
        "devByMidSentenceCapitalBias": capital_dev,
        "devByLookahead": dev,
        "heldOut": held,
        "heldOutDefinition": (f"test: the first {opts.get('eval_streams', 500)} of 949 random held-out source streams; corpusTest: the acoustic corpus's 300 test sentences in their "
                              "cased, punctuated source form. perSegment: each stream a segment from a fresh state; sessionsOf5: "
                              "5 streams one after another with the state carried (the app's case). Baseline: the segment's first "
                              "word capitalised, a period after its last."),
        "data": text,
    }
    json.dump(mj, open(os.path.join(out_dir, "model.json"), "w"), indent=2)
    print(f"exported {out_dir}: look-ahead {k}, {mj['provenance']['parameters']} parameters ({dtype})")


if __name__ == "__main__":
    main()

"""Trains the word-level GRU language model on data/lm (prepare_lm_text.py).  Flat, nanoGPT style.

    /usr/bin/python3 models/recipe/lm/train_lm.py [config/lm-cpu.json] [--key=value ...]

Resume: --init=PATH.pt continues a checkpoint (weights, optimizer, step, history); --init=default starts
from the committed package (models/default/lm); --init=scratch from random weights. Every checkpoint
carries its model config, so export_lm.py and a resume can rebuild the network.
One CPU thread by default (the acoustic model trains on the other core); CUDA when there is one.
"""
import math
import os
import random
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from lm_model import LmConfig, WordRNN, config_dict, load_package  # noqa: E402
from lm_data import PAD, Vocabulary, collate, evaluate, make_batches, read_sentences  # noqa: E402
from lm_curves import write_lm_curves  # noqa: E402
from configurator import load_config  # noqa: E402  (models/recipe/configurator.py)
from train_loop import Checkpoints, Loop, setup  # noqa: E402  (models/recipe/train_loop.py)

# ---- configuration: defaults, then a JSON file, then --key=value -------------------------------
cfg = load_config(dict(
    data_dir="data/lm", out_dir="data/runs/lm",
    init="scratch",                 # scratch | default | path/to/ckpt.pt
    default_package="models/default/lm",
    embedding=128, hidden=256, layers=1, cell="gru", dropout=0.25,
    batch_tokens=1600,              # padded tokens per batch (~110 sentences of 14 words)
    lr=3e-3, lr_min=1e-4, warmup_steps=100, weight_decay=1e-5, grad_clip=1.0,
    budget_minutes=45.0, max_steps=10**9, eval_minutes=5.0,
    self_norm=0.0,                  # weight of mean (log Z)² beside the cross-entropy: a self-normalised LM, whose
                                    # logits are log-probs up to a constant (the decoder then skips the softmax)
    threads=1, device="auto", seed=1234, log_every=50,
), sys.argv[1:], here=HERE, repo=REPO, path_keys=("data_dir", "out_dir", "default_package"))

device = setup(cfg)
rng = random.Random(cfg["seed"])

vocab = Vocabulary.read(os.path.join(cfg["data_dir"], "vocab.txt"))
train = read_sentences(os.path.join(cfg["data_dir"], "train.txt"), vocab)
test = read_sentences(os.path.join(cfg["data_dir"], "test.txt"), vocab)
dev_path = os.path.join(cfg["data_dir"], "dev.txt")
dev = read_sentences(dev_path, vocab) if os.path.exists(dev_path) else []
train_tokens = sum(len(s) + 1 for s in train)
print(f"train: {len(train)} sentences, {train_tokens} tokens;  test {len(test)};  dev/test {len(dev)};  V={len(vocab)};  device {device}")

# ---- model: from scratch, from the committed package, or from a checkpoint ---------------------
step0, opt_state, history, tokens0, minutes0 = 0, None, [], 0, 0.0
init = cfg["init"]
if init == "default":
    init = cfg["default_package"]
if init != "scratch" and os.path.isdir(init):
    model, words, mj = load_package(init)
    if words != vocab.words:
        sys.exit(f"the package {init} has another vocabulary than {cfg['data_dir']}/vocab.txt")
    mcfg = model.cfg
    mcfg.dropout = cfg["dropout"]
    prov = mj.get("provenance", {})
    step0 = int(prov.get("steps", 0))
    history = list(prov.get("history", []))
    # the package's training so far, so that the export's minutes and tokens are the model's whole cost
    minutes0, tokens0 = float(prov.get("trainMinutes") or 0.0), int(prov.get("trainTokensSeen") or 0)
    print(f"resumed from package {init} (step {step0}, {minutes0:.1f} min)")
elif init != "scratch":
    ck = torch.load(init, map_location="cpu")
    if ck["vocab"] != vocab.words:
        sys.exit(f"the checkpoint {init} has another vocabulary than {cfg['data_dir']}/vocab.txt")
    mcfg = LmConfig(**ck["config"])
    model = WordRNN(mcfg)
    model.load_state_dict(ck["model"])
    step0, opt_state, history, tokens0, minutes0 = ck["step"], ck.get("opt"), ck.get("history", []), ck.get("tokens", 0), ck.get("minutes", 0.0)
    print(f"resumed from checkpoint {init} (step {step0})")
else:
    mcfg = LmConfig(vocab_size=len(vocab), embedding=cfg["embedding"], cell=cfg["cell"], hidden=cfg["hidden"],
                    layers=cfg["layers"], dropout=cfg["dropout"])
    model = WordRNN(mcfg)
model.to(device)
n_params = sum(p.numel() for p in model.parameters())
print(f"model: E{mcfg.embedding} → {mcfg.layers}×{mcfg.cell.upper()}-{mcfg.hidden} → V{mcfg.vocab_size}, {n_params/1e6:.2f}M parameters")

if cfg["self_norm"] > 0 and init != "scratch":
    # Subtracting the mean of log Z (over 3,000 training sentences) from every output bias leaves each distribution
    # as it is and puts log Z near 0 at once, so the penalty has only the spread left to shrink (not a shift of
    # ~9 nats to undo by gradient).
    log_z = evaluate(model, train[:3000], vocab.eos, vocab.unk, device)["logZ"]
    with torch.no_grad():
        model.out.bias -= log_z["mean"]
    print(f"self-normalisation: output biases shifted by {-log_z['mean']:.3f} (log Z on 3,000 training sentences "
          f"{log_z['mean']:.3f} ± {log_z['std']:.3f})")

opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
if opt_state:
    opt.load_state_dict(opt_state)


def minutes_total() -> float:
    """Training wall-clock minutes over every run of this checkpoint."""
    return round(minutes0 + loop.elapsed() / 60, 2)


def save(step, metrics):
    ck = dict(config=config_dict(mcfg), model=model.state_dict(), opt=opt.state_dict(), step=step, tokens=tokens,
              vocab=vocab.words, history=history, train_cfg=cfg, metrics=metrics,
              minutes=minutes_total())
    checkpoints.save(ck)
    write_lm_curves(history, os.path.join(cfg["out_dir"], "curves.svg"))


def eval_and_log(step):
    m_test = evaluate(model, test, vocab.eos, vocab.unk, device)
    m_dev = evaluate(model, dev, vocab.eos, vocab.unk, device) if dev else None
    history.append(dict(step=step, minutes=minutes_total(), epochs=round(tokens / train_tokens, 3),
                        train_loss=round(loop.run_loss, 4) if loop.run_loss is not None else None,
                        test_loss=m_test["crossEntropy"], test_ppl=m_test["perplexity"],
                        dev_loss=m_dev["crossEntropy"] if m_dev else None, dev_ppl=m_dev["perplexity"] if m_dev else None))
    history[-1].update(test_log_z=m_test["logZ"]["mean"], test_log_z_std=m_test["logZ"]["std"])
    print(f"== eval step {step}: test ppl {m_test['perplexity']:.1f} (OOV {m_test['oovRate']:.2%}, "
          f"log Z {m_test['logZ']['mean']:.2f} ± {m_test['logZ']['std']:.2f})"
          + (f"  dev/test ppl {m_dev['perplexity']:.1f} (OOV {m_dev['oovRate']:.2%})" if m_dev else ""), flush=True)
    metrics = {"test": m_test, "devTest": m_dev}
    save(step, metrics)
    return metrics


checkpoints = Checkpoints(cfg["out_dir"])
loop = Loop(model, opt, lr=cfg["lr"], lr_min=cfg["lr_min"], warmup_steps=cfg["warmup_steps"] if step0 == 0 else 0,
            grad_clip=cfg["grad_clip"], budget_minutes=cfg["budget_minutes"], max_steps=cfg["max_steps"], step0=step0,
            smoothing=0.02, eval_minutes=cfg["eval_minutes"])
tokens, tokens_run = tokens0, 0
model.train()
for idx in loop.batches(lambda: make_batches(train, cfg["batch_tokens"], True, rng)):
    x, y = collate(train, idx, vocab.eos)
    logits, _ = model(x.to(device))                                   # (B, T, V)
    y = y.to(device)
    flat, target = logits.reshape(-1, logits.shape[-1]), y.reshape(-1)
    loss = F.cross_entropy(flat, target, ignore_index=PAD)
    if cfg["self_norm"] > 0:   # the logged train loss then includes the penalty
        log_z = torch.logsumexp(flat[target != PAD], dim=-1)
        loss = loss + cfg["self_norm"] * (log_z * log_z).mean()
    loop.update(loss)
    step = loop.step
    n = int((y != PAD).sum())
    tokens += n
    tokens_run += n
    if step % cfg["log_every"] == 0:
        el, run_loss = loop.elapsed(), loop.run_loss
        print(f"step {step}  loss {run_loss:.3f} (ppl {math.exp(run_loss):.0f})  lr {loop.lr:.2e}  {tokens_run/el:.0f} tok/s  "
              f"epoch {tokens/train_tokens:.2f}  elapsed {el/60:.1f} min  left {loop.left(el)/60:.1f} min", flush=True)
    if loop.eval_due():
        eval_and_log(step)
        loop.evaluated()
step = loop.step
metrics = eval_and_log(step)
print(f"done: step {step}, {tokens/train_tokens:.2f} epochs, test ppl {metrics['test']['perplexity']:.1f}, "
      f"{loop.elapsed()/60:.1f} min; checkpoint {cfg['out_dir']}/ckpt.pt")

"""The LM's training curves, drawn by the recipe's curves.py (one SVG writer for every model).

curves.py plots `train_loss` and `dev_loss` on its loss axis with CTC labels; the LM passes its
cross-entropies under those keys and renames the legend. Its rate axis (0-100%) has no LM series.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from curves import write_curves  # noqa: E402

LABELS = {
    "train CTC loss": "train cross-entropy (nats/word, dropout on)",
    "dev CTC loss (held-out voices)": "LM test-set cross-entropy (nats/word)",
}


def write_lm_curves(history: list, path: str) -> None:
    rows = [{"step": h["step"], "train_loss": h.get("train_loss"), "dev_loss": h.get("test_loss")} for h in history]
    write_curves(rows, path)
    if not os.path.exists(path):
        return
    svg = open(path).read()
    for old, new in LABELS.items():
        svg = svg.replace(f">{old}<", f">{new}<")
    open(path, "w").write(svg)

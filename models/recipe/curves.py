"""Training curves as a dependency-free SVG (README shows it): train/dev CTC loss and dev PER/WER."""


def write_curves(history: list, path: str) -> None:
    W, H, pad = 720, 300, 50
    if not history:
        return
    xs = [h["step"] for h in history]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    series = [("train_loss", "#1f77b4", "train CTC loss", 0), ("dev_loss", "#ff7f0e", "dev CTC loss (held-out voices)", 0),
              ("dev_per", "#2ca02c", "dev phoneme error rate", 1), ("dev_wer", "#d62728", "dev WER", 1)]
    loss_max = max([h.get(k, 0) or 0 for h in history for k in ("train_loss", "dev_loss")] + [1e-6])
    def px(s):
        return pad + (s - x0) / (x1 - x0) * (W - 2 * pad)
    def py(v, axis):
        top = loss_max if axis == 0 else 1.0
        return H - pad - min(v, top) / top * (H - 2 * pad)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<line x1="{pad}" y1="{H-pad}" x2="{W-pad}" y2="{H-pad}" stroke="#333"/><line x1="{pad}" y1="{pad}" x2="{pad}" y2="{H-pad}" stroke="#333"/>',
           f'<line x1="{W-pad}" y1="{pad}" x2="{W-pad}" y2="{H-pad}" stroke="#333"/>',
           f'<text x="{W/2}" y="{H-12}" text-anchor="middle">training step</text>',
           f'<text x="8" y="{pad-8}">loss (0–{loss_max:.2f})</text><text x="{W-pad-70}" y="{pad-8}">rate (0–100%)</text>',
           f'<text x="{pad}" y="{H-pad+14}" text-anchor="middle">{x0}</text><text x="{W-pad}" y="{H-pad+14}" text-anchor="middle">{x1}</text>']
    ly = pad + 5
    for key, color, label, axis in series:
        pts = [(px(h["step"]), py(h[key], axis)) for h in history if h.get(key) is not None and h.get(key) == h.get(key)]
        if not pts:
            continue
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in pts)}"/>')
        for x, y in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>')
        out.append(f'<rect x="{W-pad-230}" y="{ly-8}" width="10" height="10" fill="{color}"/><text x="{W-pad-215}" y="{ly+1}">{label}</text>')
        ly += 15
    out.append("</svg>")
    open(path, "w").write("\n".join(out))

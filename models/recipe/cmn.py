"""Per-stream running mean normalisation of feature frames, for training batches.

The same recurrence as the engine's Normalizer (renderer/engine/features/normalizer.ts), which runs
it frame by frame in the app and the CLI: the running mean m starts at the stored mean m0, worth
`prior` frames, and after frame n

    m_n = m_{n-1} + (x_n - m_{n-1}) / (prior + min(n, window))

i.e. the mean of the prior and the frames so far while n <= window (computed here with one cumulative
sum), then an exponential average (a short loop over the frames past the window, vectorised over
the batch). The output is (x_n - m_n) / std.
"""
import torch


def running_mean(x: torch.Tensor, m0: torch.Tensor, prior: int, window: int) -> torch.Tensor:
    """x (B, T, D) raw features, m0 (B, D) or (D,) initial means -> m (B, T, D), the running mean after each frame."""
    B, T, D = x.shape
    m0 = m0.expand(B, D) if m0.dim() == 1 else m0
    W = min(T, window)
    n = torch.arange(1, W + 1, dtype=x.dtype, device=x.device)[None, :, None]           # 1 … W
    m = (prior * m0[:, None, :] + torch.cumsum(x[:, :W], dim=1)) / (prior + n)
    if T <= window:
        return m
    out = [m]
    cur = m[:, -1]
    rate = 1.0 / (prior + window)
    tail = []
    for t in range(window, T):
        cur = cur + (x[:, t] - cur) * rate
        tail.append(cur)
    out.append(torch.stack(tail, dim=1))
    return torch.cat(out, dim=1)


def normalise(x: torch.Tensor, m0: torch.Tensor, std: torch.Tensor, prior: int, window: int) -> torch.Tensor:
    """(x - running mean) / std; prior == 0 means the global normalisation (x - m0) / std."""
    if prior <= 0:
        return (x - (m0[:, None, :] if m0.dim() == 2 else m0)) / std
    return (x - running_mean(x, m0, prior, window)) / std


if __name__ == "__main__":   # parity helper for the engine test: IN.f32 (T×D) MEAN.f32 STD.f32 PRIOR WINDOW OUT.f32
    import sys
    import numpy as np
    inp, mean_p, std_p, prior, window, outp = sys.argv[1:7]
    mean = torch.from_numpy(np.fromfile(mean_p, dtype=np.float32).astype(np.float64))
    std = torch.from_numpy(np.fromfile(std_p, dtype=np.float32).astype(np.float64))
    x = torch.from_numpy(np.fromfile(inp, dtype=np.float32).astype(np.float64)).reshape(1, -1, mean.numel())
    y = normalise(x, mean, std, int(prior), int(window))
    y[0].numpy().astype(np.float32).tofile(outp)

"""HMM parameter generation (Tokuda et al. 2000): the smooth static trajectory c that best explains
per-frame Gaussians over (c, Δc, ΔΔc).

For each dimension independently (diagonal covariances) it solves (Wᵀ Λ W) c = Wᵀ Λ μ, W stacking
the three windows below, Λ the per-frame precisions. The windows are those of PocketSphinx's
`1s_c_d_dd` feature (sphinxbase's feat.c computes them this way; the edges repeat the first and last
frame, as here):
    Δc[t]  = c[t+2] - c[t-2]
    ΔΔc[t] = Δc[t+1] - Δc[t-1] = c[t+3] - c[t+1] - c[t-1] + c[t-3]
WᵀΛW is symmetric positive definite with bandwidth 6; it is solved by a banded Cholesky
factorisation, one loop over time vectorised over a batch of utterances and the 13 dimensions.
"""
import numpy as np

WINDOWS = (
    ((0, 1.0),),
    ((2, 1.0), (-2, -1.0)),
    ((3, 1.0), (1, -1.0), (-1, -1.0), (-3, 1.0)),
)
BAND = 6   # the widest window reaches ±3 frames, so WᵀW couples frames up to 6 apart


def deltas(c: np.ndarray) -> np.ndarray:
    """(T, D) static -> (T, 3, D) static, Δ, ΔΔ with the windows above (edges repeated)."""
    T = c.shape[0]
    out = np.zeros((T, len(WINDOWS), c.shape[1]))
    t = np.arange(T)
    for k, taps in enumerate(WINDOWS):
        for o, w in taps:
            out[:, k] += w * c[np.clip(t + o, 0, T - 1)]
    return out


def mlpg(mu: np.ndarray, var: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """mu, var (B, T, 3, D) per-frame means and variances of (c, Δc, ΔΔc), utterance b valid for
    t < lengths[b] -> c (B, T, D); frames past an utterance's length come out 0."""
    B, T, K, D = mu.shape
    assert K == len(WINDOWS)
    t = np.arange(T)
    valid = t[None, :] < lengths[:, None]                                   # (B, T)
    prec = np.where(valid[..., None, None], 1.0 / var, 0.0)
    prec[:, :, 0][~valid] = 1.0                                              # padding: c = 0, uncoupled
    target = np.where(valid[..., None, None], mu, 0.0)
    P = T + BAND
    band = np.zeros((P, BAND + 1, B, D))                                     # band[i, k] = A[i, i+k]
    band[T:, 0] = 1.0
    rhs = np.zeros((P, B, D))
    bi = np.broadcast_to(np.arange(B)[:, None], (B, T))
    last = np.maximum(lengths - 1, 0)[:, None]
    for k, taps in enumerate(WINDOWS):
        lam = prec[:, :, k]                                                  # (B, T, D)
        hi = last if k else T - 1
        idx = [np.broadcast_to(np.clip(t[None, :] + o, 0, hi), (B, T)) for o, _ in taps]
        for a, (_, wa) in enumerate(taps):
            np.add.at(rhs, (idx[a], bi), wa * lam * target[:, :, k])
            for b, (_, wb) in enumerate(taps):
                off = idx[b] - idx[a]
                keep = off >= 0
                np.add.at(band, (idx[a][keep], off[keep], bi[keep]), (wa * wb) * lam[keep])
    # Cholesky A = UᵀU, U upper with bandwidth BAND, in place: band[i, k] = U[i, i+k]
    K1, K2 = np.triu_indices(BAND, 0)
    K1, K2 = K1 + 1, K2 + 1                                                  # pairs 1 <= k1 <= k2 <= BAND
    for i in range(T):
        d = np.sqrt(band[i, 0])
        band[i, 0] = d
        band[i, 1:] /= d
        band[i + K1, K2 - K1] -= band[i, K1] * band[i, K2]
    ks = np.arange(1, BAND + 1)
    y = np.zeros((P, B, D))
    for i in range(T):                                                       # Uᵀ y = rhs
        j = i - ks
        j = j[j >= 0]
        acc = (band[j, i - j] * y[j]).sum(0) if len(j) else 0.0
        y[i] = (rhs[i] - acc) / band[i, 0]
    x = np.zeros((P, B, D))
    for i in range(T - 1, -1, -1):                                           # U x = y
        x[i] = (y[i] - (band[i, 1:] * x[i + ks]).sum(0)) / band[i, 0]
    out = x[:T].transpose(1, 0, 2)
    out[~valid] = 0.0
    return out

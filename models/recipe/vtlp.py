"""Vocal-tract-length perturbation (Jaitly & Hinton 2013) on log-mel features, at training time.

A speaker whose vocal tract is shorter has every formant moved up by a factor; on the mel axis that is
a warp. warp_matrices(alpha) resamples each utterance's log-mel bands at the centre frequencies scaled
by alpha (linear interpolation between neighbouring bands): alpha < 1 moves the spectrum up (a shorter,
e.g. female or child's, vocal tract), alpha > 1 moves it down. The training voices are mostly male
(flite kal/awb, festival kal/ked, espeak), so the recipe warps them towards the held-out female voice.
"""
import torch


def mel(f):
    """Hz -> mel (the featurizer's 1125·ln(1 + f/700)), for a number or a tensor."""
    return 1125.0 * torch.log1p(torch.as_tensor(f, dtype=torch.float64) / 700.0)


def band_centres(n_mels: int, sample_rate: int) -> torch.Tensor:
    """Centre frequencies (Hz) of the featurizer's triangular mel bands (0 .. Nyquist, equally spaced in mel)."""
    top = float(mel(sample_rate / 2))
    m = torch.arange(1, n_mels + 1, dtype=torch.float64) * top / (n_mels + 1)
    return 700.0 * (torch.exp(m / 1125.0) - 1.0)


def warp_matrices(alpha: torch.Tensor, n_mels: int, sample_rate: int) -> torch.Tensor:
    """(B, n_mels, n_mels) matrices W with warped[b, i] = sum_j W[b, i, j] · bands[b, j]."""
    nyq = sample_rate / 2
    f = band_centres(n_mels, sample_rate)[None, :] * alpha.double()[:, None]          # (B, M) source frequencies
    pos = mel(f.clamp(max=nyq)) / float(mel(nyq)) * (n_mels + 1) - 1.0                 # fractional band index
    pos = pos.clamp(0, n_mels - 1)
    lo = pos.floor().long()
    hi = (lo + 1).clamp(max=n_mels - 1)
    w = (pos - lo).float()
    W = torch.zeros(alpha.shape[0], n_mels, n_mels)
    W.scatter_add_(2, lo[:, :, None], (1 - w)[:, :, None])
    W.scatter_add_(2, hi[:, :, None], w[:, :, None])
    return W

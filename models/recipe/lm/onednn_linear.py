"""y = x Wᵀ + b through oneDNN (MKL-DNN) on the CPU, with its backward pass: a training speed-up.

Debian's python3-torch is built with a generic BLAS (BLAS_INFO=generic): a (896, 256) × (256, 10002)
matmul runs at ~4 GFLOPS on one core, while the same product through oneDNN, which that build does
include, runs at ~65 GFLOPS. The LM's output layer (V = 10,002 rows) is most of its training cost,
so every matmul of the training step goes through here. Same numbers as F.linear to float rounding.
On CUDA, or where oneDNN is missing, it is plain F.linear.
"""
import torch
import torch.nn.functional as F


def _onednn(x, w, b=None):
    # x (N, I), w (O, I) dense -> (N, O) dense
    xm = x.contiguous().to_mkldnn()
    wm = w.contiguous().to_mkldnn()
    bm = b.contiguous().to_mkldnn() if b is not None else None
    return torch._C._nn.mkldnn_linear(xm, wm, bm).to_dense()


class _OneDnnLinear(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        ctx.has_bias = b is not None
        return _onednn(x, w, b)

    @staticmethod
    def backward(ctx, gy):
        x, w = ctx.saved_tensors
        gx = _onednn(gy, w.t()) if ctx.needs_input_grad[0] else None     # (N, O) (O, I) -> (N, I)
        gw = _onednn(gy.t(), x.t()) if ctx.needs_input_grad[1] else None  # (O, N) (N, I) -> (O, I)
        gb = gy.sum(0) if ctx.has_bias and ctx.needs_input_grad[2] else None
        return gx, gw, gb


def usable(device) -> bool:
    return str(device) == "cpu" and torch.backends.mkldnn.is_available()


def linear(x, w, b=None):
    """x (..., I), w (O, I), b (O) -> (..., O); oneDNN on the CPU."""
    if not (x.device.type == "cpu" and torch.backends.mkldnn.is_available()) or x.dtype != torch.float32:
        return F.linear(x, w, b)
    lead = x.shape[:-1]
    y = _OneDnnLinear.apply(x.reshape(-1, x.shape[-1]), w, b)
    return y.reshape(*lead, w.shape[0])

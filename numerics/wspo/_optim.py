"""Adam in numpy, arithmetic-for-arithmetic equal to ``torch.optim.Adam`` (defaults,
no weight decay), so the numpy reference and torch trajectories can be compared."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .._backends import check_device
from .._validate import InvalidParameter, check_int, check_real
from ._torch import tiny


def _hyper(steps, lr, betas, eps) -> tuple[int, float, float, float, float]:
    steps = check_int("steps", steps, 0)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    try:
        b1, b2 = (float(b) for b in betas)
    except (TypeError, ValueError):
        raise InvalidParameter("betas", "<betas>", "a pair (β1, β2) of reals in [0, 1)") from None
    if not (0 <= b1 < 1 and 0 <= b2 < 1):
        raise InvalidParameter("betas", f"({b1}, {b2})", "a pair (β1, β2) of reals in [0, 1)")
    eps = check_real("eps", eps, low=0.0, low_open=True)
    return steps, lr, b1, b2, eps


def _x0(x0) -> np.ndarray:
    x = np.array(x0, dtype=float)
    if not np.all(np.isfinite(x)):
        raise InvalidParameter("x0", "<array>", "a finite starting point")
    return x


def adam_numpy(x0: np.ndarray, grad_fn: Callable[[np.ndarray], np.ndarray], steps: int, lr: float,
               betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> np.ndarray:
    """Adam (torch.optim.Adam defaults, no weight decay) from ``x0`` with gradient ``grad_fn``."""
    steps, lr, b1, b2, eps = _hyper(steps, lr, betas, eps)
    x = _x0(x0)
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    for t in range(1, steps + 1):
        g = grad_fn(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        denom = np.sqrt(v) / np.sqrt(bc2) + eps
        x = x - (lr / bc1) * m / denom
    return x


@tiny
def adam_torch(x0: np.ndarray, loss_fn, steps: int, lr: float, device: str = "cpu",
               betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> np.ndarray:
    """The same Adam in torch on ``device``; ``loss_fn(x_tensor)`` → scalar tensor and
    autograd supplies the gradient.  (Written out rather than ``torch.optim.Adam``, whose
    first use imports torch._dynamo, ~1.5 s; the update is the same formula.)"""
    import torch

    steps, lr, b1, b2, eps = _hyper(steps, lr, betas, eps)
    x = torch.tensor(_x0(x0), dtype=torch.float64, device=check_device(device))
    m = torch.zeros_like(x)
    v = torch.zeros_like(x)
    for t in range(1, steps + 1):
        x.requires_grad_(True)
        (g,) = torch.autograd.grad(loss_fn(x), x)
        x = x.detach()
        m.mul_(b1).add_(g, alpha=1 - b1)
        v.mul_(b2).addcmul_(g, g, value=1 - b2)
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        denom = v.sqrt() / (bc2**0.5) + eps
        x = x - (lr / bc1) * m / denom
    return x.cpu().numpy()

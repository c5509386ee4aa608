"""Adam in numpy, arithmetic-for-arithmetic equal to ``torch.optim.Adam`` (defaults,
no weight decay), so the numpy reference and torch trajectories can be compared."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .._validate import check_int, check_real
from ._torch import tiny


def adam_numpy(x0: np.ndarray, grad_fn: Callable[[np.ndarray], np.ndarray], steps: int, lr: float,
               betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> np.ndarray:
    steps = check_int("steps", steps, 0)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    b1, b2 = betas
    x = np.array(x0, dtype=float)
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

    steps = check_int("steps", steps, 0)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    b1, b2 = betas
    x = torch.tensor(np.asarray(x0, dtype=float), dtype=torch.float64, device=device)
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

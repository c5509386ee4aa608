"""The notebook's transfer heads (wts.ipynb, spec misfit.md §5.1): an affine Linear(16, 1) head
trained by AdamW (lr 1e-3, weight decay 0.01, batch 32, 1000 epochs, each epoch a fresh shuffle)
on frozen features — the option that replaces the closed-form least-squares heads."""
from __future__ import annotations

import numpy as np

from .._validate import check_int

ROLES = {"weak": 0, "strong": 1}


def adamw_head(F: np.ndarray, y: np.ndarray, seed, epochs: int = 1000, batch: int = 32, lr: float = 1e-3,
               wd: float = 0.01, dtype: str = "float32") -> np.ndarray:
    """AdamW on MSE for the affine head (w, c) on features F (n, k); init U(±1/√k) as nn.Linear.
    Returns coef = [w, c] (float64) as :func:`._replication.lstsq_affine` does."""
    import torch

    epochs, batch = check_int("epochs", epochs, 0), check_int("batch", batch, 1)
    g = np.random.default_rng(seed)
    n, k = F.shape
    dt = getattr(torch, dtype)
    bound = 1.0 / np.sqrt(k)
    p = torch.as_tensor(g.uniform(-bound, bound, k + 1), dtype=dt)
    A = torch.as_tensor(np.hstack([F, np.ones((n, 1))]), dtype=dt)
    Y = torch.as_tensor(y, dtype=dt)
    m, v = torch.zeros_like(p), torch.zeros_like(p)
    step = 0
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for _ in range(epochs):
            perm = torch.as_tensor(g.permutation(n))
            Ae, Ye = A[perm], Y[perm]
            for s in range(0, n, batch):
                a, t = Ae[s:s + batch], Ye[s:s + batch]
                r = a @ p - t
                grad = a.T @ r * (2.0 / t.numel())
                step += 1
                p.mul_(1 - lr * wd)
                m.lerp_(grad, 0.1)
                v.mul_(0.999).addcmul_(grad, grad, value=0.001)
                p.addcdiv_(m, (v.sqrt() / (1 - 0.999**step) ** 0.5).add_(1e-8), value=-lr / (1 - 0.9**step))
    finally:
        torch.set_num_threads(old)
    return p.double().numpy()


def adamw_heads(seed, epochs: int = 1000, tasks: int | None = None):
    """A ``heads`` callable for :func:`._replication.transfer`: AdamW heads for the first ``tasks``
    tasks (all when None), closed form for the rest; each head's init and shuffles from its own stream."""
    from ._replication import lstsq_affine

    def fit(F, y, t, role):
        if tasks is not None and t >= tasks:
            return lstsq_affine(F, y)
        return adamw_head(F, y, [*(int(s) % 2**32 for s in np.atleast_1d(seed)), t, ROLES[role]], epochs)
    return fit

"""The implemented per-token WSPO loss (WSPO-1, [CODE]) on log-prob tensors, numpy
reference and torch: e_t = γ(ℓ_θ − ℓ_ref^s) − (ℓ_r^w − ℓ_ref^w); per sequence Σ_t e_t²/|y|
over response tokens; weighted (default: plain) mean over sequences.  Prompt and
padding positions are zeroed in all four tensors, so their residual is exactly 0."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import InvalidParameter
from ._validate import check_gamma


def _check_shapes(mask, *lps):
    shape = np.shape(mask)
    for name, lp in zip(("lp_theta", "lp_ref_s", "lp_r_w", "lp_ref_w"), lps):
        if tuple(lp.shape) != tuple(shape):
            raise InvalidParameter(name, f"<shape {tuple(lp.shape)}>", f"the mask's shape {tuple(shape)}")
    if len(shape) != 2:
        raise InvalidParameter("mask", f"<shape {tuple(shape)}>", "a 2-d (sequences × positions) array")


def _weights(weights: Any, n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InvalidParameter("weights", "<array>", f"{n} finite non-negative sequence weights")
    return w


def residuals(lp_theta, lp_ref_s, lp_r_w, lp_ref_w, mask, gamma: float) -> np.ndarray:
    """Per-token residual e_t, exactly 0 at masked positions (numpy)."""
    gamma = check_gamma(gamma)
    m = np.asarray(mask, dtype=float)
    raw = [np.asarray(x, dtype=float) for x in (lp_theta, lp_ref_s, lp_r_w, lp_ref_w)]
    _check_shapes(m, *raw)
    for name, x in zip(("lp_theta", "lp_ref_s", "lp_r_w", "lp_ref_w"), raw):
        if not np.all(np.isfinite(x[m > 0])):
            raise InvalidParameter(name, "<array>", "finite log-probabilities at every unmasked position")
    lps = [np.where(m > 0, x, 0.0) for x in raw]
    return gamma * (lps[0] - lps[1]) - (lps[2] - lps[3])


def seq_loss(lp_theta, lp_ref_s, lp_r_w, lp_ref_w, mask, gamma: float, weights: Any = None) -> float:
    """Batch loss: mean over sequences of Σ_t e_t²/|y| (numpy reference)."""
    e = residuals(lp_theta, lp_ref_s, lp_r_w, lp_ref_w, mask, gamma)
    m = np.asarray(mask, dtype=float)
    per_seq = np.sum(e * e, axis=1) / np.maximum(m.sum(axis=1), 1.0)
    w = np.full(len(per_seq), 1.0 / len(per_seq)) if weights is None else _weights(weights, len(per_seq))
    return float(np.sum(w * per_seq))


def seq_loss_torch(lp_theta, lp_ref_s, lp_r_w, lp_ref_w, mask, gamma: float, weights=None):
    """The same loss in torch (differentiable in ``lp_theta``; weak terms without grad)."""
    import torch

    gamma = check_gamma(gamma)
    _check_shapes(np.empty(tuple(mask.shape)), lp_theta, lp_ref_s, lp_r_w, lp_ref_w)
    m = mask.to(lp_theta.dtype)
    with torch.no_grad():
        weak = lp_r_w * m - lp_ref_w * m
    e = gamma * (lp_theta * m - lp_ref_s * m) - weak
    per_seq = (e * e).sum(1) / m.sum(1).clamp_min(1.0)
    if weights is None:
        return per_seq.mean()
    _weights(weights.detach().cpu().numpy() if hasattr(weights, "detach") else weights, per_seq.shape[0])
    return (weights.to(per_seq) * per_seq).sum()

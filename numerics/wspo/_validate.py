"""Input validation for the WSPO simulators (spec wspo.md §2): γ > 0, probability
vectors, one shared vocabulary, and the weak-reference support condition (WSPO-11b)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import InvalidParameter, check_prob_vector, check_real


def check_gamma(gamma: Any) -> float:
    """γ (``pref_beta``) must be a finite real > 0."""
    return check_real("gamma", gamma, low=0.0, low_open=True)


def check_same_vocab(**vectors: np.ndarray) -> int:
    """All distributions share one vocabulary (spec §2: one tokenizer for all four models)."""
    sizes = {k: np.asarray(v).shape[-1] for k, v in vectors.items()}
    first, v0 = next(iter(sizes.items()))
    for k, v in sizes.items():
        if v != v0:
            raise InvalidParameter(k, f"<vocabulary of size {v}>",
                                   f"the same vocabulary size as {first} (V={v0})")
    return int(v0)


def smooth(p: np.ndarray, eps: float) -> np.ndarray:
    """ε-smoothing (p + ε)/(1 + Vε) used in WSPO-11(b)."""
    eps = check_real("eps", eps, low=0.0, high=1.0)
    p = np.asarray(p, dtype=float)
    if (p.ndim < 1 or p.shape[-1] == 0 or not np.all(np.isfinite(p)) or np.any(p < 0)
            or np.any(np.abs(p.sum(axis=-1) - 1) > 1e-9)):
        raise InvalidParameter("p", "<array>", "probability vector(s) along the last axis")
    return (p + eps) / (1.0 + p.shape[-1] * eps)


def check_policies(pi_ref_s: Any, pi_r_w: Any, pi_ref_w: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate (π_ref^s, π_r^w, π_ref^w) at one state: probability vectors over one
    vocabulary with π_ref^w(a) > 0 wherever π_r^w(a) > 0 (else δ = +∞, WSPO-11b)."""
    a = check_prob_vector("pi_ref_s", pi_ref_s)
    b = check_prob_vector("pi_r_w", pi_r_w)
    c = check_prob_vector("pi_ref_w", pi_ref_w)
    check_same_vocab(pi_ref_s=a, pi_r_w=b, pi_ref_w=c)
    bad = np.flatnonzero((c == 0) & (b > 0))
    if bad.size:
        raise InvalidParameter("pi_ref_w", f"<0 at token {int(bad[0])} where pi_r_w > 0>",
                               "pi_ref_w(a) > 0 wherever pi_r_w(a) > 0 (else delta = +inf); smooth with eps")
    return a, b, c


def check_data(d: Any, vocab: int, name: str = "d") -> np.ndarray:
    a = check_prob_vector(name, d)
    if a.size != vocab:
        raise InvalidParameter(name, f"<vocabulary of size {a.size}>", f"the same vocabulary size as pi_ref_s (V={vocab})")
    return a

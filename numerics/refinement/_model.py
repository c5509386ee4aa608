"""The canonical toy concept model of spec refinement.md §3 (REFINE), validated.

Concepts β_k = e_k (k = 1..K), target β_tgt = e_1 + τu, u = e_{K+1} (τ = 0 except REFINE-13);
source β_P = Σα_kβ_k; weak labels Y′ = β^{wᵀ}φ + s_w ε with β^w = κe_1 + (Δ + τ)u and
s_w² = σ² + η² (noisy: κ = 1, Δ = 0; biased: η = 0).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validate import InvalidParameter, check_int, check_prob_vector, check_real


@dataclass(frozen=True)
class ConceptModel:
    """Parameters of the toy model; construct with :func:`concept_model` (validates)."""

    K: int
    d: int
    alpha: tuple[float, ...]
    sigma: float
    kappa: float = 1.0
    delta: float = 0.0
    eta: float = 0.0
    tau: float = 0.0

    @property
    def s_w(self) -> float:
        """Weak-label noise standard deviation √(σ² + η²)."""
        return math.sqrt(self.sigma ** 2 + self.eta ** 2)

    @property
    def beta_p(self) -> np.ndarray:
        b = np.zeros(self.d)
        b[: self.K] = self.alpha
        return b

    @property
    def beta_w(self) -> np.ndarray:
        b = np.zeros(self.d)
        b[0], b[self.K] = self.kappa, self.delta + self.tau
        return b

    @property
    def beta_tgt(self) -> np.ndarray:
        b = np.zeros(self.d)
        b[0], b[self.K] = 1.0, self.tau
        return b


def concept_model(K: int, d: int, alpha, sigma: float, kappa: float = 1.0, delta: float = 0.0,
                  eta: float = 0.0, tau: float = 0.0) -> ConceptModel:
    """Validated :class:`ConceptModel`; bad input raises :class:`InvalidParameter` naming the
    parameter and its allowed range (K ≥ 2, d ≥ K + 1, α a probability vector of length K, σ > 0)."""
    K = check_int("K", K, 2)
    d = check_int("d", d, K + 1)
    a = check_prob_vector("alpha", alpha)
    if a.size != K:
        raise InvalidParameter("alpha", f"<length {a.size}>", f"a probability vector of length K={K}")
    sigma = check_real("sigma", sigma, 0.0, low_open=True)
    kappa = check_real("kappa", kappa)
    delta = check_real("delta", delta, 0.0)
    eta = check_real("eta", eta, 0.0)
    tau = check_real("tau", tau, 0.0)
    return ConceptModel(K, d, tuple(float(x) for x in a), sigma, kappa, delta, eta, tau)


def check_m(m) -> int:
    """n_ICL: an integer ≥ 0."""
    return check_int("n_icl", m, 0)


def check_model(model) -> ConceptModel:
    """A :class:`ConceptModel` (build one with :func:`concept_model`)."""
    if not isinstance(model, ConceptModel):
        raise InvalidParameter("model", type(model).__name__, "a ConceptModel from concept_model(...)")
    return model


def check_pi(pi, K: int | None = None) -> np.ndarray:
    """Posterior weights: rows that are probability vectors over K concepts."""
    a = np.asarray(pi, dtype=float)
    if (a.ndim < 1 or (K is not None and a.shape[-1] != K) or not np.all(np.isfinite(a)) or np.any(a < 0)
            or np.any(np.abs(a.sum(axis=-1) - 1) > 1e-9)):
        raise InvalidParameter("pi", "<array>", "rows that are probability vectors" + (f" of length K={K}" if K else ""))
    return a


def check_lams(lams) -> np.ndarray:
    a = np.atleast_1d(np.asarray(lams, dtype=float))
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)) or np.any(a < 0):
        raise InvalidParameter("lams", "<array>", "a non-empty 1-d array of reals >= 0")
    return a

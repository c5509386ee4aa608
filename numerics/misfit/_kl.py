"""Bregman/KL geometry of Mulgund & Pabbaraju (arXiv 2501.19105; spec misfit.md §2, MISFIT-7/8):
KL divergences on m weighted atoms, and the reverse-KL (student in the first slot, [CODE])
and forward-KL projections onto the mixture hull V = {Σ_j α_j g_j : α ∈ Δ_J}."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from .._validate import InvalidParameter, check_array, check_int, check_prob_rows, check_real, check_weights

PROB_FLOOR = 1e-6  # spec MISFIT-8: keep probabilities >= 1e-6


def _rows(w, **ps) -> list[np.ndarray]:
    """(m, c) arrays of probability rows of one shape, and weights w of length m."""
    first = next(iter(ps))
    shape = check_prob_rows(first, ps[first], shape=(None, None)).shape
    out = [check_prob_rows(k, v, shape=shape) for k, v in ps.items()]
    return out + [check_weights("w", w, shape[0])]


def _kl(p: np.ndarray, q: np.ndarray, w: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        t = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0)
    return float(np.sum(w * np.sum(t, axis=1)))


def _comps(comps, shape: tuple) -> np.ndarray:
    c = check_prob_rows("comps", comps, shape=(None, *shape)) if np.ndim(comps) == 3 else None
    if c is None:
        raise InvalidParameter("comps", "<array>", f"shape (J, m, c) with (m, c) = {shape}")
    check_int("J", c.shape[0], 1)
    return c


def kl(p: np.ndarray, q: np.ndarray, w: np.ndarray) -> float:
    """E_w KL(p ‖ q) for (m, c) arrays of row-probability vectors (0·log 0 = 0)."""
    return _kl(*_rows(w, p=p, q=q))


def bregman_gap(fstar: np.ndarray, y: np.ndarray, fsw: np.ndarray, w: np.ndarray) -> float:
    """gap_KL = E KL(F*‖Y) − E KL(f_sw‖Y) − E KL(F*‖f_sw) (MISFIT-8)."""
    fstar, y, fsw, w = _rows(w, fstar=fstar, y=y, fsw=fsw)
    return _kl(fstar, y, w) - _kl(fsw, y, w) - _kl(fstar, fsw, w)


def random_softmax(rng: np.random.Generator, m: int, c: int, scale: float = 2.0) -> np.ndarray:
    """An (m, c) array of softmax predictions with logits N(0, scale²), floored at 1e-6."""
    m = check_int("m", m, 1)
    c = check_int("c", c, 2)
    scale = check_real("scale", scale, 0.0, None)
    z = rng.standard_normal((m, c)) * scale
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p = np.maximum(p, PROB_FLOOR)
    return p / p.sum(axis=1, keepdims=True)


def mix(alpha: np.ndarray, comps: np.ndarray) -> np.ndarray:
    """Σ_j α_j g_j for comps of shape (J, m, c) and α ∈ Δ_J."""
    comps = check_array("comps", comps, ndim=3)
    alpha = check_prob_rows("alpha", alpha, shape=(comps.shape[0],))
    return np.tensordot(alpha, comps, axes=1)


def _solve(obj, grad, J: int) -> np.ndarray:
    cons = ({"type": "eq", "fun": lambda a: np.sum(a) - 1.0, "jac": lambda a: np.ones_like(a)},)
    best = None
    for a0 in [np.full(J, 1.0 / J)] + [np.eye(J)[j] * 0.9 + 0.1 / J for j in range(min(J, 2))]:
        r = minimize(obj, a0, jac=grad, method="SLSQP", bounds=[(0.0, 1.0)] * J, constraints=cons,
                     options={"ftol": 1e-15, "maxiter": 500})
        a = np.clip(r.x, 0.0, None)
        a /= a.sum()
        if best is None or obj(a) < obj(best):
            best = a
    return best


def reverse_kl_projection(comps: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    """f_sw = argmin_{g∈V} E KL(g ‖ Y) over the mixture hull (student in the first slot).

    Returns (α, viol) with viol = max(0, −min_j ⟨g_j − f_sw, log f_sw − log Y⟩_w): the
    first-order-optimality violation, i.e. the solver tolerance actually achieved."""
    y, w = _rows(w, y=y)
    comps = _comps(comps, y.shape)
    J = comps.shape[0]
    ly = np.log(y)

    def obj(a):
        p = np.tensordot(a, comps, axes=1)
        return float(np.sum(w * np.sum(p * (np.log(p) - ly), axis=1)))

    def grad(a):
        p = np.tensordot(a, comps, axes=1)
        d = np.log(p) - ly
        return np.einsum("jmc,m,mc->j", comps, w, d)

    a = _solve(obj, grad, J)
    return a, _violation(comps, a, y, w)


def first_order_violation(comps: np.ndarray, a: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """max(0, −min_j ⟨g_j − p, ∇φ(p) − ∇φ(Y)⟩_w) for φ = Σ u log u (MISFIT-8 certificate)."""
    y, w = _rows(w, y=y)
    comps = _comps(comps, y.shape)
    a = check_prob_rows("a", a, shape=(comps.shape[0],))
    return _violation(comps, a, y, w)


def _violation(comps, a, y, w) -> float:
    p = np.tensordot(a, comps, axes=1)
    d = np.log(p) - np.log(y)
    mu = np.einsum("jmc,m,mc->j", comps - p[None], w, d)
    return float(max(0.0, -mu.min()))


def forward_kl_projection(comps: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """f_fwd = argmin_{g∈V} E KL(Y ‖ g): the *wrong* training direction (MISFIT-8 counterexample)."""
    y, w = _rows(w, y=y)
    comps = _comps(comps, y.shape)
    J = comps.shape[0]

    def obj(a):
        p = np.tensordot(a, comps, axes=1)
        return float(-np.sum(w * np.sum(y * np.log(p), axis=1)))

    def grad(a):
        p = np.tensordot(a, comps, axes=1)
        return -np.einsum("jmc,m,mc->j", comps, w, y / p)

    return _solve(obj, grad, J)

"""Projections onto convex strong classes V (spec misfit.md §3 MISFIT-2/3) in the weighted
L²(P) geometry on m atoms: affine subspaces (OLS), norm balls of heads (ridge with the
multiplier found by bisection) and simplex hulls of predictors (projected gradient).

numpy is the reference; ``*_numba`` kernels (``@njit(cache=True)``) must agree with it.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .._validate import InvalidParameter, check_array, check_int, check_real


def _check_design(phi: np.ndarray, y: np.ndarray, w: np.ndarray, name: str = "phi") -> None:
    if phi.ndim != 2 or phi.shape[0] < 1 or phi.shape[1] < 1 or not np.all(np.isfinite(phi)):
        raise InvalidParameter(name, "<array>", "a finite 2-d design matrix of shape (m >= 1, p >= 1)")
    if y.shape != (phi.shape[0],) or not np.all(np.isfinite(y)):
        raise InvalidParameter("y", "<array>", f"a finite vector of length m={phi.shape[0]}")
    if w.shape != (phi.shape[0],) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise InvalidParameter("w", "<array>", f"finite positive weights of length m={phi.shape[0]}")


def ols_coef(phi: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """argmin_a ‖Φa − y‖²_w: the projection onto the subspace span(Φ) (MISFIT-3)."""
    phi, y, w = np.asarray(phi, float), np.asarray(y, float), np.asarray(w, float)
    _check_design(phi, y, w)
    sw = np.sqrt(w)
    a, *_ = np.linalg.lstsq(phi * sw[:, None], y * sw, rcond=None)
    return a


def _ball_lambda(evals: np.ndarray, c: np.ndarray, r2: float, iters: int) -> float:
    """λ >= 0 with Σ c_i²/(e_i+λ)² = R² (bisection; the norm is decreasing in λ)."""
    lo, hi = 0.0, max(1.0, float(np.sqrt(np.sum(c * c) / r2)))
    while np.sum((c / (evals + hi)) ** 2) > r2:
        hi *= 2.0
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if np.sum((c / (evals + mid)) ** 2) > r2:
            lo = mid
        else:
            hi = mid
    return hi


def ball_coef(phi: np.ndarray, y: np.ndarray, w: np.ndarray, radius: float,
              iters: int = 200) -> tuple[np.ndarray, float]:
    """Projection onto V = {Φa : ‖a‖ <= R}: KKT (G + λI)a = b, λ >= 0, λ(‖a‖ − R) = 0.

    Returns (a, λ).  λ = 0 when the OLS coefficients are inside the ball; otherwise λ is
    found by bisection on the eigen-decomposition of G = ΦᵀWΦ (spec MISFIT-2).
    """
    phi, y, w = np.asarray(phi, float), np.asarray(y, float), np.asarray(w, float)
    _check_design(phi, y, w)
    radius = check_real("radius", radius, 0.0, None, low_open=True)
    iters = check_int("iters", iters, 1)
    G = phi.T @ (w[:, None] * phi)
    b = phi.T @ (w * y)
    evals, Q = np.linalg.eigh(G)
    evals = np.maximum(evals, 0.0)
    c = Q.T @ b
    r2 = radius * radius
    pos = evals > 1e-12 * max(evals.max(), 1e-300)
    a_ols = Q[:, pos] @ (c[pos] / evals[pos])
    if a_ols @ a_ols <= r2:
        return a_ols, 0.0
    lam = _ball_lambda(evals, c, r2, iters)
    return Q @ (c / (evals + lam)), lam


@njit(cache=True)
def _ball_lambda_nb(evals, c, r2, iters):  # pragma: no cover - compiled
    lo = 0.0
    s = 0.0
    for i in range(c.shape[0]):
        s += c[i] * c[i]
    hi = max(1.0, np.sqrt(s / r2))
    while True:
        t = 0.0
        for i in range(c.shape[0]):
            q = c[i] / (evals[i] + hi)
            t += q * q
        if t <= r2:
            break
        hi *= 2.0
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        t = 0.0
        for i in range(c.shape[0]):
            q = c[i] / (evals[i] + mid)
            t += q * q
        if t > r2:
            lo = mid
        else:
            hi = mid
    return hi


def ball_coef_numba(phi: np.ndarray, y: np.ndarray, w: np.ndarray, radius: float,
                    iters: int = 200) -> tuple[np.ndarray, float]:
    """:func:`ball_coef` with the bisection loop in a numba kernel."""
    phi, y, w = np.asarray(phi, float), np.asarray(y, float), np.asarray(w, float)
    _check_design(phi, y, w)
    radius = check_real("radius", radius, 0.0, None, low_open=True)
    iters = check_int("iters", iters, 1)
    G = phi.T @ (w[:, None] * phi)
    evals, Q = np.linalg.eigh(G)
    evals = np.maximum(evals, 0.0)
    c = Q.T @ (phi.T @ (w * y))
    pos = evals > 1e-12 * max(evals.max(), 1e-300)
    a_ols = Q[:, pos] @ (c[pos] / evals[pos])
    if a_ols @ a_ols <= radius * radius:
        return a_ols, 0.0
    lam = _ball_lambda_nb(evals, c, radius * radius, iters)
    return Q @ (c / (evals + lam)), lam


def project_simplex(v: np.ndarray) -> np.ndarray:
    """Euclidean projection of v onto the probability simplex (sort-based)."""
    v = check_array("v", v, ndim=1)
    return _project_simplex(v)


def _project_simplex(v: np.ndarray) -> np.ndarray:
    u = np.sort(v)[::-1]
    css = np.cumsum(u) - 1.0
    k = np.arange(1, v.size + 1)
    rho = np.nonzero(u - css / k > 0)[0][-1]
    return np.maximum(v - css[rho] / (rho + 1), 0.0)


@njit(cache=True)
def project_simplex_numba(v):  # pragma: no cover - compiled
    """Projection onto the simplex by bisection on the threshold τ: Σ max(v−τ, 0) = 1."""
    lo = v.min() - 1.0
    hi = v.max()
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        s = 0.0
        for i in range(v.shape[0]):
            if v[i] > mid:
                s += v[i] - mid
        if s > 1.0:
            lo = mid
        else:
            hi = mid
    out = np.empty_like(v)
    tau = 0.5 * (lo + hi)
    for i in range(v.shape[0]):
        out[i] = v[i] - tau if v[i] > tau else 0.0
    return out


def hull_coef(vertices: np.ndarray, y: np.ndarray, w: np.ndarray, iters: int = 20000, tol: float = 1e-13,
              backend: str = "numpy") -> tuple[np.ndarray, float]:
    """Projection onto V = conv{g_1..g_J} (columns of ``vertices``): accelerated projected
    gradient on α ∈ Δ_J.  Returns (α, vi) where vi = max_j ⟨Y − p, g_j − p⟩_w is the
    variational-inequality violation (<= 0 at the exact projection; spec MISFIT-2)."""
    g, y, w = np.asarray(vertices, float), np.asarray(y, float), np.asarray(w, float)
    _check_design(g, y, w, "vertices")
    if backend not in ("numpy", "numba"):
        raise InvalidParameter("backend", backend, "one of numpy, numba")
    iters = check_int("iters", iters, 1)
    tol = check_real("tol", tol, 0.0, None)
    proj = _project_simplex if backend == "numpy" else project_simplex_numba
    G = g.T @ (w[:, None] * g)
    b = g.T @ (w * y)
    L = max(float(np.linalg.eigvalsh(G).max()), 1e-300)
    J = g.shape[1]
    a = np.full(J, 1.0 / J)
    z, t = a.copy(), 1.0
    scale = float(np.sum(w * y * y)) + float(np.abs(G).max()) + 1e-300
    vi = np.inf
    for it in range(iters):
        a_new = proj(z - (G @ z - b) / L)
        t_new = 0.5 * (1 + np.sqrt(1 + 4 * t * t))
        z = a_new + ((t - 1) / t_new) * (a_new - a)
        a, t = a_new, t_new
        if it % 50 == 49:
            r = b - G @ a  # = Φᵀ W (Y − p)
            vi = float(np.max(r - a @ r))
            if vi <= tol * scale:
                break
    r = b - G @ a
    return a, float(np.max(r - a @ r))

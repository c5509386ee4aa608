"""numpy reference (oracle) of the REFINE estimators (spec refinement.md §4).

* :func:`naive_risks` — ridge-to-prior fine-tuning β̂_λ on weak labels, over a λ grid (REFINE-2..6).
* :func:`hull_risks` — the idealised learner: least squares constrained to conv{β_k}; in the
  orthogonal design it is the simplex projection of the OLS concept coordinates (REFINE-6/7).
* :func:`posterior` — the ICL posterior over concepts from m weak examples (REFINE-8/9).
* :func:`fresh_refine_risks` — refine (fresh S per query) then fine-tune by OLS (REFINE-10/11).

The deterministic kernels (:func:`project_simplex`, :func:`posterior_from_draws`) are what the
numba and torch backends re-implement; the drivers here draw with a numpy Generator.
"""
from __future__ import annotations

import math

import numpy as np

from ._model import ConceptModel, check_lams, check_m, check_model, check_pi
from .._validate import InvalidParameter, check_array, check_choice, check_int, check_real

_CHUNK = 4_000_000  # floats per batched draw


def project_simplex(X: np.ndarray) -> np.ndarray:
    """Euclidean projection of each row of X onto the probability simplex (sorting method)."""
    X = check_array("X", X)
    if X.ndim < 1:
        raise InvalidParameter("X", "<array>", "rows of length K >= 1")
    K = X.shape[-1]
    U = -np.sort(-X, axis=-1)
    css = np.cumsum(U, axis=-1) - 1.0
    ind = np.arange(1, K + 1)
    cond = U - css / ind > 0
    r = K - 1 - np.argmax(cond[..., ::-1], axis=-1)  # last index where cond holds
    tau = np.take_along_axis(css, r[..., None], axis=-1) / (r[..., None] + 1.0)
    return np.maximum(X - tau, 0.0)


def project_cone_T(Z: np.ndarray) -> np.ndarray:
    """Projection onto T = cone{e_k − e_1 : k ≥ 2} in concept coordinates (spec REFINE-6):
    x_k = (z_k − τ)_+ (k ≥ 2), x_1 = −Σx_k, with τ solving τ = z_1 + Σ_{k≥2}(z_k − τ)_+."""
    Z = check_array("Z", Z)
    if Z.ndim < 1 or Z.shape[-1] < 2:
        raise InvalidParameter("Z", "<array>", "finite rows of K >= 2 concept coordinates")
    z1, zr = Z[..., :1], Z[..., 1:]
    # h(τ) = τ − z1 − Σ(z_k − τ)_+ is increasing; bisection on a bracket
    lo = np.minimum(z1, zr.min(axis=-1, keepdims=True)) - 1.0
    hi = np.maximum(z1, zr.max(axis=-1, keepdims=True)) + np.abs(z1) + 1.0
    hi = np.maximum(hi, z1 + np.maximum(zr - lo, 0).sum(axis=-1, keepdims=True) + 1.0)
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        h = mid - z1 - np.maximum(zr - mid, 0).sum(axis=-1, keepdims=True)
        pos = h > 0
        hi = np.where(pos, mid, hi)
        lo = np.where(pos, lo, mid)
    tau = 0.5 * (lo + hi)
    xr = np.maximum(zr - tau, 0.0)
    return np.concatenate([-xr.sum(axis=-1, keepdims=True), xr], axis=-1)


def posterior_from_draws(phi: np.ndarray, y: np.ndarray, log_alpha: np.ndarray, sigma: float) -> np.ndarray:
    """π_k ∝ α_k Π_i N(y_i; φ_ik, σ²): phi (R, m, K) concept coordinates, y (R, m) → (R, K)."""
    phi = check_array("phi", phi, ndim=3, min_size=0)
    y = check_array("y", y, shape=phi.shape[:2], min_size=0)
    la = np.asarray(log_alpha, dtype=float)
    if la.shape != (phi.shape[2],) or np.any(np.isnan(la)) or np.any(la > 0) or abs(np.exp(la).sum() - 1) > 1e-9:
        raise InvalidParameter("log_alpha", "<array>", f"the log of a probability vector of length K={phi.shape[2]}")
    sigma = check_real("sigma", sigma, 0.0, None, low_open=True)
    return _posterior_from_draws(phi, y, la, sigma)


def _posterior_from_draws(phi, y, log_alpha, sigma):
    ll = -((y[..., None] - phi) ** 2).sum(axis=-2) / (2 * sigma ** 2) + log_alpha
    ll -= ll.max(axis=-1, keepdims=True)
    p = np.exp(ll)
    return p / p.sum(axis=-1, keepdims=True)


def _chunks(reps: int, per_rep: int):
    size = max(1, _CHUNK // max(per_rep, 1))
    for start in range(0, reps, size):
        yield min(size, reps - start)


def orthonormal_columns(Z: np.ndarray) -> np.ndarray:
    """Polar factor Z(ZᵀZ)^{−1/2} of each (n, d) slice: orthonormal columns, Haar-distributed on the
    Stiefel manifold when Z is Gaussian (cheaper than a batched QR)."""
    w, U = np.linalg.eigh(np.swapaxes(Z, -1, -2) @ Z)
    return Z @ (U * (w[..., None, :] ** -0.5)) @ np.swapaxes(U, -1, -2)


def _design(rng: np.random.Generator, r: int, n: int, d: int, design: str) -> np.ndarray:
    Z = rng.standard_normal((r, n, d))
    if design == "orthogonal":
        return math.sqrt(n) * orthonormal_columns(Z)
    return Z


def naive_risks(model: ConceptModel, n: int, lams, reps: int, rng: np.random.Generator,
                design: str = "orthogonal", sufficient: bool = False) -> np.ndarray:
    """‖β̂_λ − β_tgt‖² per replication and λ, shape (reps, len(lams)).

    β̂_λ = argmin (1/n)‖Y′ − Φβ‖² + λ‖β − β_P‖².  ``design``: 'orthogonal' (Φ = √n·Q, ΦᵀΦ = nI)
    or 'gaussian' (φ ~ N(0, I_d)).  ``sufficient=True`` (orthogonal only) draws the sufficient
    statistic ΦᵀY′/n = β^w + s_w z/√n, z ~ N(0, I_d), which has exactly the same law."""
    model = check_model(model)
    _check_design(design)
    if sufficient and design != "orthogonal":
        raise InvalidParameter("sufficient", sufficient, "False unless design='orthogonal'")
    n = check_int("n", n, model.d if design == "orthogonal" else model.d + 2)
    lams = check_lams(lams)
    reps = check_int("reps", reps, 2)
    d, bw, bp, bt = model.d, model.beta_w, model.beta_p, model.beta_tgt
    out = np.empty((reps, lams.size))
    i = 0
    for r in _chunks(reps, 1 if sufficient else n * d):
        if sufficient:
            h = bw + model.s_w * rng.standard_normal((r, d)) / math.sqrt(n)
            G = np.broadcast_to(np.eye(d), (r, d, d))
        else:
            Phi = _design(rng, r, n, d, design)
            y = Phi @ bw + model.s_w * rng.standard_normal((r, n))
            G = np.einsum("rni,rnj->rij", Phi, Phi) / n
            h = np.einsum("rni,rn->ri", Phi, y) / n
        for j, lam in enumerate(lams):
            beta = np.linalg.solve(G + lam * np.eye(d), (h + lam * bp)[..., None])[..., 0]
            out[i:i + r, j] = ((beta - bt) ** 2).sum(axis=-1)
        i += r
    return out


def hull_risks(model: ConceptModel, n: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """Risk of least squares constrained to conv{β_k}, orthogonal design: the simplex projection of
    the OLS concept coordinates (ΦᵀΦ = nI makes the constrained LS a Euclidean projection)."""
    model = check_model(model)
    n = check_int("n", n, model.d)
    reps = check_int("reps", reps, 2)
    K, bt = model.K, model.beta_tgt
    h = model.beta_w[:K] + model.s_w * rng.standard_normal((reps, K)) / math.sqrt(n)
    x = project_simplex(h)
    return ((x - bt[:K]) ** 2).sum(axis=-1) + float((bt[K:] ** 2).sum())


def icl_draws(model: ConceptModel, m: int, reps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """m weak-labelled ICL examples per replication: (phi (reps, m, K), y (reps, m))."""
    model = check_model(model)
    m = check_m(m)
    reps = check_int("reps", reps, 1)
    K = model.K
    phi = rng.standard_normal((reps, m, K + 1))
    y = model.kappa * phi[..., 0] + (model.delta + model.tau) * phi[..., K] + model.s_w * rng.standard_normal((reps, m))
    return phi[..., :K], y


def posterior(model: ConceptModel, m: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """ICL posterior π(S) per replication, shape (reps, K); the strong model uses its own σ."""
    model = check_model(model)
    m = check_m(m)
    reps = check_int("reps", reps, 2)
    phi, y = icl_draws(model, m, reps, rng)
    return posterior_from_draws(phi, y, np.log(np.asarray(model.alpha)), model.sigma)


def refined_risk(model: ConceptModel, pi: np.ndarray, mode: str = "soft") -> np.ndarray:
    """Risk of the fine-tuned model with a fixed ICL set: β̃ = Σπ_kβ_k (soft) or β_k̂ (MAP)."""
    model = check_model(model)
    mode = check_choice("mode", mode, ("soft", "map"))
    pi = check_pi(pi, model.K)
    if mode == "map":
        k = np.argmax(pi, axis=-1)
        pi = np.eye(model.K)[k]
    e1 = np.zeros(model.K)
    e1[0] = 1.0
    return ((pi - e1) ** 2).sum(axis=-1) + model.tau ** 2


def misalignment(pi: np.ndarray) -> dict[str, np.ndarray]:
    """M = 1 − π_1 (soft) and 1{k̂ ≠ 1} (MAP)."""
    pi = check_pi(pi)
    return {"soft": 1.0 - pi[..., 0], "map": (np.argmax(pi, axis=-1) != 0).astype(float)}


def fresh_refine_risks(model: ConceptModel, m: int, n: int, reps: int, rng: np.random.Generator,
                       mode: str = "soft") -> np.ndarray:
    """Refine-then-fine-tune with a fresh ICL set per training query: label ỹ_i = π(S_i)ᵀφ_i[:K]
    (soft) or φ_{i,k̂(S_i)} (MAP), then OLS (λ = 0) on n Gaussian-design queries; risk vs β_tgt."""
    model = check_model(model)
    mode = check_choice("mode", mode, ("soft", "map"))
    m = check_m(m)
    n = check_int("n", n, model.d + 2)
    reps = check_int("reps", reps, 2)
    d, K, la = model.d, model.K, np.log(np.asarray(model.alpha))
    out = np.empty(reps)
    i = 0
    for r in _chunks(reps, n * (d + m * (K + 1))):
        Phi = rng.standard_normal((r, n, d))
        phi, y = icl_draws(model, m, r * n, rng)
        pi = posterior_from_draws(phi, y, la, model.sigma).reshape(r, n, K)
        if mode == "map":
            pi = np.eye(K)[np.argmax(pi, axis=-1)]
        lab = (pi * Phi[..., :K]).sum(axis=-1)
        beta = np.linalg.solve(np.einsum("rni,rnj->rij", Phi, Phi), np.einsum("rni,rn->ri", Phi, lab)[..., None])[..., 0]
        out[i:i + r] = ((beta - model.beta_tgt) ** 2).sum(axis=-1)
        i += r
    return out


def _check_design(design: str) -> None:
    if design not in ("orthogonal", "gaussian"):
        raise InvalidParameter("design", design, "one of 'orthogonal', 'gaussian'")

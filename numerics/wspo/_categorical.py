"""One-state (categorical bandit) WSPO: the tilt, the [CODE] loss over softmax logits,
its closed-form gradient/Hessian, and the minimiser (spec wspo.md §2, WSPO-3/4/5/14).

numpy is the reference (scipy BFGS + Newton polish); :func:`minimise` with
``backend='torch'`` runs torch L-BFGS + Newton on ``device`` (cpu or cuda).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from scipy.optimize import minimize as _sp_minimize
from ._math import logsumexp

from .._backends import check_backend, check_device
from .._validate import InvalidParameter, check_array, check_int, check_prob_vector, check_real
from ._torch import tiny
from ._validate import check_data, check_gamma, check_policies


def delta(pi_r_w: np.ndarray, pi_ref_w: np.ndarray) -> np.ndarray:
    """δ_w = log π_r^w − log π_ref^w (validated: π_ref^w > 0 where π_r^w > 0).  Tokens with
    π_r^w = 0 < π_ref^w get δ = −∞; tokens where both vanish get δ = 0 (no signal)."""
    pi_r_w, pi_ref_w = _pair(pi_r_w, pi_ref_w, "pi_r_w", "pi_ref_w")
    bad = np.flatnonzero((pi_ref_w == 0) & (pi_r_w > 0))
    if bad.size:
        raise InvalidParameter("pi_ref_w", f"<0 at token {int(bad[0])} where pi_r_w > 0>",
                               "pi_ref_w(a) > 0 wherever pi_r_w(a) > 0 (else delta = +inf); smooth with eps")
    return _delta(pi_r_w, pi_ref_w)


def _pair(p, q, pn: str = "p", qn: str = "q") -> tuple[np.ndarray, np.ndarray]:
    """Two probability vectors over one vocabulary."""
    a, b = check_prob_vector(pn, p), check_prob_vector(qn, q)
    if b.size != a.size:
        raise InvalidParameter(qn, f"<vocabulary of size {b.size}>", f"the same vocabulary size as {pn} (V={a.size})")
    return a, b


def _delta(pi_r_w: np.ndarray, pi_ref_w: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.log(pi_r_w) - np.log(pi_ref_w)
    return np.where((pi_r_w == 0) & (pi_ref_w == 0), 0.0, d)


class Tilt(NamedTuple):
    """The tilt π_γ and the *log* of its normaliser, log Z′ = log Σ_a π_ref^s(a)e^{δ(a)/γ} (WSPO-3).
    (``theory.wspo.tilt`` returns Z′ itself, as ``ExactTilt.Z``.)"""

    pi: np.ndarray
    log_Z: float


def tilt(pi_ref_s: np.ndarray, dlt: np.ndarray, gamma: float) -> Tilt:
    """π_γ ∝ π_ref^s·exp(δ/γ) and log Z′ (WSPO-3; exponent 1/γ), as ``Tilt(pi, log_Z)``."""
    gamma = check_gamma(gamma)
    pi_ref_s = check_prob_vector("pi_ref_s", pi_ref_s)
    dlt = _dlt(dlt, pi_ref_s.size, "dlt")
    with np.errstate(divide="ignore"):
        lw = np.log(pi_ref_s) + dlt / gamma
    lz = float(logsumexp(lw))  # scalar
    return Tilt(np.exp(lw - lz), lz)


def tilt_from(pi_ref_s: Any, pi_r_w: Any, pi_ref_w: Any, gamma: float) -> Tilt:
    """Validated entry point: the tilt of three probability vectors, as ``Tilt(pi, log_Z)`` (log Z′)."""
    a, b, c = check_policies(pi_ref_s, pi_r_w, pi_ref_w)
    return tilt(a, delta(b, c), gamma)


def _dlt(dlt, V: int, name: str = "dlt") -> np.ndarray:
    """δ over V tokens: no NaN and no +∞ (−∞ marks π_r^w = 0 < π_ref^w)."""
    a = np.asarray(dlt, dtype=float)
    if a.shape != (V,) or np.any(np.isnan(a)) or np.any(a == np.inf):
        raise InvalidParameter(name, "<array>", f"a vector of length V={V} with no NaN or +inf")
    return a


def _logits(z, name: str = "z", V: int | None = None) -> np.ndarray:
    a = np.asarray(z, dtype=float)
    if a.ndim != 1 or a.size == 0 or (V is not None and a.size != V) or np.any(np.isnan(a)) or np.any(a == np.inf):
        raise InvalidParameter(name, "<array>", "a 1-d logit vector" + (f" of length V={V}" if V else "")
                               + " with no NaN or +inf")
    return a


def _checked(z, d, l_ref, dlt, gamma):
    """Validate (z, d, ℓ_ref, δ, γ) of the one-state loss; d may be None (residual)."""
    gamma = check_gamma(gamma)
    z = _logits(z, "z")
    if d is not None:
        d = check_prob_vector("d", d)
        if d.size != z.size:
            raise InvalidParameter("d", f"<vocabulary of size {d.size}>", f"the logits' vocabulary size V={z.size}")
    lr = np.asarray(l_ref, dtype=float)
    if lr.shape != z.shape or np.any(np.isnan(lr)) or np.any(lr > 0):
        raise InvalidParameter("l_ref", "<array>", f"log-probabilities (<= 0, no NaN) of length V={z.size}")
    return z, d, lr, _dlt(dlt, z.size), gamma


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log π_z = z − log Σ exp z along the last axis (logits with no NaN or +inf, any leading shape)."""
    a = np.asarray(z, dtype=float)
    if a.ndim < 1 or a.shape[-1] == 0 or np.any(np.isnan(a)) or np.any(a == np.inf):
        raise InvalidParameter("z", "<array>", "logits (last axis = vocabulary) with no NaN or +inf")
    return _log_softmax(a)


def _log_softmax(z: np.ndarray) -> np.ndarray:
    return z - logsumexp(z, axis=-1, keepdims=True)


def residual(z: np.ndarray, l_ref: np.ndarray, dlt: np.ndarray, gamma: float) -> np.ndarray:
    """e(a) = γ(log π_z(a) − ℓ_ref(a)) − δ(a)  (WSPO-1, one state)."""
    z, _, l_ref, dlt, gamma = _checked(z, None, l_ref, dlt, gamma)
    return _residual(z, l_ref, dlt, gamma)


def _residual(z, l_ref, dlt, gamma):
    return gamma * (_log_softmax(z) - l_ref) - dlt


def _masked(d: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.where(d > 0, x, 0.0)


def loss(z: np.ndarray, d: np.ndarray, l_ref: np.ndarray, dlt: np.ndarray, gamma: float) -> float:
    """L(π) = Σ_a d(a) e(a)² (population loss at one state)."""
    return _loss(*_checked(z, d, l_ref, dlt, gamma))


def _loss(z, d, l_ref, dlt, gamma) -> float:
    e = _masked(d, _residual(z, l_ref, dlt, gamma))
    return float(np.sum(d * e * e))


def grad(z: np.ndarray, d: np.ndarray, l_ref: np.ndarray, dlt: np.ndarray, gamma: float) -> np.ndarray:
    """Closed form ∂L/∂z_b = 2γ(d(b)e(b) − π(b)Σ_a d(a)e(a))  (WSPO-4/13)."""
    return _grad(*_checked(z, d, l_ref, dlt, gamma))


def _grad(z, d, l_ref, dlt, gamma) -> np.ndarray:
    e = _masked(d, _residual(z, l_ref, dlt, gamma))
    pi = np.exp(_log_softmax(z))
    de = d * e
    return 2 * gamma * (de - pi * de.sum())


def hessian(z: np.ndarray, d: np.ndarray, l_ref: np.ndarray, dlt: np.ndarray, gamma: float) -> np.ndarray:
    """H = 2JᵀDJ − 2γS(diag π − ππᵀ), J = γ(I − 1πᵀ), S = Σ d e."""
    return _hessian(*_checked(z, d, l_ref, dlt, gamma))


def _hessian(z, d, l_ref, dlt, gamma) -> np.ndarray:
    e = _masked(d, _residual(z, l_ref, dlt, gamma))
    pi = np.exp(_log_softmax(z))
    J = gamma * (np.eye(z.size) - np.outer(np.ones(z.size), pi))
    S = float(np.sum(d * e))
    return 2 * J.T @ (d[:, None] * J) - 2 * gamma * S * (np.diag(pi) - np.outer(pi, pi))


@dataclass
class Fit:
    """A minimiser: logits, policy, loss and the stationarity residual ‖∇L‖_∞."""

    z: np.ndarray
    pi: np.ndarray
    loss: float
    grad_norm: float


def _prepare(d, pi_ref_s, dlt, gamma):
    gamma = check_gamma(gamma)
    pi_ref_s = check_prob_vector("pi_ref_s", pi_ref_s)
    d = check_data(d, pi_ref_s.size)
    if dlt.shape != pi_ref_s.shape or np.any(np.isnan(dlt)):
        raise InvalidParameter("delta", "<array>", f"a vector of length V={pi_ref_s.size} with no NaN")
    if np.any((d > 0) & (pi_ref_s == 0)):
        raise InvalidParameter("d", "<array>", "supported inside supp pi_ref_s (the loss is +inf elsewhere)")
    if np.any((d > 0) & ~np.isfinite(dlt)):
        raise InvalidParameter("delta", "<array>", "finite wherever d > 0")
    with np.errstate(divide="ignore"):
        l_ref = np.where(pi_ref_s > 0, np.log(np.where(pi_ref_s > 0, pi_ref_s, 1.0)), -np.inf)
    l_ref = np.where(d > 0, l_ref, 0.0)
    dl = np.where(d > 0, dlt, 0.0)
    return d, l_ref, dl, gamma


def _lm_newton(z, f, g, h, gtol, max_iter=300):
    """Levenberg–Marquardt-damped Newton with the closed-form Hessian; the gauge direction
    1 (softmax shift) is projected out.  Returns (z, converged to ``gtol``)."""
    z = np.array(z, dtype=float)
    fz, mu = f(z), 1e-3
    eye = np.eye(z.size)
    for _ in range(max_iter):
        gz = g(z)
        if np.max(np.abs(gz)) <= gtol:
            return z, True
        H = h(z)
        mu_eff = mu * (1.0 + np.abs(np.diag(H)).max())
        try:
            L = np.linalg.cholesky(H + mu_eff * eye)
        except np.linalg.LinAlgError:
            mu *= 10
            continue
        step = -np.linalg.solve(L.T, np.linalg.solve(L, gz))
        step -= step.mean()
        zn = z + step
        fn = f(zn)
        if fn <= fz + 1e-14 * max(1.0, abs(fz)):
            z, fz, mu = zn - zn.max(), fn, max(mu / 10, 1e-15)
        else:
            mu *= 10
            if mu > 1e12:
                break
    return z, bool(np.max(np.abs(g(z))) <= gtol)


def _newton_polish(z, f, g, h, steps=8):
    for _ in range(steps):
        gz = g(z)
        if np.max(np.abs(gz)) < 1e-14:
            break
        step = np.linalg.lstsq(h(z), -gz, rcond=1e-10)[0]  # drop the gauge direction 1
        t, f0 = 1.0, f(z)
        while t > 1e-6 and not f(z + t * step) <= f0 + 1e-14 * max(1.0, abs(f0)):
            t /= 2
        if t <= 1e-6:
            break
        z = z + t * step
    return z


def minimise(d: Any, pi_ref_s: Any, dlt: np.ndarray, gamma: float, z0: np.ndarray | None = None,
             backend: str = "numpy", device: str = "cpu", gtol: float = 1e-12, scale: float = 1.0) -> Fit:
    """argmin over softmax logits of ``scale``·L(π; d) (WSPO-2/4): BFGS (gradient tolerance
    ``gtol``) then Newton polish.  ``z0`` defaults to the teacher logits ℓ_ref + δ/γ."""
    scale = check_real("scale", scale, low=0.0, low_open=True)
    gtol = check_real("gtol", gtol, low=0.0, low_open=True)
    backend = check_backend(backend)
    d, l_ref, dl, gamma = _prepare(d, pi_ref_s, np.asarray(dlt, dtype=float), gamma)
    if z0 is None:
        with np.errstate(divide="ignore"):
            z0 = np.log(np.maximum(np.asarray(pi_ref_s, dtype=float), 1e-300)) + np.where(
                np.isfinite(dlt), dlt, -700.0) / gamma
        z0 = np.maximum(z0 - z0.max(), -700.0)
    z0 = _logits(z0, "z0", d.size)
    if not np.all(np.isfinite(z0)):
        raise InvalidParameter("z0", "<array>", f"finite starting logits of length V={d.size}")
    if backend == "torch":
        z = _minimise_torch(d, l_ref, dl, gamma, z0, check_device(device), gtol, scale)
    else:  # numpy reference (numba: no loop dominates this family; the reference is used)
        f = lambda z: scale * _loss(z, d, l_ref, dl, gamma)  # noqa: E731
        g = lambda z: scale * _grad(z, d, l_ref, dl, gamma)  # noqa: E731
        h = lambda z: scale * _hessian(z, d, l_ref, dl, gamma)  # noqa: E731
        z, ok = _lm_newton(z0, f, g, h, gtol)
        if not ok:  # fall back to BFGS, then polish
            r = _sp_minimize(f, z, jac=g, method="BFGS", options={"gtol": gtol, "maxiter": 5000})
            z = _newton_polish(r.x, f, g, h)
    z = z - z.max()
    return Fit(z, np.exp(_log_softmax(z)), _loss(z, d, l_ref, dl, gamma),
               float(np.max(np.abs(_grad(z, d, l_ref, dl, gamma)))))


@tiny
def _minimise_torch(d, l_ref, dl, gamma, z0, device, gtol, scale=1.0):
    """Levenberg–Marquardt-damped Newton with autograd gradient and Hessian (torch,
    float64, any device); the gauge direction 1 is removed by centring the logits."""
    import torch

    t = lambda a: torch.as_tensor(a, dtype=torch.float64, device=device)  # noqa: E731
    D, L, DL = t(d), t(l_ref), t(dl)
    eye = torch.eye(len(d), dtype=torch.float64, device=device)

    def f(zz):
        e = gamma * (torch.log_softmax(zz, -1) - L) - DL
        return scale * torch.sum(D * e * e)

    z, mu = t(z0).clone(), 1e-3
    fz = float(f(z))
    for _ in range(500):
        zr = z.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(zr), zr)
        if float(g.abs().max()) <= gtol:
            break
        H = torch.autograd.functional.hessian(f, z)
        while True:
            chol, info = torch.linalg.cholesky_ex(H + mu * eye)
            if int(info) == 0:
                break
            mu *= 10
        step = torch.cholesky_solve(-g.unsqueeze(1), chol).squeeze(1)
        step = step - step.mean()
        zn = z + step
        fn = float(f(zn))
        if fn <= fz + 1e-14 * max(1.0, abs(fz)):
            z, fz, mu = zn - zn.max(), fn, max(mu / 10, 1e-15)
        else:
            mu *= 10
            if mu > 1e12:
                break
    return z.cpu().numpy()


def tv(p: np.ndarray, q: np.ndarray) -> float:
    """Total variation ½Σ|p − q| of two probability vectors."""
    p, q = _pair(p, q)
    return 0.5 * float(np.sum(np.abs(p - q)))


def kl(p: np.ndarray, q: np.ndarray) -> float:
    """KL(p‖q) with 0·log 0 = 0 (+∞ when q = 0 < p)."""
    p, q = _pair(p, q)
    m = p > 0
    return float(np.sum(p[m] * (np.log(p[m]) - np.log(q[m]))))


def on_policy(pi_ref_s: np.ndarray, dlt: np.ndarray, gamma: float, iters: int = 200, n: int | None = None,
              rng: np.random.Generator | None = None, backend: str = "numpy",
              device: str = "cpu") -> tuple[np.ndarray, list[np.ndarray]]:
    """On-policy refitting (WSPO-5): d₀ = π_ref^s, then d ← current fit and π ← argmin L(·; d).
    With ``n`` the data are n tokens sampled from the current fit (``rng`` required);
    otherwise the population d = π is used.  Returns the final policy and the path."""
    iters = check_int("iters", iters, 1)
    gamma = check_gamma(gamma)
    pi = check_prob_vector("pi_ref_s", pi_ref_s)
    with np.errstate(divide="ignore"):
        z = np.maximum(np.log(pi), -700.0)  # start at π_ref^s, not at the tilt
    path = [pi]
    if n is not None:
        n = check_int("n", n, 1)
        if rng is None:
            raise InvalidParameter("rng", rng, "a numpy Generator when n is given (every draw is seeded)")
    for _ in range(iters):
        d = pi if n is None else rng.multinomial(n, pi) / n
        fit = minimise(d, pi_ref_s, dlt, gamma, z0=z, backend=backend, device=device)
        z, pi = fit.z, fit.pi
        path.append(pi)
    return pi, path


def minimise_batch(D: np.ndarray, pi_ref_s: Any, dlt: np.ndarray, gamma: float, z0: np.ndarray,
                   gtol: float = 1e-12, max_iter: int = 50) -> np.ndarray:
    """Many one-state problems sharing (π_ref^s, δ, γ), one data row of ``D`` each (e.g.
    bootstrap/empirical frequencies), solved by vectorised damped Newton from the shared
    warm start ``z0``; rows that do not reach ``gtol`` fall back to :func:`minimise`.
    Returns the policies (R × V)."""
    gamma = check_gamma(gamma)
    max_iter = check_int("max_iter", max_iter, 1)
    D = np.asarray(D, dtype=float)
    if D.ndim != 2 or D.shape[0] < 1:
        raise InvalidParameter("D", "<array>", "a 2-d array of probability rows")
    z0 = _logits(z0, "z0", D.shape[1])
    for i in range(D.shape[0]):
        _prepare(D[i], pi_ref_s, np.asarray(dlt, dtype=float), gamma)
    a = np.asarray(pi_ref_s, dtype=float)
    with np.errstate(divide="ignore"):
        l_ref = np.where(a > 0, np.log(np.where(a > 0, a, 1.0)), 0.0)
    dl = np.where(np.isfinite(dlt), dlt, 0.0)
    R, V = D.shape
    Z = np.tile(np.asarray(z0, dtype=float), (R, 1))
    eye = np.eye(V)

    def parts(Z):
        LP = _log_softmax(Z)
        P = np.exp(LP)
        E = np.where(D > 0, gamma * (LP - l_ref) - dl, 0.0)
        DE = D * E
        S = DE.sum(1, keepdims=True)
        return P, E, DE, S

    def loss_rows(Z):
        _, E, _, _ = parts(Z)
        return np.sum(D * E * E, axis=1)

    for _ in range(max_iter):
        P, E, DE, S = parts(Z)
        G = 2 * gamma * (DE - P * S)
        if np.max(np.abs(G)) <= gtol:
            break
        J = gamma * (eye[None] - P[:, None, :])  # J[r, a, b] = γ(1[a=b] − π_b)
        H = 2 * np.einsum("rab,ra,rac->rbc", J, D, J) - 2 * gamma * S[:, :, None] * (
            P[:, :, None] * eye[None] - P[:, :, None] * P[:, None, :])
        H += 1e-12 * eye[None] + np.ones((V, V))[None] / V  # fix the gauge direction 1
        step = -np.linalg.solve(H, G[..., None])[..., 0]
        f0 = loss_rows(Z)
        t = np.ones(R)
        for _ in range(30):  # per-row backtracking
            bad = loss_rows(Z + t[:, None] * step) > f0 + 1e-14 * np.maximum(1.0, np.abs(f0))
            if not bad.any():
                break
            t = np.where(bad, t / 2, t)
        Z = Z + t[:, None] * step
        Z -= Z.max(1, keepdims=True)
    P, E, DE, S = parts(Z)
    G = np.max(np.abs(2 * gamma * (DE - P * S)), axis=1)
    out = np.exp(_log_softmax(Z))
    for i in np.flatnonzero(G > max(gtol, 1e-10)):
        out[i] = minimise(D[i], a, dlt, gamma, z0=Z[i]).pi
    return out

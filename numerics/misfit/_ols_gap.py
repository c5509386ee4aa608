"""Monte Carlo of the ERM gap law (spec misfit.md MISFIT-6, canonical design).

φ = h_s(x) ~ N(0, I_p), F* = φᵀa*, Y = φᵀb + s·ξ with ξ ~ N(0,1) unseen by h_s, so f_sw = φᵀb.
The OLS student f̂ = φᵀâ fitted on n weak-labelled points has population gap
``gap_n = ‖b−a*‖² − ‖â−b‖² − ‖â−a*‖² = −2(â−a*)ᵀ(â−b)`` and E gap_n = −2s²p/(n−p−1).

Samplers (all return an array of ``reps`` gaps):
* :func:`gap_samples_direct` — numpy reference: draw Φ (n×p) and ξ, solve OLS.
* :func:`gap_samples_numba` — the same simulation in a numba kernel (loops).
* :func:`gap_samples_torch` — the same simulation in torch (device-agnostic).
* :func:`gap_samples_bartlett` — exact in law and O(p³) per draw: given Φ, â − b = s(ΦᵀΦ)⁻¹Φᵀξ
  has the law of s·L⁻ᵀg with LLᵀ ~ Wishart(n, I_p) (Bartlett) and g ~ N(0, I_p).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .._backends import check_device
from .._validate import InvalidParameter, check_int, check_real


def _check(n: int, p: int, reps: int, s: float) -> tuple[int, int, int, float]:
    p = check_int("p", p, 1)
    n = check_int("n", n, p + 2)
    reps = check_int("reps", reps, 1)
    s = check_real("s", s, 0.0, None)
    return n, p, reps, s


def expected_gap(n: int, p: int, s: float) -> float:
    """E gap_n = −2s²p/(n−p−1) for n > p+1 (inverse-Wishart mean)."""
    n, p, _, s = _check(n, p, 1, s)
    return -2.0 * s * s * p / (n - p - 1)


def _gaps(ahat_minus_b: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """gap = −2(â−a*)ᵀ(â−b) with â − a* = (â − b) + (b − a*), delta = b − a*."""
    e = ahat_minus_b
    return -2.0 * np.einsum("ri,ri->r", e + delta[None], e)


def _check_delta(delta, p: int) -> np.ndarray:
    d = np.asarray(delta, float)
    if d.shape != (p,) or not np.all(np.isfinite(d)):
        raise InvalidParameter("delta", "<array>", f"a finite vector b − a* of length p={p}")
    return d


def gap_samples_direct(rng: np.random.Generator, n: int, p: int, reps: int, s: float,
                       delta: np.ndarray, chunk: int = 256) -> np.ndarray:
    """numpy reference: simulate the design and fit OLS on each of ``reps`` samples."""
    n, p, reps, s = _check(n, p, reps, s)
    delta = _check_delta(delta, p)
    chunk = check_int("chunk", chunk, 1)
    out = np.empty(reps)
    for i in range(0, reps, chunk):
        r = min(chunk, reps - i)
        phi = rng.standard_normal((r, n, p))
        xi = rng.standard_normal((r, n, 1)) * s
        e = np.linalg.solve(np.einsum("rni,rnj->rij", phi, phi), np.einsum("rni,rnk->rik", phi, xi))[..., 0]
        out[i:i + r] = _gaps(e, delta)
    return out


@njit(cache=True)
def _direct_nb(phi_all, xi_all, delta):  # pragma: no cover - compiled
    reps, n, p = phi_all.shape
    out = np.empty(reps)
    for r in range(reps):
        G = np.zeros((p, p))
        v = np.zeros(p)
        for k in range(n):
            for i in range(p):
                v[i] += phi_all[r, k, i] * xi_all[r, k]
                for j in range(p):
                    G[i, j] += phi_all[r, k, i] * phi_all[r, k, j]
        e = np.linalg.solve(G, v)
        acc = 0.0
        for i in range(p):
            acc += (e[i] + delta[i]) * e[i]
        out[r] = -2.0 * acc
    return out


def gap_samples_numba(rng: np.random.Generator, n: int, p: int, reps: int, s: float,
                      delta: np.ndarray, chunk: int = 256) -> np.ndarray:
    """The direct simulation with the Gram/solve loop in a numba kernel."""
    n, p, reps, s = _check(n, p, reps, s)
    delta = _check_delta(delta, p)
    chunk = check_int("chunk", chunk, 1)
    out = np.empty(reps)
    for i in range(0, reps, chunk):
        r = min(chunk, reps - i)
        phi = rng.standard_normal((r, n, p))
        xi = rng.standard_normal((r, n)) * s
        out[i:i + r] = _direct_nb(phi, xi, delta)
    return out


def gap_samples_torch(generator, n: int, p: int, reps: int, s: float, delta: np.ndarray,
                      device: str = "cpu", chunk: int = 256) -> np.ndarray:
    """The direct simulation in torch (float64) on ``device``; ``generator`` is a
    ``torch.Generator`` on that device (see :func:`numerics.torch_generator`)."""
    import torch

    n, p, reps, s = _check(n, p, reps, s)
    chunk = check_int("chunk", chunk, 1)
    device = check_device(device)
    d = torch.as_tensor(_check_delta(delta, p), dtype=torch.float64, device=device)
    outs = []
    for i in range(0, reps, chunk):
        r = min(chunk, reps - i)
        phi = torch.randn((r, n, p), generator=generator, dtype=torch.float64, device=device)
        xi = torch.randn((r, n, 1), generator=generator, dtype=torch.float64, device=device) * s
        e = torch.linalg.solve(phi.transpose(1, 2) @ phi, phi.transpose(1, 2) @ xi)[..., 0]
        outs.append((-2.0 * ((e + d) * e).sum(-1)).cpu().numpy())
    return np.concatenate(outs)


def gap_samples_bartlett(rng: np.random.Generator, n: int, p: int, reps: int, s: float,
                         delta: np.ndarray) -> np.ndarray:
    """Exact-in-law sampler: â − b = s·L⁻ᵀg with L the Bartlett factor of Wishart(n, I_p)."""
    n, p, reps, s = _check(n, p, reps, s)
    delta = _check_delta(delta, p)
    L = np.zeros((reps, p, p))
    idx = np.arange(p)
    L[:, idx, idx] = np.sqrt(rng.chisquare(n - idx, size=(reps, p)))
    tri = np.tril_indices(p, -1)
    L[:, tri[0], tri[1]] = rng.standard_normal((reps, tri[0].size))
    g = rng.standard_normal((reps, p, 1))
    e = np.linalg.solve(np.transpose(L, (0, 2, 1)), g)[..., 0] * s
    return _gaps(e, delta)

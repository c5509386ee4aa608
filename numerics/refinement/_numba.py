"""numba kernels for the REFINE estimators: the per-replication loops (simplex projection,
ridge-to-prior solves over a λ grid, ICL log-posterior).  Must agree with :mod:`._reference`."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def project_simplex(X: np.ndarray) -> np.ndarray:
    """Row-wise Euclidean projection onto the probability simplex (sorting method)."""
    R, K = X.shape
    out = np.empty_like(X)
    for r in range(R):
        u = np.sort(X[r])[::-1]
        css = 0.0
        tau = 0.0
        for j in range(K):
            css += u[j]
            t = (css - 1.0) / (j + 1)
            if u[j] - t > 0:
                tau = t
        for j in range(K):
            v = X[r, j] - tau
            out[r, j] = v if v > 0 else 0.0
    return out


@njit(cache=True)
def posterior_from_draws(phi: np.ndarray, y: np.ndarray, log_alpha: np.ndarray, sigma: float) -> np.ndarray:
    """π_k ∝ α_k Π_i N(y_i; φ_ik, σ²) per replication; phi (R, m, K), y (R, m)."""
    R, m, K = phi.shape
    out = np.empty((R, K))
    c = 1.0 / (2.0 * sigma * sigma)
    for r in range(R):
        mx = -np.inf
        for k in range(K):
            acc = 0.0
            for i in range(m):
                e = y[r, i] - phi[r, i, k]
                acc += e * e
            v = log_alpha[k] - c * acc
            out[r, k] = v
            if v > mx:
                mx = v
        tot = 0.0
        for k in range(K):
            out[r, k] = np.exp(out[r, k] - mx)
            tot += out[r, k]
        for k in range(K):
            out[r, k] /= tot
    return out


@njit(cache=True)
def ridge_to_prior(Phi: np.ndarray, y: np.ndarray, lams: np.ndarray, beta_p: np.ndarray,
                   beta_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Risks ‖β̂_λ − β_t‖² (R, L) and the OLS coordinates h = ΦᵀY/n (R, d) per replication."""
    R, n, d = Phi.shape
    L = lams.size
    risks = np.empty((R, L))
    hs = np.empty((R, d))
    for r in range(R):
        G = Phi[r].T @ Phi[r] / n
        h = Phi[r].T @ y[r] / n
        hs[r] = h
        for j in range(L):
            A = G + lams[j] * np.eye(d)
            b = np.linalg.solve(A, h + lams[j] * beta_p)
            acc = 0.0
            for i in range(d):
                acc += (b[i] - beta_t[i]) ** 2
            risks[r, j] = acc
    return risks, hs

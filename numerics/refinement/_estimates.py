"""Estimators of REFINE quantities from simulation output (no SymPy): the fresh-S population risk
R(π̄) with a bias correction and delta-method standard error, and the exponential-decay slope fit."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .._validate import InvalidParameter, check_array, check_real
from ._model import check_pi


def population_risk(pi: np.ndarray) -> tuple[float, float]:
    """R(π̄) = ‖π̄ − e_1‖² for the fresh-S limit b = Σ π̄_k β_k (REFINE-10/11), from posterior draws
    ``pi`` (reps, K): the plug-in minus tr Cov(π̂̄) (unbiased), and its delta-method standard error."""
    pi = check_pi(pi)
    if pi.ndim != 2 or pi.shape[0] < 2:
        raise InvalidParameter("pi", "<array>", "a (reps >= 2, K) array of posterior rows")
    R, K = pi.shape
    pbar = pi.mean(0)
    e1 = np.zeros(K)
    e1[0] = 1.0
    cov = np.cov(pi.T) / R
    est = float(((pbar - e1) ** 2).sum() - np.trace(cov))
    se = math.sqrt(max(float(4 * (pbar - e1) @ cov @ (pbar - e1)), 0.0))
    return est, se


def exp_slope_fit(ms: np.ndarray, y: np.ndarray, se: np.ndarray, confidence: float = 0.99) -> tuple[float, float, float]:
    """Weighted fit of log E M + ½ log m = b0 + b·m + a/m (the Bahadur–Rao form c·m^{−1/2}ρ^m(1 + a/m) of a
    large-deviation probability); returns (b, low, high), a normal CI at ``confidence`` inflated by the
    Birge ratio when χ²/dof > 1.  The slope b estimates log ρ."""
    ms = check_array("ms", ms, ndim=1, min_size=4)
    if np.any(ms <= 0) or np.unique(ms).size < 3:
        raise InvalidParameter("ms", "<array>", "at least 4 sizes m > 0, 3 of them distinct (3 fitted coefficients)")
    y, se = check_array("y", y, shape=ms.shape), check_array("se", se, shape=ms.shape)
    if np.any(y <= 0):
        raise InvalidParameter("y", "<array>", "values > 0 (the fit is in log y)")
    if np.any(se <= 0):
        raise InvalidParameter("se", "<array>", "standard errors > 0")
    confidence = check_real("confidence", confidence, 0.0, 1.0, low_open=True, high_open=True)
    Y = np.log(y) + 0.5 * np.log(ms)
    w = (y / se) ** 2
    X = np.stack([np.ones_like(ms), ms, 1.0 / ms], axis=1)
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    b = cov @ X.T @ (w * Y)
    chi2 = float(((Y - X @ b) ** 2 * w).sum())
    birge = max(1.0, math.sqrt(chi2 / max(len(ms) - 3, 1)))
    half = float(stats.norm.isf((1 - confidence) / 2)) * math.sqrt(cov[1, 1]) * birge
    return float(b[1]), float(b[1] - half), float(b[1] + half)

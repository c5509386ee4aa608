"""Reduced exact simulator of one neuron's overlap (spec sgd_dynamics.md §2.5, "Reduced exact simulator").

For a label that depends on x only through z = <θ,x>, the overlap ρ = <w,θ> of one neuron
under spherical online SGD (batch 1, correlation loss, a = +1) is a Markov chain: with
x_θ, ξ ~ N(0,1) and χ² ~ χ²_{d-2} (the rest of x), pre = ρ x_θ + √(1-ρ²) ξ,
g = η y(x_θ) σ'(pre), and
    ρ' = (ρ + g (x_θ - pre ρ)) / √(1 + g² (x_θ² + ξ² + χ² - pre²)).
This is exact in distribution at O(1) cost per step, so d up to 1e6 is cheap.  The draws
come from ``numerics.rng(seed, "sgd-reduced", tags...)``.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._backends import rng as _rng
from .._validate import InvalidParameter, check_int, check_real
from .sim_common import hermite_coeffs, hermite_derivative
from .sim_numba import _herm


@njit(cache=True)
def _chain(rho, eta, alpha, dbeta, centre, square, Z, chi, target, use_abs):
    """Advance ρ through the draws; return (ρ, steps used, hit) where hit means ρ >= target."""
    n = Z.shape[0]
    for t in range(n):
        xt = Z[t, 0]
        xi = Z[t, 1]
        s = math.sqrt(max(0.0, 1.0 - rho * rho))
        pre = rho * xt + s * xi
        f = _herm(alpha, xt)
        if square:
            f = f * f
        g = eta * (f - centre) * _herm(dbeta, pre)
        num = rho + g * (xt - pre * rho)
        nrm2 = 1.0 + g * g * (xt * xt + xi * xi + chi[t] - pre * pre)
        rho = num / math.sqrt(nrm2)
        if (abs(rho) if use_abs else rho) >= target:
            return rho, t + 1, True
    return rho, n, False


def _plan(d, eta, alpha, beta, transform):
    check_int("d", d, 3)
    check_real("eta", eta, 0.0, None, low_open=True)
    if transform not in ("id", "square"):
        raise InvalidParameter("transform", transform, "one of id, square")
    a = hermite_coeffs("alpha", alpha)
    b = hermite_coeffs("beta", beta)
    square = transform == "square"
    centre = float(np.sum(a**2)) if square else float(a[0])
    return a, hermite_derivative(b), centre, square


def hitting_steps(d: int, eta: float, rho0: float, alpha, beta, seed: int, runs: int, target: float = 0.5,
                  max_steps: int = 10**8, transform: str = "id", tag: str = "", use_abs: bool = False,
                  block: int = 1 << 16) -> np.ndarray:
    """Steps until ρ >= target (|ρ| if ``use_abs``) for ``runs`` independent runs; ``inf`` if not hit by
    ``max_steps``."""
    a, db, centre, square = _plan(d, eta, alpha, beta, transform)
    check_real("rho0", rho0, -1.0, 1.0)
    check_real("target", target, -1.0, 1.0)
    check_int("runs", runs, 1)
    max_steps, block = check_int("max_steps", max_steps, 1), check_int("block", block, 1)
    check_int("seed", seed, 0)
    out = np.full(runs, np.inf)
    for r in range(runs):
        g = _rng(seed, "sgd-reduced", tag, d, r)
        rho, used = float(rho0), 0
        while used < max_steps:
            n = int(min(block, max_steps - used))
            Z = g.standard_normal((n, 2))
            chi = g.chisquare(d - 2, n)
            rho, k, hit = _chain(rho, eta, a, db, centre, square, Z, chi, target, use_abs)
            used += k
            if hit:
                out[r] = used
                break
    return out


def overlap_at(d: int, eta: float, rho0: float, n_steps: int, alpha, beta, seed: int, runs: int,
               transform: str = "id", tag: str = "") -> np.ndarray:
    """ρ after ``n_steps`` steps for ``runs`` independent runs."""
    a, db, centre, square = _plan(d, eta, alpha, beta, transform)
    check_real("rho0", rho0, -1.0, 1.0)
    check_int("n_steps", n_steps, 0)
    check_int("runs", runs, 1)
    check_int("seed", seed, 0)
    out = np.empty(runs)
    for r in range(runs):
        g = _rng(seed, "sgd-reduced", tag, d, r)
        Z = g.standard_normal((n_steps, 2))
        chi = g.chisquare(d - 2, n_steps)
        out[r] = _chain(float(rho0), eta, a, db, centre, square, Z, chi, 2.0, False)[0]
    return out

"""Population dynamics of the pure-exponent correlation loss (λ = 1; Awano & Suzuki, arXiv
2605.12908; spec sgd_dynamics.md §2.2 (E3), (E5), (E7), (E8), §3.1 (E12)): ρ(t), escape times,
forgetting F and the matched-horizon quantities."""
from __future__ import annotations

import math

from scipy.optimize import brentq

from ._shared import RHO_STAR


def G(p: int, x: float) -> float:
    """G_p of (E7)."""
    if p % 2:
        return math.atanh(x) - sum(x ** -(2 * j - 1) / (2 * j - 1) for j in range(1, (p - 1) // 2 + 1))
    return math.log(x) - 0.5 * math.log1p(-x * x) - sum(x ** (-2 * j) / (2 * j) for j in range(1, (p - 2) // 2 + 1))


def evolve(p: int, rho0: float, t: float) -> float:
    """ρ(t) of (E3) with aφ = ρ^p (λ = 1), ρ0 ∈ [0, 1), by inverting (E7)."""
    if p == 1:
        return math.tanh(t + math.atanh(rho0))
    if rho0 == 0.0:
        return 0.0
    target, hi = G(p, rho0) + p * t, 1 - 1e-15
    if target >= G(p, hi):
        return hi
    return brentq(lambda x: G(p, x) - target, rho0, hi, xtol=1e-15, rtol=1e-15)


def t_escape(p: int, rho0: float, level: float = RHO_STAR) -> float:
    """Time from ρ0 to ``level`` (E8)."""
    return (G(p, level) - G(p, rho0)) / p


def forgetting(rho0: float, rho: float) -> float:
    """F = sin²(ψ0 − ψ) (E5)."""
    return math.sin(math.acos(max(-1.0, min(1.0, rho0))) - math.acos(max(-1.0, min(1.0, rho)))) ** 2


def f_matched(p: int, m0: float, rho_k: float) -> float:
    """§3.1: F of an off-target neuron at ρ_k after the horizon t_W taken by a probe from m0 to ρ*."""
    return forgetting(rho_k, evolve(p, rho_k, t_escape(p, m0)))


def k_factor(m0: float) -> float:
    """K of (E12): K² = [ρ*²/(1−ρ*²)] / [m0²/(1−m0²)]."""
    return math.sqrt((RHO_STAR**2 / (1 - RHO_STAR**2)) / (m0**2 / (1 - m0**2)))

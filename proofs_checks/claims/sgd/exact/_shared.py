"""Helpers shared by several SGD tier-A claims: the Awano & Suzuki citation, the false-alarm
rate and z-test of the Monte Carlo checks, and pure/random correlation functions φ (spec
sgd_dynamics.md §1.1, φ(ρ) = Σ α_iβ_iρ^i)."""
from __future__ import annotations

import numpy as np

from numerics import CHECK_FALSE_ALARM, z_two_sided

from ...._claim import Citation, Outcome
from ..._common import AWANO


FALSE_ALARM = CHECK_FALSE_ALARM   # the checks themselves use ctx.false_alarm (the suite budget per check)


def awano(where: str, spec: str) -> Citation:
    return Citation(AWANO, "2605.12908", where, spec)


def outcome_all(parts: list[tuple[bool, str]], figure=None, data=None) -> Outcome:
    """One Outcome that passes when every (ok, detail) part does; details joined by '; '."""
    ok = all(p for p, _ in parts)
    return Outcome(ok, "; ".join(d for _, d in parts), figure, data or {})


def zcheck(est: np.ndarray, se: np.ndarray, target: np.ndarray, n_tests: int,
           false_alarm: float) -> tuple[bool, float, float]:
    """|est − target| <= z·se with z from ``false_alarm`` (the check's α, Bonferroni over n_tests);
    zero-variance entries must match to 1e-12.  Returns (ok, max |z|, z threshold)."""
    z = z_two_sided(false_alarm, n_tests)
    est, se, target = (np.asarray(x, float) for x in (est, se, target))
    diff = np.abs(est - target)
    exact = se <= 1e-15
    ok = bool(np.all(diff[~exact] <= z * se[~exact]) and np.all(diff[exact] <= 1e-12))
    zs = np.where(exact, 0.0, diff / np.where(exact, 1.0, se))
    return ok, float(zs.max()), z


def pure_phi(p: int, s: float = 1.0) -> np.ndarray:
    """Coefficients of the pure correlation function φ = s·ρ^p."""
    c = np.zeros(p + 1)
    c[p] = s
    return c


def random_phi(r: np.random.Generator, deg: int = 6, scale: float = 1.0) -> np.ndarray:
    """Random polynomial φ: degree ``deg``, N(0, scale²) coefficients drawn from ``r``."""
    return r.normal(0, scale, deg + 1)

"""Closed forms of the single-neuron overlap flow for a pure exponent (spec §2.2–§3.1).

Flow (E3) with aφ(ρ) = sλρ^p + const (λ > 0, s = ±1):  dρ/dt = s·pλ·ρ^{p−1}(1−ρ²).
(E7): G_p(ρ(t)) − G_p(ρ_0) = s·pλt with G_p = ∫ρ^{1−p}/(1−ρ²)dρ.

Evaluation uses the substitution ρ = tanh v, in which G_p is smooth and free of
cancellation:  p odd: G = v − Σ_{j=1}^{(p−1)/2} coth(v)^{2j−1}/(2j−1);
p even: G = ln sinh|v| − Σ_{j=1}^{(p−2)/2} coth(v)^{2j}/(2j).  Angles: cos ψ = tanh v,
sin ψ = sech v, so F = sin²(ψ_0 − ψ) = (sech v_0 tanh v − tanh v_0 sech v)² (E5).
High-precision values use mpmath (``dps`` digits); this is the "exact integral" of the spec.
"""
from __future__ import annotations

import mpmath as mp
import sympy as sp

RHO = sp.Symbol("rho", real=True)
RHO_STAR = sp.Rational(9, 10)  # spec: probe target ρ* = 0.9 and escape level ρ_e = 0.9


def _check_p(p: int, high: int = 12) -> int:
    if isinstance(p, bool) or not isinstance(p, int) or not 1 <= p <= high:
        raise ValueError(f"parameter p={p!r} is invalid: allowed an integer in [1, {high}]")
    return p


def _check_rho(name: str, rho, open_: bool = True) -> None:
    if not (-1 < float(rho) < 1) if open_ else not (-1 <= float(rho) <= 1):
        raise ValueError(f"parameter {name}={rho!r} is invalid: allowed a real in "
                         + ("(-1, 1)" if open_ else "[-1, 1]"))


# ---------------------------------------------------------------- symbolic (E7)

def G_expr(p: int, rho: sp.Symbol = RHO) -> sp.Expr:
    """G_p(ρ) as written in spec (E7), for 0 < ρ < 1."""
    _check_p(p)
    if p % 2:
        return sp.atanh(rho) - sum(rho ** (-(2 * j - 1)) / (2 * j - 1) for j in range(1, (p - 1) // 2 + 1))
    return (sp.log(rho) - sp.log(1 - rho**2) / 2
            - sum(rho ** (-2 * j) / (2 * j) for j in range(1, (p - 2) // 2 + 1)))


def G_integrand(p: int, rho: sp.Symbol = RHO) -> sp.Expr:
    return rho ** (1 - p) / (1 - rho**2)


# ---------------------------------------------------------------- mpmath evaluation

def G_v(p: int, v):
    """G_p(tanh v) (mpmath), valid for v ≠ 0 (any v for p = 1)."""
    if p == 1:
        return mp.mpf(v)
    c = mp.coth(v)
    if p % 2:
        return v - mp.fsum(c ** (2 * j - 1) / (2 * j - 1) for j in range(1, (p - 1) // 2 + 1))
    return mp.log(mp.sinh(abs(v))) - mp.fsum(c ** (2 * j) / (2 * j) for j in range(1, (p - 2) // 2 + 1))


def _dG_v(p: int, v):
    """d/dv G_p(tanh v) = tanh(v)^{1−p}."""
    return mp.tanh(v) ** (1 - p)


def _solve_v_positive(p: int, target, v_guess):
    """The v > 0 with G_p(tanh v) = target (G_p increasing on v > 0 for p ≥ 2)."""
    lo = hi = mp.mpf(v_guess)
    while G_v(p, lo) > target:
        lo /= 2
    while G_v(p, hi) < target:
        hi *= 2
    v = (lo + hi) / 2
    tol = mp.mpf(10) ** (-(mp.mp.dps - 5))
    for _ in range(400):
        f = G_v(p, v) - target
        if f > 0:
            hi = v
        else:
            lo = v
        step = f / _dG_v(p, v)
        vn = v - step
        if not (lo < vn < hi):
            vn = (lo + hi) / 2
        if abs(vn - v) <= tol * max(1, abs(v)):
            return vn
        v = vn
    return v


def flow_v(p: int, rho0, lam_t, s: int = 1, dps: int = 30):
    """v(t) = artanh ρ(t) for dρ/dt = s·pλρ^{p−1}(1−ρ²), from ρ_0, at λt = ``lam_t``
    (the exact integral (E7); λ-free in λt)."""
    _check_p(p)
    _check_rho("rho0", rho0)
    if s not in (1, -1):
        raise ValueError(f"parameter s={s!r} is invalid: allowed +1 or -1")
    with mp.workdps(dps):
        r0 = mp.mpf(rho0)
        v0 = mp.atanh(r0)
        if p == 1:
            return +(v0 + s * lam_t)
        if r0 == 0:
            return mp.mpf(0)
        sign = 1 if r0 > 0 else -1
        s_eff = s if (sign > 0 or p % 2 == 0) else -s
        target = G_v(p, abs(v0)) + s_eff * p * mp.mpf(lam_t)
        if p == 2:  # G_2 = ln sinh v: explicit inverse (also for the super-exponential decay)
            return +(sign * mp.asinh(mp.exp(target)))
        return +(sign * _solve_v_positive(p, target, abs(v0)))


def rho_at(p: int, rho0, lam_t, s: int = 1, dps: int = 30):
    """ρ(t) of the pure-exponent flow (mpmath)."""
    with mp.workdps(dps):
        return +mp.tanh(flow_v(p, rho0, lam_t, s, dps))


def forgetting_v(v0, v):
    """F = 1 − q² = sin²(ψ_0 − ψ) (E5) in the v-parametrisation."""
    return (mp.sech(v0) * mp.tanh(v) - mp.tanh(v0) * mp.sech(v)) ** 2


def retention_v(v0, v):
    """q = cos(ψ_0 − ψ) (E5)."""
    return mp.tanh(v0) * mp.tanh(v) + mp.sech(v0) * mp.sech(v)


def forgetting_at(p: int, rho0, lam_t, s: int = 1, dps: int = 30):
    """F(t) for a neuron started at ρ_0 (pure exponent p, sign s)."""
    with mp.workdps(dps):
        v0 = mp.atanh(mp.mpf(rho0))
        return +forgetting_v(v0, flow_v(p, rho0, lam_t, s, dps))


def escape_time(p: int, rho0, lam=1, rho_e=RHO_STAR, dps: int = 30):
    """(E8): t_c = [G_p(ρ_e) − G_p(ρ_0)]/(pλ) for 0 < ρ_0 < ρ_e."""
    _check_p(p)
    if not 0 < float(rho0) < float(rho_e) < 1:
        raise ValueError(f"parameter rho0={rho0!r} is invalid: allowed a real in (0, rho_e={float(rho_e)})")
    with mp.workdps(dps):
        ve, v0 = mp.atanh(mp.mpf(sp.N(rho_e, dps + 5))), mp.atanh(mp.mpf(rho0))
        return +((G_v(p, ve) - G_v(p, v0)) / (p * mp.mpf(lam)))


def escape_ratio(p: int, rho0, rho_e=RHO_STAR, dps: int = 30, t=None):
    """t_c / asymptote: ρ_0^{p−2}p(p−2)λ·t_c for p ≥ 3; 2λt_c/ln(1/ρ_0) for p = 2 (E8), at λ = 1.
    ``t``: the escape time t_c (λ = 1) to use, default (E8) (a claim passes its statement's)."""
    t = escape_time(p, rho0, 1, rho_e, dps) if t is None else t
    with mp.workdps(dps):
        r0 = mp.mpf(rho0)
        if p == 2:
            return +(2 * t / mp.log(1 / r0))
        if p < 2:
            raise ValueError(f"parameter p={p!r} is invalid: allowed an integer >= 2 for the asymptote")
        return +(t * r0 ** (p - 2) * p * (p - 2))


# ---------------------------------------------------------------- (E9) asymptotic forgetting

def attracted(p: int, s: int, rho0) -> bool:
    """(E9): for p ≥ 2, ρ_0 ≠ 0 is attracted iff s·ρ_0^p > 0; for p = 1 with s > 0 every ρ_0."""
    if p == 1:
        return s > 0 or False
    return s * float(rho0) ** p > 0


def F_infinity(p: int, s: int, rho0) -> float:
    """(E9): F_∞ = 1 − ρ_0² if attracted, ρ_0² if repelled, 0 at ρ_0 = 0 (p ≥ 2).
    For p = 1: s > 0 sends ρ → 1 from every start (F_∞ = 1 − ρ_0²), s < 0 sends ρ → −1
    (also F_∞ = 1 − ρ_0²)."""
    r = float(rho0)
    if p == 1:
        return 1 - r * r
    if r == 0:
        return 0.0
    return 1 - r * r if attracted(p, s, r) else r * r


# ---------------------------------------------------------------- §3.1 matched horizon

def matched_horizon_v(p: int, m0, rho_k, rho_star=RHO_STAR, dps: int = 30):
    """v of an off-target neuron at ρ_k after the horizon t_W in which a probe target
    neuron goes from m_0 to ρ* (same pure p, a = +1); λ-free (spec §3.1)."""
    _check_p(p)
    if not 0 < float(m0) < float(rho_star) < 1:
        raise ValueError(f"parameter m0={m0!r} is invalid: allowed a real in (0, rho_star={float(rho_star)})")
    _check_rho("rho_k", rho_k)
    with mp.workdps(dps):
        vs, vm = mp.atanh(mp.mpf(sp.N(rho_star, dps + 5))), mp.atanh(mp.mpf(m0))
        pl_t = G_v(p, vs) - G_v(p, vm)  # = pλ t_W
        return flow_v(p, rho_k, pl_t / p, 1, dps)


def matched_horizon_F(p: int, m0, rho_k, rho_star=RHO_STAR, dps: int = 30):
    """F of the off-target neuron at the matched horizon (spec §3.1 table)."""
    with mp.workdps(dps):
        v0 = mp.atanh(mp.mpf(rho_k))
        return +forgetting_v(v0, matched_horizon_v(p, m0, rho_k, rho_star, dps))


# ---------------------------------------------------------------- (E12) p = 2

def e12_K2(m0, rho_star=RHO_STAR):
    """K² = [ρ*²/(1−ρ*²)]/[m_0²/(1−m_0²)] (E12)."""
    return (rho_star**2 / (1 - rho_star**2)) / (m0**2 / (1 - m0**2))


def e12_rho(rho_k, m0, rho_star=RHO_STAR):
    """(E12): ρ_k(t_W) = ρ_kK/√(1−ρ_k²+ρ_k²K²) (works for SymPy or mpmath input)."""
    K2 = e12_K2(m0, rho_star)
    sqrt = sp.sqrt if isinstance(rho_k, sp.Basic) or isinstance(m0, sp.Basic) else mp.sqrt
    K = sqrt(K2)
    return rho_k * K / sqrt(1 - rho_k**2 + rho_k**2 * K2)

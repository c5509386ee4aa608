"""WSPO-8 (wspo.md §3; Zhu et al., arXiv 2410.18640, formalises the abstract's and Fig. 3's
'amplification'): KL(π_γ‖π_ref^s) and E_{π_γ}[δ] are non-increasing in γ (increasing in 1/γ)."""
from __future__ import annotations

import numpy as np

from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._registry import register
from ..._statement import current_statement
from ._shared import DOMAIN, EPS, _instance, stmt_fn, zhu

ETAS = np.geomspace(0.2, 20.0, 12)  # η = 1/γ where the derivatives are compared with the statement


def _kl_e(a, dl, e: float) -> tuple[float, float]:
    """KL(π_η‖π_ref^s) and E_{π_η}[δ] at η = e (simulator)."""
    k, m, _ = _kl_reward(a, dl, 1.0 / e)
    return k, m


def _derivative_error(a, dl, e: float) -> float:
    """Five-point central differences in η of KL and E[δ] against the statement's η·Var and Var
    (Var from the simulator's π_η), step h = min(10⁻³η, 10⁻²/(ptp δ + 1)) (the η-scale of π_η):
    max over both of |FD − rhs| / (10⁻⁶|rhs| + rounding), rounding = 10³·eps·(|f| + 1)/h; ≤ 1 passes."""
    h = min(1e-3 * e, 1e-2 / (float(np.ptp(dl[np.isfinite(dl)])) + 1.0))
    f0 = np.abs(np.array(_kl_e(a, dl, e)))
    pts = np.array([_kl_e(a, dl, e + k * h) for k in (-2, -1, 1, 2)])
    fd = (pts[0] - 8 * pts[1] + 8 * pts[2] - pts[3]) / (12 * h)
    pg = nw.tilt(a, dl, 1.0 / e).pi
    var = float(np.sum(pg * dl**2) - np.sum(pg * dl) ** 2)
    v = "Var_{pi_eta}(delta)"
    rhs = np.array([float(stmt_fn(("eta", v), "rhs", index=0)(e, var)), float(stmt_fn((v,), "rhs", index=1)(var))])
    tol = 1e-6 * np.abs(rhs) + 1e3 * EPS * (f0 + 1.0) / h
    return float(np.max(np.abs(fd - rhs) / tol))


def _kl_reward(a, dl, gamma):
    """KL(π_γ‖π_ref^s), E_{π_γ}[δ] and π_γ itself."""
    pg, _ = nw.tilt(a, dl, gamma)
    return nw.kl(pg, a), float(np.sum(pg * dl)), pg


def _monotone_numeric(ctx) -> Outcome:
    """The statement's derivatives: five-point differences in η of KL(π_η‖π_ref^s) and E_{π_η}[δ]
    equal η·Var and Var (rel 1e-6 of the scale, at 12 η ∈ [0.2, 20]); 200-point γ grid on
    [0.05, 5]: both non-increasing in γ (finite differences ≥ −rounding); limits γ→∞ (→ π_ref^s)
    and γ→0⁺ (→ π_ref^s on argmax δ, ties weighted by π_ref^s)."""
    r = ctx.rng("wspo.amplification_monotone", "numeric")
    grid = np.geomspace(0.05, 5, 200)
    n, worst, d_err = ctx.pick(10, 100), 0.0, 0.0
    for _ in range(n):
        a, b, c, _ = _instance({"V": int(r.integers(2, 30)), "conc": float(r.choice([0.3, 1, 3])),
                                "seed": int(r.integers(2**31))})
        dl = nw.delta(b, c)
        kr = np.array([_kl_reward(a, dl, g)[:2] for g in grid])
        worst = max(worst, float(np.max(np.diff(kr, axis=0) / (np.abs(kr[:-1]) + 1e-12))))
        for e in ETAS:
            d_err = max(d_err, _derivative_error(a, dl, float(e)))
    a = np.array([0.1, 0.2, 0.3, 0.4])
    dl = np.array([1.0, 1.0, 0.5, -2.0])  # tie on tokens 0,1 at the argmax
    far = nw.tv(_kl_reward(a, dl, 1e6)[2], a)
    near = nw.tv(_kl_reward(a, dl, 1e-3)[2], np.array([1 / 3, 2 / 3, 0, 0]))
    ok = worst <= 1e-9 and far < 1e-5 and near < 1e-9 and d_err <= 1.0
    return Outcome(ok, f"{n} instances: five-point d/dη of (KL, E[δ]) vs the statement's (η·Var, Var) at 12 η ∈ "
                   f"[0.2, 20], max |FD − rhs| / (1e-6·|rhs| + 1e3·eps·(|f|+1)/h) = {d_err:.2g} (≤ 1: truncation O(h⁴) "
                   f"and rounding); 200-point γ grid: "
                   f"max relative increase of KL or E[δ] with γ {worst:.1e} "
                   f"(≤1e-9, rounding); γ=1e6: TV(π_γ, π_ref^s) {far:.1e}; γ=1e-3 with a tie: TV to π_ref^s on "
                   f"argmax δ (weights 1/3, 2/3, not uniform) {near:.1e}", ("max increase", worst))


def _monotone_margin(p) -> float:
    """KL and E[δ] at γ minus at γ·k (k = 1.5): ≥ 0 (relative, against rounding)."""
    a, b, c, _ = _instance(p)
    dl = nw.delta(b, c)
    k1, e1, _ = _kl_reward(a, dl, p["gamma"])
    k2, e2, _ = _kl_reward(a, dl, p["gamma"] * 1.5)
    return min(k1 - k2 + 1e-9 * (abs(k1) + 1e-12), e1 - e2 + 1e-9 * (abs(e1) + 1e-12))


register(Claim(
    id="wspo.amplification_monotone", spec_id="WSPO-8", title="Amplification as monotonicity of KL and reward in 1/γ",
    citation=zhu("formalises the paper's empirical 'amplification' (abstract, Fig. 3)", "wspo.md §3 WSPO-8"),
    provenance="DERIVED; formalises the paper's empirical claim", statement=tw.stmt_monotone,
    assumptions=("η = 1/γ > 0",), domain=DOMAIN,
    checks=(
        SymbolicCheck("cumulant-identities-V3", prove=lambda: tw.prove_monotone(stmt=current_statement())),
        NumericCheck("gamma-grid-and-limits", run=_monotone_numeric),
        PropertyCheck("non-increasing-in-gamma", margin=_monotone_margin),
    ),
))

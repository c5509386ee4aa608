"""REFINE-12 (refinement.md §4): refinement is robust to the bias size Δ (lim_{Δ→∞} R* = ε_P²); naive
fine-tuning is not — Somerstep, Polo et al., arXiv 2405.16236, abstract and Sec. 4.
"""
from __future__ import annotations

import sympy as sp

import numerics.refinement as nr
from numerics import z_two_sided
from theory import prove_certificate, prove_identity
from theory.refinement import icl as ti
from theory.refinement import naive as tn

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Param
from ..._registry import register
from ._params import P_A1, P_ETA, P_SIGMA, P_ZETA, dom
from ._shared import FA, alpha_from, cite, claim_statement, mean_lower, mean_upper, naive_abc, stmt_fn

ID = "refine.robustness"


def _rstar_delta(p) -> float:
    """Best-λ naive risk R*(Δ): the argument of the statement's limit where t* is interior (its regime),
    else the clipped end point (REFINE-4)."""
    A, B, C = naive_abc(p)
    den = A + B - 2 * C
    if den > 0 and 0.0 < (B - C) / den < 1.0:
        f = stmt_fn(ID, ("eps_P^2", "kappa", "alpha_1", "Delta"), part=lambda st: st.lhs.args[0], modules="math")
        return float(f(A, p["kappa"], alpha_from(p)[0], p["delta"]))
    return tn.infimum_f(A, B, C)[1]


def _limit(A: float) -> float:
    """The statement's right side (the limit ε_P²) at ε_P² = A."""
    return float(stmt_fn(ID, ("eps_P^2",), modules="math")(A))

D12 = dom(Param("K", int, 2, 6), P_A1, P_ZETA, Param("kappa", float, 0.05, 0.95), Param("delta", float, 0.0, 10.0),
          P_SIGMA, P_ETA)


def _robust_numeric(ctx) -> Outcome:
    """κ = 0.8, m = 48, Δ ∈ {0.5, 1, 2, 3}: refined (fixed S, soft) risk upper CI ≤ 2·bound(Δ) and < best naive R*(Δ),
    while R*(Δ) rises toward ε_P² — refinement is insensitive to Δ, naive fine-tuning is not."""
    R = ctx.pick(20_000, 100_000)
    al = [1 / 3] * 3
    deltas = (0.5, 1.0, 2.0, 3.0)
    z = z_two_sided(2 * FA, len(deltas))
    bad, lines = [], []
    for D in deltas:
        M = nr.concept_model(3, 4, al, 1.0, kappa=0.8, delta=D)
        Rs = _rstar_delta(dict(K=3, a1=1 / 3, zeta=0.0, kappa=0.8, delta=D))
        gs, rs = ti.gamma_rho_star_f(0.8, 1 + D * D, 1.0)
        x = nr.refined_risk(M, nr.posterior(M, 48, R, ctx.rng("refine.robust", D)))
        hi = mean_upper(x, z, R)
        bnd = 2 * ti.misalignment_bound_f(al, gs, rs, 48)
        lines.append(f"Δ={D}: refined {x.mean():.4f} (≤ {min(bnd, 9):.3g}) vs naive R* {Rs:.3f}")
        if not (hi < Rs and mean_lower(x, z, R) <= bnd):
            bad.append(lines[-1])
    return Outcome(not bad, "; ".join(lines) + f"; ε_P² = {naive_abc(dict(K=3, a1=1 / 3, zeta=0.0, kappa=0.8, delta=0))[0]:.3f} "
                   f"(one-sided false-alarm {FA:g})" if not bad else "; ".join(bad), ("deltas", len(deltas)))


def _robust_property(p) -> float:
    """R*(Δ) (the statement's limit argument) is non-decreasing in Δ and ≤ the limit (the statement's right
    side at ε_P²); ρ* is non-decreasing in s² (η) and < 1 for κ > 0."""
    A = naive_abc(p)[0]
    r1, r2 = _rstar_delta(p), _rstar_delta({**p, "delta": p["delta"] + 0.5})
    s2 = p["sigma"] ** 2
    se2 = s2 + p["eta"] ** 2 + p["delta"] ** 2
    rho1 = ti.gamma_rho_star_f(p["kappa"], se2, s2)[1]
    rho2 = ti.gamma_rho_star_f(p["kappa"], se2 + 0.5, s2)[1]
    return min(r2 - r1 + 1e-12, _limit(A) - r2 + 1e-12, rho2 - rho1 + 1e-12, 1 - rho2)


def _is_oo(x, label: str) -> Outcome:
    return Outcome(x == sp.oo, f"limit: {label}: got {x}")


def _robust_symbolic():
    A, B, D = tn.A, tn.B, tn.Delta
    k = sp.Symbol("kappa", real=True)
    s2 = sp.Symbol("s2", positive=True)
    rho2inv = 1 + 1 / (2 * s2)  # rho*^-2, noisy case: decreasing in s^2 so rho* increasing
    return tn.prove_robustness(claim_statement(ID)) + [
            _is_oo(sp.limit(tn.naive_risk_expr(0).subs({B: (1 - k) ** 2 + D ** 2}), D, sp.oo),
                   "lim_{Delta->oo} E R(beta_0) = oo"),
            prove_certificate(-sp.diff(rho2inv, s2), [1 / (2 * s2 ** 2)], nonneg=(s2,),
                                 label="d/ds^2 of rho*^-2 <= 0 (rho* increases with miscalibrated noise)")] + \
        [ti.prove_drift()[1]]


register(Claim(
    id="refine.robustness", spec_id="REFINE-12", title="Refinement is robust to the bias size Delta; naive fine-tuning is not",
    citation=cite("refinement overcomes the weak model's bias (abstract; Sec. 4)", "REFINE-12"), provenance="DERIVED",
    statement=tn.robustness_statement,
    assumptions=("kappa in (0, 1)", "miscalibrated noise s^2 > sigma^2 keeps the drift negative"), domain=D12,
    checks=(SymbolicCheck("limits-and-monotonicity", prove=_robust_symbolic),
            PropertyCheck("monotone-in-delta-and-noise", margin=_robust_property),
            NumericCheck("insensitive-to-delta", run=_robust_numeric)),
))

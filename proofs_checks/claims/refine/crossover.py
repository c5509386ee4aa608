"""REFINE-11 (refinement.md §4): crossover n_ICL m_c beyond which refinement beats best-tuned naive
fine-tuning — Somerstep, Polo et al., arXiv 2405.16236, Sec. 4-5.
"""
from __future__ import annotations

import math

import numerics.refinement as nr
from numerics import z_two_sided
from theory.refinement import icl as ti
from theory.refinement import naive as tn

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Param
from ..._registry import register
from ._params import P_DELTA, P_ZETA, dom
from ._shared import (FA, SPEC_EXAMPLE, alpha_from, cite, claim_statement, fmt_params, gamma_rho_star, hyp_points,
                      model_from, naive_abc, stmt_fn)

ID = "refine.crossover"


def _mc(al, gamma: float, rho: float, F: float) -> float:
    """The statement's m_c at S = Σ_{k≠1}(α_k/α_1)^γ, F, ρ; inf when ρ ≥ 1 or F ≤ 0 (no crossover)."""
    if rho >= 1 or F <= 0:
        return math.inf
    S = sum((a / al[0]) ** gamma for a in al[1:])
    return float(stmt_fn(ID, ("S", "F", "rho"), modules="math")(S, F, rho))

D11 = dom(Param("K", int, 2, 6), Param("a1", float, 0.05, 0.9), P_ZETA, Param("kappa", float, 0.05, 1.0), P_DELTA,
          Param("eta", float, 0.0, 2.0))


def crossover_numbers(p) -> dict[str, float]:
    """F, R*, γ*, ρ*, m_c(F) and m_c(R*) at a parameter point (biased + noisy weak labels, σ = 1)."""
    A, B, C = naive_abc(p)
    F = tn.floor_f(A, B)
    _, Rs = tn.infimum_f(A, B, C)
    gs, rs = gamma_rho_star(p["kappa"], p["delta"], p["eta"])
    al = alpha_from(p)
    return {"F": F, "Rstar": Rs, "gamma": gs, "rho": rs, "mc_F": _mc(al, gs, rs, F), "mc_R": _mc(al, gs, rs, Rs)}


def _crossover_property(p) -> float:
    """m_c with R* (REFINE-4) ≤ m_c with F (R* ≥ F since κ ≤ 1), and at m = ceil(m_c) the bound 2(Sρ^m)² ≤ F."""
    c = crossover_numbers(p)
    if not math.isfinite(c["mc_F"]):
        # F = 0 (unbiased, noise-free weak labels): no finite crossover exists, so
        # m_c(R*) <= m_c(F) = inf holds and there is no m at which to test the bound.
        return 1.0
    al = alpha_from(p)
    m = math.ceil(c["mc_F"])
    val = 2 * ti.misalignment_bound_f(al, c["gamma"], c["rho"], m) ** 2
    return min(c["mc_F"] - c["mc_R"] + 1e-9, c["F"] * (1 + 1e-9) - val)


def _crossover_numeric(ctx) -> Outcome:
    """Sufficiency only: for m > m_c (m = ⌈m_c⌉ + 1 ≤ 64), the fresh-S refined population risk R(π̄)
    (bias-corrected MC, upper CI at one-sided false-alarm FA) is below the best naive risk R*."""
    pts = [p for p in hyp_points(D11, ctx, "refine.crossover", ctx.pick(12, 60))
           if crossover_numbers(p)["mc_R"] < 63][: ctx.pick(6, 30)]
    pts.append({**SPEC_EXAMPLE, "eta": 0.0})
    R = ctx.pick(8000, 50000)
    z = z_two_sided(2 * FA, len(pts))
    bad, worst = [], -math.inf
    for i, p in enumerate(pts):
        c = crossover_numbers(p)
        m = max(int(math.ceil(c["mc_R"])) + 1, 0)
        M = model_from({**p, "sigma": 1.0}, d=p["K"] + 1)
        pi = nr.posterior(M, m, R, ctx.rng("refine.crossover", i))
        est, se_ = nr.population_risk(pi)
        worst = max(worst, (est + z * se_) / c["Rstar"])
        if est + z * se_ >= c["Rstar"]:
            bad.append(f"{fmt_params(p)}: m={m} > m_c={c['mc_R']:.2f} but R(π̄) ≤ {est + z * se_:.4g} ≥ R* {c['Rstar']:.4g}")
    return Outcome(not bad, f"{len(pts)} points (Hypothesis-drawn + spec example), m = ⌈m_c⌉+1: refined R(π̄) upper "
                   f"CI < R* everywhere (one-sided false-alarm {FA:g}, Bonferroni); max ratio {worst:.3g}"
                   if not bad else "; ".join(bad), ("max R(pi_bar)/R*", worst))


def _mc_monotone_eta(p) -> float:
    """m_c(F) is non-decreasing in η (ρ → 1 as η → ∞): finite difference at η and η + 0.25."""
    a = crossover_numbers(p)["mc_F"]
    b = crossover_numbers({**p, "eta": p["eta"] + 0.25})["mc_F"]
    if math.isinf(a) and math.isinf(b):
        return 0.0
    return b - a + 1e-9


register(Claim(
    id="refine.crossover", spec_id="REFINE-11", title="Crossover n_ICL beyond which refinement beats naive fine-tuning",
    citation=cite("refinement vs naive fine-tuning (Sec. 4-5)", "REFINE-11"), provenance="DERIVED",
    statement=ti.crossover_statement,
    assumptions=("fresh S per query, population", "best-tuned naive fine-tuning", "kappa in (0, 1]"), domain=D11,
    checks=(SymbolicCheck("solve-for-m", prove=lambda: ti.prove_crossover(claim_statement(ID))),
            PropertyCheck("mc-R-le-mc-F", margin=_crossover_property),
            PropertyCheck("mc-grows-with-eta", margin=_mc_monotone_eta),
            NumericCheck("sufficiency", run=_crossover_numeric)),
))

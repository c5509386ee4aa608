"""REFINE-3 (refinement.md §4): bias floor E R ≥ AB/(A+B) of naive fine-tuning for all n, λ
(κ ≤ 1) — Somerstep, Polo et al., arXiv 2405.16236, Thm/Prop 3.2.
"""
from __future__ import annotations

import math

import numpy as np

import numerics.refinement as nr
from numerics import z_two_sided
from theory.refinement import naive as tn

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Param
from ..._registry import register
from ._params import P_A1, P_D, P_DELTA, P_ETA, P_K, P_LAM, P_N, P_SIGMA, P_ZETA, dom
from ._shared import FA, cite, claim_statement, fmt_params, hyp_points, model_from, naive_abc, naive_variance, stmt_fn

ID = "refine.floor"


def _floor(A: float, B: float) -> float:
    """The statement's right side AB/(A+B) at (A, B)."""
    return float(stmt_fn(ID, ("A", "B"), modules="math")(A, B))


def _slack(t: float, A: float, B: float, C: float, V: float) -> float:
    """The statement's margin lhs − rhs (risk − floor) at (t, A, B, C, V)."""
    return float(stmt_fn(ID, ("t", "A", "B", "C", "V"), part="margin", modules="math")(t, A, B, C, V))

D3 = dom(P_K, P_A1, P_ZETA, Param("kappa", float, -1.0, 1.0, doc="kappa <= 1 (C >= 0)"), P_DELTA, P_ETA, P_SIGMA,
         P_D, P_N, P_LAM)
D3_BAD = dom(Param("K", int, 2, 8), P_A1, P_ZETA, Param("kappa", float, 1.0, 2.0, low_open=True), P_DELTA)


def _floor_margin(p) -> float:
    """The statement's margin (risk − floor) at the drawn t = λ/(1+λ) and at the worst t (the exact
    minimiser of the quadratic risk, the REFINE-4 t* with B → B + V)."""
    A, B, C = naive_abc(p)
    V = naive_variance(p)
    ts = tn.infimum_f(A, B + V, C)[0]
    return min(_slack(p["lam"] / (1 + p["lam"]), A, B, C, V), _slack(ts, A, B, C, V))


def _floor_numeric(ctx) -> Outcome:
    """min over a λ grid of the MC risk ≥ floor − z·se (one-sided, false-alarm FA, Bonferroni)."""
    dd = dom(P_K, P_A1, P_ZETA, Param("kappa", float, -1.0, 1.0), P_DELTA, P_SIGMA, Param("d", int, 3, 20),
             Param("n", int, 5, 2000))
    pts = hyp_points(dd, ctx, "refine.floor", ctx.pick(6, 30))
    lams = np.array([0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0])
    R = ctx.pick(2000, 10000)
    ntest = len(pts) * lams.size
    z = z_two_sided(2 * FA, ntest)  # one-sided at FA
    bad, worst = [], math.inf
    for i, p in enumerate(pts):
        M = model_from({**p, "eta": 0.0})
        X = nr.naive_risks(M, p["n"], lams, R, ctx.rng("refine.floor", i), sufficient=True)
        A, B, _ = naive_abc(p)
        fl = _floor(A, B)
        low = X.mean(0) - z * X.std(0, ddof=1) / math.sqrt(R)
        worst = min(worst, float(low.min() - fl))
        if low.min() < fl:
            bad.append(f"{fmt_params(p)}: min_λ (mean − z·se) = {low.min():.5g} < floor {fl:.5g}")
    return Outcome(not bad, (f"{len(pts)} Hypothesis points × {lams.size} λ, {R} reps: min_λ of the MC lower "
                             f"bound (one-sided false-alarm {FA:g}, Bonferroni over {ntest}) ≥ AB/(A+B); the spec "
                             "reference floor is 0.440") if not bad else "; ".join(bad),
                   ("min (lower bound − floor)", worst))


def _floor_violation(p) -> float:
    """κ > 1 (C < 0): the statement's margin at the population minimiser t* (V = 0): R* − floor."""
    A, B, C = naive_abc(p)
    return _slack(tn.infimum_f(A, B, C)[0], A, B, C, 0.0)


register(Claim(
    id="refine.floor", spec_id="REFINE-3", title="Bias floor of naive fine-tuning: E R >= AB/(A+B) for all n, lambda",
    citation=cite("lower bound: fine-tuning is 'trapped' between source and weak bias (Thm/Prop 3.2)", "REFINE-3"),
    provenance="PAPER qualitative; DERIVED explicit", statement=tn.floor_statement,
    assumptions=("biased weak model with kappa <= 1 (C >= 0)", "orthogonal design or population limit"),
    domain=D3,
    checks=(SymbolicCheck("factorization-certificate", prove=lambda: tn.prove_floor(claim_statement(ID))),
            PropertyCheck("floor-all-n-lambda", margin=_floor_margin, tolerance=1e-12),
            NumericCheck("mc-min-over-lambda", run=_floor_numeric),
            CounterexampleCheck("kappa-above-1", margin=_floor_violation, domain=D3_BAD,
                                dropped="kappa <= 1 (C >= 0)", min_violation=0.05)),
    notes="kappa > 1: the floor fails (alpha=(1/2,1/2), kappa=2, Delta=0: floor 1/3, infimum 0.1); REFINE-4 stays valid.",
))

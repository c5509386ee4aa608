"""REFINE-13 (refinement.md §4): target outside the concept set keeps τ² (Pythagoras) — the hull
assumption of Somerstep, Polo et al., arXiv 2405.16236, Sec. 2.
"""
from __future__ import annotations

import math

import numpy as np

import numerics.refinement as nr
from numerics import mean_ci
from theory.refinement import naive as tn

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, SymbolicCheck
from ..._domain import Param
from ..._registry import register
from ._params import P_N, dom
from ._shared import FA, cite, claim_statement, stmt_fn

ID = "refine.outside_hull"


def _floor_tau(tau: float) -> float:
    """The statement's right side at ‖Σπ_kβ_k − β_1‖² = 0: the irreducible risk of refinement (τ²)."""
    return float(stmt_fn(ID, ("||sum_k pi_k beta_k - beta_1||^2", "tau"), modules="math")(0.0, tau))

D13_BAD = dom(Param("K", int, 2, 6), Param("tau", float, 0.05, 1.0), Param("s", float, 0.3, 3.0),
              Param("d", int, 3, 50), P_N)


def _outside_margin(p) -> float:
    """Asserted in-hull statement 'refine-then-fine-tune risk ≤ naive λ = 0 risk' with the target outside:
    margin ≤ s²d/(n−d−1) − τ² (naive exact Gaussian-design risk; refined risk ≥ τ², Pythagoras)."""
    if p["d"] < p["K"] + 1:
        return math.inf
    return p["s"] ** 2 * p["d"] / (p["n"] - p["d"] - 1) - _floor_tau(p["tau"])


def _outside_numeric(ctx) -> Outcome:
    """τ = 0.5, noisy labels around β_tgt: naive λ = 0 (Gaussian design, n = 1000) beats refinement
    (m = 32, fixed S) — CIs separated; refinement converges to β_1 (k̂ = argmax β_kᵀβ_tgt = 1)."""
    R = ctx.pick(1000, 10000)
    M = nr.concept_model(3, 6, [0.2, 0.5, 0.3], 1.0, eta=0.5, tau=0.5)
    xn = nr.naive_risks(M, 1000, [0.0], R, ctx.rng("refine.outside.naive"), design="gaussian")[:, 0]
    pi = nr.posterior(M, 32, R, ctx.rng("refine.outside.icl"))
    xr = nr.refined_risk(M, pi)
    a, b = mean_ci(xn, FA, 2), mean_ci(xr, FA, 2)
    kmap = float((np.argmax(pi, -1) == 0).mean())
    fl = _floor_tau(0.5)
    ok = a.high < b.low and b.high >= fl  # refined risk >= tau^2 always (the statement at distance 0)
    return Outcome(ok, f"naive {a} < refined {b} (≥ the statement's τ² = {fl:.4g}); P(k̂ = 1) = {kmap:.3f}",
                   ("naive/refined", a.mean / b.mean))


register(Claim(
    id="refine.outside_hull", spec_id="REFINE-13",
    title="Target outside the concept set: refinement keeps tau^2, naive fine-tuning is consistent",
    citation=cite("hull assumption: the target lies in the convex hull of source components (Sec. 2)", "REFINE-13"),
    provenance="PAPER hull assumption; DERIVED", statement=tn.outside_hull_statement,
    assumptions=("beta_tgt = beta_1 + tau u, u ⟂ span{beta_k}", "noisy weak labels around beta_tgt"), domain=D13_BAD,
    checks=(SymbolicCheck("pythagoras", prove=lambda: tn.prove_outside_hull(3, claim_statement(ID))),
            CounterexampleCheck("naive-wins-outside-hull", margin=_outside_margin, domain=D13_BAD,
                                dropped="target in the concept set", min_violation=0.01),
            NumericCheck("mc-naive-beats-refined", run=_outside_numeric)),
    notes="Toy-model limitation: a single-concept posterior also fails for targets inside the hull but not at a "
          "vertex; how the paper treats such targets is unknown — reported, not asserted.",
))

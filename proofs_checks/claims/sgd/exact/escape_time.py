"""SGD-A8: escape time (E8), t_c ≈ ρ_0^{−(p−2)}/(p(p−2)λ) for p >= 3 (Awano & Suzuki, P2;
spec sgd_dynamics.md §4 SGD-A8, (E8))."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.sgd import ode as node
from theory.sgd import closed_forms as cf
from theory.sgd import overlap_ode as to

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, outcome_all, pure_phi


def _a8_numeric(ctx) -> Outcome:
    parts = []
    grid = np.geomspace(1e-3, 0.1, ctx.pick(7, 21))
    ratios = {p: np.array([float(cf.escape_ratio(p, x)) for x in grid]) for p in (3, 4)}
    rmin = min(float(v.min()) for v in ratios.values())
    rmax = max(float(v.max()) for v in ratios.values())
    parts.append((0.94 <= rmin and rmax <= 1.06,
                  f"p ∈ {{3,4}}: t_c·ρ_0^(p−2)·p(p−2)λ ∈ [{rmin:.4f}, {rmax:.4f}] ⊂ [0.94, 1.06] on ρ_0 ∈ [1e-3, 0.1]"))
    r2 = float(cf.escape_ratio(2, 1e-3))
    parts.append((1.05 <= r2 <= 1.15, f"p = 2: asymptotic ratio at ρ_0 = 1e-3 is {r2:.4f} (spec: still ≈ 1.10)"))
    mono = all(np.all(np.diff([float(cf.escape_time(p, x)) for x in grid]) < 0) for p in (1, 2, 3, 4))
    parts.append((mono, "t_c strictly decreasing in ρ_0 on the grid for p = 1..4"))
    worst = 0.0
    r = ctx.rng("sgd.a8", "ode")
    for p in (1, 2, 3, 4):
        for rho0 in (1e-3 if p < 4 else 5e-3, float(r.uniform(0.01, 0.5))):
            lam = float(r.uniform(0.5, 2))
            tc_ode = node.hitting_time(pure_phi(p, lam), rho0, 0.9)
            worst = max(worst, abs(tc_ode / float(cf.escape_time(p, rho0, lam)) - 1))
    parts.append((worst <= 1e-8, f"event-located ODE hitting time vs (E8) exact: max relative error {worst:.1e} (<= 1e-8)"))
    return outcome_all(parts, ("ratio range", rmax - rmin))


register(Claim(
    id="sgd.a8_escape_time", spec_id="SGD-A8", title="Escape time (E8): t_c ≈ ρ_0^{−(p−2)}/(p(p−2)λ) for p >= 3",
    citation=awano("abstract, P2 (efficiency of elicitation); the escape time is derived here", "sgd_dynamics.md §4 SGD-A8, (E8)"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(sp.Symbol("t_c"), (cf.G_expr(3, cf.RHO_STAR) - cf.G_expr(3, to.RHO0)) / (3 * to.LAM)),
    assumptions=("pure exponent p", "ρ_e = 0.9", "ρ_0 ∈ [1e-3, 0.1] for the asymptote"),
    domain=Domain((Param("p", int, 3, 4), Param("rho0", float, 1e-3, 0.1, log_scale=True))),
    checks=(
        SymbolicCheck("limit-and-monotonicity", prove=lambda: [to.prove_escape_asymptotic(p) for p in (2, 3, 4)]),
        NumericCheck("ratio-and-ode", run=_a8_numeric),
        PropertyCheck("asymptote-6pct", margin=lambda v: 0.06 - abs(float(cf.escape_ratio(v["p"], v["rho0"])) - 1)),
        PropertyCheck("decreasing", margin=lambda v: float(cf.escape_time(v["p"], v["rho0"])
                                                           - cf.escape_time(v["p"], v["rho0"] + v["delta"])),
                      domain=Domain((Param("p", int, 1, 4), Param("rho0", float, 1e-4, 0.85, log_scale=True),
                                     Param("delta", float, 1e-6, 0.04, log_scale=True)))),
        CounterexampleCheck("p2-asymptote", dropped="p >= 3 (p = 2: convergence only logarithmic)",
                            margin=lambda v: 0.06 - abs(float(cf.escape_ratio(2, v["rho0"])) - 1),
                            domain=Domain((Param("rho0", float, 1e-3, 0.1, log_scale=True),)), min_violation=0.03),
    ),
))

"""SGD-A8: escape time (E8), t_c ≈ ρ_0^{−(p−2)}/(p(p−2)λ) for p >= 3 (Awano & Suzuki, P2;
spec sgd_dynamics.md §4 SGD-A8, (E8))."""
from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from numerics.sgd import ode as node
from theory.sgd import closed_forms as cf
from theory.sgd import overlap_ode as to

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, by_name, outcome_all, pure_phi, statement_element, statement_fn


def _a8_statement():
    """(E8) for p = 1..4: t_c = [G_p(ρ_e) − G_p(ρ_0)]/(pλ), ρ_e = 0.9, one equation per exponent."""
    return tuple(sp.Eq(sp.Symbol(f"t_c(p={p})"), (cf.G_expr(p, cf.RHO_STAR) - cf.G_expr(p, to.RHO0)) / (p * to.LAM))
                 for p in (1, 2, 3, 4))


def _tc(p: int, rho0: float, lam: float = 1.0):
    """t_c from the running statement (mpmath, 30 digits)."""
    f = statement_fn(("rho_0", "lambda"), "rhs", k=p - 1, modules="mpmath")
    with mp.workdps(30):
        return f(mp.mpf(rho0), mp.mpf(lam))


def _ratio(p: int, rho0: float) -> float:
    return float(cf.escape_ratio(p, rho0, t=_tc(p, rho0)))


def _a8_symbolic():
    stmt = statement_element()
    out = []
    for p in (2, 3, 4):
        e = stmt[p - 1].rhs
        sym = by_name(e)
        out.append(to.prove_escape_asymptotic(p, e, sym.get("rho_0", to.RHO0), sym.get("lambda", to.LAM)))
    return out


def _a8_numeric(ctx) -> Outcome:
    parts = []
    grid = np.geomspace(1e-3, 0.1, ctx.pick(7, 21))
    ratios = {p: np.array([_ratio(p, float(x)) for x in grid]) for p in (3, 4)}
    rmin = min(float(v.min()) for v in ratios.values())
    rmax = max(float(v.max()) for v in ratios.values())
    parts.append((0.94 <= rmin and rmax <= 1.06,
                  f"p ∈ {{3,4}}: t_c·ρ_0^(p−2)·p(p−2)λ ∈ [{rmin:.4f}, {rmax:.4f}] ⊂ [0.94, 1.06] on ρ_0 ∈ [1e-3, 0.1]"))
    r2 = _ratio(2, 1e-3)
    parts.append((1.05 <= r2 <= 1.15, f"p = 2: asymptotic ratio at ρ_0 = 1e-3 is {r2:.4f} (spec: still ≈ 1.10)"))
    mono = all(np.all(np.diff([float(_tc(p, float(x))) for x in grid]) < 0) for p in (1, 2, 3, 4))
    parts.append((mono, "t_c strictly decreasing in ρ_0 on the grid for p = 1..4"))
    worst = 0.0
    r = ctx.rng("sgd.a8", "ode")
    for p in (1, 2, 3, 4):
        for rho0 in (1e-3 if p < 4 else 5e-3, float(r.uniform(0.01, 0.5))):
            lam = float(r.uniform(0.5, 2))
            tc_ode = node.hitting_time(pure_phi(p, lam), rho0, 0.9)
            worst = max(worst, abs(tc_ode / float(_tc(p, rho0, lam)) - 1))
    parts.append((worst <= 1e-8, f"event-located ODE hitting time vs the statement (E8): max relative error {worst:.1e} (<= 1e-8)"))
    return outcome_all(parts, ("ratio range", rmax - rmin))


register(Claim(
    id="sgd.a8_escape_time", spec_id="SGD-A8", title="Escape time (E8): t_c ≈ ρ_0^{−(p−2)}/(p(p−2)λ) for p >= 3",
    citation=awano("abstract, P2 (efficiency of elicitation); the escape time is derived here", "sgd_dynamics.md §4 SGD-A8, (E8)"),
    provenance="DERIVED",
    statement=_a8_statement,
    assumptions=("pure exponent p", "ρ_e = 0.9", "ρ_0 ∈ [1e-3, 0.1] for the asymptote"),
    domain=Domain((Param("p", int, 3, 4), Param("rho0", float, 1e-3, 0.1, log_scale=True))),
    checks=(
        SymbolicCheck("limit-and-monotonicity", prove=_a8_symbolic),
        NumericCheck("ratio-and-ode", run=_a8_numeric),
        PropertyCheck("asymptote-6pct", margin=lambda v: 0.06 - abs(_ratio(v["p"], v["rho0"]) - 1)),
        PropertyCheck("decreasing", margin=lambda v: float(_tc(v["p"], v["rho0"]) - _tc(v["p"], v["rho0"] + v["delta"])),
                      domain=Domain((Param("p", int, 1, 4), Param("rho0", float, 1e-4, 0.85, log_scale=True),
                                     Param("delta", float, 1e-6, 0.04, log_scale=True)))),
        CounterexampleCheck("p2-asymptote", dropped="p >= 3 (p = 2: convergence only logarithmic)",
                            margin=lambda v: 0.06 - abs(_ratio(2, v["rho0"]) - 1),
                            domain=Domain((Param("rho0", float, 1e-3, 0.1, log_scale=True),)), min_violation=0.03),
    ),
))

"""SGD-A5: closed forms (E7) of the overlap flow for a pure information exponent p = 1..4
(Awano & Suzuki, elicitation speed, P1/P2; spec sgd_dynamics.md §4 SGD-A5, §2.2)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.sgd import ode as node
from theory.sgd import closed_forms as cf
from theory.sgd import overlap_ode as to

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, pure_phi


def _rel_closed(p: int, rho0: float, lam: float, lam_t_max: float, coeffs: np.ndarray | None = None,
                n_t: int = 6) -> float:
    t = np.linspace(0, lam_t_max / lam, n_t)
    c = pure_phi(p, lam) if coeffs is None else coeffs
    rho = node.integrate_overlap(c, rho0, t)
    ex = np.array([float(cf.rho_at(p, rho0, lam * x, dps=25)) for x in t])
    return float(np.max(np.abs(rho / ex - 1)))


def _a5_symbolic():
    return ([to.prove_G_derivative(p) for p in range(1, 7)] + [to.prove_E7_conservation(p) for p in range(1, 5)]
            + [to.prove_p1_dsolve(), to.prove_p2_closed_form()])


def _a5_numeric(ctx) -> Outcome:
    r = ctx.rng("sgd.a5", "grid")
    worst, n = 0.0, 0
    rho0s = [0.01, 0.3, 0.9, 0.98] + list(r.uniform(0, 0.99, ctx.pick(1, 8)))
    for p in (1, 2, 3, 4):
        for rho0 in rho0s:
            for lam in ctx.pick((1.0,), (0.1, 1.0, 10.0)):
                worst = max(worst, _rel_closed(p, rho0, lam, 5.0, n_t=11))
                n += 1
    return Outcome(worst < 1e-8, f"{n} ODE runs (DOP853 rtol 1e-12) vs (E7) solved in mpmath (25 digits), "
                   f"p ∈ {{1..4}}, ρ_0 ∈ (0, 0.99), λt ∈ [0, 5]: max relative error {worst:.2e} (< 1e-8)",
                   ("max rel err", worst))


_A5_DOMAIN = Domain((Param("p", int, 1, 4), Param("rho0", float, 0.001, 0.99),
                     Param("lam", float, 0.1, 10.0, log_scale=True), Param("lam_t", float, 0.0, 5.0)))

register(Claim(
    id="sgd.a5_closed_forms", spec_id="SGD-A5", title="Closed forms (E7) for a pure information exponent p = 1..4",
    citation=awano("abstract, P1/P2 (elicitation speed); the closed form is derived here", "sgd_dynamics.md §4 SGD-A5, §2.2"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(cf.G_expr(3, sp.Symbol("rho(t)")) - cf.G_expr(3, to.RHO0), 3 * to.LAM * to.T),
    assumptions=("aφ = λρ^p + const, λ > 0", "ρ_0 ∈ (0, 1)"),
    domain=_A5_DOMAIN,
    checks=(
        SymbolicCheck("derivative-and-dsolve", prove=_a5_symbolic),
        NumericCheck("ode-vs-closed-form", run=_a5_numeric),
        PropertyCheck("hypothesis-closed-form", margin=lambda v: 1e-8 - _rel_closed(v["p"], v["rho0"], v["lam"],
                                                                                     v["lam_t"], n_t=3)),
        CounterexampleCheck("mixed-phi", dropped="pure exponent (φ = λρ^p + μρ^{p+1})",
                            margin=lambda v: 1e-8 - _rel_closed(v["p"], v["rho0"], 1.0, 3.0,
                                                                coeffs=np.r_[pure_phi(v["p"], 1.0), v["mu"]], n_t=3),
                            domain=Domain((Param("p", int, 1, 4), Param("rho0", float, 0.05, 0.9),
                                           Param("mu", float, 0.2, 2.0))), min_violation=1e-4),
    ),
))

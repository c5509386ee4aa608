"""SGD-A12: matched-horizon closed form (E12) for p = 2 (Awano & Suzuki, comparison behind P3/P4;
spec sgd_dynamics.md §4 SGD-A12, (E12))."""
from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from numerics.sgd import ode as node
from theory.sgd import closed_forms as cf
from theory.sgd import overlap_ode as to

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Constraint, Domain, Param
from ...._registry import register
from ._shared import awano, by_name, outcome_all, pure_phi, statement_element, statement_fn


def _stated(rho_k: float, m0: float) -> float:
    """ρ_k(t_W): the running statement's right-hand side."""
    return float(statement_fn(("rho_k", "m_0"), "rhs", modules="mpmath")(mp.mpf(rho_k), mp.mpf(m0)))


def _a12_symbolic():
    rhs = statement_element().rhs
    sym = by_name(rhs)
    return to.prove_E12(rhs, sym["rho_k"], sym["m_0"])


def _a12_err(m0: float, rho_k: float) -> float:
    lam = 1.0
    t_w = float(mp.log(cf.e12_K2(mp.mpf(m0))) / (4 * lam))   # p = 2 closed form of the probe's horizon
    rho = node.integrate_overlap(pure_phi(2, lam), rho_k, np.array([0.0, t_w]))[-1]
    return abs(rho - _stated(rho_k, m0))


def _a12_numeric(ctx) -> Outcome:
    parts = []
    K = [float(mp.sqrt(cf.e12_K2(mp.mpf(m)))) for m in (0.05, 0.1, 0.3)]
    parts.append((all(abs(a - b) <= 0.05 for a, b in zip(K, (41.2, 20.5, 6.57))),
                  f"K = {[round(k, 3) for k in K]} (spec ≈ 41.2, 20.5, 6.57)"))
    worst = 0.0
    m0s = np.linspace(0.02, 0.5, ctx.pick(5, 12))
    rks = np.linspace(0.0, 0.9, ctx.pick(7, 19))
    for m0 in m0s:
        for rk in rks:
            worst = max(worst, _a12_err(float(m0), float(rk)))
    # cross-check the probe horizon itself with the ODE event
    tw_ode = node.hitting_time(pure_phi(2, 1.0), 0.1, 0.9)
    tw = float(mp.log(cf.e12_K2(mp.mpf("0.1"))) / 4)
    parts.append((worst <= 1e-10 and abs(tw_ode - tw) <= 1e-9 * tw,
                  f"{len(m0s)}×{len(rks)} grid m_0 ∈ [0.02, 0.5], ρ_k ∈ [0, 0.9]: |ρ_ODE(t_W) − statement| <= {worst:.1e} "
                  f"(<= 1e-10); probe horizon by ODE event {tw_ode:.10f} vs ln K²/4 = {tw:.10f}"))
    return outcome_all(parts, ("max abs err", worst))


def _a12_cx_margin(v) -> float:
    m0, rk, p = v["m0"], v["rho_k"], v["p"]
    exact = float(mp.tanh(cf.matched_horizon_v(p, m0, rk, dps=20)))
    return 1e-6 - abs(exact - _stated(rk, m0))


_A12_DOMAIN = Domain((Param("m0", float, 0.02, 0.5), Param("rho_k", float, 0.0, 0.9)))

register(Claim(
    id="sgd.a12_horizon_formula", spec_id="SGD-A12", title="Matched-horizon closed form (E12) for p = 2",
    citation=awano("abstract, P3/P4; the matched-horizon formula is derived here", "sgd_dynamics.md §4 SGD-A12, (E12)"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(sp.Symbol("rho_k(t_W)"), cf.e12_rho(sp.Symbol("rho_k", positive=True),
                                                                 sp.Symbol("m_0", positive=True))),
    assumptions=("pure exponent p = 2", "a = +1", "ρ* = 0.9"),
    domain=_A12_DOMAIN,
    checks=(
        SymbolicCheck("p2-invariant", prove=_a12_symbolic),
        NumericCheck("ode-grid", run=_a12_numeric),
        PropertyCheck("hypothesis-ode", margin=lambda v: 1e-10 - _a12_err(v["m0"], v["rho_k"])),
        CounterexampleCheck("other-exponents", dropped="p = 2 (pure exponents p ∈ {1, 3, 4})",
                            margin=_a12_cx_margin,
                            domain=Domain(_A12_DOMAIN.params + (Param("p", int, 1, 4),),
                                          (Constraint("p != 2", lambda v: v["p"] != 2, ("p",)),)),
                            min_violation=1e-3),
    ),
))

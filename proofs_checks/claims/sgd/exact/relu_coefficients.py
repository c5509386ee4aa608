"""SGD-A10: ReLU Hermite coefficients; β_3 = β_5 = 0 so p(h_3, ReLU) = ∞ (Awano & Suzuki, ReLU
student; spec sgd_dynamics.md §4 SGD-A10, §1.1)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.sgd import montecarlo as nmc
from theory.sgd import hermite as th

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, outcome_all, zcheck


def _a10_symbolic():
    from theory import Proof
    beta = th.relu_coefficients(8)
    diff = [sp.simplify(b - s) for b, s in zip(beta, th.SPEC_RELU_BETA)]
    out = [Proof(all(d == 0 for d in diff), "exact half-line moments",
                 f"β_0..β_6 = spec §1.1 exactly; β_3 = {beta[3]}, β_5 = {beta[5]}, β_7 = {beta[7]}")]
    p = th.pair_exponent(th.poly_coefficients(th.h(3), 8), beta)
    out.append(Proof(p == sp.oo, "exact", f"p(h_3, ReLU) = {p}"))
    for i in (3, 5):
        ok, txt = th.prove_bias_formula(i)
        nonzero = th.relu_bias_coefficient_formula(i, sp.Integer(1)) != 0
        out.append(Proof(ok and nonzero, "differentiation + limits",
                         f"with bias: {txt}, nonzero at b = 1 (odd coefficients revive)"))
    return out


def _a10_numeric(ctx) -> Outcome:
    n = ctx.pick(1_000_000, 4_000_000)
    r = ctx.rng("sgd.a10", "mc")
    exact = np.array([float(b) for b in th.relu_coefficients(8)])
    est, se = nmc.mc_relu_coefficients(8, n, r)
    ok, zmax, zt = zcheck(est, se, exact, 9, ctx.false_alarm)
    quad = np.array([nmc.quad_relu_coefficient(i, 0.0) for i in range(9)])
    qerr = float(np.max(np.abs(quad - exact)))
    return outcome_all([(ok, f"Monte Carlo N={n}: β_0..β_8 max |z| = {zmax:.2f} <= {zt:.2f} (false-alarm "
                          f"{ctx.false_alarm:g})"),
                         (qerr <= 1e-10, f"adaptive quadrature vs exact: max |Δβ| = {qerr:.1e} (<= 1e-10)")],
                        ("max |z|", zmax))


register(Claim(
    id="sgd.a10_relu_coefficients", spec_id="SGD-A10", title="ReLU Hermite coefficients; β_3 = β_5 = 0 so p(h_3, ReLU) = ∞",
    citation=awano("abstract (two-layer student); the ReLU coefficients are derived here", "sgd_dynamics.md §4 SGD-A10, §1.1"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(sp.Symbol("beta(ReLU)"), sp.Tuple(*th.SPEC_RELU_BETA), evaluate=False),
    assumptions=("σ(z) = max(z, 0) without bias",),
    domain=Domain((Param("i", int, 0, 8),)),
    checks=(
        SymbolicCheck("half-line-moments", prove=_a10_symbolic),
        NumericCheck("monte-carlo-and-quadrature", run=_a10_numeric),
        PropertyCheck("quadrature-per-index", margin=lambda v: 1e-10 - abs(
            nmc.quad_relu_coefficient(v["i"], 0.0) - float(th.relu_coefficient(v["i"])))),
        CounterexampleCheck("nonzero-bias", dropped="zero bias (σ(z + b))",
                            margin=lambda v: 1e-9 - abs(nmc.quad_relu_coefficient(3, v["b"])),
                            domain=Domain((Param("b", float, -2.0, 2.0),)), min_violation=1e-3),
    ),
))

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
from ._shared import awano, outcome_all, statement_element


def _a10_statement():
    """β_i of ReLU without bias, i = 0..6 (spec §1.1), one equation per coefficient."""
    return tuple(sp.Eq(sp.Symbol(f"beta_{i}(ReLU)"), b) for i, b in enumerate(th.SPEC_RELU_BETA))


def _stated() -> list:
    """The right-hand sides β_0..β_6 of the running statement (exact SymPy numbers)."""
    stmt = statement_element()
    return [stmt[i].rhs for i in range(len(stmt))]


def _a10_symbolic():
    from theory import Proof
    stated = _stated()
    beta = th.relu_coefficients(8)
    diff = [sp.simplify(b - s) for b, s in zip(beta, stated)]
    out = [Proof(len(stated) == 7 and all(d == 0 for d in diff), "exact half-line moments",
                 f"β_0..β_6 (exact half-line moments) = the statement exactly: residuals {[sp.sstr(d) for d in diff]}; "
                 f"β_3 = {beta[3]}, β_5 = {beta[5]}, β_7 = {beta[7]}")]
    p = th.pair_exponent(th.poly_coefficients(th.h(3), 8), beta)
    out.append(Proof(p == sp.oo, "exact", f"p(h_3, ReLU) = {p}"))
    for i in (3, 5):
        ok, txt = th.prove_bias_formula(i)
        nonzero = th.relu_bias_coefficient_formula(i, sp.Integer(1)) != 0
        out.append(Proof(ok and nonzero, "differentiation + limits",
                         f"with bias: {txt}, nonzero at b = 1 (odd coefficients revive)"))
    return out


def _a10_numeric(ctx) -> Outcome:
    """Median-of-means of max(Z,0)h_i(Z), i <= 6, over k = ⌈8 ln(7/α)⌉ blocks, against the statement:
    |median − β_i| <= 2√(Var/m) with the exact variance E[Z²h_i²1{Z>0}] − β_i² (= ½E[Z²h_i²] − β_i², by
    quadrature); no normal approximation for the degree-7 tails.  Adaptive quadrature vs the statement."""
    n = ctx.pick(6_000_000, 20_000_000)
    r = ctx.rng("sgd.a10", "mc")
    stated = np.array([float(b) for b in _stated()])
    k = nmc.mom_block_count(ctx.false_alarm, stated.size)
    m = n // k
    med = np.median(np.stack([nmc.mc_relu_coefficients(stated.size - 1, m, r)[0] for _ in range(k)]), axis=0)
    m2 = np.array([0.5 * nmc.gh_moment(lambda z, i=i: z**2 * nmc.hermite_h(i, z) ** 2) for i in range(stated.size)])
    hw = nmc.mom_halfwidth(m2 - stated**2, n, k)
    diff = np.abs(med - stated)
    ok = bool(np.all(diff <= hw))
    worst = float(np.max(diff / hw))
    quad = np.array([nmc.quad_relu_coefficient(i, 0.0) for i in range(stated.size)])
    qerr = float(np.max(np.abs(quad - stated)))
    return outcome_all([(ok, f"Monte Carlo N={n}: median of {k} block means of max(Z,0)h_i(Z) vs the statement's "
                          f"β_0..β_6 within 2√(Var/m) (Chebyshev per block, Hoeffding over blocks, exact variance by "
                          f"quadrature): max |Δ|/half-width = {worst:.3f} <= 1 (false-alarm {ctx.false_alarm:g}, "
                          f"Bonferroni over {stated.size})"),
                         (qerr <= 1e-10, f"adaptive quadrature vs the statement: max |Δβ| = {qerr:.1e} (<= 1e-10)")],
                        ("max |Δ|/hw", worst))


def _a10_quad_margin(v) -> float:
    i = v["i"]
    return 1e-10 - abs(nmc.quad_relu_coefficient(i, 0.0) - float(statement_element(i).rhs))


register(Claim(
    id="sgd.a10_relu_coefficients", spec_id="SGD-A10", title="ReLU Hermite coefficients; β_3 = β_5 = 0 so p(h_3, ReLU) = ∞",
    citation=awano("abstract (two-layer student); the ReLU coefficients are derived here", "sgd_dynamics.md §4 SGD-A10, §1.1"),
    provenance="DERIVED",
    statement=_a10_statement,
    assumptions=("σ(z) = max(z, 0) without bias",),
    domain=Domain((Param("i", int, 0, 6),)),
    checks=(
        SymbolicCheck("half-line-moments", prove=_a10_symbolic),
        NumericCheck("monte-carlo-and-quadrature", run=_a10_numeric),
        PropertyCheck("quadrature-per-index", margin=_a10_quad_margin),
        CounterexampleCheck("nonzero-bias", dropped="zero bias (σ(z + b))",
                            margin=lambda v: 1e-9 - abs(nmc.quad_relu_coefficient(3, v["b"])),
                            domain=Domain((Param("b", float, -2.0, 2.0),)), min_violation=1e-3),
    ),
))

"""SGD-C5 (H2): the cost of mechanism H2, W2S excess risk Σα*_i²(1 − cos^{2i}γ) (E13), vanishing as
γ → 0 (Awano & Suzuki, arXiv 2605.12908; spec sgd_dynamics.md §3.2 H2 (E13), §4 SGD-C5)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics import mean_ci
from numerics.sgd import sim_common as sc

from ...._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._statement import current_statement, statement_function
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import FA, _awano


_C5_DEG = 6


def _c5_symbols():
    c = sp.Symbol("c", real=True)
    f = sp.symbols(f"f1:{_C5_DEG + 1}", real=True)
    a = sp.symbols(f"alpha1:{_C5_DEG + 1}", real=True)
    return c, f, a


def _c5_statement():
    c, f, a = _c5_symbols()
    lhs = sum(fi**2 for fi in f) + sum(ai**2 for ai in a) - 2 * sum(f[i] * a[i] * c ** (i + 1) for i in range(_C5_DEG))
    rhs = sum((f[i] - a[i] * c ** (i + 1)) ** 2 for i in range(_C5_DEG)) + \
        sum(a[i] ** 2 * (1 - c ** (2 * (i + 1))) for i in range(_C5_DEG))
    return sp.Eq(lhs, rhs)


def _c5_prove():
    """The running claim's (E13): its lhs is E[(f(<v,x>) − g*(<θ*,x>))²] expanded with SGD-A1."""
    from theory import prove_identity
    eq = current_statement()
    return prove_identity(eq.lhs - eq.rhs, label="(E13) with E[h_i(<v,x>) h_j(<θ*,x>)] = δ_ij cos^i γ (SGD-A1)")


def _c5_excess(c: float, alpha) -> float:
    """The running claim's (E13) right-hand side at the conditional mean f_i = α_i cos^i γ (the W2S excess risk)."""
    cs, f, a = _c5_symbols()
    fn = statement_function((cs,) + tuple(f) + tuple(a), part="rhs")
    alpha = [float(x) for x in alpha]
    return float(fn(c, *[alpha[i] * c ** (i + 1) for i in range(_C5_DEG)], *alpha))


def _c5_mc(ctx) -> Outcome:
    n, gamma = ctx.pick(10**6, 4 * 10**6), 0.5
    alpha = np.array([0, 0, 1.0, 1.0])       # g* = h_2 + h_3
    c = math.cos(gamma)
    f = alpha * c ** np.arange(alpha.size)   # g_W = E[g* | <v,x>]
    r = ctx.rng("sgd.c5", "mc")
    zv = r.standard_normal(n)
    zs = c * zv + math.sin(gamma) * r.standard_normal(n)
    loss = (sc.hermite_eval(sc.hermite_coeffs("f", f), zv) - sc.hermite_eval(sc.hermite_coeffs("a", alpha), zs)) ** 2
    ci = mean_ci(loss, FA)
    exact = _c5_excess(c, tuple(alpha[1:]) + (0.0,) * (_C5_DEG + 1 - alpha.size))
    return Outcome(ci.contains(exact), f"Monte Carlo N={n}, g* = h_2+h_3, γ=0.5, f = E[g*|<v,x>]: {ci} vs "
                   f"the statement's (E13) right-hand side {exact:.5f} (false-alarm {FA:g})", ("MC excess risk", ci.mean))


def _c5_bound(prm) -> float:
    """0 ≤ Σα_i²(1 − cos^{2i}γ) ≤ sin²γ · Σ i α_i²  (→ 0 as γ → 0)."""
    c = math.cos(prm["gamma"])
    a = np.array([prm[f"a{i}"] for i in range(1, _C5_DEG + 1)])
    i = np.arange(1, _C5_DEG + 1)
    ex = _c5_excess(c, a)      # the statement's excess risk at f = E[g* | <v,x>]
    return min(ex, float(np.sum(i * a**2)) * (1 - c * c) - ex)


register(Claim(
    id="sgd.c5_h2_cost", spec_id="SGD-C5", mechanism="H2",
    title="H2 cost (E13): W2S excess risk Σα*_i²(1 − cos^{2i}γ) → 0 as γ → 0",
    citation=_awano("not in the abstract; the price of mechanism H2", "§3.2 H2 (E13), §4 SGD-C5"),
    provenance="DERIVED", statement=_c5_statement,
    assumptions=("x ~ N(0, I_d)", "θ* = cos γ v + sin γ n, unit v ⊥ n", "links of degree ≤ 6"),
    domain=Domain((Param("gamma", float, 0.0, math.pi / 2),) +
                  tuple(Param(f"a{i}", float, -2.0, 2.0) for i in range(1, _C5_DEG + 1))),
    checks=(
        SymbolicCheck("e13-identity", prove=_c5_prove),
        NumericCheck("monte-carlo", run=_c5_mc),
        PropertyCheck("vanishes-as-gamma-to-0", margin=_c5_bound, tolerance=1e-12),
    ),
))

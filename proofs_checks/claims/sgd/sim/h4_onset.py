"""SGD-C6 (H4): SFT (S3) forgetting starts as ¼(φφ')²(1−ρ_k²)t⁴ (E14), for either sign of the label
(Awano & Suzuki, arXiv 2605.12908; spec sgd_dynamics.md §2.4 (E10), §3.2 H4 (E14), §4 SGD-C6)."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from ...._claim import Claim, CounterexampleCheck, NumericCheck, PropertyCheck, SymbolicCheck
from ...._statement import current_statement, statement_function
from ...._domain import Constraint, Domain, Param
from ...._registry import register
from ._shared import C_VIOL, _awano
from .population import forgetting
from .preservation import _c2_h4_exact


_C6_COEF = (0.0, 0.0, 1.0, 1.0)     # label h_2 + h_3, activation h_2 + h_3: c_i = α_iβ_i, κ(c) = c² + c³
_KAPPA1 = 2.0


def _c6_ratio(prm) -> float:
    from numerics.sgd import ode
    rk, s, t = prm["rho_k"], prm["s"], prm["t_frac"] * 0.05 / _KAPPA1 if "t_frac" in prm else prm["t"]
    coef = tuple(s * c for c in _C6_COEF)
    W0 = np.array([[rk, math.sqrt(1 - rk * rk)]])
    _, W = ode.integrate_mse_ode([0.0], W0, [1.0, 0.0], [0.0, t], coef, kernel=_C6_COEF, tau_a=1.0)
    F_ode = forgetting(rk, float(W[-1, 0, 0]))
    ph = s * (rk**2 + rk**3)
    dph = s * (2 * rk + 3 * rk**2)
    F_e14 = float(_e14_rhs()(ph, dph, rk, t))     # the running claim's (E14)
    return F_ode / F_e14


_SYM = sp.symbols("phi phi_p rho_k t", real=True)


def _e14_rhs():
    """The running statement's right-hand side as a function of (φ(ρ_k), φ'(ρ_k), ρ_k, t)."""
    names = {str(v): v for v in sp.sympify(current_statement()).free_symbols}
    return statement_function([names.get(str(x), x) for x in _SYM], part="rhs")


@lru_cache(maxsize=1)
def _e10_onset_series() -> sp.Expr:
    """F(t) of one off-target neuron under (E10) (readout a(0) = 0, τ_a = 1, no other neuron: da/dt =
    φ(ρ) − κ(1)a, dρ/dt = aφ'(ρ)(1 − ρ²)), solved order by order in t for a generic smooth φ and
    expanded through t⁴ with (E5): the Taylor polynomial the statement's (E14) must equal."""
    t, rk, phi, php, phpp, k1 = sp.symbols("t rho_k phi phi_p phi_pp kappa1", real=True)
    N = 3
    A, R = sp.symbols(f"A1:{N + 1}"), sp.symbols(f"R1:{N + 1}")
    a = sum(A[n] * t ** (n + 1) for n in range(N))
    dr = sum(R[n] * t ** (n + 1) for n in range(N))
    eq_a = sp.expand(sp.diff(a, t) - (phi + php * dr + phpp * dr**2 / 2 - k1 * a))
    eq_r = sp.expand(sp.diff(dr, t) - a * (php + phpp * dr) * (1 - (rk + dr) ** 2))
    sol: dict = {}
    for n in range(N):
        sol.update(sp.solve([eq_a.coeff(t, n).subs(sol), eq_r.coeff(t, n).subs(sol)], [A[n], R[n]], dict=True)[0])
    rho = rk + dr.subs(sol)
    F = (sp.sqrt(1 - rk**2) * rho - rk * sp.sqrt(1 - rho**2)) ** 2       # (E5), stable form
    return sp.expand(sp.series(F, t, 0, 5).removeO())


def _e14_from_e10():
    """SymPy: the running statement's rhs equals the t⁴ Taylor polynomial of F under (E10)."""
    from theory import Proof
    stmt = current_statement()
    names = {str(v): v for v in stmt.free_symbols}
    rhs = stmt.rhs.xreplace({names[str(x)]: sp.Symbol(str(x), real=True) for x in _SYM if str(x) in names})
    series = _e10_onset_series()
    diff = sp.simplify(sp.expand(series - rhs))
    ok = diff == 0 and str(stmt.lhs) == "F"
    return Proof(bool(ok), "sympy: order-by-order Taylor solution of (E10) through t⁴, then (E5)",
                 f"F(t) = {sp.factor(series)} + O(t⁵); statement: {stmt}; difference {diff}", {})


register(Claim(
    id="sgd.c6_h4_onset", spec_id="SGD-C6", mechanism="H4",
    title="H4 onset (E14): SFT (S3) forgetting starts as ¼(φφ')²(1−ρ_k²)t⁴, for either sign of s",
    citation=_awano("not in the abstract; onset under mechanism H4", "§3.2 H4 (E14), §2.4 (E10), §4 SGD-C6"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(sp.Symbol("F"), sp.Rational(1, 4) * (sp.Symbol("phi") * sp.Symbol("phi_p")) ** 2 *
                            (1 - sp.Symbol("rho_k") ** 2) * sp.Symbol("t") ** 4),
    assumptions=("single off-target neuron, readout a_u(0) = 0, τ_a = 1 (S3)", "t ≤ 0.05/κ(1)",
                 "label h_2 + h_3 (sign s), activation h_2 + h_3"),
    domain=Domain((Param("rho_k", float, 0.1, 0.9), Param("s", int, -1, 1), Param("t_frac", float, 0.05, 1.0)),
                  (Constraint("s = ±1", lambda p: p["s"] != 0, ("s",)),)),
    checks=(
        SymbolicCheck("e14-is-taylor-of-e10", prove=_e14_from_e10, provenance="DERIVED ((E10), (E5))"),
        PropertyCheck("e14-vs-e10", margin=lambda p: 0.1 - abs(_c6_ratio(p) - 1.0),
                      provenance="DERIVED ((E10) integrated at rtol 1e-12)"),
        CounterexampleCheck("late-times", margin=lambda p: 0.1 - abs(_c6_ratio(p) - 1.0),
                            domain=Domain((Param("rho_k", float, 0.1, 0.9), Param("s", int, -1, 1),
                                           Param("t", float, 1.0 / _KAPPA1, 10.0 / _KAPPA1)),
                                          (Constraint("s = ±1", lambda p: p["s"] != 0, ("s",)),)),
                            dropped="t ≤ 0.05/κ(1)", min_violation=C_VIOL),
        NumericCheck("w2s-gated-sgd-exact-zero", run=_c2_h4_exact, provenance="DERIVED (mechanism H4)"),
    ),
))

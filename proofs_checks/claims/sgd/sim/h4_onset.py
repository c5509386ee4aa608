"""SGD-C6 (H4): SFT (S3) forgetting starts as ¼(φφ')²(1−ρ_k²)t⁴ (E14), for either sign of the label
(Awano & Suzuki, arXiv 2605.12908; spec sgd_dynamics.md §2.4 (E10), §3.2 H4 (E14), §4 SGD-C6)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from ...._claim import Claim, CounterexampleCheck, NumericCheck, PropertyCheck
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
    F_e14 = 0.25 * (ph * dph) ** 2 * (1 - rk * rk) * t**4
    return F_ode / F_e14


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

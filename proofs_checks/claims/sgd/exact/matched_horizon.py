"""Public API: forgetting F of an off-target neuron at the matched horizon — the probe's time
m_0 → ρ* = 0.9 (spec sgd_dynamics.md §3.1; closed form via (E7), general φ via the ODE (E3)
and (E5))."""
from __future__ import annotations

import math

import numpy as np

from numerics.sgd import ode as node
from theory.sgd import closed_forms as cf

from ...._domain import Domain, Param
from ...._errors import ParameterError


_MH_DOMAIN = Domain(
    (Param("p", int, 1, 12), Param("m0", float, 0.0, 0.9, low_open=True, high_open=True),
     Param("rho_k", float, -1.0, 1.0, low_open=True, high_open=True)),
)


def matched_horizon_F(p: int, m0: float, rho_k: float) -> float:
    """F of an off-target neuron at ρ_k after the probe horizon m_0 → ρ* = 0.9 (spec §3.1)."""
    v = _MH_DOMAIN.validate({"p": p, "m0": m0, "rho_k": rho_k})
    return float(cf.matched_horizon_F(v["p"], v["m0"], v["rho_k"], dps=20))


def matched_horizon_F_phi(phi: tuple[float, ...], m0: float, rho_k: float) -> float:
    """Matched-horizon F for a general φ (ODE): the probe's time m_0 → ρ* = 0.9 under φ, then
    the off-target neuron at ρ_k for that time; (E5).  The probe must reach ρ*."""
    v = _MH_DOMAIN.validate({"p": 1, "m0": m0, "rho_k": rho_k})
    t_w = node.hitting_time(phi, v["m0"], 0.9, t_max=1e7)
    if not math.isfinite(t_w):
        raise ParameterError("phi", "<coefficients>", "a correlation function whose flow takes m0 to 0.9 "
                             "(no elicitation otherwise)")
    rho = node.integrate_overlap(phi, v["rho_k"], np.array([0.0, t_w]))[-1]
    return float(node.forgetting(v["rho_k"], rho))

"""Public API: validation of SGD model parameters and of the mechanism label
(spec sgd_dynamics.md §1.4 model parameters, §3.2 mechanisms H1..H4)."""
from __future__ import annotations

from typing import Any

from ...._domain import Constraint, Domain, Param
from ...._errors import ParameterError


MECHANISMS = ("H1", "H2", "H3", "H4")


SGD_PARAMS = Domain(
    (Param("d", int, 2, None, doc="ambient dimension"),
     Param("r", int, 1, None, default=1, doc="subspace dimension"),
     Param("rho", float, -1.0, 1.0, default=0.0, doc="correlation ρ_k = ⟨u_k, θ⟩"),
     Param("eta", float, 0.0, None, low_open=True, default=1e-3, doc="SGD step size"),
     Param("m0", float, 0.0, 0.9, low_open=True, high_open=True, default=0.1, doc="probe overlap")),
    (Constraint("r <= d", lambda v: v["r"] <= v["d"], ("r", "d")),),
)


def check_mechanism(mechanism: Any) -> str | None:
    """``None`` or one of H1..H4 (spec §3.2); anything else raises ParameterError."""
    if mechanism is None or mechanism in MECHANISMS:
        return mechanism
    raise ParameterError("mechanism", mechanism, "one of " + ", ".join(MECHANISMS) + " (or None)")


def validate_sgd_params(**params: Any) -> dict[str, Any]:
    """Validate d >= 2, 1 <= r <= d, |ρ| <= 1, η > 0, 0 < m_0 < 0.9 and the mechanism."""
    mech = check_mechanism(params.pop("mechanism", None))
    out = SGD_PARAMS.validate(params)
    out["mechanism"] = mech
    return out

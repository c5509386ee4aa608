"""SGD dynamics, exact tier (spec ../shared/spec/sgd_dynamics.md §4: SGD-A1..A12, SGD-N1).

Binds :mod:`theory.sgd` (SymPy/mpmath: Hermite engine, closed forms, symbolic proofs) to
:mod:`numerics.sgd` (ODE integrators, Monte Carlo, quadrature).  Tier A and N1 are
[DERIVED] in the spec (the paper body of Awano & Suzuki is not public): every claim here
is labelled DERIVED.  Tier B/C (finite-d SGD) live in :mod:`proofs_checks.claims.sgd.sim` and :mod:`proofs_checks.claims.sgd.rates`.

Public API (validated; bad input raises :class:`proofs_checks.ParameterError`):
``validate_sgd_params``, ``check_mechanism``, ``matched_horizon_F``, ``matched_horizon_F_phi``,
``Encoding``, ``encoding_from_hermite``, ``n1_guard``.  Importing this package registers one
claim per module below, in spec order.
"""
from __future__ import annotations

from ._shared import FALSE_ALARM, awano
from .encoding_guard import Encoding, GuardVerdict, encoding_from_hermite, n1_guard
from .matched_horizon import matched_horizon_F, matched_horizon_F_phi
from .validation import MECHANISMS, SGD_PARAMS, check_mechanism, validate_sgd_params

from . import hermite_orthogonality  # noqa: E402,F401  SGD-A1
from . import spherical_gradient  # noqa: E402,F401  SGD-A2
from . import flow_invariants  # noqa: E402,F401  SGD-A3
from . import plane_invariance  # noqa: E402,F401  SGD-A4
from . import closed_forms  # noqa: E402,F401  SGD-A5
from . import fixed_point  # noqa: E402,F401  SGD-A6
from . import asymptotic_forgetting  # noqa: E402,F401  SGD-A7
from . import escape_time  # noqa: E402,F401  SGD-A8
from . import ie_lowering  # noqa: E402,F401  SGD-A9
from . import relu_coefficients  # noqa: E402,F401  SGD-A10
from . import relu_kernel  # noqa: E402,F401  SGD-A11
from . import horizon_formula  # noqa: E402,F401  SGD-A12
from . import matched_horizon_guard  # noqa: E402,F401  SGD-N1
from .matched_horizon_guard import SPEC_N1_RHO, SPEC_N1_TABLE

__all__ = ["FALSE_ALARM", "MECHANISMS", "SGD_PARAMS", "SPEC_N1_RHO", "SPEC_N1_TABLE", "Encoding", "GuardVerdict",
           "awano", "check_mechanism", "encoding_from_hermite", "matched_horizon_F", "matched_horizon_F_phi",
           "n1_guard", "validate_sgd_params"]

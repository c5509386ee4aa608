"""The SGD-dynamics family (Awano & Suzuki, arXiv 2605.12908; spec ../shared/spec/sgd_dynamics.md).

Only the paper's abstract is public: the model is DERIVED, and tier C holds only under the named
mechanism H1-H4.  One family, one package:

- :mod:`.exact`: the exact tier (SGD-A1..A12, SGD-N1), SymPy/mpmath against ODEs and quadrature;
- :mod:`.sim`: finite-d simulation (tier B4 and tier C, the ``sgd.forgetting`` table);
- :mod:`.rates`: the tier-B rate claims (SGD-B2, SGD-B3).

Importing this package registers every claim of the family, in that order.  The exact tier's public
API is re-exported here.
"""
from __future__ import annotations

from .exact import (FALSE_ALARM, MECHANISMS, SGD_PARAMS, SPEC_N1_RHO, SPEC_N1_TABLE, Encoding, GuardVerdict, awano,
                    check_mechanism, encoding_from_hermite, matched_horizon_F, matched_horizon_F_phi, n1_guard,
                    validate_sgd_params)
from . import sim  # noqa: E402,F401  tier B4 and C
from . import rates  # noqa: E402,F401  tier B2, B3

__all__ = ["FALSE_ALARM", "MECHANISMS", "SGD_PARAMS", "SPEC_N1_RHO", "SPEC_N1_TABLE", "Encoding", "GuardVerdict",
           "awano", "check_mechanism", "encoding_from_hermite", "matched_horizon_F", "matched_horizon_F_phi",
           "n1_guard", "validate_sgd_params"]

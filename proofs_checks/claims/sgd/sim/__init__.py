"""SGD-dynamics claims checked by finite-d simulation (spec: ../shared/spec/sgd_dynamics.md, tiers B and C;
Awano & Suzuki, arXiv 2605.12908).

Binds the simulators ``numerics.sgd.sim_*`` (numpy reference, numba, torch; the reduced
exact chain) and the population predictions (``numerics.sgd.sim_ode``, closed forms (E7),
(E12)) to the spec's tier-B rates and tier-C paper-level claims.  Tier C is asserted only
under an explicit mechanism (``Claim.mechanism``); the quantitative checks carry the
DERIVED provenance of the mechanism, the claim the spec's PAPER tag.

Importing this package registers one claim module after another (in the order below), then
the ``sgd.forgetting`` table; helpers shared by several claims live in ``_shared`` and
``population``.
"""
from __future__ import annotations

from . import finite_d_correction  # noqa: E402,F401  SGD-B4
from . import weak_recovery  # noqa: E402,F401  SGD-B1
from . import preservation  # noqa: E402,F401  SGD-C2 (H4, H2, H1)
from . import sft_forgetting  # noqa: E402,F401  SGD-C3 (H1, H2)
from . import elicitation  # noqa: E402,F401  SGD-C1 (H1)
from . import efficiency  # noqa: E402,F401  SGD-C4 (H1)
from . import h2_cost  # noqa: E402,F401  SGD-C5 (H2)
from . import h4_onset  # noqa: E402,F401  SGD-C6 (H4)
from . import tables  # noqa: E402,F401  the sgd.forgetting table

# names other code uses as `proofs_checks.claims.sgd.sim.<name>` (sgd.rates, tests/sgd_sim)
from ._shared import FA, M0, SPEC, _hp, _median_se, simulate
from .h2_cost import _c5_symbols
from .population import G, evolve, f_matched, forgetting, k_factor, t_escape

__all__ = ["FA", "G", "M0", "SPEC", "_c5_symbols", "_hp", "_median_se", "evolve", "f_matched", "forgetting",
           "k_factor", "simulate", "t_escape"]

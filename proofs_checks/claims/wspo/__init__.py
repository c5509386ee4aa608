"""WSPO claims (spec: ../shared/spec/wspo.md, WSPO-1..14; Zhu et al., arXiv 2410.18640), binding
theory.wspo (exact SymPy) to numerics.wspo (numpy reference, torch on any device).

Provenance follows the spec: WSPO-1 is the [CODE] loss; everything else is [DERIVED]
(WSPO-2 pairs a [PAPER]-shaped objective with the [CODE] γ placement).  The paper's own
statement of the objective is unverified; no DERIVED bound is presented as the paper's.

Importing this package registers every claim (one module per claim, in spec order) and the
tables; helpers shared by several claims live in `_shared`.
"""
from __future__ import annotations

from . import (loss, rescaling, tilt, normalizer, on_policy, weak_recovery, implied_reward,  # noqa: F401, I001
               amplification_monotone, amplification_equal_refs, token_vs_sequence, support, gaussian, gradient,
               finite_sample, tables)
# names the tests use as `proofs_checks.claims.wspo.<name>`
from ._shared import GAMMA_GRID, SAME, _instance
from .amplification_equal_refs import EQ_REFS, _amp_equal_margin, _amp_v2_margin
from .amplification_monotone import _monotone_margin
from .finite_sample import _rate_runs
from .gaussian import GAUSS, _lam_margin
from .tables import SWEEP_GAMMAS
from .weak_recovery import _recovery_fit

__all__ = ["EQ_REFS", "GAMMA_GRID", "GAUSS", "SAME", "SWEEP_GAMMAS", "_amp_equal_margin", "_amp_v2_margin",
           "_instance", "_lam_margin", "_monotone_margin", "_rate_runs", "_recovery_fit"]

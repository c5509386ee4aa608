"""MISFIT claims (spec: ../shared/spec/misfit.md), binding theory.misfit to numerics.misfit.

Claims MISFIT-1..10 (Charikar et al. 2024, arXiv:2405.15116; Mulgund & Pabbaraju 2025, arXiv:2501.19105)
and the §5.1 reproduction (``misfit.replication`` plus its table).  Importing this package registers
every claim, in spec order; one submodule per claim or small group of related claims."""
from __future__ import annotations

from . import (pythagorean, convex_heads, subspace_equality, model_selection,  # noqa: F401  (registration order)
               nonrealizable, subspace_identity, erm_bound, erm_gap_law, bregman_three_point, kl_inequality,
               invariances, replication, tables, kmixture)
from .convex_heads import TU, _segment_margin
from .kl_inequality import _kl_margin
from .nonrealizable import _nonreal_terms
from .replication import _REPLICA_CACHE, _replica_cfg

__all__ = ["TU", "_REPLICA_CACHE", "_kl_margin", "_nonreal_terms", "_replica_cfg", "_segment_margin"]

"""REFINE claims (spec: ../shared/spec/refinement.md), binding theory.refinement to
numerics.refinement.  Somerstep, Polo et al., arXiv 2405.16236.

Every formula is [DERIVED] in the spec's canonical toy model unless tagged otherwise; the
paper's own constants are unknown and never asserted (spec §0).  One module per claim
(REFINE-1..15, imported below in spec order, which registers them); shared helpers in
``_shared``, common domain parameters in ``_params``, tables in ``tables``:
refine.llm_results (transcribed [CODE]), refine.risk_curves and refine.crossover (simulated).
"""
from __future__ import annotations

from ..._domain import Param
from . import (bias_quantities, naive_risk, floor, infimum, lambda0, noisy_rate, hull_bias,  # noqa: F401  registers
               icl_decay, success_condition, refine_then_finetune, crossover, robustness, outside_hull,
               official_scores, evaluation_criterion, tables)
from ._params import C_D, C_N, P_A1, P_D, P_DELTA, P_ETA, P_K, P_KAPPA, P_LAM, P_M, P_N, P_SIGMA, P_ZETA, dom
from ._shared import ARXIV, FA, alpha_from, cite, hyp_points, model_from, naive_abc
from .crossover import crossover_numbers
from .icl_decay import DECAY_CASES, _decay_numeric, decay_measure
from .naive_risk import two_sample_ok
from .official_scores import score_slacks

__all__ = ["ARXIV", "C_D", "C_N", "DECAY_CASES", "FA", "P_A1", "P_D", "P_DELTA", "P_ETA", "P_K", "P_KAPPA", "P_LAM",
           "P_M", "P_N", "P_SIGMA", "P_ZETA", "Param", "alpha_from", "cite", "crossover_numbers", "decay_measure",
           "dom", "hyp_points", "model_from", "naive_abc", "score_slacks", "two_sample_ok"]

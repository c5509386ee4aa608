"""Simulators of the REFINE toy concept model (spec refinement.md §3): numpy reference,
numba kernels, torch batched over replications.  No SymPy here."""
from ._compare import KEYS, compare_estimators, draw, project_simplex
from ._estimates import exp_slope_fit, population_risk
from ._model import ConceptModel, check_m, concept_model
from ._reference import (fresh_refine_risks, hull_risks, misalignment, naive_risks, posterior,
                         posterior_from_draws, project_cone_T, refined_risk)

__all__ = ["KEYS", "ConceptModel", "check_m", "compare_estimators", "concept_model", "draw", "exp_slope_fit", "fresh_refine_risks",
           "hull_risks", "misalignment", "naive_risks", "population_risk", "posterior", "posterior_from_draws", "project_cone_T",
           "project_simplex", "refined_risk"]

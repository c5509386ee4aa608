"""Simulators for the MISFIT family (numpy reference, numba, torch)."""
from ._geometry import gap, gap_mp, inner, sqdist
from ._instances import (HeadInstance, ball_instance, erm_instance, hull_instance, mixture_instance,
                         random_weights, subspace_instance)
from ._kl import (bregman_gap, first_order_violation, forward_kl_projection, kl, mix, random_softmax,
                  reverse_kl_projection)
from ._ols_gap import (expected_gap, gap_samples_bartlett, gap_samples_direct, gap_samples_numba,
                       gap_samples_torch)
from ._projections import (ball_coef, ball_coef_numba, hull_coef, ols_coef, project_simplex,
                           project_simplex_numba)
from ._replication import LineFit, ReplicaConfig, ReplicaResult, draw, fit_line, run_numpy, run_torch, task_terms

__all__ = [
    "HeadInstance", "LineFit", "ReplicaConfig", "ReplicaResult", "ball_coef", "ball_coef_numba", "ball_instance",
    "bregman_gap", "draw", "erm_instance", "expected_gap", "first_order_violation", "fit_line",
    "forward_kl_projection", "gap", "gap_mp", "gap_samples_bartlett", "gap_samples_direct", "gap_samples_numba",
    "gap_samples_torch", "hull_coef", "hull_instance", "inner", "kl", "mix", "mixture_instance", "ols_coef",
    "project_simplex", "project_simplex_numba", "random_softmax", "random_weights", "reverse_kl_projection",
    "run_numpy", "run_torch", "sqdist", "subspace_instance", "task_terms",
]
from ._kmixture import fit_softmax_reverse_kl, kmixture_instance  # noqa: E402

__all__ += ["fit_softmax_reverse_kl", "kmixture_instance"]

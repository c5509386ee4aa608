"""Simulators (numpy reference, numba kernels, torch) and statistics; no SymPy here."""
from ._backends import BACKENDS, DEVICES, check_backend, check_device, cuda_available, derive_seed, rng, torch_generator
from ._stats import (CHECK_FALSE_ALARM, MAX_STATISTICAL_CHECKS, SUITE_FALSE_ALARM, BinomialCI, DegenerateSample,
                     Equivalence, MeanCI,
                     SlopeFit, clopper_pearson, loglog_slope, mean_ci, tost, z_two_sided)
from ._validate import InvalidParameter, check_int, check_prob_vector, check_psd, check_real

__all__ = [
    "BACKENDS", "CHECK_FALSE_ALARM", "DEVICES", "MAX_STATISTICAL_CHECKS", "SUITE_FALSE_ALARM", "BinomialCI",
    "DegenerateSample", "Equivalence", "clopper_pearson", "tost", "InvalidParameter", "MeanCI", "SlopeFit", "check_backend", "check_device",
    "check_int", "check_prob_vector", "check_psd", "check_real", "cuda_available", "derive_seed",
    "loglog_slope", "mean_ci", "rng", "torch_generator", "z_two_sided",
]

"""Simulators (numpy reference, numba kernels, torch) and statistics; no SymPy here."""
from ._backends import BACKENDS, DEVICES, check_backend, check_device, cuda_available, derive_seed, rng, torch_generator
from ._stats import MeanCI, SlopeFit, loglog_slope, mean_ci, z_two_sided
from ._validate import InvalidParameter, check_int, check_prob_vector, check_psd, check_real

__all__ = [
    "BACKENDS", "DEVICES", "InvalidParameter", "MeanCI", "SlopeFit", "check_backend", "check_device",
    "check_int", "check_prob_vector", "check_psd", "check_real", "cuda_available", "derive_seed",
    "loglog_slope", "mean_ci", "rng", "torch_generator", "z_two_sided",
]

"""Simulators for the MISFIT family (numpy reference, numba, torch)."""
from ._geometry import gap, gap_mp, inner, sqdist

__all__ = ["gap", "gap_mp", "inner", "sqdist"]

"""REFINE family (Somerstep, Polo et al., arXiv 2405.16236): SymPy statements and exact
proofs for the canonical toy concept model of spec ../shared/spec/refinement.md.

Every formula is [DERIVED] for this project unless the claim says otherwise (spec §0).
"""
from . import _icl as icl
from . import _naive as naive
from . import _scores as scores

__all__ = ["icl", "naive", "scores"]

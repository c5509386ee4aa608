"""Pure SymPy/mpmath statements and derivations for the W2S papers (no simulation).

This package never imports :mod:`numerics`; :mod:`proofs_checks` binds the two.
"""
from ._proof import Proof, prove_certificate, prove_identity, prove_interval

__all__ = ["Proof", "prove_certificate", "prove_identity", "prove_interval"]

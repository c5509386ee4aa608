"""SGD dynamics of feature elicitation (spec sgd_dynamics.md; Awano & Suzuki, arXiv 2605.12908):
the exact Hermite engine (:mod:`.hermite`), Gaussian identities and the ReLU kernel
(:mod:`.gaussian`), pure-exponent closed forms (:mod:`.closed_forms`) and the symbolic
overlap dynamics (:mod:`.overlap_ode`).  SymPy/mpmath only; never imports :mod:`numerics`."""
from . import closed_forms, gaussian, hermite, overlap_ode

__all__ = ["closed_forms", "gaussian", "hermite", "overlap_ode"]

"""Common REFINE domain parameters and constraints (refinement.md §3 suggested ranges) for the toy
model of Somerstep, Polo et al., arXiv 2405.16236; ``dom`` adds the constraints its parameters need."""
from __future__ import annotations

from ..._domain import Constraint, Domain, Param

P_K = Param("K", int, 2, 8, doc="number of concepts")
P_A1 = Param("a1", float, 0.01, 0.9, doc="alpha_1 (prior weight of the target concept)")
P_ZETA = Param("zeta", float, -2.0, 2.0, doc="shape of alpha_2..K: alpha_k ∝ exp(-zeta (k-2))")
P_KAPPA = Param("kappa", float, -1.0, 2.0, doc="weak-model strength on beta_1")
P_DELTA = Param("delta", float, 0.0, 2.0, doc="orthogonal bias size Delta")
P_ETA = Param("eta", float, 0.0, 3.0, doc="extra weak-label noise")
P_SIGMA = Param("sigma", float, 0.3, 3.0, doc="label noise of P, Q")
P_LAM = Param("lam", float, 0.0, 10.0, doc="ridge-to-prior strength lambda")
P_D = Param("d", int, 3, 50, doc="feature dimension")
P_N = Param("n", int, 5, 10_000, log_scale=False, doc="fine-tuning sample size")
P_M = Param("m", int, 0, 64, doc="n_ICL")
C_D = Constraint("d >= K + 1", lambda p: p["d"] >= p["K"] + 1, ("d", "K"))
C_N = Constraint("n >= d + 2", lambda p: p["n"] >= p["d"] + 2, ("n", "d"))


def dom(*params: Param, constraints: tuple[Constraint, ...] = ()) -> Domain:
    names = {p.name for p in params}
    cs = tuple(c for c in (C_D, C_N) if set(c.names) <= names) + constraints
    return Domain(tuple(params), cs)

"""MISFIT-4(c): subspace identity gap = 2⟨Y − f_sw, Π_V F* − F*⟩ (Charikar et al. 2024,
arXiv:2405.15116, Theorem 2 subspace case; spec misfit.md §3 MISFIT-4(c))."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from .._common import charikar
from . import _bind
from ._shared import P_LE_M_MINUS_2, SEED, _ols_projections, _perturbed_subspace_instance


def _subid_terms(prm):
    """(simulated gap, the running statement's lhs and rhs, ε, misfit, err(Y)) for an OLS instance:
    f_sw = Π_V Y, Pi_V the weighted OLS projection onto the head span."""
    inst = _perturbed_subspace_instance(prm)
    fsw, fs = _ols_projections(inst)
    g = nm.gap(inst.fstar, inst.y, fsw, inst.w)
    proj = lambda v: inst.phi @ nm.ols_coef(inst.phi, v, inst.w)  # noqa: E731
    lhs, rhs = _bind.sides({"Y": inst.y, "F_*": inst.fstar, "f_sw": fsw},
                           _bind.l2_float(inst.fstar, inst.y, inst.w, proj))
    eps, mis = nm.sqdist(fs, inst.fstar, inst.w), nm.sqdist(fsw, inst.y, inst.w)
    return g, lhs, rhs, eps, mis, nm.sqdist(inst.y, inst.fstar, inst.w)


def _subid_margin(prm) -> float:
    """min(the consequence 2√(ε·misfit) − |gap|, rounding − |sim gap − rhs|, rounding − |sim gap − lhs|)."""
    g, lhs, rhs, eps, mis, e = _subid_terms(prm)
    return min(2 * np.sqrt(eps * mis) - abs(g), 1e-9 * e - abs(g - rhs), 1e-9 * e - abs(g - lhs)) + 1e-9 * e


def _subid_numeric(ctx) -> Outcome:
    r = ctx.rng("misfit.subspace_identity", "numeric")
    n = ctx.pick(200, 2000)
    worst, slack = 0.0, np.inf
    for _ in range(n):
        m = int(r.integers(3, 300))
        g, lhs, rhs, eps, mis, e = _subid_terms({"m": m, "p": int(r.integers(1, min(20, m - 2) + 1)),
                                              "perturb": float(r.uniform(0, 3)), "seed": int(r.integers(2**31))})
        worst = max(worst, abs(g - rhs) / e, abs(g - lhs) / e)
        slack = min(slack, (2 * np.sqrt(eps * mis) - abs(g)) / e)
    ok = worst <= 1e-12 and slack >= -1e-12
    return Outcome(ok, f"{n} instances: max |simulated gap − statement side|/err(Y) = {worst:.2e} over both sides "
                   f"(rtol 1e-12); "
                   f"min (2√(ε·misfit) − |gap|)/err(Y) = {slack:.3g}", ("max rel err", worst))


register(Claim(
    id="misfit.subspace_identity", spec_id="MISFIT-4",
    title="Subspace identity: gap = 2⟨Y − f_sw, Π_V F* − F*⟩, so |gap| ≤ 2√(ε·misfit)",
    citation=charikar("Theorem 2, subspace case", "misfit.md §3 MISFIT-4(c)"),
    provenance="DERIVED", statement=tm.subspace_identity_statement,
    assumptions=("V a subspace (affine heads)", "F* arbitrary"),
    domain=Domain((Param("m", int, 3, 500), Param("p", int, 1, 20), Param("perturb", float, 0.0, 3.0), SEED),
                  (P_LE_M_MINUS_2,)),
    checks=(
        SymbolicCheck("exact-projector", prove=lambda: tm.subspace_identity(stmt=_bind.stmt())),
        NumericCheck("ols-rtol", run=_subid_numeric),
        PropertyCheck("identity-and-bound", margin=_subid_margin),
    ),
))

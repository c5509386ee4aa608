"""MISFIT-3: gap = 0 exactly for subspace heads (Charikar et al. 2024, arXiv:2405.15116, Theorem 1
equality case; spec misfit.md §3 MISFIT-3)."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from .._common import charikar
from . import _bind
from ._shared import P_LE_M_MINUS_2, P_LT_M, SEED, _gap_terms, _ols_projections


SUB_DOMAIN = Domain((Param("m", int, 3, 2000), Param("p", int, 1, 50), SEED),
                    (P_LE_M_MINUS_2,))


def _sub_rel_gap(prm, realizable: bool = True) -> tuple[float, float, float, float]:
    """(lhs − rhs of the running statement, err(Y), misfit, ε) for OLS on a subspace instance
    (population = the m atoms)."""
    r = np.random.default_rng(prm["seed"])
    inst = nm.subspace_instance(r, prm["m"], prm["p"], realizable=realizable)
    fsw, fs = _ols_projections(inst)
    e, mis, es = _gap_terms(inst.fstar, inst.y, fsw, inst.w)
    return _bind.margin(_bind.gap_values(e, mis, es)), e, mis, nm.sqdist(fs, inst.fstar, inst.w)


def _sub_margin(prm) -> float:
    """Rounding tolerance minus |err(f_sw) − (err(Y) − misfit)| (the running statement's sides)."""
    g, e, _, _ = _sub_rel_gap(prm)
    return 1e-10 * max(e, 1e-300) - abs(g)


def _sub_numeric(ctx) -> Outcome:
    r = ctx.rng("misfit.subspace_equality", "numeric")
    n = ctx.pick(200, 2000)
    worst = 0.0
    for _ in range(n):
        m = int(r.integers(3, ctx.pick(200, 2000)))
        prm = {"m": m, "p": int(r.integers(1, min(50, m - 2) + 1)), "seed": int(r.integers(2**31))}
        g, e, _, _ = _sub_rel_gap(prm)
        worst = max(worst, abs(g) / e)
    return Outcome(worst <= 1e-12, f"{n} OLS instances: max |lhs − rhs|/err(Y) of the statement = {worst:.2e} (rtol 1e-12 from rounding; "
                   "deterministic, no sampling)", ("max rel |gap|", worst))


def _active_ball_margin(prm) -> float:
    """Equality assertion |gap| ≤ 1e-9·err(Y) on an *active* norm ball: must fail."""
    r = np.random.default_rng(prm["seed"])
    inst = nm.ball_instance(r, prm["m"], prm["p"], 1.0)
    a_ols = nm.ols_coef(inst.phi, inst.y, inst.w)
    R = prm["shrink"] * float(np.linalg.norm(a_ols))
    inst = nm.HeadInstance(inst.phi, inst.w, inst.y, inst.phi @ (inst.coef_star * min(1.0, R)), None)
    a, _ = nm.ball_coef(inst.phi, inst.y, inst.w, R)
    e, mis, es = _gap_terms(inst.fstar, inst.y, inst.phi @ a, inst.w)
    return 1e-9 - abs(_bind.margin(_bind.gap_values(e, mis, es))) / e


register(Claim(
    id="misfit.subspace_equality", spec_id="MISFIT-3",
    title="Equality for subspace heads: gap = 0 exactly (population and in-sample OLS)",
    citation=charikar("Theorem 1, equality case for linear heads", "misfit.md §3 MISFIT-3"),
    provenance="DERIVED", statement=tm.subspace_equality_statement,
    assumptions=("V = span of affine heads (a subspace)", "F* ∈ V"),
    domain=SUB_DOMAIN,
    checks=(
        SymbolicCheck("exact-projector", prove=lambda: tm.subspace_equality(stmt=_bind.stmt())),
        NumericCheck("ols-rtol", run=_sub_numeric),
        PropertyCheck("|gap|<=rounding", margin=_sub_margin),
        CounterexampleCheck("active-ball-equality-fails", margin=_active_ball_margin, dropped="V a subspace",
                            domain=Domain((Param("m", int, 3, 30), Param("p", int, 1, 5),
                                           Param("shrink", float, 0.05, 0.9), SEED),
                                          (P_LT_M,)),
                            min_violation=1e-3),
    ),
))

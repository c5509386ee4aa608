"""MISFIT-10: scaling (s²), shift and reparametrisation invariances of the gap (Charikar et al. 2024,
arXiv:2405.15116, setting of Theorem 1; spec misfit.md §3 MISFIT-10)."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Constraint, Domain, Param
from ..._registry import register
from .._common import charikar
from . import _bind
from ._shared import P_LE_M_MINUS_2, SEED


INV_DOMAIN = Domain((Param("m", int, 3, 300), Param("p", int, 1, 10), Param("s", float, -100.0, 100.0),
                     Param("shift", float, -100.0, 100.0), SEED),
                    (P_LE_M_MINUS_2,
                     Constraint("|s| >= 1e-3", lambda d: abs(d["s"]) >= 1e-3, ("s",))))


def _inv_errors(prm) -> tuple[float, float, float]:
    """Relative errors |lhs − rhs| of the running statement's three relations (scaling, shift,
    reparametrisation) on a random affine-head instance, gap(F*, Y, h_s) the gap of the weighted
    OLS projection onto span(h_s)."""
    r = np.random.default_rng(prm["seed"])
    inst = nm.subspace_instance(r, prm["m"], prm["p"], realizable=False)
    phi, w, y, F = inst.phi, inst.w, inst.y, inst.fstar

    def gap_of(F_, y_, phi_):
        return nm.gap(F_, y_, phi_ @ nm.ols_coef(phi_, y_, w), w)

    e = nm.sqdist(y, F, w) + nm.sqdist(phi @ nm.ols_coef(phi, y, w), y, w)
    s, c = prm["s"], prm["shift"]
    A = r.standard_normal((phi.shape[1], phi.shape[1])) + 3 * np.eye(phi.shape[1])
    vals = {"F_*": F, "Y": y, "h_s": phi, "A": A, "s": s, "c": c}
    scales = (s * s * e, e + c * c, e)
    out = []
    for i, sc in enumerate(scales):
        lhs, rhs = _bind.sides(vals, {"gap": gap_of}, index=i)
        out.append(abs(lhs - rhs) / sc)
    return out[0], out[1], out[2]


def _inv_margin(prm) -> float:
    """1e-10 − the largest relative error; a side that is not a real number (nan) violates its
    relation, margin −1."""
    errs = _inv_errors(prm)
    return 1e-10 - max(errs) if np.all(np.isfinite(errs)) else -1.0


def _inv_numeric(ctx) -> Outcome:
    r = ctx.rng("misfit.invariances", "numeric")
    n = ctx.pick(200, 2000)
    worst = np.zeros(3)
    for _ in range(n):
        m = int(r.integers(3, 300))
        prm = {"m": m, "p": int(r.integers(1, min(10, m - 2) + 1)), "s": float(r.uniform(-100, 100)),
               "shift": float(r.uniform(-100, 100)), "seed": int(r.integers(2**31))}
        worst = np.maximum(worst, _inv_errors(prm))
    return Outcome(bool(np.all(worst <= 1e-10)), f"{n} affine-head instances: max relative error scaling "
                   f"{worst[0]:.2e}, shift {worst[1]:.2e}, reparametrisation Φ→ΦA {worst[2]:.2e} (rtol 1e-10)",
                   ("max rel err", float(worst.max())))


register(Claim(
    id="misfit.invariances", spec_id="MISFIT-10",
    title="Invariances: scaling (s²), common shift, reparametrisation of h_s",
    citation=charikar("setting of Theorem 1 (invariances of the L² geometry)", "misfit.md §3 MISFIT-10"),
    provenance="DERIVED", statement=tm.invariance_statement,
    assumptions=("affine heads (V contains the constants)", "A invertible"),
    domain=INV_DOMAIN,
    checks=(
        SymbolicCheck("exact", prove=lambda: tm.invariances(stmt=_bind.stmt())),
        NumericCheck("rtol-1e-10", run=_inv_numeric),
        PropertyCheck("invariant", margin=_inv_margin),
    ),
))

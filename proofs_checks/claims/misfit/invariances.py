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
from ._shared import P_LE_M_MINUS_2, SEED


INV_DOMAIN = Domain((Param("m", int, 3, 300), Param("p", int, 1, 10), Param("s", float, -100.0, 100.0),
                     Param("shift", float, -100.0, 100.0), SEED),
                    (P_LE_M_MINUS_2,
                     Constraint("|s| >= 1e-3", lambda d: abs(d["s"]) >= 1e-3, ("s",))))


def _inv_errors(prm) -> tuple[float, float, float]:
    """Relative errors of the three invariances on a random affine-head instance."""
    r = np.random.default_rng(prm["seed"])
    inst = nm.subspace_instance(r, prm["m"], prm["p"], realizable=False)
    phi, w, y, F = inst.phi, inst.w, inst.y, inst.fstar

    def gap_of(phi_, y_, F_):
        return nm.gap(F_, y_, phi_ @ nm.ols_coef(phi_, y_, w), w)

    g0 = gap_of(phi, y, F)
    e = nm.sqdist(y, F, w) + nm.sqdist(phi @ nm.ols_coef(phi, y, w), y, w)
    s, c = prm["s"], prm["shift"]
    e_scale = abs(gap_of(phi, s * y, s * F) - s * s * g0) / (s * s * e)
    e_shift = abs(gap_of(phi, y + c, F + c) - g0) / (e + c * c)
    A = r.standard_normal((phi.shape[1], phi.shape[1])) + 3 * np.eye(phi.shape[1])
    e_rep = abs(gap_of(phi @ A, y, F) - g0) / e
    return e_scale, e_shift, e_rep


def _inv_margin(prm) -> float:
    return 1e-10 - max(_inv_errors(prm))


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
        SymbolicCheck("exact", prove=tm.invariances),
        NumericCheck("rtol-1e-10", run=_inv_numeric),
        PropertyCheck("invariant", margin=_inv_margin),
    ),
))

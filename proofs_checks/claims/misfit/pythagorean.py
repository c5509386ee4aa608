"""MISFIT-1: three-point (Pythagorean) identity for the gap (Charikar et al. 2024, arXiv:2405.15116,
identity behind Theorem 1, Fig. 1; spec misfit.md §3 MISFIT-1)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from .._common import charikar
from . import _bind


def _vectors_strategy() -> st.SearchStrategy:
    """Three vectors z, p, Y and positive weights on m atoms, entries spanning decades."""
    def build(m: int):
        val = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
        vec = st.lists(val, min_size=m, max_size=m).map(np.array)
        wts = st.lists(st.floats(1e-3, 1.0), min_size=m, max_size=m).map(lambda a: np.array(a) / np.sum(a))
        return st.fixed_dictionaries({"m": st.just(m), "z": vec, "p": vec, "y": vec, "w": wts})
    return st.integers(2, 50).flatmap(build)


def _pythagorean_margin(prm) -> float:
    """Rounding-scaled residual bound minus the residual of the running statement (lhs − rhs in
    float64, z = F*, p = f_sw): >= 0 when it holds to within 64·m·u·(scale), u the unit roundoff."""
    z, p, y, w = prm["z"], prm["p"], prm["y"], prm["w"]
    resid = _bind.margin({"Y": y, "F_*": z, "f_sw": p}, _bind.l2_float(z, y, w))
    scale = nm.sqdist(y, z, w) + nm.sqdist(p, y, w) + nm.sqdist(p, z, w) + 1e-300
    return 64 * prm["m"] * np.finfo(float).eps * scale - abs(resid)


def _pythagorean_numeric(ctx) -> Outcome:
    """float64 against an mpmath (dps 50) oracle on random instances (spec: rtol 1e-12): the
    simulated gap (float64) against the oracle gap, and the oracle gap against both sides of the
    running statement evaluated at dps 50."""
    import mpmath

    r = ctx.rng("misfit.pythagorean", "numeric")
    n = ctx.pick(200, 2000)
    worst = 0.0
    for _ in range(n):
        m = int(r.integers(2, 200))
        z, p, y = (r.standard_normal(m) * 10.0 ** r.uniform(-3, 3) for _ in range(3))
        w = r.uniform(0.01, 1, m)
        w /= w.sum()
        g64 = nm.gap(z, y, p, w)
        g, _ = nm.gap_mp(z, y, p, w)
        with mpmath.workdps(50):
            Z, P, Y, W = (_bind.mp_vec(a) for a in (z, p, y, w))
            lhs, rhs = _bind.sides({"Y": Y, "F_*": Z, "f_sw": P}, _bind.l2_mp(Z, Y, W), backend="mp")
            dl, dr = float(lhs - g), float(rhs - g)
        scale = float(nm.sqdist(y, z, w) + nm.sqdist(p, y, w) + nm.sqdist(p, z, w))
        worst = max(worst, abs(dl) / scale, abs(dr) / scale, abs(g64 - float(g)) / scale)
    return Outcome(worst <= 1e-12, f"{n} random instances: max relative error {worst:.2e} "
                   "(float64 gap vs dps-50 oracle gap vs the statement's lhs and rhs at dps 50; rtol 1e-12 from rounding analysis, not sampling)",
                   ("max rel err", worst))


register(Claim(
    id="misfit.pythagorean", spec_id="MISFIT-1", title="Three-point (Pythagorean) identity for the gap",
    citation=charikar("three-point identity behind Theorem 1 (Fig. 1 geometry)", "misfit.md §3 MISFIT-1"),
    provenance="DERIVED", statement=tm.pythagorean_statement,
    assumptions=("any Y, p, z in L²(P); here p = f_sw and z = F*",),
    domain=Domain((Param("m", int, 2, 2000, doc="number of atoms"),)),
    checks=(
        SymbolicCheck("expand-m3", prove=lambda: tm.pythagorean_identity(3, _bind.stmt())),
        NumericCheck("mpmath-oracle", run=_pythagorean_numeric),
        PropertyCheck("float64-residual", margin=_pythagorean_margin,
                      domain=Domain(strategy_override=_vectors_strategy, description="vectors and weights")),
    ),
))

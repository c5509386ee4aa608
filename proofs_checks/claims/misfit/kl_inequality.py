"""MISFIT-8: KL misfit inequality for the reverse-KL student on a mixture hull
(Mulgund & Pabbaraju 2025, arXiv:2501.19105, Theorem 1 Bregman/KL; spec misfit.md §3 MISFIT-8)."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from .._common import mulgund
from . import _bind
from ._shared import SEED


def _kl_stmt_margin(fstar, y, fsw, w) -> float:
    """The running statement's margin E KL(F*‖Y) − E KL(f_sw‖Y) − E KL(F*‖f_sw) on an instance."""
    return _bind.margin({"E_KL(F*||Y)": nm.kl(fstar, y, w), "E_KL(f_sw||Y)": nm.kl(fsw, y, w),
                         "E_KL(F*||f_sw)": nm.kl(fstar, fsw, w)})


KL_DOMAIN = Domain((Param("m", int, 1, 20, doc="atoms"), Param("c", int, 2, 10, doc="classes"),
                    Param("J", int, 2, 6, doc="predictors in the hull"), SEED))


def _kl_case(prm, forward: bool = False, y_in_hull: bool = False):
    """(statement margin, first-order violation, comps, w, y, F*, α); ``y_in_hull``: Y = Σγ_j g_j
    with γ ∈ Δ_J (then f_sw = Y and the bound holds with equality)."""
    r = np.random.default_rng(prm["seed"])
    comps, w, y, fstar = nm.mixture_instance(r, prm["m"], prm["c"], prm["J"])
    if y_in_hull:
        y = nm.mix(r.dirichlet(np.ones(prm["J"])), comps)
    if forward:
        a = nm.forward_kl_projection(comps, y, w)
        return _kl_stmt_margin(fstar, y, nm.mix(a, comps), w), 0.0, comps, w, y, fstar, a
    a, viol = nm.reverse_kl_projection(comps, y, w)
    return _kl_stmt_margin(fstar, y, nm.mix(a, comps), w), viol, comps, w, y, fstar, a


def _kl_margin(prm) -> float:
    """Statement margin + 1e-6 (the solver tolerance, spec MISFIT-8); and for Y ∈ V (f_sw = Y,
    attainment) 1e-6 − |margin|."""
    return min(_kl_case(prm)[0] + 1e-6, 1e-6 - abs(_kl_case(prm, y_in_hull=True)[0]))


def _kl_forward_margin(prm) -> float:
    return _kl_case(prm, forward=True)[0]


def _kl_numeric(ctx) -> Outcome:
    r = ctx.rng("misfit.kl_inequality", "numeric")
    n = ctx.pick(60, 300)
    viol, worst, worst_fo = 0, np.inf, 0.0
    fwd_fail, fwd_min, fwd_variant_fail = 0, np.inf, 0
    not_att, worst_att = 0, 0.0
    for _ in range(n):
        prm = {"m": int(r.integers(1, 21)), "c": int(r.integers(2, 11)), "J": int(r.integers(2, 7)),
               "seed": int(r.integers(2**31))}
        g, fo, comps, w, y, fstar, _ = _kl_case(prm)
        viol += g < -1e-6
        ga = _kl_case(prm, y_in_hull=True)[0]
        not_att += abs(ga) > 1e-6
        worst_att = max(worst_att, abs(ga))
        worst, worst_fo = min(worst, g), max(worst_fo, fo)
        # forward training (report only): reverse-misfit inequality and the forward-misfit variant
        af = nm.forward_kl_projection(comps, y, w)
        ff = nm.mix(af, comps)
        gf = _kl_stmt_margin(fstar, y, ff, w)
        fwd_fail += gf < -1e-6
        fwd_min = min(fwd_min, gf)
        fwd_variant_fail += (nm.kl(fstar, y, w) - nm.kl(y, ff, w) - nm.kl(fstar, ff, w)) < -1e-6
    return Outcome(viol == 0 and not_att == 0, f"{n} mixture hulls (m ≤ 20, c ∈ [2,10], J ∈ [2,6], probabilities "
                   f"≥ 1e-6): {viol} violations of the statement (margin ≥ −1e-6, SLSQP solver tolerance); min margin "
                   f"{worst:.3g}; max first-order violation {worst_fo:.2e}; attainment: with Y ∈ V (f_sw = Y) |margin| ≤ "
                   f"1e-6 in {n - not_att}/{n} (max {worst_att:.2e}; the bound is tight). Report only: forward-KL student fails the reverse-misfit "
                   f"inequality in {fwd_fail}/{n} (min {fwd_min:.3g}; spec ref 141/300, −0.146); forward-misfit "
                   f"variant fails in {fwd_variant_fail}/{n} (unproven; not asserted)", ("violations", viol),
                   {"forward_fail": fwd_fail, "forward_variant_fail": fwd_variant_fail})


register(Claim(
    id="misfit.kl_inequality", spec_id="MISFIT-8",
    title="Bregman/KL Theorem 1: E KL(F*‖f_sw) ≤ E KL(F*‖Y) − E KL(f_sw‖Y) for the reverse-KL student",
    citation=mulgund("Theorem 1 (Bregman, convex, realizable); student trained by reverse KL (code)",
                     "misfit.md §3 MISFIT-8"),
    provenance="PAPER existence; CODE direction; DERIVED form", statement=tm.kl_statement,
    assumptions=("V = conv{g_j} (convex in output space)", "F* ∈ V", "f_sw = argmin_V E KL(g‖Y)"),
    domain=KL_DOMAIN,
    checks=(
        SymbolicCheck("first-order-certificate", provenance="DERIVED",
                      prove=lambda: tm.kl_certificate(stmt=_bind.stmt())),
        NumericCheck("mixture-hulls", provenance="DERIVED", run=_kl_numeric),
        PropertyCheck("gap_KL>=0", provenance="DERIVED", margin=_kl_margin),
        CounterexampleCheck("forward-kl-student", margin=_kl_forward_margin,
                            domain=Domain((Param("m", int, 1, 6), Param("c", int, 2, 4), Param("J", int, 2, 4), SEED)),
                            dropped="reverse-KL training (student trained by forward KL(Y‖g))", min_violation=1e-2),
    ),
))

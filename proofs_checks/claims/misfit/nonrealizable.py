"""MISFIT-4(a, b): non-realizable population bounds, reference form and the sharp gap ≥ −2√(ε·misfit)
(Charikar et al. 2024, arXiv:2405.15116, Theorem 2 population part; spec misfit.md §3 MISFIT-4)."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from .._common import charikar
from . import _bind
from ._shared import P_LE_M_MINUS_2, SEED, W2, _gap_terms, _perturbed_subspace_instance


NONREAL_DOMAIN = Domain((
    Param("m", int, 3, 500), Param("p", int, 1, 20), Param("perturb", float, 0.0, 3.0, doc="cosine perturbation size"),
    Param("ball", int, 0, 1, doc="1: V a norm ball of radius R (convex), 0: affine subspace"),
    Param("radius", float, 0.05, 3.0, default=1.0), SEED,
), (P_LE_M_MINUS_2,))


def _nonreal_terms(prm) -> dict[str, float]:
    """A, B, C, ε, u and gap for a non-realizable instance (spec §2 notation)."""
    inst = _perturbed_subspace_instance(prm)
    if prm["ball"]:
        a, _ = nm.ball_coef(inst.phi, inst.y, inst.w, prm["radius"])
        c, _ = nm.ball_coef(inst.phi, inst.fstar, inst.w, prm["radius"])
    else:
        a, c = nm.ols_coef(inst.phi, inst.y, inst.w), nm.ols_coef(inst.phi, inst.fstar, inst.w)
    fsw, fs = inst.phi @ a, inst.phi @ c
    e, mis, es = _gap_terms(inst.fstar, inst.y, fsw, inst.w)
    return {"A": np.sqrt(es), "B": np.sqrt(e), "C": np.sqrt(mis), "eps": nm.sqdist(fs, inst.fstar, inst.w),
            "u": np.sqrt(nm.sqdist(fs, fsw, inst.w)), "gap": e - mis - es, "errY": e, "misfit": mis, "errS": es}


def _stmt_margin(t) -> float:
    """The running statement's margin (rhs − lhs) at the instance's err(Y), misfit, err(f_sw), ε, B."""
    return _bind.margin(_bind.gap_values(t["errY"], t["misfit"], t["errS"], epsilon=t["eps"], B=t["B"]))


def _ref_slacks(t) -> tuple[float, float, float]:
    """MISFIT-4(a): the slacks of the two variant forms and of the running statement (≥ 0 where they hold)."""
    s = np.sqrt(t["eps"])
    f1 = s + np.sqrt(max((t["B"] + s) ** 2 - t["C"] ** 2, 0.0)) - t["A"]
    f2 = _stmt_margin(t)
    f3 = t["B"] ** 2 - t["C"] ** 2 + 2 * s * (t["A"] + t["B"]) - t["A"] ** 2
    return f1, f2, f3


def _sharp_slack(t) -> float:
    """The running statement's margin (MISFIT-4b)."""
    return _stmt_margin(t)


def _tight_family_margin(a: float, b: float) -> float:
    """The running statement's margin on the tightness family (2 atoms, V = {(c,0)}, F* = (0,1),
    Y = (a,b), f_sw = (a,0), ε = 1/2): 0 when the bound is attained."""
    F, y, fsw = np.array([0.0, 1.0]), np.array([a, b]), np.array([a, 0.0])
    e, mis, es = _gap_terms(F, y, fsw, W2)
    t = {"errY": e, "misfit": mis, "errS": es, "eps": nm.sqdist(np.zeros(2), F, W2), "B": np.sqrt(e)}
    return _stmt_margin(t)


def _tol(t) -> float:
    return 1e-9 * max(t["errY"], 1e-300)


def _ref_margin(prm) -> float:
    t = _nonreal_terms(prm)
    f1, f2, f3 = _ref_slacks(t)
    return min(f1 * (t["A"] + t["B"] + np.sqrt(t["eps"]) + 1e-300), f2, f3) + _tol(t)


def _sharp_margin(prm) -> float:
    t = _nonreal_terms(prm)
    return _sharp_slack(t) + _tol(t)


def _uncorrected_margin(prm) -> float:
    """Uncorrected gap ≥ 0 (MISFIT-2 form) with ε > 0: must fail."""
    t = _nonreal_terms(prm)
    return t["gap"] / max(t["errY"], 1e-300)


def _tight_margin(prm) -> float:
    """Tightness family: 2 atoms, V = {(c,0)}, F* = (0,1), Y = (a,b): gap = −b."""
    y = np.array([prm["a"], prm["b"]])
    return nm.gap(np.array([0.0, 1.0]), y, np.array([prm["a"], 0.0]), W2)


def _nonreal_numeric(which: str):
    def run(ctx) -> Outcome:
        r = ctx.rng("misfit.nonrealizable", which)
        n = ctx.pick(300, 1000)
        viol = [0, 0, 0] if which == "ref" else [0]
        worst = np.inf
        for i in range(n):
            m = int(r.integers(3, 300))
            prm = {"m": m, "p": int(r.integers(1, min(20, m - 2) + 1)), "perturb": float(r.uniform(0, 3)),
                   "ball": i % 2, "radius": float(r.uniform(0.05, 3)), "seed": int(r.integers(2**31))}
            t = _nonreal_terms(prm)
            tol = _tol(t)
            sl = _ref_slacks(t) if which == "ref" else (_sharp_slack(t),)
            for k, v in enumerate(sl):
                v = v * (t["A"] + t["B"] + np.sqrt(t["eps"])) if (which == "ref" and k == 0) else v
                viol[k] += v < -tol
                worst = min(worst, v / max(t["errY"], 1e-300))
        names = ("A ≤ √ε+√((B+√ε)²−C²)", "the statement", "A² ≤ B²−C²+2√ε(A+B)") if which == "ref" \
            else ("the statement",)
        det = (f"{n} non-realizable instances (half subspace, half norm ball; F* = span part + cosine "
               f"perturbation): violations " + ", ".join(f"{nm_}: {v}" for nm_, v in zip(names, viol))
               + f"; min slack/err(Y) = {worst:.3g} (tolerance 1e-9·err(Y), closed-form projections)")
        ok = sum(viol) == 0
        if which == "sharp":  # attainment on the spec's tightness family
            ab = [(float(r.uniform(-3, 3)), float(r.uniform(0.1, 3))) for _ in range(ctx.pick(50, 200))]
            att = max(abs(_tight_family_margin(a, b)) / (1 + a * a + b * b) for a, b in ab)
            ok = ok and att <= 1e-12
            det += (f"; attainment: on {len(ab)} tightness-family instances (V = {{(c,0)}}, F* = (0,1), Y = (a,b)) "
                    f"max |margin|/(1+a²+b²) = {att:.2e} (≤ 1e-12: the bound is tight)")
        return Outcome(ok, det, ("violations", sum(viol)))
    return run


NONREAL_CX = Domain((Param("m", int, 3, 60), Param("p", int, 1, 5), Param("perturb", float, 0.1, 3.0),
                     Param("ball", int, 0, 1), Param("radius", float, 0.05, 3.0, default=1.0), SEED),
                    (P_LE_M_MINUS_2,))
TIGHT = Domain((Param("a", float, -3.0, 3.0), Param("b", float, 0.0, 3.0)))

register(Claim(
    id="misfit.nonrealizable_reference", spec_id="MISFIT-4",
    title="Theorem 2 (population, non-realizable): err(f_sw) ≤ err(Y) − misfit + 4√ε·B + 4ε",
    citation=charikar("Theorem 2 (population part): an extra O(√ε) term", "misfit.md §3 MISFIT-4(a)"),
    provenance="PAPER shape; DERIVED constants", statement=tm.nonrealizable_statement,
    assumptions=("V closed and convex", "F* arbitrary; ε = min_{g∈V} err(g)"),
    domain=NONREAL_DOMAIN,
    checks=(
        SymbolicCheck("certificate", provenance="DERIVED",
                      prove=lambda: tm.nonrealizable_reference_certificate(_bind.stmt())),
        NumericCheck("random-designs", provenance="DERIVED", run=_nonreal_numeric("ref")),
        PropertyCheck("slack>=0", provenance="DERIVED", margin=_ref_margin),
        CounterexampleCheck("uncorrected-gap>=0-fails", margin=_uncorrected_margin, domain=NONREAL_CX,
                            dropped="realizability (ε > 0) without the √ε correction", min_violation=1e-3),
    ),
    notes="Paper: an O(√ε) correction (shape only). The constants 4√ε·B + 4ε are DERIVED (spec MISFIT-4a).",
))

register(Claim(
    id="misfit.nonrealizable_sharp", spec_id="MISFIT-4",
    title="Sharp non-realizable bound: gap ≥ −2√(ε·misfit), tight",
    citation=charikar("Theorem 2 (population part), sharpened", "misfit.md §3 MISFIT-4(b)"),
    provenance="PAPER shape; DERIVED constants", statement=tm.nonrealizable_sharp_statement,
    assumptions=("V closed and convex", "F* arbitrary"),
    domain=NONREAL_DOMAIN,
    checks=(
        SymbolicCheck("decomposition+tightness", provenance="DERIVED",
                      prove=lambda: tm.nonrealizable_sharp_proof(stmt=_bind.stmt())),
        NumericCheck("random-designs", provenance="DERIVED", run=_nonreal_numeric("sharp")),
        PropertyCheck("slack>=0", provenance="DERIVED", margin=_sharp_margin),
        CounterexampleCheck("tightness-family-gap<0", margin=_tight_margin, domain=TIGHT,
                            dropped="realizability (ε = 1/2): uncorrected gap ≥ 0 fails", min_violation=0.1),
    ),
))

"""MISFIT-9: k-mixture logistic classes, nested in k; the KL inequality fails at k = 1
(Mulgund & Pabbaraju 2025, arXiv:2501.19105, non-convex class via k-mixtures; spec misfit.md §3 MISFIT-9)."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from .._common import mulgund
from ._shared import SEED


KMIX_DOMAIN = Domain((Param("m", int, 2, 40, doc="atoms"), Param("d", int, 1, 6, doc="feature dimension"),
                      Param("c", int, 2, 10, doc="classes"), SEED))


def _k1_case(prm):
    r = np.random.default_rng(prm["seed"])
    h, w, y, fstar = nm.kmixture_instance(r, prm["m"], prm["d"], prm["c"])
    f, mis, grad = nm.fit_softmax_reverse_kl(h, w, y)
    return nm.bregman_gap(fstar, y, f, w), grad


def _k1_margin(prm) -> float:
    """gap_KL of the reverse-KL k = 1 student (F* a 2-mixture): the MISFIT-8 inequality fails."""
    return _k1_case(prm)[0]


def _k1_numeric(ctx) -> Outcome:
    """The k = 1 fits are stationary (so failures are not solver artefacts); failure rate reported."""
    r = ctx.rng("misfit.kmixture", "numeric")
    n = ctx.pick(50, 300)
    worst_grad, fails, mins = 0.0, 0, np.inf
    for _ in range(n):
        g, grad = _k1_case({"m": int(r.integers(2, 41)), "d": int(r.integers(1, 7)), "c": int(r.integers(2, 11)),
                            "seed": int(r.integers(2**31))})
        worst_grad, fails, mins = max(worst_grad, grad), fails + (g < -1e-6), min(mins, g)
    return Outcome(worst_grad <= 1e-5, f"{n} instances (F* a 2-mixture of softmax-linear heads, noisy weak teacher): "
                   f"max |∇| of the reverse-KL k = 1 fit {worst_grad:.1e} (≤ 1e-5: stationary); report: gap_KL < 0 in "
                   f"{fails}/{n} (min {mins:.3g}) — the non-convex k = 1 class violates the inequality",
                   ("k=1 failure rate", fails / n))


register(Claim(
    id="misfit.kmixture", spec_id="MISFIT-9",
    title="k-mixture logistic classes: nested in k; the KL inequality fails at k = 1",
    citation=mulgund("non-convex logistic class via k-mixtures (error term vanishing in k)", "misfit.md §3 MISFIT-9"),
    provenance="PAPER shape; CODE model", statement=tm.kmixture_statement,
    assumptions=("F_s = softmax-linear heads on fixed features", "F^(k) = k-mixtures of F_s",
                 "student trained by reverse KL (code direction)"),
    domain=KMIX_DOMAIN,
    checks=(
        SymbolicCheck("nested-classes", provenance="DERIVED", prove=tm.kmixture_nested),
        NumericCheck("k1-stationary-fits", provenance="CODE", run=_k1_numeric),
        CounterexampleCheck("k=1-gap<0", margin=_k1_margin, domain=KMIX_DOMAIN, provenance="CODE",
                            dropped="convexity of the class (k = 1)", min_violation=1e-3),
    ),
    statement_unchecked=("the printed statement v_k ≤ K_0·√(c/k) is a PAPER shape with a free constant K_0 that "
                         "neither the paper summary nor the spec gives ('fit K_0 on small k'), and the rate itself is "
                         "not checked (k-mixture fits stall in local minima, see notes); the checks cover only the "
                         "nesting F^(k) ⊂ F^(k+1) and the k = 1 failure, so no check can pin the statement's constant"),
    notes="Not checked (unfinished): (a) monotone misfit under exact k-mixture optimisation beyond the nesting "
          "identity, and the PAPER-shape rate v_k ≤ K_0·√(c/k) — a k-mixture fit by L-BFGS stalled in poor local "
          "minima (negative gaps of order 1 at k = 2..16 on 30 atoms), so no rate could be asserted honestly.",
))

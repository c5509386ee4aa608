"""MISFIT-3: model selection by err(Y) − misfit picks the best weak teacher for subspace heads
(Charikar et al. 2024, arXiv:2405.15116, Tables 1–3 heuristic; spec misfit.md §3 MISFIT-3)."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm
from theory import misfit as tm

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from .._common import charikar
from . import _bind
from ._shared import W2, _gap_terms
from .subspace_equality import SUB_DOMAIN


def _sides(table: list[tuple[float, float, float]]) -> tuple[list[float], list[float]]:
    """The running statement's lhs and rhs for each teacher w, from (err(Y_w), misfit_w, err(f_sw,w))."""
    fns = {name: (lambda i, k=k: table[int(i)][k]) for k, name in enumerate(("err_Y", "misfit", "err_sw"))}
    pairs = [_bind.sides({"w": i}, fns) for i in range(len(table))]
    return [a for a, _ in pairs], [b for _, b in pairs]


def _selection_case(prm, ball: bool):
    """Two weak teachers, one V; returns (U_1, U_2, E_1, E_2), U and E the running statement's lhs
    (err(Y) − misfit) and rhs (err(f_sw)).  ``ball``: V = {a : ‖a‖ ≤ R} in R² with Φ = I on 2 atoms (convex, not a subspace)."""
    if ball:
        w = W2
        phi = np.eye(2) * np.sqrt(2.0)  # ‖Φa‖²_w = ‖a‖²
        fstar = phi @ np.array([prm["f1"], 0.0])
        out = []
        for y in (np.array([prm["y1"], prm["y2"]]), np.array([prm["y3"], prm["y4"]])):
            a, _ = nm.ball_coef(phi, y, w, 1.0)
            fsw = phi @ a
            out.append(_gap_terms(fstar, y, fsw, w))
        (u1, u2), (e1, e2) = _sides(out)
        return u1, u2, e1, e2
    r = np.random.default_rng(prm["seed"])
    inst = nm.subspace_instance(r, prm["m"], prm["p"])
    out = []
    for k in range(2):
        y = inst.fstar + r.standard_normal(inst.w.size) * r.uniform(0.1, 3.0)
        fsw = inst.phi @ nm.ols_coef(inst.phi, y, inst.w)
        out.append(_gap_terms(inst.fstar, y, fsw, inst.w))
    (u1, u2), (e1, e2) = _sides(out)
    return u1, u2, e1, e2


def _selection_margin(prm) -> float:
    u1, u2, e1, e2 = _selection_case(prm, ball=False)
    return 1e-10 * (abs(e1) + abs(e2) + 1e-300) - max(abs(u1 - e1), abs(u2 - e2))


def _selection_ball_margin(prm) -> float:
    """Ranking agreement: (U1−U2)(E1−E2) ≥ 0 ⇔ the upper bound picks the same teacher."""
    u1, u2, e1, e2 = _selection_case(prm, ball=True)
    return (u1 - u2) * (e1 - e2)


def _selection_numeric(ctx) -> Outcome:
    r = ctx.rng("misfit.model_selection", "numeric")
    n, k = ctx.pick(100, 1000), 5
    agree, worst = 0, 0.0
    for _ in range(n):
        m = int(r.integers(5, 300))
        inst = nm.subspace_instance(r, m, int(r.integers(1, min(20, m - 2) + 1)))
        table = []
        for _ in range(k):
            y = inst.fstar + r.standard_normal(m) * r.uniform(0.1, 3.0)
            fsw = inst.phi @ nm.ols_coef(inst.phi, y, inst.w)
            table.append(_gap_terms(inst.fstar, y, fsw, inst.w))
        U, E = _sides(table)
        agree += int(np.argmin(U) == np.argmin(E))
        worst = max(worst, float(np.max(np.abs(np.array(U) - E)) / np.max(E)))
    return Outcome(agree == n and worst <= 1e-10,
                   f"{n} subspaces × {k} weak teachers: argmin agreement {agree}/{n}; max |U−E|/max E = {worst:.2e} "
                   "(rounding tolerance 1e-10; deterministic)", ("agreement", agree / n))


register(Claim(
    id="misfit.model_selection", spec_id="MISFIT-3",
    title="Model selection: argmin_w [err(Y_w) − misfit_w] = argmin_w err(f_sw,w) for subspace heads",
    citation=charikar("Tables 1–3 (heuristic: smallest weak error − misfit)", "misfit.md §3 MISFIT-3"),
    provenance="PAPER heuristic of Tables 1–3; exactness DERIVED", statement=tm.model_selection_statement,
    assumptions=("V a subspace", "F* ∈ V", "several weak teachers"),
    domain=SUB_DOMAIN,
    checks=(
        SymbolicCheck("exact-teachers", provenance="DERIVED",
                      prove=lambda: tm.model_selection_exact(stmt=_bind.stmt())),
        NumericCheck("argmin-agreement", provenance="DERIVED", run=_selection_numeric),
        PropertyCheck("U=E", provenance="DERIVED", margin=_selection_margin),
        CounterexampleCheck("active-ball-ranking-flips", margin=_selection_ball_margin,
                            dropped="V a subspace (norm ball: U is only an upper bound on E)",
                            domain=Domain((Param("f1", float, -1.0, 1.0),) + tuple(
                                Param(f"y{i}", float, -3.0, 3.0) for i in range(1, 5))),
                            min_violation=1e-3),
    ),
))

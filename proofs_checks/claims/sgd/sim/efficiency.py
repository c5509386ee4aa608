"""SGD-C4 (H1): W2S (p_W ≤ 2) reaches weak recovery in fewer steps than SFT (p_* ≥ 3) from a shared
warm start (Awano & Suzuki, arXiv 2605.12908, P2; spec sgd_dynamics.md §3.2 H1, (E8), §4 SGD-C4)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.sgd import sim_reduced

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck
from ...._statement import current_statement, statement_function
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import FA, H3C, H23, _awano
from .population import t_escape


C4_M0 = Param("m0", float, 0.02, 0.35, doc="shared warm start r^{-1/2}, r >= 8")


def _c4_stmt_margin(n_w2s, n_sft):
    """The running statement's margin (rhs − lhs of n_W2S < n_SFT) at the given step counts."""
    names = {str(v): v for v in current_statement().free_symbols}
    return statement_function((names["n_W2S"], names["n_SFT"]), part="margin")(n_w2s, n_sft)


def _c4_margin(prm) -> float:
    """Population (E8) escape times to 0.5 at a common η (steps = t/η): the statement's margin in units of time."""
    return float(_c4_stmt_margin(t_escape(prm["p_w"], prm["m0"], 0.5), t_escape(prm["p_star"], prm["m0"], 0.5)))


def _c4_equal_exponents(prm) -> float:
    """With p_W = p_* (no IE lowering, e.g. H4 alone) both protocols take the same time, so the statement's
    margin must vanish there: its strict ordering is decided by the exponent gap alone (spec SGD-C4)."""
    t = t_escape(prm["p"], prm["m0"], 0.5)
    return -abs(float(_c4_stmt_margin(t, t))) / t


def _c4_sgd(ctx) -> Outcome:
    d, runs, m0 = ctx.pick(128, 512), ctx.pick(96, 256), 8 ** -0.5
    eta = 0.01 / d
    kw = dict(target=0.5, max_steps=int(50 * d / 0.01))
    # p_W = 2 is even: ρ0 → −ρ0 mirrors the flow (spec §2.2), so W2S weak recovery is |ρ| ≥ 0.5 (as SGD-B3)
    w2s = sim_reduced.hitting_steps(d, eta, m0, H3C, H23, ctx.seed_for("sgd.c4", "w2s"), runs, transform="square",
                                    tag="c4-w2s", use_abs=True, **kw)
    sft = sim_reduced.hitting_steps(d, eta, m0, H3C, H23, ctx.seed_for("sgd.c4", "sft"), runs, tag="c4-sft", **kw)
    rng = ctx.rng("sgd.c4", "boot")
    b_sft, b_w2s = np.median(rng.choice(sft, (2000, runs)), axis=1), np.median(rng.choice(w2s, (2000, runs)), axis=1)
    boot = np.asarray(_c4_stmt_margin(b_w2s, b_sft), float) / b_sft    # the statement's margin, relative
    lo = float(np.quantile(boot, FA))
    ratio = float(np.median(sft) / np.median(w2s))
    rel = float(_c4_stmt_margin(np.median(w2s), np.median(sft)) / np.median(sft))
    return Outcome(lo > 0.0, f"reduced exact chain, d={d}, η=0.01/d, m0=8^(-1/2), σ = h_2+h_3: median steps to "
                   f"ρ ≥ 0.5: SFT (σ* = h_3, p_* = 3) {np.median(sft):.0f}, W2S (T = y², p_W = 2, |ρ| ≥ 0.5) "
                   f"{np.median(w2s):.0f}; ratio {ratio:.2f}; the statement's margin / n_SFT {rel:.3f}, bootstrap "
                   f"lower {FA:g}-quantile {lo:.3f} must exceed 0", ("steps ratio SFT/W2S", ratio))


register(Claim(
    id="sgd.c4_efficiency.h1", spec_id="SGD-C4", mechanism="H1",
    title="W2S (p_W ≤ 2) reaches weak recovery in fewer steps than SFT (p_* ≥ 3) from a shared warm start",
    citation=_awano("abstract: the strong model learns task κ efficiently (P2)", "§3.2 H1, §4 SGD-C4"),
    provenance="PAPER: P2; form DERIVED, heuristic",
    statement=lambda: sp.StrictLessThan(sp.Symbol("n_W2S"), sp.Symbol("n_SFT")),
    assumptions=("mechanism H1: an IE-lowering transformation T (p_W ≤ 2 < p_*)",
                 "equal λ in the population check (conservative: T = y² also raises λ)", "m0 = r^{-1/2}, r ≥ 8"),
    domain=Domain((Param("p_w", int, 1, 2), Param("p_star", int, 3, 4), C4_M0)),
    checks=(
        PropertyCheck("equal-exponents-no-speedup", margin=_c4_equal_exponents, tolerance=1e-12,
                      domain=Domain((Param("p", int, 1, 4), C4_M0)), provenance="DERIVED ((E8))"),
        PropertyCheck("population-escape-times", margin=_c4_margin, provenance="DERIVED ((E7), (E8))"),
        NumericCheck("reduced-sgd-ratio", run=_c4_sgd, provenance="DERIVED (H1 with T = y²)"),
        CounterexampleCheck("p_star-le-2", margin=_c4_margin,
                            domain=Domain((Param("p_w", int, 1, 2), Param("p_star", int, 1, 2), C4_M0)),
                            dropped="p_* > 2", min_violation=0.01, provenance="DERIVED ((E8))"),
    ),
))

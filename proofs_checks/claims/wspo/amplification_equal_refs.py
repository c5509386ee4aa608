"""WSPO-9 (wspo.md §3; Zhu et al., arXiv 2410.18640, abstract / Fig. 3 'amplification'): with
π_ref^s = π_ref^w and γ < 1 the tilt's reward exceeds the weak model's; with different
references it need not."""
from __future__ import annotations

import numpy as np

from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from ..._statement import current_statement
from ._shared import P_CONC, P_SEED, P_V, _instance, _random_params, stmt_fn, zhu


def _margin(e_tilt, e_weak) -> float:
    """The running statement's margin at E_{π_γ}[δ] = e_tilt, E_{π_r^w}[δ] = e_weak."""
    return float(stmt_fn(("E_{pi_gamma}[delta]", "E_{pi_r^w}[delta]"), "margin")(e_tilt, e_weak))


EQ_REFS = Domain((P_V, Param("gamma", float, 0.05, 1.0, high_open=True, default=0.5, log_scale=True),
                  P_CONC, P_SEED), description="equal references, γ < 1")


def _amp_equal_margin(p) -> float:
    """The statement's margin E_{π_γ}[δ] − E_{π_r^w}[δ] ≥ 0 with equal references (relative rounding slack)."""
    a, b, _, _ = _instance(p)
    dl = nw.delta(b, a)
    pg, _ = nw.tilt(a, dl, p["gamma"])
    e_t, e_w = float(np.sum(pg * dl)), float(np.sum(b * dl))
    return _margin(e_t, e_w) + 1e-9 * (abs(e_w) + 1)


V2 = Domain((Param("p_ref_s", float, 1e-4, 1 - 1e-4, default=0.001), Param("p_r_w", float, 1e-4, 1 - 1e-4, default=0.9),
             Param("p_ref_w", float, 1e-4, 1 - 1e-4, default=0.5),
             Param("gamma", float, 0.05, 1.0, high_open=True, default=0.5, log_scale=True)),
            description="V = 2, references differ (π_ref^s ≠ π_ref^w), γ < 1")


def _amp_v2_margin(p) -> float:
    """The statement's margin E_{π_γ}[δ] − E_{π_r^w}[δ] for V = 2 with different references (negative =
    counterexample)."""
    a = np.array([p["p_ref_s"], 1 - p["p_ref_s"]])
    b = np.array([p["p_r_w"], 1 - p["p_r_w"]])
    c = np.array([p["p_ref_w"], 1 - p["p_ref_w"]])
    dl = nw.delta(b, c)
    pg, _ = nw.tilt(a, dl, p["gamma"])
    return _margin(float(np.sum(pg * dl)), float(np.sum(b * dl)))


def _amp_numeric(ctx) -> Outcome:
    """The statement on random equal-reference instances: its margin is ≥ 0 at γ ∈ {0.1, 0.25,
    0.5, 0.9} and 0 at γ = 1 (attained: π_1 = π_r^w; |margin| ≤ 1e-12·scale); the spec's
    counterexample in float (margin < 0), and a toy replica of Figure 3's ordering: reward r,
    π_r^w its β_w-optimal tilt of π_ref^w; compare E_{π_γ}[r] (WSPO) with the weak DPO-optimal
    policy π_r^w over γ < 1, with equal and with different references."""
    a, b, c = np.array([0.001, 0.999]), np.array([0.9, 0.1]), np.array([0.5, 0.5])
    dl = nw.delta(b, c)
    pg, _ = nw.tilt(a, dl, 0.5)
    e_t, e_w = float(pg @ dl), float(b @ dl)
    ok = abs(pg[0] - 0.075) < 5e-4 and abs(e_t + 1.445) < 5e-4 and abs(e_w - 0.368) < 5e-4 and _margin(e_t, e_w) < 0
    r = ctx.rng("wspo.amplification_equal_refs", "numeric")
    worst_neg, worst_tight, n = 0.0, 0.0, ctx.pick(20, 200)
    for _ in range(n):
        ai, bi, _, _ = _instance(_random_params(r, 20))
        dli = nw.delta(bi, ai)
        e_wi, scale = float(bi @ dli), float(bi @ np.abs(dli)) + 1.0
        for g in (0.1, 0.25, 0.5, 0.9):
            worst_neg = max(worst_neg, -_margin(float(nw.tilt(ai, dli, g).pi @ dli), e_wi) / scale)
        worst_tight = max(worst_tight, abs(_margin(float(nw.tilt(ai, dli, 1.0).pi @ dli), e_wi)) / scale)
    ok &= worst_neg <= 1e-12 and worst_tight <= 1e-12
    V, bw = 8, 1.0
    rew = r.standard_normal(V)
    ref_w = r.dirichlet(np.ones(V))
    rw, _ = nw.tilt(ref_w, rew * bw, bw)  # β_w-optimal: π_ref^w e^{r/β_w}
    dlr = nw.delta(rw, ref_w)
    rows = []
    for name, ref_s in (("equal refs", ref_w), ("strong ref low on high-r tokens",
                                                nw.tilt(ref_w, -3 * rew, 1.0)[0])):
        wins = [float(nw.tilt(ref_s, dlr, g)[0] @ rew) > float(rw @ rew) for g in (0.1, 0.25, 0.5, 0.9)]
        rows.append(f"{name}: E_π_γ[r] > E_π_r^w[r] at γ∈{{0.1,0.25,0.5,0.9}}: {wins}")
        if name == "equal refs":
            ok &= all(wins)
    return Outcome(ok, f"{n} equal-reference instances: statement margin ≥ −{worst_neg:.1e}·scale at γ < 1, "
                   f"|margin| at γ = 1 ≤ {worst_tight:.1e}·scale (both ≤ 1e-12, rounding); spec example: π_γ = ({pg[0]:.4f}, {pg[1]:.4f}), E_π_γ[δ] = {e_t:.4f} < E_π_r^w[δ] = "
                   f"{e_w:.4f} (spec: 0.075, −1.445, 0.368; ±5e-4 = rounding of the spec's 3 decimals); toy Figure-3 "
                   "ordering — " + "; ".join(rows), ("E_tilt - E_weak", e_t - e_w))


register(Claim(
    id="wspo.amplification_equal_refs", spec_id="WSPO-9",
    title="Amplification over the weak model is guaranteed only with equal references",
    citation=zhu("abstract/Fig. 3 'amplification' (empirical; reviewer: no theoretical rationale)", "wspo.md §3 WSPO-9"),
    provenance="DERIVED", statement=tw.stmt_amplification,
    assumptions=("π_ref^s = π_ref^w", "γ < 1 (equality at γ = 1, where π_γ = π_r^w)"), domain=EQ_REFS,
    checks=(
        SymbolicCheck("attained-at-gamma-1", prove=lambda: tw.prove_amplification_tight(stmt=current_statement())),
        SymbolicCheck("exact-counterexample", prove=lambda: tw.prove_amplification_counterexample(
            stmt=current_statement())),
        NumericCheck("spec-example-and-toy-figure3", run=_amp_numeric),
        PropertyCheck("equal-refs-guarantee", margin=_amp_equal_margin),
        CounterexampleCheck("different-references", margin=_amp_v2_margin, domain=V2,
                            dropped="π_ref^s = π_ref^w", min_violation=0.1),
    ),
))

"""WSPO-11 (wspo.md §3; Zhu et al., arXiv 2410.18640, support of π_ref^s, smoothing of π_ref^w
zeros, unseen tokens): the tilt creates no mass off supp π_ref^s, δ = +∞ needs smoothing, and
with d on A ⊊ V the minimiser is not identifiable."""
from __future__ import annotations

import numpy as np

import numerics
from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from ..._statement import current_statement
from ._shared import DOMAIN, P_CONC, P_GAMMA, P_SEED, _instance, stmt_fn, zhu


def _tilt_vs_statement(a, dl, gamma) -> float:
    """Max |π_γ (simulator) − the statement's π_ref^s(a)e^{δ(a)/γ}/Z′| (relation [0]), δ finite."""
    t = nw.tilt(a, dl, gamma)
    pred = stmt_fn(("pi_ref^s(a)", "delta(a)", "gamma", "Z'"), "rhs", index=0)(a, dl, gamma, np.exp(t.log_Z))
    return float(np.max(np.abs(t.pi - pred)))


def _support_margin(p) -> float:
    """(a): mass of π_γ off supp π_ref^s must be exactly 0."""
    a, b, c, _ = _instance(p)
    V = int(p["V"])
    k = max(1, V // 3)
    a = a.copy()
    a[:k] = 0.0
    a /= a.sum()
    pg, _ = nw.tilt(a, nw.delta(b, c), p["gamma"])
    return -float(pg[:k].sum())


def _support_numeric(ctx) -> Outcome:
    """(a) the simulator's tilt with π_ref^s(0) = 0 is the statement's π_ref^s(a)e^{δ/γ}/Z′ (≤ 1e-12);
    (b) δ = +∞ is rejected unless smoothed; ε ∈ {1e-8, 1e-4} sensitivity of the tilt;
    (c) d on A ⊊ V (V=6, |A|=3): S_A < 1 → four restarts give four different zero-loss
    minimisers, each with the statement's mass 1 − S_A off A (≤ 1e-6); S_A > 1 → the mass off A
    → 0 (infimum not attained)."""
    r = ctx.rng("wspo.support", "numeric")
    lines, ok = [], True
    b = np.array([0.5, 0.3, 0.2, 0.0])
    c = np.array([0.0, 0.5, 0.25, 0.25])
    a = np.array([0.25, 0.25, 0.25, 0.25])
    try:
        nw.tilt_from(a, b, c, 0.5)
        ok = False
        lines.append("(b) zero weak-reference mass was NOT rejected")
    except numerics.InvalidParameter as e:
        lines.append(f"(b) unsmoothed: rejected ({e})")
    tilts = {eps: nw.tilt(a, nw.delta(nw.smooth(b, eps), nw.smooth(c, eps)), 0.5)[0] for eps in (1e-8, 1e-4)}
    a0 = np.array([0.0, 0.3, 0.3, 0.4])
    dev_a = _tilt_vs_statement(a0, nw.delta(nw.smooth(b, 1e-4), nw.smooth(c, 1e-4)), 0.5)
    ok &= dev_a <= 1e-12
    lines.append(f"(a) π_ref^s = {a0.tolist()}: |π_γ − statement [0]| ≤ {dev_a:.1e}")
    sens = nw.tv(tilts[1e-8], tilts[1e-4])
    lines.append(f"ε=1e-8 → π_γ(0)={tilts[1e-8][0]:.6f}, ε=1e-4 → {tilts[1e-4][0]:.6f}; TV between them {sens:.3g} "
                 "(sensitivity reported, δ(0) = log(0.5/ε)-dominated)")
    V, g = 6, 0.5
    a = r.dirichlet(np.ones(V))
    for want in ("S_A<1", "S_A>1"):
        while True:
            bb, cc = r.dirichlet(np.ones(V)), r.dirichlet(np.ones(V))
            dl = nw.delta(bb, cc)
            SA = float(np.sum(a[:3] * np.exp(dl[:3] / g)))
            if (SA < 0.8) if want == "S_A<1" else (SA > 1.25):
                break
        d = np.array([1 / 3] * 3 + [0.0] * 3)
        fits = [nw.minimise(d, a, dl, g, z0=ctx.rng("wspo.support", "restart", k).standard_normal(V) * 2)
                for k in range(4)]
        off = [float(f.pi[3:].sum()) for f in fits]
        splits = [np.round(f.pi[3:] / max(f.pi[3:].sum(), 1e-300), 3).tolist() for f in fits]
        spread = max(nw.tv(f.pi, fits[0].pi) for f in fits)
        if want == "S_A<1":
            pred = float(stmt_fn(("S_A",), "rhs", index=1)(SA))
            dev_c = max(abs(o - pred) for o in off)
            ok &= max(f.loss for f in fits) < 1e-12 and spread > 1e-3 and dev_c <= 1e-6
            lines.append(f"(c) mass off A of each zero-loss fit vs the statement's 1 − S_A = {pred:.4g}: max diff {dev_c:.1e}")
            lines.append(f"(c) S_A={SA:.3g} < 1: four restarts, losses ≤ {max(f.loss for f in fits):.1e}, "
                         f"off-A splits {splits} — max TV between minimisers {spread:.3g} (NOT identifiable)")
        else:
            ok &= max(off) < 1e-3
            lines.append(f"(c) S_A={SA:.3g} > 1: mass off A after minimisation ≤ {max(off):.1e} (→ 0, infimum at "
                         "infinite logits)")
    return Outcome(ok, "; ".join(lines), ("TV(ε=1e-8, ε=1e-4)", sens))


def _unique_margin(p) -> float:
    """'The minimiser is unique' with d supported on A ⊊ V: −TV between two restarts."""
    a, b, c, _ = _instance(p)
    V = int(p["V"])
    d = np.zeros(V)
    d[: max(1, V // 2)] = 1.0
    d /= d.sum()
    dl = nw.delta(b, c)
    r = numerics.rng(int(p["seed"]), "wspo", "restarts")
    f1, f2 = (nw.minimise(d, a, dl, p["gamma"], z0=r.standard_normal(V) * 2) for _ in range(2))
    return -nw.tv(f1.pi, f2.pi)


SUPPORT_CX = Domain((Param("V", int, 3, 12, default=6), P_GAMMA, P_CONC, P_SEED),
                    description="d supported on the first ⌊V/2⌋ tokens")

register(Claim(
    id="wspo.support", spec_id="WSPO-11", title="Support and identifiability of the WSPO minimiser",
    citation=zhu("support of π_ref^s; smoothing of π_ref^w zeros; unseen tokens", "wspo.md §3 WSPO-11"),
    provenance="DERIVED", statement=tw.stmt_support,
    assumptions=("π_ref^s(a) = 0 for (a)", "d supported on A ⊊ V and S_A ≤ 1 for (c)"), domain=DOMAIN,
    checks=(
        SymbolicCheck("support-and-continuum", prove=lambda: tw.prove_support(current_statement())),
        NumericCheck("smoothing-and-restarts", run=_support_numeric),
        PropertyCheck("tilt-creates-no-mass", margin=_support_margin, tolerance=0.0),
        CounterexampleCheck("unique-minimiser", margin=_unique_margin, domain=SUPPORT_CX,
                            dropped="full-support data d", min_violation=1e-3),
    ),
))

"""SGD-B1: online SGD reaches weak recovery in d^{(p-1)∨1} steps, and fails without the η scaling
(Ben Arous, Gheissari & Jagannath, arXiv 2003.10409, Theorem 1.3; spec sgd_dynamics.md §4 SGD-B1)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import mean_ci
from numerics.sgd import sim_reduced

from ...._claim import Claim, NumericCheck, Outcome, Rate, RatePoints
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import FA, H3C, _bagj, _hp, _median_se


def _b1_points(p: int):
    def measure(ctx) -> RatePoints:
        ds = ctx.pick((128, 256, 512, 1024), (128, 256, 512, 1024, 4096))
        runs = ctx.pick(48, 128)
        meds, ses = [], []
        for d in ds:
            # p = 1: ρ = 0 is not fixed, so start there (every neuron moves, spec §2.3); η = c/d.
            # p >= 3: typical random-init overlap ρ0 = d^{-1/2}, η = c d^{-p/2} so that ρ0 > ρ_c.
            rho0 = 0.0 if p == 1 else d ** -0.5
            eta = 0.5 / d if p == 1 else 0.5 / d * d ** (-(p - 2) / 2.0)
            st = sim_reduced.hitting_steps(d, eta, rho0, _hp(p), _hp(p), ctx.seed_for("sgd.b1", p, d), runs,
                                           target=0.5, max_steps=int(20 * max(1.0, d ** ((p - 2) / 2.0)) / eta),
                                           tag=f"b1-{p}")
            m, s = _median_se(st, ctx.rng("sgd.b1", "boot", p, d))
            meds.append(m)
            ses.append(s)
        return RatePoints(np.array(ds, float), np.array(meds), np.array(ses))
    return measure


def _b1_no_escape(ctx) -> Outcome:
    """Dropped η scaling (spec B1 'Fails'): p = 3 with η = 1/d puts ρ0 = d^{-1/2} below
    ρ_c ≈ ηd C(0)/(2p) = 1/2, so the mean overlap *decreases* at the start (E11), while the
    tuned η = 0.5 d^{-3/2} makes it increase.  Both signs are tested on the seed mean of ρ(t)."""
    d, runs, t = 128, ctx.pick(1024, 4096), 0.5
    rho0 = d ** -0.5
    out = {}
    for name, eta in (("unscaled", 1.0 / d), ("tuned", 0.5 * d ** -1.5)):
        r = sim_reduced.overlap_at(d, eta, rho0, int(round(t / eta)), H3C, H3C, ctx.seed_for("sgd.b1", name), runs,
                                   tag=f"b1-{name}")
        out[name] = mean_ci(r - rho0, FA, n_tests=2)
    ok = out["unscaled"].high < 0 < out["tuned"].low
    return Outcome(ok, f"p=3, d={d}, ρ0=d^(-1/2), t={t}, {runs} runs: mean ρ(t) − ρ0 with η = 1/d (ρ_c ≈ 0.5 > ρ0): "
                   f"{out['unscaled']} (must be < 0); with η = 0.5 d^(-3/2): {out['tuned']} (must be > 0); "
                   f"false-alarm {FA:g} over both", ("unscaled drift", out["unscaled"].mean))


register(Claim(
    id="sgd.b1_weak_recovery", spec_id="SGD-B1", title="Online SGD steps to weak recovery scale as d^{(p-1)∨1}",
    citation=_bagj("Theorem 1.3 (sample complexity vs information exponent)", "§4 SGD-B1"),
    provenance="LITERATURE (arXiv 2003.10409, 2305.10633); DERIVED instantiation (pure h_p link and activation)",
    statement=lambda: sp.Eq(sp.Symbol("n_steps"), sp.Symbol("C") * sp.Symbol("d") ** sp.Max(sp.Symbol("p") - 1, 1)),
    assumptions=("label h_p(<θ,x>), activation h_p, batch 1", "η = c/d (p = 1), η = c·d^{-p/2} (p = 3)",
                 "weak recovery: ρ ≥ 0.5; the rate is fitted for p = 1; p = 3 is checked only through its failure "
                 "regime (finite-d bias at d <= 1024 is too large for a CI fit within the fast budget); "
                 "p = 2 (d·log d) is not asserted as a pure power"),
    domain=Domain((Param("p", int, 1, 4, default=3), Param("d", int, 64, 4096, default=256))),
    checks=(
        Rate("slope-p1", exponent=1.0, variable="d", quantity="median steps to ρ ≥ 0.5, p = 1",
             measure=_b1_points(1), confidence=0.99, max_halfwidth=0.25),
        NumericCheck("fails-without-eta-scaling", run=_b1_no_escape),
    ),
))

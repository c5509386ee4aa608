"""SGD-B1: online SGD reaches weak recovery in d^{(p-1)∨1} steps, and fails without the η scaling
(Ben Arous, Gheissari & Jagannath, arXiv 2003.10409, Theorem 1.3; spec sgd_dynamics.md §4 SGD-B1)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics import CHECK_FALSE_ALARM, mean_ci
from numerics.sgd import sim_reduced

from ...._statement import current_claim, current_statement
from ...._claim import Claim, NumericCheck, Outcome, Rate, RatePoints, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ..rate_verdict import Correction, literature_verdict, local_exponent
from ._shared import H3C, _bagj, _hp, _median_se


B1_C = 0.5        # η = c/d (p = 1, 2), η = c·d^{-p/2} (p = 3): the spec's "η tuned per d" (ρ0 = d^{-1/2} > ρ_c)


def _b1_eta(p: int, d: int) -> float:
    return B1_C / d if p <= 2 else B1_C / d * d ** (-(p - 2) / 2.0)


def _b1_medians(ctx, p: int, ds, runs: int):
    """Median steps to weak recovery (ρ ≥ 0.5; |ρ| ≥ 0.5 for even p) on the reduced exact chain (§2.5),
    with bootstrap standard errors; memoised per (p, profile, root seed)."""
    key = (p, ctx.profile, ctx.seed_for("sgd.b1", p), tuple(ds), runs)
    if key in _MEMO:
        return _MEMO[key]
    meds, ses = [], []
    for d in ds:
        # p = 1: ρ = 0 is not fixed, so start there (every neuron moves, spec §2.3).
        # p >= 2: the typical random-init overlap ρ0 = d^{-1/2}.
        rho0 = 0.0 if p == 1 else d ** -0.5
        eta = _b1_eta(p, d)
        cap = 20 / eta if p == 1 else 50 * math.log(d) / eta if p == 2 else 8 * d * d
        st = sim_reduced.hitting_steps(d, eta, rho0, _hp(p), _hp(p), ctx.seed_for("sgd.b1", p, d), runs,
                                       target=0.5, max_steps=int(cap), tag=f"b1-{p}", use_abs=(p % 2 == 0),
                                       block=int(min(1 << 16, max(256, cap / 32))))
        m, s = _median_se(st, ctx.rng("sgd.b1", "boot", p, d))
        meds.append(m)
        ses.append(s)
    out = (np.array(ds, float), np.array(meds), np.array(ses))
    _MEMO[key] = out
    return out


_MEMO: dict = {}


def _b1_points(p: int):
    def measure(ctx) -> RatePoints:
        x, y, se = _b1_medians(ctx, p, ctx.pick((128, 256, 512, 1024), (128, 256, 512, 1024, 4096)), ctx.pick(48, 128))
        return RatePoints(x, y, se)
    return measure


def _statement_exponent(p: int, normaliser) -> float:
    """The exponent of the fitted quantity (steps/normaliser) that the running claim's statement predicts."""
    stmt = current_statement()
    sym = {str(v): v for v in stmt.free_symbols}
    eq = stmt.subs(sym["p"], p) if "p" in sym else stmt
    return float(local_exponent(eq, sym["d"], normaliser=normaliser(sym["d"])))


def _b1_derived_exponents():
    """SymPy (DERIVED, spec §2.3/§2.5): the small-overlap population ODE dρ/dt ∝ ρ^{p−1} escapes from
    ρ0 = d^{-1/2} in time t_esc = ∫_{ρ0}^{1/2} ρ^{1−p} dρ, and steps = t_esc/η with the check's own η(d).
    The d-exponent of that (steps/log d for p = 2) must equal the running statement's, for p = 1, 2, 3;
    for p = 1 it must also be the exponent the ``slope-p1`` rate declares."""
    from theory import Proof

    stmt = current_statement()
    sym = {str(v): v for v in stmt.free_symbols}
    d, rho = sp.Symbol("d", positive=True), sp.Symbol("rho", positive=True)
    rows, ok = [], True
    declared = next(c.exponent for c in current_claim().checks if c.name == "slope-p1")
    for p in (1, 2, 3):
        t_esc = sp.integrate(rho ** (1 - p), (rho, d ** sp.Rational(-1, 2), sp.Rational(1, 2)))
        norm = sp.log(d) if p == 2 else sp.Integer(1)
        steps = t_esc / _b1_eta(p, d)
        derived = sp.limit(d * sp.diff(sp.log(steps / norm), d), d, sp.oo)
        eq = stmt.subs(sym["p"], p) if "p" in sym else stmt
        stated = local_exponent(eq.subs(sym["d"], d), d, normaliser=norm)
        good = bool(sp.Abs(sp.nsimplify(derived) - sp.nsimplify(stated)) < 1e-12)
        if p == 1:
            good = good and abs(float(stated) - float(declared)) < 1e-12
        ok = ok and good
        rows.append(f"p={p}: derived {sp.nsimplify(derived)}, statement {sp.nsimplify(stated)}")
    return Proof(ok, "sympy.integrate of the escape time and sympy.limit of d·∂_d log(steps)",
                 "; ".join(rows) + f"; slope-p1 declares {declared:g}", {})


def _b1_literature(p: int):
    """SGD-B1 at p = 3 (steps ∝ d², fitted on log steps vs log d) or p = 2 (steps ∝ d·log d, fitted as
    steps/log d vs d), three-way verdict (``rate_verdict``): inconclusive when the exponent is not reached."""
    def run(ctx) -> Outcome:
        if p == 3:
            ds, runs = ctx.pick((64, 128, 256, 512), (128, 256, 512, 1024, 2048)), ctx.pick(48, 256)
            norm, corr = (lambda d: 1), Correction("O(ρ0) = O(d^(-1/2))", 0.5)
        else:
            ds, runs = ctx.pick((512, 2048, 8192, 32768), (1024, 4096, 16384, 65536, 262144)), ctx.pick(48, 128)
            norm, corr = sp.log, Correction("O(1/log d)", 0.0)
        expected = _statement_exponent(p, norm)
        x, y, se = _b1_medians(ctx, p, ds, runs)
        L = np.log(x) if p == 2 else np.ones_like(x)
        what = (f"p = {p}, h_{p} link and activation, ρ0 = d^(-1/2), η = {B1_C}·" +
                ("d^(-1)" if p == 2 else "d^(-3/2)") + ", reduced exact chain: median steps to " +
                ("|ρ| ≥ 0.5, fitted as steps/log d vs d" if p == 2 else "ρ ≥ 0.5 vs d"))
        out = literature_verdict(x, y / L, se / L, expected, ctx.false_alarm, B1_HALFWIDTH, what, corr, runs)
        if p == 2:   # the log factor itself: escape time t = η·steps against ln d
            t = y * np.array([_b1_eta(2, int(d)) for d in x])
            k = float(np.polyfit(np.log(x), t, 1)[0])
            out = Outcome(out.passed, out.detail + f"; escape time η·steps grows by {k:.3f} per unit ln d (reported)",
                          out.figure, out.data, inconclusive=out.inconclusive)
        return out
    return run


B1_HALFWIDTH = 0.3     # the spec's ± 0.3 band, at the suite confidence 1 − ctx.false_alarm


def _b1_no_escape(ctx) -> Outcome:
    """Dropped η scaling (spec B1 'Fails'): p = 3 with η = 1/d puts ρ0 = d^{-1/2} below
    ρ_c ≈ ηd C(0)/(2p) = 1/2, so the mean overlap *decreases* at the start (E11), while the
    tuned η = 0.5 d^{-3/2} makes it increase.  Both signs are tested on the seed mean of ρ(t)."""
    d, runs, t = 128, ctx.pick(8192, 16384), 0.5
    rho0 = d ** -0.5
    out = {}
    for name, eta in (("unscaled", 1.0 / d), ("tuned", 0.5 * d ** -1.5)):
        r = sim_reduced.overlap_at(d, eta, rho0, int(round(t / eta)), H3C, H3C, ctx.seed_for("sgd.b1", name), runs,
                                   tag=f"b1-{name}")
        out[name] = mean_ci(r - rho0, ctx.false_alarm, n_tests=2)
    ok = out["unscaled"].high < 0 < out["tuned"].low
    return Outcome(ok, f"p=3, d={d}, ρ0=d^(-1/2), t={t}, {runs} runs: mean ρ(t) − ρ0 with η = 1/d (ρ_c ≈ 0.5 > ρ0): "
                   f"{out['unscaled']} (must be < 0); with η = 0.5 d^(-3/2): {out['tuned']} (must be > 0); "
                   f"false-alarm {ctx.false_alarm:g} over both", ("unscaled drift", out["unscaled"].mean))


def _b1_statement():
    """log steps to weak recovery = log C + (p−1)·log d (p ≥ 3), log d + log log d (p = 2), log d (p = 1)
    (spec §4 SGD-B1): written in logs so that each exponent is a coefficient of the statement (a rescaled
    right-hand side is a different law, not a different C)."""
    n, C, d, p = sp.Symbol("n_steps", positive=True), sp.Symbol("C", positive=True), sp.Symbol("d", positive=True), sp.Symbol("p")
    L = sp.log(d)
    return sp.Eq(sp.log(n), sp.log(C) + sp.Piecewise(((p - 1) * L, p >= 3), (L + sp.log(L), sp.Eq(p, 2)), (L, True)))


register(Claim(
    id="sgd.b1_weak_recovery", spec_id="SGD-B1",
    title="Online SGD steps to weak recovery scale as d^{p−1} (p ≥ 3), d·log d (p = 2), d (p = 1)",
    citation=_bagj("Theorem 1.3 (sample complexity vs information exponent)", "§4 SGD-B1, §2.5 (E11)"),
    provenance="LITERATURE (arXiv 2003.10409, 2305.10633); DERIVED instantiation (pure h_p link and activation)",
    statement=_b1_statement,
    assumptions=("label h_p(<θ,x>), activation h_p, batch 1, a = +1, reduced exact chain (§2.5)",
                 f"η tuned per d: η = {B1_C}/d (p = 1, 2), η = {B1_C}·d^(-3/2) (p = 3, so ρ0 = d^(-1/2) > ρ_c)",
                 "weak recovery: ρ ≥ 0.5 (|ρ| for even p)",
                 "p = 3 and p = 2 are asserted against the literature exponents with a three-way verdict: a CI that "
                 "misses the exponent but meets ± 0.3 is inconclusive (not reached at these d), never a pass",
                 "p = 1 is a CONSISTENCY check only: with η = c/d and ρ0 = 0 the escape time is d-free, so steps ∝ d "
                 "holds by construction of η"),
    domain=Domain((Param("p", int, 1, 4, default=3), Param("d", int, 64, 1 << 20, default=256))),
    checks=(
        SymbolicCheck("statement-is-escape-time-law", prove=_b1_derived_exponents,
                      provenance="DERIVED (population ODE escape time, spec §2.3, §2.5)"),
        NumericCheck("literature-slope-p3", run=_b1_literature(3), provenance="DERIVED (reduced exact chain, §2.5)"),
        NumericCheck("literature-slope-p2", run=_b1_literature(2), provenance="DERIVED (reduced exact chain, §2.5)"),
        Rate("slope-p1", exponent=1.0, variable="d",
             quantity="CONSISTENCY CHECK (true by construction of η = c/d: the escape time is d-free): median steps "
                      "to ρ ≥ 0.5, p = 1", measure=_b1_points(1), confidence=1 - CHECK_FALSE_ALARM, max_halfwidth=0.25),
        NumericCheck("fails-without-eta-scaling", run=_b1_no_escape),
    ),
))

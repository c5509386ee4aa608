"""Quality tier for REFINE: a planted error (wrong statement, wrong closed form, wrong simulator,
wrong exponent, assumption kept) must make the corresponding check FAIL — one per check kind."""
from __future__ import annotations

import dataclasses

import pytest

import proofs_checks.claims.refine as cr
from proofs_checks import RunContext, get
from proofs_checks._checks import FAILED, PASSED, run_check
from theory.refinement import icl as ti
from theory.refinement import naive as tn
from theory.refinement import scores as ts

pytestmark = pytest.mark.quality
CTX = RunContext()


def _check(claim_id: str, name: str):
    c = get(claim_id)
    return c, next(ch for ch in c.checks if ch.name == name)


def _run(claim_id: str, name: str, **replace):
    c, ch = _check(claim_id, name)
    if replace:
        ch = dataclasses.replace(ch, **replace)
    return run_check(ch, c, CTX)


def test_symbolic_wrong_floor_fails(monkeypatch):
    assert _run("refine.floor", "factorization-certificate").status == PASSED
    monkeypatch.setattr(tn, "floor_expr", lambda: tn.A * tn.B / (tn.A + tn.B) + tn.A / 10)
    r = _run("refine.floor", "factorization-certificate")
    assert r.status == FAILED, r.detail


def test_symbolic_wrong_rho_star_fails():
    c, ch = _check("refine.icl_decay", "biased-det-form")

    def wrong():
        out = ti.prove_biased_rho()
        g, sig, se, kap = ti.g, ti.sig, ti.se, ti.kap
        gs = ti.sp.solve(ti.sp.diff(g / sig ** 2 * (2 * kap - g * (2 * se ** 2 + (kap - 1) ** 2) / sig ** 2), g), g)[0]
        # planted: claim gamma* = kappa sigma^2 / (2 s_eff^2) (drops the (kappa-1)^2 term)
        out.append(ti.prove_identity(gs - kap * sig ** 2 / (2 * se ** 2), label="planted gamma*", simplify=True))
        return out
    r = run_check(dataclasses.replace(ch, prove=wrong), c, CTX)
    assert r.status == FAILED


def _with_statement(claim_id: str, name: str, stmt):
    """Run one check of the claim with its statement replaced (checks read the statement)."""
    c, ch = _check(claim_id, name)
    return run_check(ch, dataclasses.replace(c, statement=lambda: stmt), CTX)


def test_numeric_wrong_closed_form_fails():
    """Drop the cross term 2t(1−t)C from the naive-risk statement: simulation must disagree."""
    good = get("refine.naive_risk").statement()
    wrong = ti.sp.Eq(good.lhs, good.rhs.subs(tn.C, 0))
    assert _with_statement("refine.naive_risk", "closed-form-vs-mc", good).status == PASSED
    r = _with_statement("refine.naive_risk", "closed-form-vs-mc", wrong)
    assert r.status == FAILED, r.detail


def test_numeric_wrong_simulator_fails(monkeypatch):
    """A simulator whose strong model uses the weak noise s_w instead of its own σ in the posterior
    (miscalibrated differently from the theory) must break the ρ* agreement of the decay slope."""
    import numerics.refinement._reference as ref
    orig = ref.posterior_from_draws
    monkeypatch.setattr(ref, "posterior_from_draws", lambda phi, y, la, sigma: orig(phi, y, la, 2.5 * sigma))
    r = _run("refine.icl_decay", "exp-decay-slope")
    assert r.status == FAILED, r.detail


def test_numeric_wrong_rate_constant_fails():
    """log ρ* with σ² in place of s² (the noise-free rate) is not the decay slope."""
    wrong = lambda kw: ti.gamma_rho_star_f(kw["kappa"], 1.0, 1.0)[1]  # noqa: E731
    out = cr._decay_numeric(CTX, rho_fn=wrong)
    assert not out.passed, out.detail


def test_numeric_planted_transcription_error_fails(monkeypatch):
    main = {k: dict(v) for k, v in ts.MAIN.items()}
    key = ("persona, tinyAlpacaEval", "4o-mini")
    main[key]["icl"] = ("4.70", main[key]["icl"][1])  # below naive FT 4.72
    monkeypatch.setattr(ts, "MAIN", main)
    r = _run("refine.official_scores", "aggregated-regularities")
    assert r.status == FAILED


def test_property_wrong_rho_star_fails(monkeypatch):
    orig = ti.gamma_rho_star_f
    monkeypatch.setattr(ti, "gamma_rho_star_f", lambda k, s2, sg2: (orig(k, s2, sg2)[0], 1.01 * orig(k, s2, sg2)[1]))
    r = _run("refine.icl_decay", "det-vs-derived-min")
    assert r.status == FAILED, r.detail


def test_property_inflated_floor_fails():
    good = get("refine.floor").statement()
    r = _with_statement("refine.floor", "floor-all-n-lambda", ti.sp.GreaterThan(good.lhs, 13 * good.rhs / 10))
    assert r.status == FAILED, r.detail


def test_counterexample_not_found_when_assumption_kept():
    """Searching for a floor violation where κ ≤ 1 holds must fail (there is none)."""
    r = _run("refine.floor", "kappa-above-1", domain=cr.dom(cr.P_K, cr.P_A1, cr.P_ZETA,
                                                           cr.Param("kappa", float, -1.0, 1.0), cr.P_DELTA))
    assert r.status == FAILED, r.detail


def test_counterexample_outside_hull_not_found_inside():
    r = _run("refine.outside_hull", "naive-wins-outside-hull",
             domain=cr.dom(cr.Param("K", int, 2, 6), cr.Param("tau", float, 0.0, 0.0), cr.Param("s", float, 0.3, 3.0),
                           cr.Param("d", int, 3, 50), cr.P_N))
    assert r.status == FAILED, r.detail


def test_rate_wrong_exponent_fails():
    r = _run("refine.lambda0", "excess-over-weak", exponent=-0.5)
    assert r.status == FAILED, r.detail
    r = _run("refine.noisy_rate", "hull-one-over-n", exponent=-0.5)
    assert r.status == FAILED, r.detail


def test_numeric_unconstrained_learner_is_delta_sensitive(monkeypatch):
    """Planted simulator: the 'hull learner' without the hull constraint (plain OLS on biased labels) keeps
    the Δ bias, so the Δ-free limit of REFINE-7 must fail."""
    import numpy as np

    import numerics.refinement as nr
    def ols_risks(model, n, reps, rng):
        h = model.beta_w + model.s_w * rng.standard_normal((reps, model.d)) / np.sqrt(n)
        return ((h - model.beta_tgt) ** 2).sum(-1)
    monkeypatch.setattr(nr, "hull_risks", ols_risks)
    r = _run("refine.hull_bias", "limit-risk-delta-free")
    assert r.status == FAILED, r.detail

"""Planted errors for SGD-B2/B3: each check kind used must FAIL on a wrong exponent or statement."""
from __future__ import annotations

import dataclasses

import pytest

from proofs_checks import Domain, Param, get, run_check
from proofs_checks._checks import FAILED
from proofs_checks.claims.sgd import rates as R

pytestmark = pytest.mark.quality


def _check(claim, name):
    return next(c for c in claim.checks if c.name == name)


def test_rate_b2_catches_a_wrong_exponent(ctx):
    """Steps ∝ d^2 (e.g. η not scaled with m0^{p-2}/d) would be refuted by the d-slope."""
    claim = get("sgd.b2_warm_start")
    bad = dataclasses.replace(_check(claim, "steps-vs-d"), exponent=2.0)
    assert run_check(bad, claim, ctx).status == FAILED


def test_rate_b2_catches_a_slightly_wrong_exponent(ctx):
    claim = get("sgd.b2_warm_start")
    bad = dataclasses.replace(_check(claim, "steps-vs-d"), exponent=1.5)
    assert run_check(bad, claim, ctx).status == FAILED


def test_symbolic_catches_a_wrong_limit(monkeypatch):
    """Planting G_4 in place of G_3 (a wrong escape-time law) changes the p = 3 limit: the proof must fail."""
    claim = get("sgd.b2_warm_start")
    orig = R.G_expr
    monkeypatch.setattr(R, "G_expr", lambda p, rho: orig(4, rho) if p == 3 else orig(p, rho))
    r = run_check(_check(claim, "m0-exponent-limit"), claim, None)
    assert r.status == FAILED, r.detail


def test_symbolic_catches_a_wrong_pair_exponent(monkeypatch):
    """A wrong link (h_4 planted for h_3) does not have the exponents (3, 2): the exact check must fail."""
    claim = get("sgd.b3_ie_lowering")
    orig = R.th.h
    monkeypatch.setattr(R.th, "h", lambda n, *a: orig(4, *a) if n == 3 else orig(n, *a))
    r = run_check(_check(claim, "pair-exponents"), claim, None)
    assert r.status == FAILED, r.detail


def test_property_catches_a_wrong_exponent(ctx):
    """Claiming the m0-exponent −(p−2) on the small-m0 domain is refuted."""
    claim = get("sgd.b2_warm_start")
    bad = dataclasses.replace(_check(claim, "m0-slope-small-m0"),
                              margin=lambda q: 0.05 - abs(R.local_slope(q["p"], q["m0"]) + (q["p"] - 2)))
    assert run_check(bad, claim, ctx).status == FAILED


def test_counterexample_fails_where_the_heuristic_holds(ctx):
    """Searching for a slope violation at m0 ≤ 1e-2 must come back empty-handed."""
    claim = get("sgd.b2_warm_start")
    holds = Domain((Param("p", int, 3, 4), Param("m0", float, 1e-3, 1e-2)))
    bad = dataclasses.replace(_check(claim, "m0-slope-not-reached-at-large-m0"), domain=holds)
    r = run_check(bad, claim, ctx.with_(counterexample_examples=200))
    assert r.status == FAILED, r.detail


def test_numeric_catches_a_w2s_without_the_transformation(ctx, monkeypatch):
    """If the W2S run used the raw label (T = id, p_W = 3), SFT would no longer be steeper."""
    orig = R.sim_reduced.hitting_steps

    def no_T(*a, **k):
        if k.get("transform") == "square":
            k["transform"] = "id"
            k["use_abs"] = False
            d = a[0]
            a = (d, 0.5 * d ** -1.5) + a[2:]
        return orig(*a, **k)

    monkeypatch.setattr(R.sim_reduced, "hitting_steps", no_T)
    monkeypatch.setattr(R, "_B3_CACHE", {})
    claim = get("sgd.b3_ie_lowering")
    r = run_check(_check(claim, "slopes-and-ordering"), claim, ctx)
    assert r.status == FAILED, r.detail


# ---------------------------------------------------------------- statement binding (issue 9 §2)

def test_b2_statement_exponent_must_match_the_rate():
    """A statement predicting steps ∝ d^{1.05} is not what steps-vs-d (exponent 1) tests."""
    import sympy as sp
    n, d, m0, p = sp.symbols("n_steps d m_0 p", positive=True)
    stmt = sp.Eq(sp.log(n), sp.log(sp.Symbol("C", positive=True)) + sp.Rational(21, 20) * sp.log(d)
                 - 2 * (p - 2) * sp.log(m0))
    claim = dataclasses.replace(get("sgd.b2_warm_start"), statement=lambda: stmt)
    assert run_check(_check(claim, "statement-d-exponent"), claim, None).status == FAILED


def test_b2_m0_limit_reads_the_statement():
    """A statement with m0-exponent −(p−2) disagrees with the exact (E8) limit −2(p−2)."""
    import sympy as sp
    n, d, m0, p = sp.symbols("n_steps d m_0 p", positive=True)
    stmt = sp.Eq(sp.log(n), sp.log(sp.Symbol("C", positive=True)) + sp.log(d) - (p - 2) * sp.log(m0))
    claim = dataclasses.replace(get("sgd.b2_warm_start"), statement=lambda: stmt)
    assert run_check(_check(claim, "m0-exponent-limit"), claim, None).status == FAILED


def test_b3_pair_exponents_hold_the_statement_to_the_b1_law():
    """n_W2S ≍ d (no log factor) is not the p = 2 law d·log d."""
    import sympy as sp
    d = sp.Symbol("d", positive=True)
    C_S, C_W = sp.symbols("C_S C_W", positive=True)
    stmt = (sp.Eq(sp.log(sp.Symbol("n_SFT", positive=True)), sp.log(C_S) + 2 * sp.log(d)),
            sp.Eq(sp.log(sp.Symbol("n_W2S", positive=True)), sp.log(C_W) + sp.log(d)))
    claim = dataclasses.replace(get("sgd.b3_ie_lowering"), statement=lambda: stmt)
    assert run_check(_check(claim, "pair-exponents"), claim, None).status == FAILED

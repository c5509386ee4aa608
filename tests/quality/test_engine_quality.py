"""Quality tier: planted errors must make every check kind fail (so each check can fail),
and the counterexample search must find known violations."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import strategies as st

from numerics import loglog_slope, mean_ci
from proofs_checks import (Citation, Claim, CounterexampleCheck, Domain, NumericCheck, Outcome, Param,
                           PropertyCheck, Rate, RatePoints, SymbolicCheck, get)
from proofs_checks._checks import ERROR, FAILED, PASSED, run_check
from theory import prove_certificate, prove_identity, prove_interval

pytestmark = pytest.mark.quality

CIT = Citation("planted", "0000.00000", "test")
x, y = sp.symbols("x y", real=True)
a, b = sp.symbols("a b", nonnegative=True)


def _claim(*checks, domain=Domain((Param("t", float, -3.0, 3.0),))):
    return Claim("quality.planted", "Q-1", "planted", CIT, "DERIVED", lambda: sp.Eq(x, x), domain=domain,
                 checks=tuple(checks))


def _run(check, claim=None, ctx=None):
    from proofs_checks import RunContext

    claim = claim or _claim(check)
    return run_check(check, claim, ctx or RunContext())


# --- symbolic -------------------------------------------------------------------------

def test_wrong_identity_fails():
    assert prove_identity((x + y) ** 2 - (x**2 + y**2)).holds is False
    assert prove_identity((x + y) ** 2 - (x**2 + 2 * x * y + y**2)).holds is True


def test_certificate_with_wrong_or_unsigned_terms_fails():
    slack = a**2 + 2 * a * b + b**2
    assert prove_certificate(slack, [(a + b) ** 2], [a, b]).holds
    assert not prove_certificate(slack, [(a - b) ** 2], [a, b]).holds  # not equal
    assert not prove_certificate(x * y, [x * y], []).holds  # equal but not signed


def test_interval_enclosure_catches_negative_region():
    assert prove_interval(lambda t: t * t + 1, {"t": (-2, 2)}).holds
    assert not prove_interval(lambda t: t * t - 0.01, {"t": (-1, 1)}, splits=16).holds


def test_symbolic_check_reports_failure():
    r = _run(SymbolicCheck("planted", prove=lambda: prove_identity(x - y)))
    assert r.status == FAILED and "x - y" in r.detail


# --- numeric ----------------------------------------------------------------------------

def test_mean_ci_rejects_a_planted_bias():
    rng = np.random.default_rng(0)
    s = rng.standard_normal(4000) + 0.2
    assert not mean_ci(s, 1e-3).contains(0.0)
    assert mean_ci(s - 0.2, 1e-3).contains(0.0)


def test_numeric_check_that_raises_is_an_error_not_a_pass():
    def boom(ctx):
        raise RuntimeError("simulator crashed")
    r = _run(NumericCheck("crash", run=boom))
    assert r.status == ERROR and "simulator crashed" in r.detail


# --- property ---------------------------------------------------------------------------

def test_property_check_finds_planted_violation_and_shrinks():
    # "t^2 >= 1" is false on [-3, 3]; the shrunk example must be a real violation.
    r = _run(PropertyCheck("planted", margin=lambda p: p["t"] ** 2 - 1))
    assert r.status == FAILED
    assert r.example is not None and abs(r.example["t"]) < 1


def test_property_check_passes_true_statement():
    r = _run(PropertyCheck("true", margin=lambda p: p["t"] ** 2 + 1e-3))
    assert r.status == PASSED


# --- counterexample ----------------------------------------------------------------------

def test_counterexample_check_fails_when_no_violation_exists():
    r = _run(CounterexampleCheck("none", margin=lambda p: p["t"] ** 2, domain=Domain((Param("t", float, -1, 1),)),
                                 dropped="nothing"))
    assert r.status == FAILED


def test_counterexample_search_reaches_a_narrow_violation():
    # violation only for |t - 0.615| < 0.01 (2% of the domain): the search must land in it
    dom = Domain((Param("t", float, 0.0, 1.0),))
    r = _run(CounterexampleCheck("narrow", margin=lambda p: 1e2 * abs(p["t"] - 0.615) - 2.0, domain=dom,
                                 dropped="planted", min_violation=1.0))
    assert r.status == PASSED, r.detail
    assert abs(r.example["t"] - 0.615) < 0.01


def test_counterexample_min_violation_is_enforced():
    dom = Domain((Param("t", float, 0.0, 1.0),))
    r = _run(CounterexampleCheck("tiny", margin=lambda p: -1e-6 * p["t"], domain=dom, min_violation=1e-3))
    assert r.status == FAILED


# --- rate -------------------------------------------------------------------------------

def _points(slope, noise=0.02, seed=0):
    rng = np.random.default_rng(seed)
    xs = np.array([50, 100, 200, 400, 800, 1600.0])
    ys = 3.0 * xs**slope * np.exp(noise * rng.standard_normal(xs.size))
    return RatePoints(xs, ys, noise * ys)


def test_rate_check_rejects_wrong_exponent():
    ok = _run(Rate("r", exponent=-1.0, measure=lambda ctx: _points(-1.0)))
    bad = _run(Rate("r", exponent=-0.5, measure=lambda ctx: _points(-1.0)))
    assert ok.status == PASSED, ok.detail
    assert bad.status == FAILED


def test_rate_check_rejects_vacuous_wide_interval():
    wide = _run(Rate("r", exponent=-1.0, measure=lambda ctx: _points(-1.0, noise=2.0), max_halfwidth=0.1))
    assert wide.status == FAILED


def test_slope_fit_inflates_error_when_scatter_exceeds_stated_se():
    rng = np.random.default_rng(1)
    xs = np.geomspace(10, 1e4, 8)
    ys = xs**-1.0 * np.exp(0.3 * rng.standard_normal(8))
    honest = loglog_slope(xs, ys, 0.3 * ys)
    overconfident = loglog_slope(xs, ys, 0.001 * ys)
    assert overconfident.halfwidth >= 0.5 * honest.halfwidth  # Birge ratio rescues a wrong se


# --- registered claims: planted mutations --------------------------------------------------

def test_planted_wrong_margin_on_registered_property_checks():
    """Flip the sign of every registered property margin: the check must now fail."""
    from proofs_checks import RunContext, all_claims

    ctx = RunContext(property_examples=25)
    tried = 0
    for c in all_claims():
        for ch in c.checks:
            if isinstance(ch, PropertyCheck):
                planted = PropertyCheck(ch.name, margin=lambda p, f=ch.margin: -abs(f(p)) - 1.0,
                                        tolerance=ch.tolerance, domain=ch.domain)
                r = run_check(planted, c, ctx)
                assert r.status == FAILED, f"{c.id}:{ch.name} did not catch the planted error"
                tried += 1
    assert tried >= 1


def test_misfit_pythagorean_with_planted_factor_fails():
    """A wrong statement (factor 2 dropped) must fail the exemplar's symbolic core."""
    import theory.misfit as tm

    m = 3
    z, p, yv = sp.symbols(f"z1:{m+1}"), sp.symbols(f"p1:{m+1}"), sp.symbols(f"y1:{m+1}")
    w = sp.symbols(f"w1:{m+1}", positive=True)
    lhs = tm.sqdist(z, yv, w) - tm.sqdist(z, p, w) - tm.sqdist(p, yv, w)
    wrong = -1 * tm.weighted_inner([u - v for u, v in zip(z, p)], [u - v for u, v in zip(yv, p)], w)
    assert not prove_identity(lhs - wrong).holds
    assert get("misfit.pythagorean")

"""Quality tier (issue 9 §4): the engine cannot be fooled by a NaN margin, by draws outside a
claim's validity, or by a degenerate sample; a one-sided quantile in an interval is caught."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from numerics import DegenerateSample, loglog_slope, mean_ci
from proofs_checks import (Citation, Claim, CounterexampleCheck, Domain, NumericCheck, Outcome, Param,
                           PropertyCheck, Rate, RatePoints, Reject, RunContext)
from proofs_checks._checks import ERROR, FAILED, PASSED, run_check

pytestmark = pytest.mark.quality

CIT = Citation("planted", "0000.00000", "test")
DOM = Domain((Param("t", float, -3.0, 3.0),))
t = sp.Symbol("t", real=True)


def _run(check, ctx=None):
    claim = Claim("quality.fooling", "Q-2", "planted", CIT, "DERIVED", lambda: sp.Eq(t, t), domain=DOM,
                  checks=(check,))
    return run_check(check, claim, ctx or RunContext(property_examples=40, counterexample_examples=200))


# --- NaN / inf margins ---------------------------------------------------------------------

@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nonfinite_property_margin_is_an_error(bad):
    r = _run(PropertyCheck("nan", margin=lambda p: bad if p["t"] > 1.0 else 1.0))
    assert r.status == ERROR, r.detail
    assert "non-finite" in r.detail


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nonfinite_counterexample_margin_is_an_error_not_a_found_violation(bad):
    r = _run(CounterexampleCheck("nan", margin=lambda p: bad if p["t"] > 1.0 else 1.0, domain=DOM))
    assert r.status == ERROR, r.detail


def test_planted_nan_everywhere_is_never_a_pass():
    assert _run(PropertyCheck("nan", margin=lambda p: float("nan"))).status == ERROR
    assert _run(CounterexampleCheck("nan", margin=lambda p: float("nan"), domain=DOM)).status == ERROR


# --- draws outside validity ----------------------------------------------------------------

def test_planted_rejected_draw_margin_is_caught():
    """The old idiom: return 0 outside the claim's validity.  A false claim (t >= 1) that is
    'valid' only on a sliver (t > 2.9) passes when out-of-validity draws count as passing;
    rejecting them instead makes the search fail its health check."""
    zero_outside = PropertyCheck("zero", margin=lambda p: (p["t"] - 1.0) if p["t"] > 2.9 else 0.0)
    assert _run(zero_outside).status == PASSED  # the planted error fools the old idiom ...
    rejecting = PropertyCheck("reject", margin=lambda p: (p["t"] - 1.0) if p["t"] > 2.9 else None)
    r = _run(rejecting)
    assert r.status == FAILED and "health check failed" in r.detail, r.detail
    assert r.data["rejected"] > r.data["examples"]


def test_reject_exception_is_counted_and_not_a_passing_example():
    def margin(p):
        if p["t"] < -2.0:
            raise Reject
        return 1.0
    r = _run(PropertyCheck("some", margin=margin))
    assert r.status == PASSED, r.detail
    assert r.data["rejected"] >= 1 and "rejected" in r.detail
    assert r.data["examples"] >= 1


def test_violation_inside_validity_is_still_found_with_rejections():
    r = _run(PropertyCheck("v", margin=lambda p: None if p["t"] < 0 else 0.5 - p["t"]))
    assert r.status == FAILED and r.example is not None and r.example["t"] > 0.5


def test_counterexample_search_rejecting_most_draws_fails_health():
    r = _run(CounterexampleCheck("cx", margin=lambda p: -1.0 if p["t"] > 2.95 else None, domain=DOM))
    assert r.status == FAILED and "health check failed" in r.detail, r.detail


def test_all_draws_rejected_fails():
    r = _run(PropertyCheck("all", margin=lambda p: None))
    assert r.status == FAILED and "health check failed" in r.detail


# --- degenerate samples ------------------------------------------------------------------------

def test_zero_variance_sample_fails_cleanly():
    def run(ctx):
        ci = mean_ci(np.zeros(50), 1e-3)
        return Outcome(ci.contains(0.0), str(ci))
    r = _run(NumericCheck("zero-var", run=run))
    assert r.status == FAILED and "zero variance" in r.detail, r.detail


@pytest.mark.parametrize("pts", [RatePoints([1, 2], [1.0, 0.5]),                      # < 3 points
                                 RatePoints([1, 2, 4], [1.0, 0.0, 0.25]),              # y <= 0
                                 RatePoints([2, 2, 2], [1.0, 0.5, 0.25]),              # no spread in x
                                 RatePoints([1, 2, 4], [1.0, math.nan, 0.25]),         # non-finite
                                 RatePoints([1, 2, 4], [1.0, 0.5, 0.25], [0.1, 0.0, 0.1])])  # zero se
def test_degenerate_rate_points_fail_with_a_message(pts):
    r = _run(Rate("r", exponent=-1.0, measure=lambda ctx: pts))
    assert r.status == FAILED and "degenerate" in r.detail, r.detail


def test_degenerate_sample_errors_name_the_problem():
    with pytest.raises(DegenerateSample, match="at least 2"):
        mean_ci([1.0])
    with pytest.raises(DegenerateSample, match=">= 3 points"):
        loglog_slope([1, 2], [1, 2])


# --- a one-sided quantile where a two-sided one belongs ----------------------------------------

def _coverage(quantile, draws=4000, n=20, false_alarm=0.1, seed=0):
    x = np.random.default_rng(seed).standard_normal((draws, n))
    m, se = x.mean(1), x.std(1, ddof=1) / np.sqrt(n)
    q = quantile(false_alarm, n - 1)
    return float(np.mean(np.abs(m) <= q * se))


def test_planted_one_sided_quantile_is_caught_by_the_coverage_test():
    """The calibration criterion (tests/calibration): two-sided binomial acceptance around the
    nominal 90% accepts the routine's two-sided quantile and rejects a one-sided one."""
    from tests.calibration._coverage import within_binomial

    two_sided = _coverage(lambda a, df: stats.t.isf(a / 2, df))
    one_sided = _coverage(lambda a, df: stats.t.isf(a, df))
    assert within_binomial(two_sided, 4000, 0.9)
    assert not within_binomial(one_sided, 4000, 0.9), one_sided
    # and the shipped routine is the two-sided one
    x = np.random.default_rng(1).standard_normal((4000, 20))
    cover = np.mean([mean_ci(row, 0.1).contains(0.0) for row in x[:400]])
    assert abs(cover - 0.9) < 0.06

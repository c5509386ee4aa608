"""Calibration tier (issue 9 §5): every interval and test routine in numerics/_stats.py has its
stated coverage.  Each test draws >= 2000 synthetic data sets with known truth and asserts that
the empirical coverage is within binomial error of the nominal level, two-sided (an interval
that is too wide fails as well as one that is too narrow).  Nominal levels of 90% give the
tests power at this size; each assertion has false-alarm rate 1e-4 (tests/calibration/_coverage)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from numerics import clopper_pearson, loglog_slope, mean_ci, tost, z_two_sided
from numerics._stats import EQUIVALENT, birge_quantile

from ._coverage import binomial_band, within_binomial

pytestmark = pytest.mark.quality
DRAWS = 4000


def _assert_cover(hits, nominal):
    k = float(np.mean(hits))
    n = int(np.size(hits))
    assert within_binomial(k, n, nominal), f"coverage {k:.4f} over {n} draws, nominal {nominal} " \
                                           f"(accept {binomial_band(n, nominal)})"


@pytest.mark.parametrize(("n", "false_alarm", "n_tests"), [(5, 0.1, 1), (30, 0.1, 1), (12, 0.2, 2)])
def test_mean_ci_coverage(n, false_alarm, n_tests):
    rng = np.random.default_rng(101 + n)
    mu, sd = 1.7, 0.3
    x = mu + sd * rng.standard_normal((DRAWS, n))
    hits = [mean_ci(row, false_alarm, n_tests).contains(mu) for row in x]
    _assert_cover(hits, 1 - false_alarm / n_tests)


XS = np.array([10, 20, 50, 100, 200, 500.0])


@pytest.mark.parametrize(("xs", "sigma"), [(XS, 0.1), (XS[:3], 0.3), (np.geomspace(1, 1e4, 12), 0.05)])
def test_loglog_slope_unweighted_coverage(xs, sigma):
    rng = np.random.default_rng(7 + xs.size)
    b = -0.5
    ly = np.log(3.0) + b * np.log(xs) + sigma * rng.standard_normal((DRAWS, xs.size))
    hits = [loglog_slope(xs, np.exp(row), confidence=0.9).contains(b) for row in ly]
    _assert_cover(hits, 0.9)


@pytest.mark.parametrize(("xs", "confidence"), [(XS, 0.9), (XS[:3], 0.9), (XS, 0.8), (np.geomspace(1, 1e4, 12), 0.9)])
def test_loglog_slope_weighted_coverage(xs, confidence):
    """Stated errors right (var log y_i = (se_i/y_i)^2 exactly): the Birge-inflated interval has
    its nominal coverage.  With the plain normal quantile it over-covers (92.2% at 90%, 4 dof)."""
    rng = np.random.default_rng(11 + xs.size)
    b = -1.0
    s = np.linspace(0.05, 0.3, xs.size)  # heteroscedastic, known
    ly = b * np.log(xs) + s * rng.standard_normal((DRAWS, xs.size))
    hits = [loglog_slope(xs, np.exp(row), s * np.exp(row), confidence=confidence).contains(b) for row in ly]
    _assert_cover(hits, confidence)


def test_plain_normal_quantile_in_the_weighted_fit_would_be_caught():
    """The check above has the power to see the old over-coverage: planted plain normal quantile."""
    rng = np.random.default_rng(3)
    s = np.linspace(0.05, 0.3, XS.size)
    ly = -1.0 * np.log(XS) + s * rng.standard_normal((DRAWS, XS.size))
    q_old, q_new = stats.norm.isf(0.05), birge_quantile(XS.size - 2, 0.9)
    hits = []
    for row in ly:
        f = loglog_slope(XS, np.exp(row), s * np.exp(row), confidence=0.9)
        hits.append(abs(f.slope + 1.0) <= q_old * f.slope_se)
    assert not within_binomial(float(np.mean(hits)), DRAWS, 0.9), np.mean(hits)
    assert q_new < q_old


def test_birge_quantile_reduces_to_known_limits():
    # dof -> large: S -> 1, the quantile tends to the normal one
    assert abs(birge_quantile(100000, 0.9) - stats.norm.isf(0.05)) < 5e-3
    # Monte Carlo of the defining equation at 5 dof
    rng = np.random.default_rng(5)
    z, S = rng.standard_normal(400000), np.sqrt(rng.chisquare(5, 400000) / 5)
    miss = np.mean(np.abs(z) > birge_quantile(5, 0.9) * np.maximum(1, S))
    assert abs(miss - 0.1) < 4 * np.sqrt(0.09 / 400000)


@pytest.mark.parametrize(("n", "p"), [(20, 0.1), (50, 0.5), (200, 0.03), (40, 0.9)])
def test_clopper_pearson_coverage(n, p):
    """Exact interval: each tail misses with probability <= α/2 (so coverage >= nominal), the
    empirical coverage matches the exact coverage, and the interval is not wider than exact:
    its endpoints solve the binomial tail equations with equality."""
    conf = 0.9
    cis = [clopper_pearson(k, n, conf) for k in range(n + 1)]
    pmf = stats.binom.pmf(np.arange(n + 1), n, p)
    low_miss = sum(pmf[k] for k, c in enumerate(cis) if c.low > p)
    high_miss = sum(pmf[k] for k, c in enumerate(cis) if c.high < p)
    assert low_miss <= 0.05 + 1e-12 and high_miss <= 0.05 + 1e-12
    exact = 1 - low_miss - high_miss
    ks = np.random.default_rng(n).binomial(n, p, DRAWS)
    _assert_cover([cis[k].low <= p <= cis[k].high for k in ks], exact)
    for k, c in enumerate(cis):  # not too wide: tails are exactly α/2 at the endpoints
        if k > 0:
            assert abs(stats.binom.sf(k - 1, n, c.low) - 0.05) < 1e-9
        if k < n:
            assert abs(stats.binom.cdf(k, n, c.high) - 0.05) < 1e-9


@pytest.mark.parametrize(("false_alarm", "n_tests"), [(0.1, 1), (0.2, 4), (0.05, 1)])
def test_z_two_sided_false_alarm(false_alarm, n_tests):
    z = np.random.default_rng(17).standard_normal(20 * DRAWS)
    rate = float(np.mean(np.abs(z) > z_two_sided(false_alarm, n_tests)))
    assert within_binomial(1 - rate, z.size, 1 - false_alarm / n_tests), rate


@pytest.mark.parametrize(("n", "margin"), [(30, 1.0), (8, 2.0)])
def test_tost_false_alarm_at_the_margin(n, margin):
    """True mean exactly at the margin (the boundary of 'different'): TOST declares equivalence
    with probability α (the other side is many standard errors away)."""
    alpha = 0.1
    rng = np.random.default_rng(23 + n)
    x = margin + rng.standard_normal((DRAWS, n))
    eq = [tost(row, margin, alpha).verdict == EQUIVALENT for row in x]
    _assert_cover(1 - np.asarray(eq), 1 - alpha)

"""Statistics for tolerances: z-values from false-alarm rates, mean CIs, and the
log-log slope fit with a confidence interval used by every rate claim."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize, stats

from ._validate import check_int, check_real


def _rate(name: str, value: float) -> float:
    """A false-alarm rate or 1 − confidence: a real in (0, 1)."""
    return check_real(name, value, 0.0, 1.0, low_open=True, high_open=True)


class DegenerateSample(ValueError):
    """A sample on which an interval is not defined (too few points, zero variance,
    non-finite or non-positive values for a log fit).  The engine reports the check as
    failed with this message (issue 9 §4), never as a crash or a pass."""


def z_two_sided(false_alarm: float, n_tests: int = 1) -> float:
    """z such that P(|N(0,1)| > z) = false_alarm / n_tests (Bonferroni)."""
    false_alarm, n_tests = _rate("false_alarm", false_alarm), check_int("n_tests", n_tests, 1)
    return float(stats.norm.isf(false_alarm / (2 * n_tests)))


@dataclass(frozen=True)
class MeanCI:
    mean: float
    se: float
    low: float
    high: float
    n: int
    false_alarm: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def __str__(self) -> str:
        return (f"{self.mean:.6g} ± {(self.high - self.mean):.3g} "
                f"(n={self.n}, false-alarm {self.false_alarm:g})")


def mean_ci(samples: np.ndarray, false_alarm: float = 1e-3, n_tests: int = 1) -> MeanCI:
    """Two-sided Student-t interval for the mean at the stated false-alarm rate."""
    false_alarm, n_tests = _rate("false_alarm", false_alarm), check_int("n_tests", n_tests, 1)
    x = np.asarray(samples, dtype=float).ravel()
    n = x.size
    if n < 2:
        raise DegenerateSample(f"mean_ci needs at least 2 samples, got {n}")
    if not np.all(np.isfinite(x)):
        raise DegenerateSample(f"mean_ci: {int(np.sum(~np.isfinite(x)))} of {n} samples are not finite")
    m = float(x.mean())
    sd = float(x.std(ddof=1))
    if not sd > 0:
        raise DegenerateSample(f"mean_ci: zero variance in {n} samples (all equal {m:.6g}); the interval is "
                               f"not defined")
    se = sd / float(np.sqrt(n))
    q = float(stats.t.isf(false_alarm / (2 * max(n_tests, 1)), df=max(n - 1, 1)))
    return MeanCI(m, se, m - q * se, m + q * se, n, false_alarm)


@dataclass(frozen=True)
class SlopeFit:
    slope: float
    intercept: float
    slope_se: float
    low: float
    high: float
    confidence: float
    r2: float
    n_points: int

    @property
    def halfwidth(self) -> float:
        return (self.high - self.low) / 2

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


def loglog_slope(x, y, y_se=None, confidence: float = 0.99) -> SlopeFit:
    """Fit log y = a + b log x.

    With standard errors, weighted least squares with var(log y_i) = (se_i / y_i)^2
    (delta method); the slope's standard error is inflated by the Birge ratio
    sqrt(chi2/dof) when the scatter exceeds the stated errors, and the interval uses
    :func:`birge_quantile`, calibrated so that the coverage is exactly ``confidence`` when the
    stated errors are right (the plain normal quantile over-covers: 92.2% at a nominal 90% with
    4 dof; tests/calibration).  Without, ordinary least squares with a Student-t interval.
    """
    confidence = _rate("confidence", confidence)
    xv = np.asarray(x, dtype=float).ravel()
    yv = np.asarray(y, dtype=float).ravel()
    if xv.size != yv.size:
        raise DegenerateSample(f"loglog_slope: {xv.size} x values but {yv.size} y values")
    if xv.size < 3:
        raise DegenerateSample(f"loglog_slope needs >= 3 points, got {xv.size}")
    if not (np.all(np.isfinite(xv)) and np.all(np.isfinite(yv))):
        raise DegenerateSample("loglog_slope: a non-finite x or y value")
    if np.any(xv <= 0) or np.any(yv <= 0):
        raise DegenerateSample(f"loglog_slope needs x > 0 and y > 0, got min x {xv.min():.4g}, min y {yv.min():.4g}")
    lx, ly = np.log(xv), np.log(yv)
    n = lx.size
    if not np.ptp(lx) > 0:
        raise DegenerateSample("loglog_slope: all x values are equal; the slope is not defined")
    if y_se is not None:
        sev = np.asarray(y_se, dtype=float).ravel()
        if sev.size != n or not np.all(np.isfinite(sev)) or np.any(sev <= 0):
            raise DegenerateSample("loglog_slope: standard errors must be finite and > 0, one per point")
        w = 1.0 / (sev / yv) ** 2
        xm = np.sum(w * lx) / w.sum()
        ym = np.sum(w * ly) / w.sum()
        sxx = np.sum(w * (lx - xm) ** 2)
        b = np.sum(w * (lx - xm) * (ly - ym)) / sxx
        a = ym - b * xm
        chi2 = float(np.sum(w * (ly - a - b * lx) ** 2))
        birge = max(1.0, np.sqrt(chi2 / max(n - 2, 1)))
        se = float(birge / np.sqrt(sxx))
        q = birge_quantile(n - 2, confidence)
    else:
        xm, ym = lx.mean(), ly.mean()
        sxx = np.sum((lx - xm) ** 2)
        b = np.sum((lx - xm) * (ly - ym)) / sxx
        a = ym - b * xm
        resid = ly - a - b * lx
        se = float(np.sqrt(np.sum(resid**2) / max(n - 2, 1) / sxx))
        q = float(stats.t.isf((1 - confidence) / 2, df=max(n - 2, 1)))
    pred = a + b * lx
    ss_tot = float(np.sum((ly - ly.mean()) ** 2))
    r2 = 1.0 - float(np.sum((ly - pred) ** 2)) / ss_tot if ss_tot > 0 else 1.0
    return SlopeFit(float(b), float(a), se, float(b - q * se), float(b + q * se), confidence, r2, n)


@functools.lru_cache(maxsize=256)
def birge_quantile(dof: int, confidence: float) -> float:
    """q with P(|Z| > q·max(1, S)) = 1 - confidence, Z ~ N(0,1) independent of S² ~ χ²_dof/dof.

    The slope estimate of a Gaussian weighted fit is independent of its residual χ², so this
    makes the Birge-inflated interval b ± q·max(1, S)·se exact under correctly stated errors
    (and still widened when the scatter exceeds them)."""
    nu = max(int(dof), 1)
    alpha = 1.0 - confidence
    if not 0 < alpha < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    c1 = float(stats.chi2.cdf(nu, nu))  # P(S <= 1)
    u = np.linspace(nu, nu + 60.0 * np.sqrt(2.0 * nu) + 200.0, 40001)  # chi2 tail beyond 1e-60
    pdf = stats.chi2.pdf(u, nu)
    s_ = np.sqrt(u / nu)

    def miss(q: float) -> float:
        return 2 * float(stats.norm.sf(q)) * c1 + float(integrate.simpson(2 * stats.norm.sf(q * s_) * pdf, x=u))

    hi = float(stats.norm.isf(alpha / 2))
    return float(optimize.brentq(lambda q: miss(q) - alpha, 1e-6, hi, xtol=1e-10, rtol=1e-12))


# --- suite-level false-alarm budget (issue 9) -------------------------------------------------
#: A full ``w2s verify`` on a correct tree fails with probability at most this.
SUITE_FALSE_ALARM = 1e-3
#: The budget is split (Bonferroni) over at most this many statistical checks; a contract test
#: asserts that the registry never holds more.
MAX_STATISTICAL_CHECKS = 200
#: Each statistical check's own false-alarm rate.  A check that makes several comparisons
#: splits this further (``n_tests`` of :func:`z_two_sided` / :func:`mean_ci`).
CHECK_FALSE_ALARM = SUITE_FALSE_ALARM / MAX_STATISTICAL_CHECKS


@dataclass(frozen=True)
class BinomialCI:
    """Exact (Clopper-Pearson) interval for a binomial proportion k/n."""

    k: int
    n: int
    low: float
    high: float
    confidence: float

    @property
    def p(self) -> float:
        return self.k / self.n if self.n else float("nan")

    def __str__(self) -> str:
        return f"{self.k}/{self.n} [{self.low:.3g}, {self.high:.3g}] ({100 * self.confidence:.4g}% Clopper-Pearson)"


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> BinomialCI:
    """Exact two-sided Clopper-Pearson interval for k successes in n trials."""
    n = check_int("n", n, 1)
    k = check_int("k", k, 0, n)
    confidence = _rate("confidence", confidence)
    a = 1.0 - confidence
    low = 0.0 if k == 0 else float(stats.beta.ppf(a / 2, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.isf(a / 2, k + 1, n - k))
    return BinomialCI(int(k), int(n), low, high, confidence)


EQUIVALENT, DIFFERENT, INCONCLUSIVE_EQ = "equivalent", "different", "inconclusive"


@dataclass(frozen=True)
class Equivalence:
    """Outcome of a two one-sided tests (TOST) equivalence test of |mean| <= margin.

    ``verdict`` is ``equivalent`` when the (1 - 2α) interval lies inside [-margin, margin],
    ``different`` when the two-sided (1 - α) interval lies wholly outside it, else
    ``inconclusive`` (the run has not the power to decide).
    """

    mean: float
    se: float
    low: float
    high: float
    margin: float
    false_alarm: float
    verdict: str

    def __str__(self) -> str:
        return (f"{self.mean:.4g} [{self.low:.4g}, {self.high:.4g}] vs margin ±{self.margin:g} "
                f"(TOST, α={self.false_alarm:g}): {self.verdict}")


def tost(samples, margin: float, false_alarm: float = CHECK_FALSE_ALARM, center: float = 0.0) -> Equivalence:
    """TOST for |E[x] - center| <= margin from i.i.d. samples (Student t)."""
    margin = check_real("margin", margin, 0.0, None, low_open=True)
    false_alarm = check_real("false_alarm", false_alarm, 0.0, 0.5, low_open=True, high_open=True)
    center = check_real("center", center)
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2:
        raise DegenerateSample(f"tost needs at least 2 samples, got {x.size}")
    if not np.all(np.isfinite(x)):
        raise DegenerateSample("tost: a non-finite sample")
    m = float(x.mean()) - center
    sd = float(x.std(ddof=1))
    if not sd > 0:
        raise DegenerateSample(f"tost: zero variance in {x.size} samples; the test is not defined")
    se = sd / float(np.sqrt(x.size))
    q = float(stats.t.isf(false_alarm, df=x.size - 1))
    low, high = m - q * se, m + q * se
    q2 = float(stats.t.isf(false_alarm / 2, df=x.size - 1))
    if -margin <= low and high <= margin:
        verdict = EQUIVALENT
    elif m - q2 * se > margin or m + q2 * se < -margin:
        verdict = DIFFERENT
    else:
        verdict = INCONCLUSIVE_EQ
    return Equivalence(m, se, low, high, float(margin), false_alarm, verdict)

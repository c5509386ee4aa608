"""Statistics for tolerances: z-values from false-alarm rates, mean CIs, and the
log-log slope fit with a confidence interval used by every rate claim."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


def z_two_sided(false_alarm: float, n_tests: int = 1) -> float:
    """z such that P(|N(0,1)| > z) = false_alarm / n_tests (Bonferroni)."""
    return float(stats.norm.isf(false_alarm / (2 * max(n_tests, 1))))


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
    x = np.asarray(samples, dtype=float).ravel()
    n = x.size
    m = float(x.mean())
    se = float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else float("inf")
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
    the normal quantile.  Without, ordinary least squares with a Student-t interval.
    """
    lx = np.log(np.asarray(x, dtype=float))
    yv = np.asarray(y, dtype=float)
    if np.any(yv <= 0) or lx.size < 3:
        raise ValueError("loglog_slope needs >= 3 points with y > 0")
    ly = np.log(yv)
    n = lx.size
    if y_se is not None:
        w = 1.0 / np.maximum((np.asarray(y_se, dtype=float) / yv) ** 2, 1e-300)
        xm = np.sum(w * lx) / w.sum()
        ym = np.sum(w * ly) / w.sum()
        sxx = np.sum(w * (lx - xm) ** 2)
        b = np.sum(w * (lx - xm) * (ly - ym)) / sxx
        a = ym - b * xm
        chi2 = float(np.sum(w * (ly - a - b * lx) ** 2))
        birge = max(1.0, np.sqrt(chi2 / max(n - 2, 1)))
        se = float(birge / np.sqrt(sxx))
        q = float(stats.norm.isf((1 - confidence) / 2))
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
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"clopper_pearson needs 0 <= k <= n and n >= 1, got k={k}, n={n}")
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
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2:
        raise ValueError("tost needs at least 2 samples")
    if not margin > 0:
        raise ValueError(f"tost margin must be > 0, got {margin}")
    m = float(x.mean()) - center
    se = float(x.std(ddof=1) / np.sqrt(x.size))
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

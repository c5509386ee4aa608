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

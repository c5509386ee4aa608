"""Two-sided acceptance of an empirical coverage against its nominal level (issue 9 §5)."""
from __future__ import annotations

from scipy import stats

#: False-alarm rate of each calibration assertion (two-sided, exact binomial).
CALIBRATION_FALSE_ALARM = 1e-4


def binomial_band(n: int, nominal: float, false_alarm: float = CALIBRATION_FALSE_ALARM) -> tuple[float, float]:
    """The acceptance band [lo, hi] for a coverage fraction k/n: outside it, P <= false_alarm
    under Binomial(n, nominal) (equal tails)."""
    lo = stats.binom.ppf(false_alarm / 2, n, nominal) / n
    hi = stats.binom.isf(false_alarm / 2, n, nominal) / n
    return float(lo), float(hi)


def within_binomial(coverage: float, n: int, nominal: float, false_alarm: float = CALIBRATION_FALSE_ALARM) -> bool:
    """Coverage within binomial error of ``nominal``, two-sided: too wide fails as well as too narrow."""
    lo, hi = binomial_band(n, nominal, false_alarm)
    return lo <= coverage <= hi

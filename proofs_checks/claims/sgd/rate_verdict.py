"""Three-way verdict for a literature rate measured at finite d (spec sgd_dynamics.md §4 tier B,
"Scaling"; issue 11 §4).

A log-log slope fitted at the d this machine allows is compared with the literature exponent:
- **passed** when the CI at the check's confidence (1 − ctx.false_alarm) contains the exponent and
  its half-width is at most ``max_halfwidth`` (a vacuously wide interval cannot pass);
- **failed** when the CI lies entirely outside exponent ± ``band`` (the spec's ± 0.3): the exponent
  is wrong, not merely not yet reached;
- **inconclusive** otherwise, with the measured slope, the reason (too wide: the runs needed; or
  the exponent not reached: the d needed under the stated finite-d correction model).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from numerics import loglog_slope

from ..._claim import Outcome

SPEC_BAND = 0.3   # spec §4 "Scaling": the slope CI must meet expected ± 0.3


@dataclass(frozen=True)
class Correction:
    """Finite-d correction model of the local slope, bias(d) ≈ A·f(d), used only to state the d needed."""

    name: str          # e.g. "d^(-1/2)"
    power: float       # bias ∝ d^(−power); 0 means ∝ 1/log d

    def d_needed(self, d_mid: float, bias: float, tol: float) -> float:
        """d at which |bias| falls to ``tol`` if bias(d_mid) = ``bias``."""
        if abs(bias) <= tol:
            return d_mid
        if self.power > 0:
            return d_mid * (abs(bias) / tol) ** (1.0 / self.power)
        return math.exp(math.log(d_mid) * abs(bias) / tol)


def exponent_from_statement(rhs, d: sp.Symbol, normaliser=1) -> float:
    """lim_{d→∞} d·∂_d log(rhs/normaliser): the exponent a statement ``n = rhs(d)`` predicts for the
    fitted quantity n/normaliser (e.g. normaliser = log d for d·log d)."""
    ex = sp.limit(d * sp.diff(sp.log(rhs / normaliser), d), d, sp.oo)
    return float(ex)


def log_form(eq) -> sp.Expr:
    """log of the predicted quantity: the rhs of ``log n = rhs``, or log(rhs) of ``n = rhs``."""
    return eq.rhs if isinstance(eq.lhs, sp.log) else sp.log(eq.rhs)


def local_exponent(eq, var: sp.Symbol, at=sp.oo, normaliser=1) -> sp.Expr:
    """lim_{var→at} var·∂_var [log n − log normaliser] for a statement ``n = rhs`` or ``log n = rhs``: the
    exponent in ``var`` that the statement predicts for n/normaliser (``at`` = 0 takes the one-sided limit 0+)."""
    e = var * sp.diff(log_form(eq) - sp.log(normaliser), var)
    return sp.limit(e, var, at, "+") if at == 0 else sp.limit(e, var, at)


def literature_verdict(x, y, y_se, exponent: float, false_alarm: float, max_halfwidth: float,
                       what: str, correction: Correction, runs: int, band: float = SPEC_BAND) -> Outcome:
    """Fit log y on log x (weighted, Birge-inflated) at confidence 1 − false_alarm and return the
    three-way verdict described in the module docstring."""
    x, y, y_se = (np.asarray(v, float) for v in (x, y, y_se))
    if x.size < 3 or np.any(~np.isfinite(y)) or np.any(y <= 0):
        return Outcome(False, f"{what}: degenerate sample (need >= 3 finite positive medians, got {y.tolist()}); "
                       "raise max_steps or runs", None, {}, inconclusive=True)
    fit = loglog_slope(x, y, y_se, confidence=1 - false_alarm)
    hw = fit.halfwidth
    head = (f"{what}: slope {fit.slope:.3f} [{fit.low:.3f}, {fit.high:.3f}] ({100 * (1 - false_alarm):.6g}% CI, "
            f"α = {false_alarm:g}, {fit.n_points} values of d in [{int(x.min())}, {int(x.max())}], {runs} runs each); "
            f"literature exponent {exponent:g}")
    data = {"slope": fit.slope, "ci": [fit.low, fit.high], "expected": exponent, "x": x.tolist(), "y": y.tolist()}
    fig = ("slope", fit.slope)
    if fit.high < exponent - band or fit.low > exponent + band:
        return Outcome(False, head + f" — the CI misses {exponent:g} ± {band:g}: wrong exponent", fig, data)
    if fit.contains(exponent) and hw <= max_halfwidth:
        return Outcome(True, head + f" — contained, half-width {hw:.3f} <= {max_halfwidth:g}", fig, data)
    if not fit.contains(exponent):
        d_mid = float(np.exp(np.mean(np.log(x))))
        bias = fit.slope - exponent
        need = correction.d_needed(d_mid, bias, max(hw, 0.05))
        data.update(d_needed=need)
        return Outcome(False, head + f" — NOT reached: bias {bias:+.3f} at d ≈ {d_mid:.0f}; with a {correction.name} "
                       f"finite-d correction the bias falls within the CI half-width only at d ≈ {need:.3g} "
                       "(inconclusive, not a pass)", fig, data, inconclusive=True)
    runs_needed = int(math.ceil(runs * (hw / max_halfwidth) ** 2))
    data.update(runs_needed=runs_needed)
    return Outcome(False, head + f" — contained but half-width {hw:.3f} > {max_halfwidth:g}: ≈ {runs_needed} runs per "
                   "d needed (inconclusive, not a pass)", fig, data, inconclusive=True)

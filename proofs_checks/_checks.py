"""The engine that runs each check kind and turns it into a :class:`CheckResult`."""
from __future__ import annotations

import math
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
from hypothesis import HealthCheck, Phase, given, seed, settings, target

from numerics import loglog_slope
from theory import Proof

from ._claim import (Check, Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, Rate,
                     SymbolicCheck)
from ._context import RunContext
from ._statement import checking

PASSED, FAILED, ERROR, INCONCLUSIVE = "passed", "failed", "error", "inconclusive"
#: Claim status from its checks' statuses: the first of these present wins.
STATUS_ORDER = (ERROR, FAILED, INCONCLUSIVE, PASSED)


def combine_status(statuses) -> str:
    """The combined status of several checks (error > failed > inconclusive > passed)."""
    st = set(statuses)
    for s in STATUS_ORDER:
        if s in st:
            return s
    return FAILED  # no check at all cannot pass


@dataclass
class CheckResult:
    claim_id: str
    name: str
    kind: str
    status: str
    detail: str
    seconds: float
    provenance: str
    figure: tuple[str, float] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    example: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        d = {"name": self.name, "kind": self.kind, "status": self.status, "detail": self.detail,
             "seconds": round(self.seconds, 4), "provenance": self.provenance}
        if self.figure is not None:
            d["figure"] = {"name": self.figure[0], "value": _jsonable(self.figure[1])}
        if self.example is not None:
            d["example"] = _jsonable(self.example)
        if self.data:
            d["data"] = _jsonable(self.data)
        return d


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return v if math.isfinite(v) else str(v)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (str, int, bool)) or x is None:
        return x
    return str(x)


def _tol(tolerance: Any, params: Mapping[str, Any]) -> float:
    return float(tolerance(params)) if callable(tolerance) else float(tolerance)


def _hyp_settings(max_examples: int, shrink: bool = True) -> settings:
    phases = [Phase.explicit, Phase.generate, Phase.target] + ([Phase.shrink] if shrink else [])
    return settings(max_examples=max_examples, deadline=None, database=None, derandomize=False,
                    phases=phases, suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                    print_blob=False)


def _fmt_params(p: Mapping[str, Any]) -> str:
    def f(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.6g}"
        if isinstance(v, np.ndarray):
            return np.array2string(v, precision=4, threshold=12)
        return repr(v)
    return "{" + ", ".join(f"{k}={f(v)}" for k, v in p.items()) + "}"


class _Violation(AssertionError):
    pass


def _search(check: PropertyCheck | CounterexampleCheck, domain, ctx: RunContext, claim: Claim,
            max_examples: int, steer: bool, threshold_fn) -> dict[str, Any]:
    """Run Hypothesis over ``domain``; stop at (and shrink) the first params whose margin
    falls below ``-threshold_fn(params)``.  Returns counts, the worst margin seen, and the
    shrunk failing example (the last failing call, which Hypothesis replays)."""
    state: dict[str, Any] = {"calls": 0, "worst": math.inf, "worst_params": None, "failing": None}

    @_hyp_settings(max_examples)
    @seed(ctx.seed_for(claim.id, check.name))
    @given(domain.strategy())
    def search(params: dict[str, Any]) -> None:
        m = float(check.margin(params))
        state["calls"] += 1
        if steer and math.isfinite(m):
            target(-m, label="violation")
        if math.isnan(m):
            state["failing"] = (dict(params), m)
            raise _Violation("margin is NaN")
        if m < state["worst"]:
            state["worst"], state["worst_params"] = m, dict(params)
        if m < -threshold_fn(params):
            state["failing"] = (dict(params), m)
            raise _Violation(f"margin {m:.6g}")

    try:
        search()
        state["found"] = False
    except _Violation:
        state["found"] = True
    return state


def run_property(check: PropertyCheck, claim: Claim, ctx: RunContext) -> Outcome:
    domain = check.domain or claim.domain
    st = _search(check, domain, ctx, claim, ctx.n_property, steer=True,
                 threshold_fn=lambda p: _tol(check.tolerance, p))
    if st["found"]:
        params, m = st["failing"]
        return _with_example(Outcome(False, f"violated at shrunk example {_fmt_params(params)}: margin {m:.6g}",
                                  ("margin", m), {"examples": st["calls"]}), params)
    return Outcome(True, f"{st['calls']} Hypothesis examples over the domain; worst margin {st['worst']:.4g}"
                   f" (>= -tolerance)", ("worst margin", st["worst"]), {"examples": st["calls"]})


def _with_example(o: Outcome, params: Mapping[str, Any]) -> Outcome:
    o.data["example"] = dict(params)
    return o


def run_counterexample(check: CounterexampleCheck, claim: Claim, ctx: RunContext) -> Outcome:
    st = _search(check, check.domain, ctx, claim, ctx.n_counterexample, steer=True,
                 threshold_fn=lambda p: max(_tol(check.tolerance, p), check.min_violation))
    dropped = f" (dropped: {check.dropped})" if check.dropped else ""
    if st["found"]:
        params, m = st["failing"]
        o = Outcome(True, f"violation found{dropped}: shrunk example {_fmt_params(params)}, margin {m:.6g}; "
                    f"worst margin seen {st['worst']:.4g}", ("violation", m),
                    {"examples": st["calls"], "margin": m, "worst_margin": st["worst"],
                     "worst_example": st["worst_params"]})
        return _with_example(o, params)
    return Outcome(False, f"no violation found in {st['calls']} examples{dropped}; worst margin "
                   f"{st['worst']:.4g} (needed < -{check.min_violation:g})", ("worst margin", st["worst"]),
                   {"examples": st["calls"]})


def run_rate(check: Rate, claim: Claim, ctx: RunContext) -> Outcome:
    pts = check.measure(ctx)
    fit = loglog_slope(pts.x, pts.y, pts.y_se, confidence=check.confidence)
    ok_contains = fit.contains(check.exponent)
    ok_width = fit.halfwidth <= check.max_halfwidth
    detail = (f"{check.quantity or 'quantity'} ~ {check.variable}^b: b = {fit.slope:.3f} "
              f"[{fit.low:.3f}, {fit.high:.3f}] ({100 * check.confidence:.4g}% CI, {fit.n_points} points, "
              f"R²={fit.r2:.3f}); expected {check.exponent:g}")
    if not ok_contains:
        detail += " — outside the interval"
    if not ok_width:
        detail += f" — interval half-width {fit.halfwidth:.3f} exceeds {check.max_halfwidth:g}"
    return Outcome(ok_contains and ok_width, detail, ("slope", fit.slope),
                   {"x": np.asarray(pts.x), "y": np.asarray(pts.y),
                    "y_se": None if pts.y_se is None else np.asarray(pts.y_se),
                    "slope": fit.slope, "ci": [fit.low, fit.high], "expected": check.exponent,
                    "confidence": check.confidence})


def _as_outcome(r: Any) -> Outcome:
    if isinstance(r, Outcome):
        return r
    if isinstance(r, Proof):
        return Outcome(r.holds, f"{r.method}: {r.detail}", None, dict(r.data))
    if isinstance(r, (list, tuple)) and r and all(isinstance(x, (Proof, Outcome)) for x in r):
        outs = [_as_outcome(x) for x in r]
        return Outcome(all(o.passed for o in outs), "; ".join(o.detail for o in outs), None,
                       {"parts": len(outs)})
    raise TypeError(f"a check returned {type(r).__name__}; expected Outcome or Proof")


def run_check(check: Check, claim: Claim, ctx: RunContext) -> CheckResult:
    """Run one check; any unexpected exception becomes status ``error`` with its message."""
    t0 = time.perf_counter()
    try:
        with checking(claim):
            out = _run_kind(check, claim, ctx)
        status = INCONCLUSIVE if out.inconclusive else PASSED if out.passed else FAILED
        data = dict(out.data)
        example = data.pop("example", None)
        return CheckResult(claim.id, check.name, check.kind, status, out.detail, time.perf_counter() - t0,
                           check.provenance or claim.provenance, out.figure, data, example)
    except Exception as e:  # noqa: BLE001 - a crashing check is reported, not fatal
        tb = traceback.format_exc(limit=-3)
        return CheckResult(claim.id, check.name, check.kind, ERROR, f"{type(e).__name__}: {e}",
                           time.perf_counter() - t0, check.provenance or claim.provenance,
                           data={"traceback": tb})


def _run_kind(check: Check, claim: Claim, ctx: RunContext) -> Outcome:
    if isinstance(check, SymbolicCheck):
        return _as_outcome(check.prove())
    if isinstance(check, NumericCheck):
        return _as_outcome(check.run(ctx))
    if isinstance(check, PropertyCheck):
        return run_property(check, claim, ctx)
    if isinstance(check, CounterexampleCheck):
        return run_counterexample(check, claim, ctx)
    if isinstance(check, Rate):
        return run_rate(check, claim, ctx)
    raise TypeError(f"unknown check type {type(check).__name__}")

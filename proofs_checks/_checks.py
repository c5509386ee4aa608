"""The engine that runs each check kind and turns it into a :class:`CheckResult`."""
from __future__ import annotations

import math
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

import numpy as np
from hypothesis import HealthCheck, Phase, given, reject, seed, settings, target
from hypothesis.errors import Unsatisfiable

from numerics import DegenerateSample, loglog_slope
from theory import Proof

from ._claim import (Check, Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, Rate,
                     SymbolicCheck)
from ._context import RunContext
from ._errors import Reject
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


class _NonFinite(AssertionError):
    pass


class NonFiniteMargin(ArithmeticError):
    """A margin evaluated to NaN or ±inf: the check is an ``error`` (never a pass, never a
    found counterexample)."""


#: A search that rejects more than this fraction of its draws fails its health check.
MAX_REJECTED_FRACTION = 0.5


@contextmanager
def code_constants_off() -> Iterator[None]:
    """Hypothesis (6.131+) also draws literals that it finds in every loaded module outside
    site-packages, so a search's examples depended on which modules earlier claims happened
    to import (a claim verified alone, after others, or on a ``--executor`` worker drew
    different examples) and on whether the harness is installed or checked out.  Inside a
    search only Hypothesis's fixed built-in constants are drawn; its constants cache is
    emptied on entry and exit, so no pool leaks in or out."""
    try:
        from hypothesis.internal.conjecture import providers as pv
        get, cache, empty = pv._get_local_constants, pv.CONSTANTS_CACHE, pv.Constants()
    except (ImportError, AttributeError):  # another Hypothesis: nothing to switch off
        yield
        return
    cache.cache.clear()
    pv._get_local_constants = lambda: empty
    try:
        yield
    finally:
        pv._get_local_constants = get
        cache.cache.clear()


def _search(check: PropertyCheck | CounterexampleCheck, domain, ctx: RunContext, claim: Claim,
            max_examples: int, steer: bool, threshold_fn) -> dict[str, Any]:
    """Run Hypothesis over ``domain``; stop at (and shrink) the first params whose margin
    falls below ``-threshold_fn(params)``.  Returns counts (valid ``calls`` and ``rejected``
    draws), the worst margin seen, and the shrunk failing example (the last failing call,
    which Hypothesis replays).  A margin that returns ``None`` or raises :class:`Reject`
    rejects the draw; a NaN/inf margin raises :class:`NonFiniteMargin`."""
    state: dict[str, Any] = {"calls": 0, "rejected": 0, "worst": math.inf, "worst_params": None,
                             "failing": None, "nonfinite": None, "unsatisfiable": False}

    @_hyp_settings(max_examples)
    @seed(ctx.seed_for(claim.id, check.name))
    @given(domain.strategy())
    def search(params: dict[str, Any]) -> None:
        try:
            raw = check.margin(params)
        except Reject:
            raw = None
        if raw is None:
            state["rejected"] += 1
            reject()
        m = float(raw)
        if not math.isfinite(m):
            state["nonfinite"] = (dict(params), m)
            raise _NonFinite(f"margin is {m}")
        state["calls"] += 1
        if steer:
            target(-m, label="violation")
        if m < state["worst"]:
            state["worst"], state["worst_params"] = m, dict(params)
        if m < -threshold_fn(params):
            state["failing"] = (dict(params), m)
            raise _Violation(f"margin {m:.6g}")

    try:
        with code_constants_off():
            search()
        state["found"] = False
    except _Violation:
        state["found"] = True
    except _NonFinite:
        state["found"] = False
    except Unsatisfiable:
        state["found"], state["unsatisfiable"] = False, True
    if state["nonfinite"] is not None:
        params, m = state["nonfinite"]
        raise NonFiniteMargin(f"margin is {m} at {_fmt_params(params)}: a non-finite margin is an error")
    return state


def _health(st: dict[str, Any]) -> str | None:
    """The failed-health message of a search that rejected most of its draws, else None."""
    total = st["calls"] + st["rejected"]
    if st["unsatisfiable"] or (total and st["rejected"] > MAX_REJECTED_FRACTION * total):
        return (f"health check failed: {st['rejected']} of {total} draws were rejected as outside the claim's "
                f"validity (more than {MAX_REJECTED_FRACTION:.0%}); narrow the domain so that it meets the regime")
    return None


def _rejected_note(st: dict[str, Any]) -> str:
    return f", {st['rejected']} draws rejected (not counted)" if st["rejected"] else ""


def run_property(check: PropertyCheck, claim: Claim, ctx: RunContext) -> Outcome:
    domain = check.domain or claim.domain
    st = _search(check, domain, ctx, claim, ctx.n_property, steer=True,
                 threshold_fn=lambda p: _tol(check.tolerance, p))
    counts = {"examples": st["calls"], "rejected": st["rejected"]}
    if st["found"]:
        params, m = st["failing"]
        return _with_example(Outcome(False, f"violated at shrunk example {_fmt_params(params)}: margin {m:.6g}",
                                  ("margin", m), counts), params)
    bad = _health(st)
    if bad:
        return Outcome(False, bad, ("rejected", st["rejected"]), counts)
    return Outcome(True, f"{st['calls']} Hypothesis examples over the domain{_rejected_note(st)}; worst margin "
                   f"{st['worst']:.4g} (>= -tolerance)", ("worst margin", st["worst"]), counts)


def _with_example(o: Outcome, params: Mapping[str, Any]) -> Outcome:
    o.data["example"] = dict(params)
    return o


def run_counterexample(check: CounterexampleCheck, claim: Claim, ctx: RunContext) -> Outcome:
    st = _search(check, check.domain, ctx, claim, ctx.n_counterexample, steer=True,
                 threshold_fn=lambda p: max(_tol(check.tolerance, p), check.min_violation))
    dropped = f" (dropped: {check.dropped})" if check.dropped else ""
    bad = _health(st)
    if st["found"] and not bad:
        params, m = st["failing"]
        o = Outcome(True, f"violation found{dropped}: shrunk example {_fmt_params(params)}, margin {m:.6g}; "
                    f"worst margin seen {st['worst']:.4g}{_rejected_note(st)}", ("violation", m),
                    {"examples": st["calls"], "rejected": st["rejected"], "margin": m, "worst_margin": st["worst"],
                     "worst_example": st["worst_params"]})
        return _with_example(o, params)
    if bad:
        return Outcome(False, bad + dropped, ("rejected", st["rejected"]),
                       {"examples": st["calls"], "rejected": st["rejected"]})
    return Outcome(False, f"no violation found in {st['calls']} examples{dropped}{_rejected_note(st)}; worst margin "
                   f"{st['worst']:.4g} (needed < -{check.min_violation:g})", ("worst margin", st["worst"]),
                   {"examples": st["calls"], "rejected": st["rejected"]})


def run_rate(check: Rate, claim: Claim, ctx: RunContext) -> Outcome:
    pts = check.measure(ctx)
    confidence = rate_confidence(check, ctx)
    try:
        fit = loglog_slope(pts.x, pts.y, pts.y_se, confidence=confidence)
    except DegenerateSample as e:
        return Outcome(False, f"degenerate sample, no slope fit: {e}", None,
                       {"x": np.asarray(pts.x), "y": np.asarray(pts.y), "expected": check.exponent})
    if not (math.isfinite(fit.slope) and math.isfinite(fit.low) and math.isfinite(fit.high)):
        return Outcome(False, f"slope fit is not finite: b = {fit.slope} [{fit.low}, {fit.high}]", None,
                       {"expected": check.exponent})
    ok_contains = fit.contains(check.exponent)
    ok_width = fit.halfwidth <= check.max_halfwidth
    detail = (f"{check.quantity or 'quantity'} ~ {check.variable}^b: b = {fit.slope:.3f} "
              f"[{fit.low:.3f}, {fit.high:.3f}] ({100 * confidence:.6g}% CI, α={1 - confidence:.3g}, {fit.n_points} points, "
              f"R²={fit.r2:.3f}); expected {check.exponent:g}")
    if not ok_contains:
        detail += " — outside the interval"
    if not ok_width:
        detail += f" — interval half-width {fit.halfwidth:.3f} exceeds {check.max_halfwidth:g}"
    return Outcome(ok_contains and ok_width, detail, ("slope", fit.slope),
                   {"x": np.asarray(pts.x), "y": np.asarray(pts.y),
                    "y_se": None if pts.y_se is None else np.asarray(pts.y_se),
                    "slope": fit.slope, "ci": [fit.low, fit.high], "expected": check.exponent,
                    "confidence": confidence, "alpha": 1 - confidence})


def rate_confidence(check: Rate, ctx: RunContext) -> float:
    """The rate's confidence level: its own, or ``1 - ctx.false_alarm`` (the suite budget)."""
    return 1.0 - ctx.false_alarm if check.confidence is None else float(check.confidence)


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
    except DegenerateSample as e:  # a degenerate sample fails the check with its message
        return CheckResult(claim.id, check.name, check.kind, FAILED, f"degenerate sample: {e}",
                           time.perf_counter() - t0, check.provenance or claim.provenance)
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

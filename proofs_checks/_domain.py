"""Parameter domains: validation with clear errors, and the matching Hypothesis strategy.

A claim's domain is the set of parameters over which the claim is asserted; a
counterexample check carries a second domain in which an assumption is dropped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from hypothesis import strategies as st

from ._errors import ParameterError


@dataclass(frozen=True)
class Param:
    """One scalar parameter: an integer or a real in an interval."""

    name: str
    kind: type = float
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    default: Any = None
    doc: str = ""
    log_scale: bool = False  # draw log-uniformly (for scales spanning decades)

    def allowed(self) -> str:
        kind = "integer" if self.kind is int else "real number"
        lo = "-inf" if self.low is None else repr(self.low)
        hi = "inf" if self.high is None else repr(self.high)
        lb = "(" if (self.low_open or self.low is None) else "["
        rb = ")" if (self.high_open or self.high is None) else "]"
        return f"{kind} in {lb}{lo}, {hi}{rb}"

    def validate(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise ParameterError(self.name, value, self.allowed())
        if self.kind is int:
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int):
                raise ParameterError(self.name, value, self.allowed())
        else:
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise ParameterError(self.name, value, self.allowed()) from None
            if not math.isfinite(value):
                raise ParameterError(self.name, value, self.allowed())
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            raise ParameterError(self.name, value, self.allowed())
        if self.high is not None and (value > self.high or (self.high_open and value == self.high)):
            raise ParameterError(self.name, value, self.allowed())
        return value

    def strategy(self) -> st.SearchStrategy:
        if self.kind is int:
            return st.integers(
                None if self.low is None else int(math.ceil(self.low + (1 if self.low_open else 0))),
                None if self.high is None else int(math.floor(self.high - (1 if self.high_open else 0))),
            )
        if self.log_scale and self.low is not None and self.low > 0 and self.high is not None:
            lo, hi = math.log10(self.low), math.log10(self.high)
            return st.floats(lo, hi).map(lambda u: min(max(10.0**u, self.low), self.high)).filter(
                lambda v: not ((self.low_open and v == self.low) or (self.high_open and v == self.high)))
        return st.floats(
            self.low, self.high, exclude_min=self.low_open and self.low is not None,
            exclude_max=self.high_open and self.high is not None, allow_nan=False, allow_infinity=False,
        )


@dataclass(frozen=True)
class Constraint:
    """A joint condition on several parameters, e.g. ``p < m``."""

    description: str
    holds: Callable[[Mapping[str, Any]], bool]
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Domain:
    """A validated parameter box with joint constraints and a Hypothesis strategy.

    ``strategy_override`` replaces the default product strategy when the domain is
    easier to sample constructively (e.g. probability vectors) than by filtering.
    """

    params: tuple[Param, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    strategy_override: Callable[[], st.SearchStrategy] | None = field(default=None, compare=False)
    description: str = ""

    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def describe(self) -> list[str]:
        lines = [f"{p.name}: {p.allowed()}" + (f" — {p.doc}" if p.doc else "") for p in self.params]
        lines += [f"constraint: {c.description}" for c in self.constraints]
        return lines

    def validate(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Return a validated copy of ``values`` with defaults filled in.

        Raises :class:`ParameterError` naming the offending parameter and its range.
        """
        known = {p.name: p for p in self.params}
        for name in values:
            if name not in known:
                raise ParameterError(name, values[name], "one of the parameters " + ", ".join(known) if known
                                     else "no parameters")
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in values:
                out[p.name] = p.validate(values[p.name])
            elif p.default is not None:
                out[p.name] = p.validate(p.default)
            else:
                raise ParameterError(p.name, None, p.allowed() + " (required)")
        for c in self.constraints:
            if not c.holds(out):
                shown = {n: out[n] for n in (c.names or tuple(out))}
                name = ",".join(c.names) if c.names else "parameters"
                raise ParameterError(name, shown, c.description)
        return out

    def strategy(self) -> st.SearchStrategy:
        if self.strategy_override is not None:
            return self.strategy_override()
        base = st.fixed_dictionaries({p.name: p.strategy() for p in self.params})
        if self.constraints:
            base = base.filter(lambda d: all(c.holds(d) for c in self.constraints))
        return base


EMPTY = Domain()

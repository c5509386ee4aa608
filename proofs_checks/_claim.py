"""The claim contract: what every registered claim declares.

A :class:`Claim` carries its id (mapped to the spec id, e.g. ``MISFIT-1``), citation,
provenance exactly as the spec tags it, a SymPy statement, a validated parameter
domain, and any number of checks of five kinds (symbolic, numeric, property,
counterexample, rate).  The engine in :mod:`proofs_checks._checks` runs them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Mapping

from ._domain import EMPTY, Domain
from ._errors import UsageError

CHECK_KINDS = ("symbolic", "numeric", "property", "counterexample", "rate")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


class Provenance(str, Enum):
    """Where a claim comes from (DEVELOPERS guide): never present DERIVED as PAPER."""

    PAPER = "PAPER"
    CODE = "CODE"
    DERIVED = "DERIVED"


def provenance_tags(text: str) -> tuple[Provenance, ...]:
    """The PAPER/CODE/DERIVED tags named in a spec provenance string, in order."""
    found = re.findall(r"\b(PAPER|CODE|DERIVED)\b", text)
    tags: list[Provenance] = []
    for f in found:
        if Provenance(f) not in tags:
            tags.append(Provenance(f))
    return tuple(tags)


@dataclass(frozen=True)
class Citation:
    """Paper, arXiv id and where in it (theorem, equation, figure, or code path)."""

    paper: str
    arxiv: str
    where: str
    spec: str = ""  # section of ../shared/spec/*.md

    def __str__(self) -> str:
        return f"{self.paper} (arXiv {self.arxiv}), {self.where}"


@dataclass
class Outcome:
    """What one check found.  ``figure`` is a (name, value) key figure for tables."""

    passed: bool
    detail: str
    figure: tuple[str, float] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    #: The check ran but has not the power to decide the claim against its negation at this
    #: run's size (e.g. an equivalence interval wider than the margin).  Reported as status
    #: ``inconclusive``, never ``passed``; ``passed`` is then ignored.
    inconclusive: bool = False


@dataclass(frozen=True)
class Check:
    """Base of the five check kinds.  ``provenance`` overrides the claim's for the
    form actually tested (e.g. a DERIVED constant under a PAPER-shaped claim)."""

    name: str
    provenance: str | None = None

    kind: str = field(default="", init=False)


@dataclass(frozen=True)
class SymbolicCheck(Check):
    """Exact proof: an identity that expands to zero, a certificate, or an interval
    enclosure.  ``prove`` returns an :class:`Outcome` (see :mod:`theory._proof`)."""

    prove: Callable[[], Any] = None  # type: ignore[assignment]
    kind: str = field(default="symbolic", init=False)


@dataclass(frozen=True)
class NumericCheck(Check):
    """Simulation through :mod:`numerics`; ``run(ctx)`` returns an :class:`Outcome` whose
    detail states the statistical tolerance and its false-alarm rate."""

    run: Callable[[Any], Outcome] = None  # type: ignore[assignment]
    kind: str = field(default="numeric", init=False)


@dataclass(frozen=True)
class PropertyCheck(Check):
    """Hypothesis over the whole domain: ``margin(params) >= -tolerance(params)``.

    ``margin`` is the slack of the claim (>= 0 where it holds).  ``domain`` defaults to
    the claim's domain.
    """

    margin: Callable[[Mapping[str, Any]], float] = None  # type: ignore[assignment]
    tolerance: Callable[[Mapping[str, Any]], float] | float = 0.0
    domain: Domain | None = None
    kind: str = field(default="property", init=False)


@dataclass(frozen=True)
class CounterexampleCheck(Check):
    """The regime with an assumption dropped: the search must *find* a violation,
    ``margin(params) < -tolerance``.  Passes when found; reports the shrunk example.

    ``min_violation`` (>= 0) requires the violation to reach at least that size, so
    that the search is shown to reach violations of the known order.
    """

    margin: Callable[[Mapping[str, Any]], float] = None  # type: ignore[assignment]
    domain: Domain = EMPTY
    dropped: str = ""
    tolerance: Callable[[Mapping[str, Any]], float] | float = 0.0
    min_violation: float = 0.0
    kind: str = field(default="counterexample", init=False)


@dataclass(frozen=True)
class RatePoints:
    """Measurements for a log-log slope fit: y(x) with optional standard errors."""

    x: Any
    y: Any
    y_se: Any = None


@dataclass(frozen=True)
class Rate(Check):
    """A declared rate: ``quantity ~ variable**exponent``.

    ``measure(ctx)`` returns :class:`RatePoints`.  The generic rate check fits the
    log-log slope with a confidence interval at ``confidence`` and passes when the
    interval contains ``exponent`` and its half-width is at most ``max_halfwidth``
    (so that a vacuously wide interval cannot pass).  ``confidence`` None (the default)
    means ``1 - ctx.false_alarm``.
    """

    exponent: float = 0.0
    variable: str = "n"
    quantity: str = ""
    measure: Callable[[Any], RatePoints] = None  # type: ignore[assignment]
    #: None: ``1 - ctx.false_alarm`` (the suite budget, issue 9 §1); the detail prints α.
    confidence: float | None = None
    max_halfwidth: float = 0.25
    kind: str = field(default="rate", init=False)


@dataclass(frozen=True)
class Claim:
    """One verifiable claim.  ``statement`` is a zero-argument callable returning the
    SymPy statement (built lazily so that listing claims stays fast)."""

    id: str
    spec_id: str
    title: str
    citation: Citation
    provenance: str
    statement: Callable[[], Any]
    assumptions: tuple[str, ...] = ()
    domain: Domain = EMPTY
    checks: tuple[Check, ...] = ()
    mechanism: str | None = None
    notes: str = ""
    #: Non-empty: no check can see a change to the statement (the perturbed-statement battery
    #: exempts the claim); the reason is shown by ``w2s show`` and in the report (issue 9 §2).
    statement_unchecked: str = ""

    def __post_init__(self) -> None:
        if not _ID_RE.match(self.id):
            raise UsageError(f"claim id {self.id!r} is invalid: use dotted lower-case, e.g. 'misfit.pythagorean'")
        if not provenance_tags(self.provenance):
            raise UsageError(f"claim {self.id}: provenance {self.provenance!r} must name PAPER, CODE or DERIVED")
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            raise UsageError(f"claim {self.id}: check names must be unique, got {names}")

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def provenance_tags(self) -> tuple[Provenance, ...]:
        return provenance_tags(self.provenance)

    @property
    def rates(self) -> tuple[Rate, ...]:
        return tuple(c for c in self.checks if isinstance(c, Rate))

    def check_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in CHECK_KINDS if any(c.kind == k for c in self.checks))

    def validate(self, **params: Any) -> dict[str, Any]:
        """Validate parameters against the claim's domain (raises ParameterError)."""
        return self.domain.validate(params)

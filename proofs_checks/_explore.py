"""``w2s explore``: a longer Hypothesis search on one claim's property and counterexample
checks (issue 6 item 4).

The search is steered by ``target(-margin)`` toward the worst violation and deepens by
rounds: each round fails (and Hypothesis shrinks) at the first example whose violation
is worse than the worst found so far, so the last shrunk example is a simplest example
at the deepest level reached.  The Hypothesis example database
(:class:`~hypothesis.database.DirectoryBasedExampleDatabase`) and a small state file
live under the user cache dir, so that a later run replays the saved examples and
resumes from the level reached.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings, target
from hypothesis.database import DirectoryBasedExampleDatabase

from ._checks import _fmt_params, _jsonable, _tol
from ._claim import Claim, CounterexampleCheck, PropertyCheck
from ._context import RunContext
from ._errors import UsageError
from ._io import atomic_write
from ._statement import checking

EXPLORE_KINDS = ("property", "counterexample")


def default_db_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("w2s-harness")) / "explore"


@dataclass
class ExploreResult:
    """What one exploration of one check reached."""

    claim_id: str
    check: str
    kind: str
    examples: int
    seconds: float
    worst_margin: float
    worst_params: dict[str, Any] | None
    violation: dict[str, Any] | None  # shrunk example at the deepest level: {"params", "margin"}
    rounds: int
    session: int
    db: str
    resumed_from: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def violated(self) -> bool:
        return self.violation is not None

    def text(self) -> str:
        head = f"{self.claim_id} [{self.kind}:{self.check}] session {self.session}, {self.examples} examples, " \
               f"{self.rounds} rounds, {self.seconds:.1f}s"
        lines = [head]
        if self.resumed_from is not None:
            lines.append(f"  resumed: previous sessions reached margin {self.resumed_from:.6g}")
        if self.violation is not None:
            v = self.violation
            lines.append(f"  violation, shrunk example (simplest at the deepest level): {_fmt_params(v['params'])}, "
                         f"its margin {v['margin']:.6g}")
            what = "expected: an assumption is dropped" if self.kind == "counterexample" else \
                "THE CLAIM IS VIOLATED on its own domain"
            lines.append(f"  ({what})")
        else:
            lines.append("  no violation found" + (" — the dropped-assumption regime was not broken"
                                                  if self.kind == "counterexample" else ""))
        if self.worst_params is not None:
            lines.append(f"  worst margin reached (any example, before shrinking): {self.worst_margin:.6g} at "
                         f"{_fmt_params(self.worst_params)}")
        lines.append(f"  example database: {self.db}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


class _Deeper(AssertionError):
    """A violation worse than the current level (makes Hypothesis shrink it)."""


def _state_path(db_dir: Path, key: str) -> Path:
    return db_dir / "state" / f"{key}.json"


def explore_check(check: PropertyCheck | CounterexampleCheck, claim: Claim, ctx: RunContext, *,
                  examples: int = 2000, seconds: float | None = None, db_dir: str | Path | None = None,
                  fresh: bool = False) -> ExploreResult:
    """Explore one check for up to ``examples`` examples and about ``seconds`` seconds
    (rounds are sized from the measured time per example; the budget is checked between
    rounds, so a final shrink may overrun it slightly)."""
    db_root = Path(db_dir) if db_dir else default_db_dir()
    key = hashlib.sha256(f"{claim.id}/{check.name}/{check.kind}".encode()).hexdigest()[:24]
    state_file = _state_path(db_root, key)
    try:
        state_file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--db {str(db_root)!r}: cannot create the example database ({e.strerror})") from None
    state: dict[str, Any] = {}
    if state_file.exists() and not fresh:
        try:
            state = json.loads(state_file.read_text())
        except (OSError, ValueError):
            state = {}
    session = int(state.get("sessions", 0)) + 1
    domain = check.domain if isinstance(check, CounterexampleCheck) else (check.domain or claim.domain)
    floor = check.min_violation if isinstance(check, CounterexampleCheck) else 0.0
    level = float(state.get("level", 0.0))  # violations must be worse than -level (resumed)
    resumed = state.get("worst_margin") if state else None
    db = DirectoryBasedExampleDatabase(str(db_root / "hypothesis"))
    deadline = time.monotonic() + seconds if seconds else math.inf
    t0 = time.perf_counter()
    st: dict[str, Any] = {"calls": 0, "worst": math.inf, "worst_params": None, "violation": None,
                          "found_round": False, "nan": False}
    if resumed is not None and state.get("worst_params") is not None:
        st["worst"], st["worst_params"] = float(resumed), state["worst_params"]
    if state.get("violation"):
        st["violation"] = state["violation"]
    rounds = 0
    per_round = max(50, min(examples, 500))
    per_example = 0.0  # measured seconds per example, to size rounds within the time budget
    while st["calls"] < examples and time.monotonic() < deadline and not st["nan"]:
        rounds += 1
        st["found_round"] = False
        lvl = level
        n = min(per_round if rounds > 1 or not seconds else 20, examples - st["calls"])
        if per_example > 0 and seconds:
            n = max(1, min(n, int((deadline - time.monotonic()) / per_example)))
        r0, c0 = time.perf_counter(), st["calls"]

        @settings(max_examples=n, deadline=None, database=db, derandomize=False,
                  phases=[Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
                  suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False)
        @seed(ctx.seed_for(claim.id, check.name, "explore", session, rounds))
        @given(domain.strategy())
        def search(params: dict[str, Any]) -> None:
            m = float(check.margin(params))
            st["calls"] += 1
            if math.isnan(m):
                st["found_round"], st["nan"] = True, True
                st["violation"] = {"params": _jsonable(dict(params)), "margin": m}
                raise _Deeper("margin is NaN")
            target(-m, label="violation")
            if m < st["worst"]:
                st["worst"], st["worst_params"] = m, _jsonable(dict(params))
            if m < -max(_tol(check.tolerance, params), floor, lvl):
                st["found_round"] = True
                st["violation"] = {"params": _jsonable(dict(params)), "margin": m}
                raise _Deeper(f"margin {m:.6g}")

        search._hypothesis_internal_database_key = key.encode()  # one key per (claim, check)
        try:
            search()
        except _Deeper:
            pass
        per_example = (time.perf_counter() - r0) / max(1, st["calls"] - c0)
        if st["found_round"] and not st["nan"]:  # next round must beat the worst margin seen so far
            level = max(level, -st["violation"]["margin"], -st["worst"])
    result = ExploreResult(claim.id, check.name, check.kind, st["calls"], time.perf_counter() - t0, st["worst"],
                           st["worst_params"], st["violation"], rounds, session, str(db_root),
                           None if resumed is None else float(resumed))
    if st["calls"] < examples and not st["nan"]:
        result.notes.append(f"stopped by the time budget ({seconds:g} s) after {st['calls']} of {examples} examples"
                            if seconds else f"Hypothesis exhausted the domain after {st['calls']} examples")
    atomic_write(str(state_file), json.dumps(_jsonable({
        "claim": claim.id, "check": check.name, "sessions": session, "level": level,
        "worst_margin": st["worst"], "worst_params": st["worst_params"], "violation": st["violation"],
        "examples_total": int(state.get("examples_total", 0)) + st["calls"]}), indent=1), "--db")
    return result


def explore(claim: Claim, ctx: RunContext, *, examples: int = 2000, seconds: float | None = None,
            check: str | None = None, db_dir: str | Path | None = None, fresh: bool = False) -> list[ExploreResult]:
    """Explore every property/counterexample check of ``claim`` (or the one named)."""
    checks = [c for c in claim.checks if c.kind in EXPLORE_KINDS]
    if check is not None:
        names = [c.name for c in checks]
        checks = [c for c in checks if c.name == check]
        if not checks:
            raise UsageError(f"--check {check!r} is invalid for {claim.id}: allowed one of "
                             f"{', '.join(names) or '(no property or counterexample checks)'}")
    if not checks:
        raise UsageError(f"claim {claim.id} has no property or counterexample checks to explore")
    with checking(claim):  # the margins read the running claim's statement (proofs_checks._statement)
        return [explore_check(c, claim, ctx, examples=examples, seconds=seconds, db_dir=db_dir,  # type: ignore[arg-type]
                              fresh=fresh) for c in checks]

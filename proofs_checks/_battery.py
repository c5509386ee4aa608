"""The perturbed-statement battery (issue 9 §2): rewrite a claim's statement (a numeric
constant or one side of the relational scaled by 1 ± δ, a sign flipped) and require that
some check of the claim then fails (status failed or error; an inconclusive
check does not count, since it would not turn a run red).  It holds only when checks read the statement
(:mod:`proofs_checks._statement`) rather than a hand-typed copy."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ._checks import ERROR, FAILED, run_check
from ._claim import Claim
from ._context import RunContext

DELTA = 0.05
#: Rate checks are skipped: each runs a simulation sweep of seconds and fits measured data.
SKIPPED_KINDS = ("rate",)


def perturbations(stmt: Any, delta: float = DELTA) -> dict[str, Any]:
    """Named perturbed copies of a SymPy statement.  A tuple (or list) statement, several
    relations stated together, is perturbed one element at a time (names ``[i] ...``)."""
    import sympy as sp

    if isinstance(stmt, (tuple, list)):
        out_t: dict[str, Any] = {}
        for i, part in enumerate(stmt):
            for name, pert in perturbations(part, delta).items():
                new = list(stmt)
                new[i] = pert
                out_t[f"[{i}] {name}"] = type(stmt)(new)
        return out_t
    out: dict[str, Any] = {}
    nums = [a for a in sp.preorder_traversal(stmt) if isinstance(a, sp.Number) and a not in (0, 1, -1)]
    if nums:
        c = nums[0]
        out[f"constant {c} x (1+{delta:g})"] = stmt.xreplace({c: c * sp.Rational(1 + delta).limit_denominator(10**6)})
    if isinstance(stmt, sp.core.relational.Relational):
        f = sp.Rational(str(1 + delta))
        out[f"rhs x (1+{delta:g})"] = stmt.func(stmt.lhs, stmt.rhs * f, evaluate=False)
        out[f"rhs x (1-{delta:g})"] = stmt.func(stmt.lhs, stmt.rhs * (2 - f), evaluate=False)
        out["rhs sign flipped"] = stmt.func(stmt.lhs, -stmt.rhs, evaluate=False)
    elif isinstance(stmt, sp.Basic):
        out["sign flipped"] = -stmt
    return {k: v for k, v in out.items() if v != stmt}


@dataclass
class BatteryResult:
    claim_id: str
    caught: dict[str, list[str]] = field(default_factory=dict)  # perturbation -> failing checks
    exempt: str = ""

    @property
    def missed(self) -> list[str]:
        return [k for k, v in self.caught.items() if not v]

    @property
    def passed(self) -> bool:
        return bool(self.exempt) or (bool(self.caught) and not self.missed)


def perturbation_battery(claim: Claim, ctx: RunContext | None = None) -> BatteryResult:
    """Run the claim's (non-rate) checks under each perturbed statement."""
    res = BatteryResult(claim.id, exempt=claim.statement_unchecked)
    if res.exempt:
        return res
    ctx = ctx or RunContext(property_examples=20, counterexample_examples=50)
    stmt = claim.statement()
    for name, pert in perturbations(stmt).items():
        pc = dataclasses.replace(claim, statement=lambda p=pert: p)
        failing = []
        for ch in pc.checks:
            if ch.kind in SKIPPED_KINDS:
                continue
            r = run_check(ch, pc, ctx)
            # An inconclusive check does not catch a perturbation: it would not turn a run red.
            if r.status in (FAILED, ERROR):
                failing.append(f"{ch.kind}:{ch.name}")
                break
        res.caught[name] = failing
    return res

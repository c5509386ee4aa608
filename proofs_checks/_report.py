"""The JSON report (a contract parsed by users' CI) and the environment record."""
from __future__ import annotations

import datetime as _dt
import json
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from numerics import MAX_STATISTICAL_CHECKS, SUITE_FALSE_ALARM, clopper_pearson

from ._checks import ERROR, FAILED, INCONCLUSIVE, PASSED, CheckResult, _jsonable, combine_status
from ._claim import Claim
from ._context import RunContext

SCHEMA = "w2s-report/1"
_PACKAGES = ("w2s-harness", "sympy", "mpmath", "python-flint", "numpy", "scipy", "numba", "torch", "hypothesis",
             "rich", "matplotlib", "dask", "distributed")


@dataclass
class ClaimResult:
    claim: Claim
    checks: list[CheckResult]
    seconds: float

    @property
    def status(self) -> str:
        return combine_status(c.status for c in self.checks)

    @property
    def key_figure(self) -> tuple[str, Any] | None:
        for kind in ("rate", "numeric", "counterexample", "symbolic", "property"):
            for c in self.checks:
                if c.kind == kind and c.figure is not None:
                    return c.figure
        return None

    def to_json(self) -> dict[str, Any]:
        c = self.claim
        checks: dict[str, Any] = {}
        for kind in dict.fromkeys(r.kind for r in self.checks):
            items = [r for r in self.checks if r.kind == kind]
            st = {i.status for i in items}
            entry: dict[str, Any] = {
                "status": combine_status(st),
                "detail": "; ".join(f"[{i.name}] {i.detail}" if len(items) > 1 else i.detail for i in items),
                "seconds": round(sum(i.seconds for i in items), 4),
                "items": [i.to_json() for i in items],
            }
            if kind == "counterexample":
                entry["example"] = _jsonable(items[0].example)
                entry["examples"] = [_jsonable(i.example) for i in items]
            checks[kind] = entry
        kf = self.key_figure
        return {
            "id": c.id, "spec_id": c.spec_id, "title": c.title, "family": c.family,
            "paper": c.citation.paper, "arxiv": c.citation.arxiv, "citation": str(c.citation),
            "provenance": c.provenance, "provenance_tags": [t.value for t in c.provenance_tags],
            "mechanism": c.mechanism, "statement_unchecked": c.statement_unchecked or None, "status": self.status, "seconds": round(self.seconds, 4),
            "key_figure": None if kf is None else {"name": kf[0], "value": _jsonable(kf[1])},
            "checks": checks,
        }


def git_commit() -> str | None:
    here = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def environment(ctx: RunContext) -> dict[str, Any]:
    versions = {}
    for p in _PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    cuda = None
    try:
        import torch
        cuda = torch.version.cuda if torch.cuda.is_available() else None
    except ImportError:
        pass
    return {
        "python": sys.version.split()[0], "platform": platform.platform(), "packages": versions,
        "backends": list(ctx.backends), "backend": ",".join(ctx.backends), "device": ctx.device,
        "cuda": cuda, "seed": ctx.seed, "profile": ctx.profile, "git_commit": git_commit(),
        "false_alarm": {"suite": SUITE_FALSE_ALARM, "per_check": ctx.false_alarm,
                        "max_statistical_checks": MAX_STATISTICAL_CHECKS, "split": "Bonferroni"},
        "command": sys.argv, "timestamp": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


@dataclass
class Report:
    results: list[ClaimResult]
    ctx: RunContext
    seconds: float
    env: dict[str, Any] = field(default_factory=dict)
    #: ``w2s verify --seeds``: the multi-seed section (:func:`seeds_section`), else None.
    seeds: dict[str, Any] | None = None

    def _seed_statuses(self) -> list[str]:
        if not self.seeds:
            return []
        return [st for c in self.seeds["claims"].values() for st in c["statuses"].values()]

    @property
    def failed(self) -> bool:
        """A claim failed or errored (inconclusive claims do not count: see :meth:`failed_strict`);
        with ``--seeds``, at any seed."""
        return any(r.status in (FAILED, ERROR) for r in self.results) or \
            any(st in (FAILED, ERROR) for st in self._seed_statuses())

    @property
    def failed_strict(self) -> bool:
        """``--strict``: an inconclusive claim fails the run too."""
        return any(r.status != PASSED for r in self.results) or any(st != PASSED for st in self._seed_statuses())

    def unstable(self, claim_id: str) -> bool:
        """With ``--seeds``: the claim failed or errored at some seed."""
        return bool(self.seeds and self.seeds["claims"].get(claim_id, {}).get("unstable"))

    def summary(self) -> dict[str, int]:
        s = {PASSED: 0, FAILED: 0, ERROR: 0, INCONCLUSIVE: 0}
        for r in self.results:
            s[r.status] += 1
        return {"total": len(self.results), **s}

    def tables(self) -> dict[str, Any]:
        """Tables that checks attached to their data (e.g. the misfit replication), by claim and check."""
        return {f"{r.claim.id}:{c.name}": _jsonable(c.data["table"]) for r in self.results for c in r.checks
                if "table" in c.data}

    def to_json(self) -> dict[str, Any]:
        claims = [r.to_json() for r in self.results]
        d = {"schema": SCHEMA, "claims": claims, "tables": self.tables(),
             "environment": self.env or environment(self.ctx),
             "summary": {**self.summary(), "seconds": round(self.seconds, 2)}}
        if self.seeds:
            for c in claims:
                c["unstable"] = self.unstable(c["id"])
            d["seeds"] = self.seeds
            d["summary"]["unstable"] = sum(1 for c in claims if c["unstable"])
        return d

    def write(self, path: str | Path, flag: str = "--json") -> None:
        """Write the JSON report atomically (a temporary file beside it, then ``os.replace``):
        a failure never leaves a partial report; it is a one-line :class:`UsageError` naming ``flag``."""
        from ._io import atomic_write

        atomic_write(str(path), json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n", flag)


def seeds_section(seeds: list[int], reports: list[Report]) -> dict[str, Any]:
    """Per claim: status at each seed, failures (failed or error) out of N with an exact 95%
    Clopper-Pearson interval, and ``unstable`` (failed at any seed)."""
    out: dict[str, Any] = {}
    for i, r0 in enumerate(reports[0].results):
        statuses = {str(s): rep.results[i].status for s, rep in zip(seeds, reports)}
        k = sum(1 for st in statuses.values() if st in (FAILED, ERROR))
        ci = clopper_pearson(k, len(seeds), 0.95)
        out[r0.claim.id] = {"statuses": statuses, "failures": k, "n": len(seeds),
                            "ci95": [ci.low, ci.high], "unstable": k > 0,
                            "inconclusive": sum(1 for st in statuses.values() if st == INCONCLUSIVE)}
    return {"seeds": list(seeds), "interval": "Clopper-Pearson 95% for the failure rate", "claims": out}

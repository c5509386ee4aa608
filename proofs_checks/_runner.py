"""Run selected claims under a context and collect a :class:`Report`."""
from __future__ import annotations

import time
from typing import Callable, Iterable

from ._checks import CheckResult, run_check
from ._claim import Claim
from ._context import RunContext
from ._report import ClaimResult, Report, environment, seeds_section

ProgressFn = Callable[[Claim, "CheckResult | None"], None]


def verify_claim(claim: Claim, ctx: RunContext, on_check: ProgressFn | None = None,
                 kinds: Iterable[str] | None = None) -> ClaimResult:
    """Run every check of one claim (optionally only some kinds)."""
    wanted = set(kinds) if kinds else None
    t0 = time.perf_counter()
    results = []
    for check in claim.checks:
        if wanted is not None and check.kind not in wanted:
            continue
        r = run_check(check, claim, ctx)
        results.append(r)
        if on_check:
            on_check(claim, r)
    return ClaimResult(claim, results, time.perf_counter() - t0)


def verify(claims: Iterable[Claim], ctx: RunContext, on_check: ProgressFn | None = None,
           kinds: Iterable[str] | None = None) -> Report:
    t0 = time.perf_counter()
    env = environment(ctx)
    results = [verify_claim(c, ctx, on_check, kinds) for c in claims]
    return Report(results, ctx, time.perf_counter() - t0, env)


def verify_seeds(claims: Iterable[Claim], ctx: RunContext, seeds: Iterable[int],
                 on_check: ProgressFn | None = None, kinds: Iterable[str] | None = None) -> Report:
    """Run the claims at every root seed in ``seeds`` (issue 9 §1).  The returned report holds
    the results at the first seed, plus a ``seeds`` section: per claim its status at every seed,
    failures (failed or error) out of N with an exact 95% Clopper-Pearson interval, and
    ``unstable`` when it failed at any seed."""
    claims, seeds = list(claims), [int(s) for s in seeds]
    t0 = time.perf_counter()
    reports = [verify(claims, ctx.with_(seed=s), on_check, kinds) for s in seeds]
    first = reports[0]
    env = dict(first.env)
    env["seeds"] = seeds
    rep = Report(first.results, first.ctx, time.perf_counter() - t0, env)
    rep.seeds = seeds_section(seeds, reports)
    return rep

"""Run selected claims under a context and collect a :class:`Report`."""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Mapping, Sequence

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
           kinds: Iterable[str] | None = None, executor: Any = None, *, plugins: Sequence[str] = (),
           costs: Mapping[str, float] | None = None) -> Report:
    """Run the claims in registry order; with ``executor`` (a :mod:`numerics.sweep` executor)
    spread them over its workers, longest first by ``costs`` (see :mod:`._parallel`)."""
    claims = list(claims)
    t0 = time.perf_counter()
    env = environment(ctx)
    if executor is None:
        results = [verify_claim(c, ctx, on_check, kinds) for c in claims]
    else:
        results = _spread(claims, ctx, [ctx.seed], executor, on_check, kinds, plugins, costs)[ctx.seed]
    return Report(results, ctx, time.perf_counter() - t0, env)


def verify_seeds(claims: Iterable[Claim], ctx: RunContext, seeds: Iterable[int],
                 on_check: ProgressFn | None = None, kinds: Iterable[str] | None = None, executor: Any = None, *,
                 plugins: Sequence[str] = (), costs: Mapping[str, float] | None = None) -> Report:
    """Run the claims at every root seed in ``seeds`` (issue 9 §1).  The returned report holds
    the results at the first seed, plus a ``seeds`` section: per claim its status at every seed,
    failures (failed or error) out of N with an exact 95% Clopper-Pearson interval, and
    ``unstable`` when it failed at any seed.  With ``executor`` every (claim, seed) pair is one
    job on its workers."""
    claims, seeds = list(claims), [int(s) for s in seeds]
    t0 = time.perf_counter()
    if executor is None:
        reports = [verify(claims, ctx.with_(seed=s), on_check, kinds) for s in seeds]
    else:
        env0 = environment(ctx.with_(seed=seeds[0]))
        by_seed = _spread(claims, ctx, seeds, executor, on_check, kinds, plugins, costs)
        reports = [Report(by_seed[s], ctx.with_(seed=s), 0.0, env0 if k == 0 else {})
                   for k, s in enumerate(seeds)]
    first = reports[0]
    env = dict(first.env)
    env["seeds"] = seeds
    rep = Report(first.results, first.ctx, time.perf_counter() - t0, env)
    rep.seeds = seeds_section(seeds, reports)
    return rep


def _spread(claims: list[Claim], ctx: RunContext, seeds: list[int], executor: Any, on_check: ProgressFn | None,
            kinds: Iterable[str] | None, plugins: Sequence[str],
            costs: Mapping[str, float] | None) -> dict[int, list[ClaimResult]]:
    from ._parallel import verify_jobs

    def on_claim(claim: Claim, checks: list[CheckResult]) -> None:
        if on_check:
            for r in checks:
                on_check(claim, r)

    raw = verify_jobs(claims, ctx, seeds, executor, kinds=kinds, plugins=plugins, costs=costs, on_claim=on_claim)
    return {s: [ClaimResult(c, checks, secs) for c, (checks, secs) in zip(claims, raw[s])] for s in seeds}

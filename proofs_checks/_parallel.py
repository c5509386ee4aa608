"""``w2s verify --executor process|dask``: claims spread over the sweep seam (issue 12 §3).

One :class:`numerics.sweep.Job` per (claim, root seed) runs :func:`run_claim_job` on a worker,
longest first (so that two workers balance), and the results are put back in registry order.
Every random draw of a check flows from the root seed (``ctx.rng`` / ``ctx.seed_for``), and the
worker runs at the parent's torch/numba thread counts (a threaded reduction sums in an order
that depends on them), so the report equals the in-process one, timings aside.

The check results travel pickled inside the job's JSON result: their data hold numpy arrays,
tuples and key order that the printed and JSON reports depend on, and a JSON round trip
(sorted keys, tuples to lists, floats for numpy scalars) would change them.
"""
from __future__ import annotations

import base64
import json
import os
import pickle
import statistics
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from ._checks import ERROR, CheckResult, _jsonable
from ._claim import Claim
from ._context import RunContext

JOB_FN = "proofs_checks._parallel:run_claim_job"
#: Per-claim seconds of a recent in-process run per profile (the static cost estimate).
COSTS_FILE = Path(__file__).with_name("_claim_seconds.json")
#: Environment variables that fix BLAS/OpenMP thread pools at process start.
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
#: Last-resort cost of a check by kind (seconds at the fast profile; a crude guess for claims
#: that neither the ledger nor the static table knows).
_KIND_COST = {"symbolic": 0.5, "property": 1.0, "numeric": 2.0, "rate": 3.0, "counterexample": 2.0}

OnClaim = Callable[[Claim, list[CheckResult]], None]


# ------------------------------------------------------------------ thread settings
def thread_settings() -> dict[str, int]:
    """The torch and numba thread counts of this process (the worker adopts them)."""
    out: dict[str, int] = {}
    try:
        import torch

        out["torch"] = int(torch.get_num_threads())
    except ImportError:
        pass
    try:
        import numba

        out["numba"] = int(numba.get_num_threads())
    except ImportError:
        pass
    return out


def apply_thread_settings(t: Mapping[str, int]) -> None:
    """Set this process's torch/numba thread counts to ``t`` (numba: at most its pool size)."""
    if "torch" in t:
        import torch

        if torch.get_num_threads() != t["torch"]:
            torch.set_num_threads(int(t["torch"]))
    if "numba" in t:
        import numba

        n = min(int(t["numba"]), int(numba.config.NUMBA_NUM_THREADS))
        if numba.get_num_threads() != n:
            numba.set_num_threads(n)


def worker_env() -> dict[str, str]:
    """BLAS/OpenMP thread variables for dask workers: this process's values, or its CPU count
    where unset (a dask nanny would otherwise set them to 1)."""
    try:
        ncpu = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        ncpu = os.cpu_count() or 1
    return {k: os.environ.get(k) or str(ncpu) for k in THREAD_ENV}


# ------------------------------------------------------------------ the job
def job_params(claim: Claim, ctx: RunContext, kinds: Iterable[str] | None, plugins: Sequence[str],
               threads: Mapping[str, int]) -> dict[str, Any]:
    """What a worker needs to rerun ``claim`` under ``ctx`` (the seed travels as the job's seed)."""
    return {"claim": claim.id, "profile": ctx.profile, "backends": list(ctx.backends), "device": ctx.device,
            "property_examples": ctx.property_examples, "counterexample_examples": ctx.counterexample_examples,
            "extra": dict(ctx.extra), "kinds": sorted(kinds) if kinds else None, "plugins": list(plugins),
            "threads": dict(threads)}


def run_claim_job(params: dict[str, Any], seed: int) -> dict[str, Any]:
    """Worker side: run one claim's checks at root seed ``seed``; the results come back pickled
    (base64) with the claim's seconds, or ``{"error": ...}`` when the claim cannot be loaded."""
    from ._registry import get, load_all, load_plugins
    from ._runner import verify_claim

    try:
        apply_thread_settings(params.get("threads", {}))
        load_all()
        if params.get("plugins"):
            load_plugins(params["plugins"])
        claim = get(params["claim"])
        ctx = RunContext(profile=params["profile"], backends=tuple(params["backends"]), device=params["device"],
                         seed=seed, property_examples=params["property_examples"],
                         counterexample_examples=params["counterexample_examples"], extra=params["extra"])
    except Exception as e:  # noqa: BLE001 - reported as the claim's error, not a dead worker
        return {"error": f"{type(e).__name__}: {e}"}
    r = verify_claim(claim, ctx, kinds=params.get("kinds"))
    return {"seconds": r.seconds, "checks": _pack(r.checks)}


def _pack(checks: list[CheckResult]) -> str:
    try:
        blob = pickle.dumps(checks, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an unpicklable datum: ship its JSON form (what the report prints)
        blob = pickle.dumps([_picklable(c) for c in checks], protocol=pickle.HIGHEST_PROTOCOL)
    return base64.b64encode(blob).decode("ascii")


def _picklable(c: CheckResult) -> CheckResult:
    try:
        pickle.dumps(c)
        return c
    except Exception:  # noqa: BLE001
        fig = None if c.figure is None else (c.figure[0], _jsonable(c.figure[1]))
        return CheckResult(c.claim_id, c.name, c.kind, c.status, c.detail, c.seconds, c.provenance, fig,
                           _jsonable(c.data), None if c.example is None else _jsonable(c.example))


def _unpack(text: str) -> list[CheckResult]:
    return pickle.loads(base64.b64decode(text))


def _error_results(claim: Claim, kinds: Iterable[str] | None, message: str) -> list[CheckResult]:
    wanted = set(kinds) if kinds else None
    return [CheckResult(claim.id, ch.name, ch.kind, ERROR, f"worker: {message}", 0.0,
                        ch.provenance or claim.provenance)
            for ch in claim.checks if wanted is None or ch.kind in wanted]


# ------------------------------------------------------------------ costs
def static_costs(profile: str) -> dict[str, float]:
    """Per-claim seconds from :data:`COSTS_FILE` (the profile's, else the fast profile's)."""
    try:
        table = json.loads(COSTS_FILE.read_text())
    except (OSError, ValueError):
        return {}
    return {**table.get("fast", {}), **table.get(profile, {})}


def estimate_costs(claims: Sequence[Claim], profile: str,
                   history: Mapping[str, float] | None = None) -> dict[str, float]:
    """Seconds expected per claim: the ledger's previous run (``history``), else the static
    table, else the median known cost (or a per-kind guess when nothing is known)."""
    known = {**static_costs(profile), **{k: float(v) for k, v in (history or {}).items() if v is not None}}
    ids = {c.id for c in claims}
    pool = [v for k, v in known.items() if k in ids] or list(known.values())
    fallback = statistics.median(pool) if pool else None
    out = {}
    for c in claims:
        if c.id in known:
            out[c.id] = known[c.id]
        elif fallback is not None:
            out[c.id] = fallback
        else:
            out[c.id] = sum(_KIND_COST.get(ch.kind, 1.0) for ch in c.checks)
    return out


def schedule(claims: Sequence[Claim], seeds: Sequence[int], costs: Mapping[str, float]) -> list[tuple[int, int]]:
    """(claim index, seed) pairs longest first; ties keep registry then seed order."""
    pairs = [(i, s) for s in seeds for i in range(len(claims))]
    return sorted(pairs, key=lambda p: -costs.get(claims[p[0]].id, 0.0))


# ------------------------------------------------------------------ the run
def verify_jobs(claims: Sequence[Claim], ctx: RunContext, seeds: Sequence[int], executor: Any, *,
                kinds: Iterable[str] | None = None, plugins: Sequence[str] = (),
                costs: Mapping[str, float] | None = None,
                on_claim: OnClaim | None = None) -> dict[int, list[tuple[list[CheckResult], float]]]:
    """Run every claim at every seed on ``executor`` (a :mod:`numerics.sweep` executor);
    ``{seed: [(check results, seconds) in registry order]}``."""
    from numerics.sweep import Job, sweep

    kinds = list(kinds) if kinds else None
    plugins = list(plugins) + [m.strip() for m in os.environ.get("W2S_PLUGINS", "").split(",") if m.strip()]
    threads = thread_settings()
    costs = costs if costs is not None else estimate_costs(claims, ctx.profile)
    order = schedule(claims, seeds, costs)
    base = [job_params(c, ctx, kinds, plugins, threads) for c in claims]
    jobs = [Job(claims[i].id, JOB_FN, base[i], int(s)) for i, s in order]
    index = {j.key: (i, s) for j, (i, s) in zip(jobs, order)}
    out: dict[int, list[Any]] = {int(s): [None] * len(claims) for s in seeds}

    def done(batch) -> None:
        for r in batch:
            i, s = index[r.job.key]
            claim = claims[i]
            if "error" in r.result:
                checks, secs = _error_results(claim, kinds, r.result["error"]), 0.0
            else:
                checks, secs = _unpack(r.result["checks"]), float(r.result["seconds"])
            out[s][i] = (checks, secs)
            if on_claim is not None:
                on_claim(claim, checks)

    try:
        sweep(jobs, executor, batch_size=1, on_batch=done)
    except Exception as e:
        if type(e).__name__ == "BrokenProcessPool":
            raise RuntimeError(f"a worker process died during w2s verify ({e}); rerun with --executor inprocess "
                               f"to see which claim") from None
        raise
    return out



def record_costs(report_path: str, profile: str | None = None) -> dict[str, float]:
    """Replace one profile's entry of :data:`COSTS_FILE` by the claim seconds of a JSON report."""
    rep = json.loads(Path(report_path).read_text())
    profile = profile or rep["environment"]["profile"]
    table = json.loads(COSTS_FILE.read_text()) if COSTS_FILE.exists() else {}
    table[profile] = {c["id"]: round(float(c["seconds"]), 1) for c in rep["claims"]}
    COSTS_FILE.write_text(json.dumps(table, indent=1) + "\n")
    return table[profile]


if __name__ == "__main__":  # python -m proofs_checks._parallel REPORT.json [PROFILE]
    import sys

    print(f"{len(record_costs(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))} claims recorded in {COSTS_FILE}")

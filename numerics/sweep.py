"""The sweep seam: run many (target, params, seed) jobs in-process, on a local process
pool, or on dask.distributed (issue 6).

A :class:`Job` names its function by import path (``"package.module:function"``) so
that any executor can run it without pickling closures; the function is pure:
``fn(params: dict, seed: int) -> result`` with a JSON-serialisable result, and every
random draw inside it flows from ``seed`` (``numerics.rng(seed, ...)``).  Results are
passed through a JSON round trip so that every executor returns identical values.

Executors hand back finished *batches* (tiny jobs are grouped so that the scheduler is
not flooded); the caller (the run ledger) stores each batch as it finishes.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import math
import os
import re
import socket
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from ._validate import SEED_MAX, InvalidParameter

EXECUTORS = ("inprocess", "process", "dask")
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
TIMEOUT_ENV = "W2S_DASK_CONNECT_TIMEOUT"
CONNECT_TIMEOUT_S = 10.0  # a clear error well within 30 s, never a hang

BatchCallback = Callable[[list["JobResult"]], None]


def canonical_json(x: Any) -> str:
    """Stable JSON text (sorted keys, no whitespace); a non-JSON value raises InvalidParameter."""
    try:
        return json.dumps(x, sort_keys=True, separators=(",", ":"), allow_nan=True)
    except (TypeError, ValueError) as e:
        raise InvalidParameter("x", type(x).__name__, f"a JSON-serialisable value ({e})") from None


@dataclass(frozen=True)
class Job:
    """One unit of a sweep: ``fn(params, seed)`` for ``target`` (a claim or table id)."""

    target: str
    fn: str
    params: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.target, str) or not self.target:
            raise InvalidParameter("target", self.target, "a non-empty claim or table id")
        if not isinstance(self.fn, str) or ":" not in self.fn:
            raise InvalidParameter("fn", self.fn, "an import path 'package.module:function'")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= SEED_MAX:
            raise InvalidParameter("seed", self.seed, f"an integer in [0, {SEED_MAX}] (2**63 - 1)")
        try:
            object.__setattr__(self, "params", json.loads(canonical_json(dict(self.params))))
        except (TypeError, ValueError):
            raise InvalidParameter("params", self.params, "a JSON-serialisable mapping") from None

    @property
    def key(self) -> str:
        """Content hash of (target, fn, params, seed): the job's identity in the ledger."""
        text = canonical_json([self.target, self.fn, self.params, self.seed])
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class JobResult:
    """A finished job: its JSON result, wall time and where it ran."""

    job: Job
    result: Any
    seconds: float
    worker: str = ""


def resolve(path: str) -> Callable[..., Any]:
    """Import ``package.module:function`` (dotted attribute after the colon allowed)."""
    module, _, attr = path.partition(":")
    try:
        obj: Any = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as e:
        raise InvalidParameter("fn", path, f"an importable 'package.module:function' ({e})") from None
    if not callable(obj):
        raise InvalidParameter("fn", path, "a callable")
    return obj


def run_job(job: Job) -> JobResult:
    """Run one job; its result goes through a JSON round trip (identical on every executor)."""
    if not isinstance(job, Job):
        raise InvalidParameter("job", type(job).__name__, "a numerics.sweep.Job")
    t0 = time.perf_counter()
    out = resolve(job.fn)(dict(job.params), job.seed)
    try:
        out = json.loads(canonical_json(out))
    except (TypeError, ValueError):
        raise InvalidParameter("result", out, f"a JSON-serialisable value from {job.fn}") from None
    return JobResult(job, out, time.perf_counter() - t0, f"{socket.gethostname()}:{os.getpid()}")


def run_batch(jobs: Sequence[Job]) -> list[JobResult]:
    """Run a batch of jobs sequentially (the unit shipped to a worker)."""
    if not isinstance(jobs, (list, tuple)):
        raise InvalidParameter("jobs", type(jobs).__name__, "a list of Jobs")
    return [run_job(j) for j in jobs]


def batches(jobs: Sequence[Job], size: int) -> list[list[Job]]:
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InvalidParameter("batch_size", size, "an integer >= 1")
    return [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]


def auto_batch_size(n_jobs: int, n_workers: int) -> int:
    """About four batches per worker: enough to balance load, few enough not to flood."""
    n_jobs, n_workers = _nonneg("n_jobs", n_jobs), _check_workers(n_workers, "n_workers")
    return max(1, -(-n_jobs // max(1, 4 * n_workers)))


class InProcess:
    """Run batches one after another in this process (the default)."""

    name = "inprocess"
    n_workers = 1

    def map_batches(self, groups: Sequence[Sequence[Job]]) -> Iterator[list[JobResult]]:
        for g in groups:
            yield run_batch(g)

    def close(self) -> None:
        pass


class LocalPool:
    """A local process pool (``concurrent.futures``, spawn context)."""

    name = "process"

    def __init__(self, n_workers: int | None = None) -> None:
        import multiprocessing

        self.n_workers = _check_workers(n_workers) if n_workers is not None else max(1, os.cpu_count() or 1)
        self._pool = ProcessPoolExecutor(self.n_workers, mp_context=multiprocessing.get_context("spawn"))

    def map_batches(self, groups: Sequence[Sequence[Job]]) -> Iterator[list[JobResult]]:
        pending = {self._pool.submit(run_batch, list(g)) for g in groups}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
_HOST = r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
_ADDRESS = re.compile(rf"(?:(?P<scheme>[a-z]+)://)?(?P<host>{_HOST}):(?P<port>[0-9]{{1,5}})")
SCHEDULER_ALLOWED = "a dask scheduler address [tcp|tls|ws|wss|ucx://]HOST:PORT with PORT in 1..65535, e.g. tcp://host:8786"


def check_scheduler_address(address: Any, name: str = "scheduler") -> str:
    """A dask scheduler address ``[scheme://]host:port`` (the forms ``distributed`` connects to),
    checked at once instead of waiting for a connect timeout; else :class:`InvalidParameter`."""
    m = _ADDRESS.fullmatch(address) if isinstance(address, str) and len(address) <= 300 else None
    if m is None or (m["scheme"] and m["scheme"] not in SCHEDULER_SCHEMES) or not 1 <= int(m["port"]) <= 65535:
        raise InvalidParameter(name, address if isinstance(address, str) and len(address) <= 300 else "<long>",
                               SCHEDULER_ALLOWED)
    return address


class Dask:
    """dask.distributed: a LocalCluster by default, or a running scheduler at ``address``
    (or ``$DASK_SCHEDULER_ADDRESS``).  An unreachable scheduler raises
    :class:`InvalidParameter` within ``timeout`` seconds.  ``worker_env`` sets environment
    variables of LocalCluster workers before they start (a nanny sets ``OMP_NUM_THREADS=1``
    and the like otherwise)."""

    name = "dask"

    def __init__(self, address: str | None = None, n_workers: int | None = None,
                 timeout: float = CONNECT_TIMEOUT_S, worker_env: Mapping[str, str] | None = None) -> None:
        import dask
        from distributed import Client, LocalCluster

        if address is not None:
            check_scheduler_address(address)
        elif os.environ.get(SCHEDULER_ENV):
            address = check_scheduler_address(os.environ[SCHEDULER_ENV], SCHEDULER_ENV)
        self._cluster = None
        if address is None:
            n = _check_workers(n_workers) if n_workers is not None else 2
            key = "distributed.nanny.pre-spawn-environ"
            with dask.config.set({key: {**dask.config.get(key, {}), **dict(worker_env or {})}}):
                self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
            self.client = Client(self._cluster, timeout=timeout)
            self.client.wait_for_workers(n, timeout=60)
        else:
            try:
                self.client = Client(address, timeout=timeout)
            except (OSError, TimeoutError, ValueError) as e:
                raise InvalidParameter(
                    "scheduler", address,
                    f"the address of a reachable dask scheduler, e.g. tcp://host:8786 (could not connect within "
                    f"{timeout:g} s: {type(e).__name__})") from None
        self.n_workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def map_batches(self, groups: Sequence[Sequence[Job]]) -> Iterator[list[JobResult]]:
        from distributed import as_completed

        futures = [self.client.submit(run_batch, list(g), pure=False) for g in groups]
        for f in as_completed(futures):
            yield f.result()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _check_workers(n: Any, name: str = "workers") -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidParameter(name, n, "an integer >= 1")
    return n


def _nonneg(name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidParameter(name, n, "an integer >= 0")
    return n


def connect_timeout() -> float:
    """Seconds to wait for a dask scheduler: ``$W2S_DASK_CONNECT_TIMEOUT`` (0 < t <= 30) or 10."""
    text = os.environ.get(TIMEOUT_ENV)
    if not text:
        return CONNECT_TIMEOUT_S
    try:
        t = float(text)
    except ValueError:
        t = math.nan
    if not 0 < t <= 30:
        raise InvalidParameter(TIMEOUT_ENV, text, "seconds in (0, 30]")
    return t


def make_executor(name: str = "inprocess", *, scheduler: str | None = None, workers: int | None = None,
                  timeout: float | None = None,
                  worker_env: Mapping[str, str] | None = None) -> InProcess | LocalPool | Dask:
    """Build an executor by name: ``inprocess`` (default), ``process`` or ``dask``
    (``worker_env``: environment of LocalCluster workers, see :class:`Dask`)."""
    timeout = connect_timeout() if timeout is None else timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 30:
        raise InvalidParameter("timeout", timeout, "seconds in (0, 30]")
    if name not in EXECUTORS:
        raise InvalidParameter("executor", name, "one of " + ", ".join(EXECUTORS))
    if scheduler and name != "dask":
        raise InvalidParameter("scheduler", scheduler, "only with executor 'dask'")
    if name == "process":
        return LocalPool(workers)
    if name == "dask":
        return Dask(scheduler, workers, timeout, worker_env)
    return InProcess()


def sweep(jobs: Iterable[Job], executor: InProcess | LocalPool | Dask | None = None, *,
          batch_size: int | None = None, on_batch: BatchCallback | None = None) -> list[JobResult]:
    """Run ``jobs``; call ``on_batch`` with each finished batch; return results in job order."""
    jobs = list(jobs)
    if executor is not None and not callable(getattr(executor, "map_batches", None)):
        raise InvalidParameter("executor", type(executor).__name__, "an executor from make_executor (or None)")
    ex = executor or InProcess()
    size = batch_size if batch_size is not None else auto_batch_size(len(jobs), ex.n_workers)
    by_key: dict[str, JobResult] = {}
    for done in ex.map_batches(batches(jobs, size)):
        if on_batch is not None:
            on_batch(done)
        for r in done:
            by_key[r.job.key] = r
    return [by_key[j.key] for j in jobs]

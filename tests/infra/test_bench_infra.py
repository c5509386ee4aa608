"""Benchmarks of the infra layer (run with `pytest tests/infra --benchmark-only`)."""
from __future__ import annotations

import pytest

from _infra_fixtures import ledger_path  # noqa: F401
from numerics.sweep import Job, JobResult, sweep
from proofs_checks import Stat, TableData
from proofs_checks._ledger import Ledger
from proofs_checks._tables import render

pytestmark = pytest.mark.benchmark


def test_bench_ledger_record_1000(benchmark, ledger_path):
    jobs = [Job("b.x", "m:f", {"i": i}, i) for i in range(1000)]
    results = [JobResult(j, {"v": float(i)}, 0.001, "w") for i, j in enumerate(jobs)]
    env = {"backend": "numpy", "device": "cpu", "git_commit": None, "packages": {}}
    with Ledger() as led:
        benchmark(lambda: [led.record_batch(results[i:i + 100], run_id=None, env=env) for i in range(0, 1000, 100)])


def test_bench_inprocess_sweep_200_tiny_jobs(benchmark):
    jobs = [Job("b.sweep", "_infra_jobs:slow_square", {"k": i}, i) for i in range(200)]
    res = benchmark(lambda: sweep(jobs, batch_size=20))
    assert len(res) == 200


def test_bench_render_latex_200_rows(benchmark):
    data = TableData(["x", "y"], [[i, Stat(i, i - 1, i + 1)] for i in range(200)])
    assert benchmark(lambda: render(data, "latex")).count(r"\\") >= 200

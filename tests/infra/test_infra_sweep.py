"""The sweep seam (numerics.sweep): identical results in-process, on a local process pool
and on a real 2-worker dask LocalCluster; batching; clear errors (issue 6 item 1)."""
from __future__ import annotations

import os

import pytest

from _infra_fixtures import clean_env, infra_tables, w2s  # noqa: F401
from numerics import InvalidParameter
from numerics.sweep import Job, auto_batch_size, batches, make_executor, run_job, sweep

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _jobs(n: int = 12) -> list[Job]:
    return [Job("infra.demo", "_infra_jobs:noisy_mean", {"mu": 0.25 * i, "n": 200}, 1000 + i) for i in range(n)]


def test_job_identity_is_content_hash():
    a = Job("t.x", "m:f", {"b": 1, "a": [1, 2]}, 3)
    b = Job("t.x", "m:f", {"a": [1, 2], "b": 1}, 3)
    assert a.key == b.key
    assert a.key != Job("t.x", "m:f", {"a": [1, 2], "b": 1}, 4).key
    assert a.key != Job("t.y", "m:f", {"a": [1, 2], "b": 1}, 3).key


@pytest.mark.parametrize("kw, name", [({"fn": "no_colon"}, "fn"), ({"seed": -1}, "seed"), ({"seed": True}, "seed"),
                                      ({"params": {"x": object()}}, "params"), ({"target": ""}, "target")])
def test_job_rejects_bad_input(kw, name):
    base = {"target": "t.x", "fn": "m:f", "params": {}, "seed": 0}
    with pytest.raises(InvalidParameter) as e:
        Job(**{**base, **kw})
    assert e.value.name == name and "allowed" in str(e.value)


def test_unknown_function_and_executor_are_clear_errors():
    with pytest.raises(InvalidParameter, match="importable"):
        run_job(Job("t.x", "_infra_jobs:nope", {}, 0))
    with pytest.raises(InvalidParameter, match="one of inprocess, process, dask"):
        make_executor("spark")
    with pytest.raises(InvalidParameter, match="only with executor 'dask'"):
        make_executor("process", scheduler="tcp://127.0.0.1:1")
    with pytest.raises(InvalidParameter, match="batch_size"):
        batches(_jobs(2), 0)


def test_batching_groups_tiny_jobs():
    groups = batches(_jobs(10), 3)
    assert [len(g) for g in groups] == [3, 3, 3, 1]
    assert auto_batch_size(1000, 2) == 125 and auto_batch_size(3, 8) == 1


def test_seeded_jobs_are_reproducible_and_distinct():
    r1 = sweep(_jobs(4))
    r2 = sweep(_jobs(4))
    assert [r.result for r in r1] == [r.result for r in r2]
    means = [r.result["mean"] for r in r1]
    assert len(set(means)) == 4


def test_on_batch_sees_every_job_once():
    seen = []
    res = sweep(_jobs(7), batch_size=2, on_batch=lambda b: seen.extend(r.job.key for r in b))
    assert sorted(seen) == sorted(j.key for j in _jobs(7)) and len(res) == 7


def test_process_pool_and_dask_localcluster_match_inprocess(monkeypatch, infra_tables, tmp_path, capsys):
    """The Done-when: the same sweep gives the same numbers in-process and on a real
    2-worker dask LocalCluster (and a local process pool, which also runs a table
    computed in one piece through its build job, found by name in the worker)."""
    from proofs_checks import RunContext
    from proofs_checks._ledger import Ledger
    from proofs_checks._tables import compute

    monkeypatch.setenv("W2S_PLUGINS", "_infra_jobs")
    monkeypatch.setenv("INFRA_REGISTER_TABLES", "1")
    jobs = _jobs(12)
    ref = [r.result for r in sweep(jobs)]
    whole = infra_tables["infra.whole"]
    pool = make_executor("process", workers=2)
    try:
        got_pool = [r.result for r in sweep(jobs, pool, batch_size=2)]
        with Ledger(tmp_path / "a.sqlite") as la, Ledger(tmp_path / "b.sqlite") as lb:
            assert compute(whole, RunContext(), lb, pool) == compute(whole, RunContext(), la)
            (row,) = lb.job_rows("infra.whole")
            assert row["fn"] == "proofs_checks._tables:build_job" and row["worker"].split(":")[1] != str(os.getpid())
    finally:
        pool.close()
    assert got_pool == ref
    from proofs_checks.cli import main

    assert main(["table", "infra.demo", "--format", "csv", "--ledger", str(tmp_path / "in.sqlite")]) == 0
    csv_inprocess = capsys.readouterr().out
    dask = make_executor("dask", workers=2)  # a LocalCluster with 2 worker processes
    try:
        assert dask.n_workers == 2
        batches_seen = []
        got = sweep(jobs, dask, batch_size=3, on_batch=lambda b: batches_seen.append(len(b)))
        workers = {r.worker for r in got}
        # the same cluster as a running scheduler named by DASK_SCHEDULER_ADDRESS, through the CLI
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", dask._cluster.scheduler_address)
        assert main(["table", "infra.demo", "--format", "csv", "--executor", "dask", "--batch-size", "2",
                     "--ledger", str(tmp_path / "dask.sqlite")]) == 0
        csv_dask = capsys.readouterr().out
    finally:
        dask.close()
    assert [r.result for r in got] == ref
    assert sorted(batches_seen) == [3, 3, 3, 3]
    assert all(w.split(":")[1] != str(os.getpid()) for w in workers)  # ran in the worker processes
    assert csv_dask == csv_inprocess
    with Ledger(tmp_path / "dask.sqlite") as led:
        assert {r["worker"].split(":")[1] for r in led.job_rows("infra.demo")} <= {w.split(":")[1] for w in workers}


def test_unreachable_scheduler_is_a_clear_usage_error(tmp_path):
    """Exit 2 naming the address (default Client timeout 10 s, so well within 30 s; the
    subprocess timeout only guards against a hang).  The address comes from
    DASK_SCHEDULER_ADDRESS: no code change and no flag needed."""
    from numerics.sweep import CONNECT_TIMEOUT_S, connect_timeout

    assert CONNECT_TIMEOUT_S <= 15 and connect_timeout() == CONNECT_TIMEOUT_S
    env = clean_env(W2S_LEDGER=str(tmp_path / "l.sqlite"), W2S_PLUGINS="_infra_jobs", INFRA_REGISTER_TABLES="1",
                    DASK_SCHEDULER_ADDRESS="tcp://127.0.0.1:9", W2S_DASK_CONNECT_TIMEOUT="3")
    r = w2s("table", "infra.demo", "--executor", "dask", env=env, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "scheduler='tcp://127.0.0.1:9'" in r.stderr and "reachable dask scheduler" in r.stderr
    assert "Traceback" not in r.stderr
    from proofs_checks._ledger import Ledger

    with Ledger(tmp_path / "l.sqlite") as led:
        (run,) = led.runs()
        assert run.status == "error" and "scheduler" in run.summary["error"] and run.env["executor"] == "dask"
    with pytest.raises(InvalidParameter) as e:
        make_executor("dask", scheduler="tcp://127.0.0.1:9", timeout=1)
    assert e.value.name == "scheduler" and "within 1 s" in str(e.value)


def test_connect_timeout_is_bounded(monkeypatch):
    from numerics.sweep import connect_timeout

    monkeypatch.setenv("W2S_DASK_CONNECT_TIMEOUT", "600")
    with pytest.raises(InvalidParameter, match=r"seconds in \(0, 30\]"):
        connect_timeout()
    monkeypatch.setenv("W2S_DASK_CONNECT_TIMEOUT", "2.5")
    assert connect_timeout() == 2.5

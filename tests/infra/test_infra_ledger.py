"""The run ledger (proofs_checks._ledger): location, WAL, one transaction per batch,
SIGKILL safety with a real kill, skip-on-rerun, verify runs, `w2s runs` and
`w2s report --compare`, and exit 2 on bad ledger paths (issue 6 item 2)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _infra_fixtures import ROOT, clean_env, infra_tables, ledger_path, w2s  # noqa: F401
from numerics.sweep import Job, JobResult
from proofs_checks import UsageError
from proofs_checks._ledger import LEDGER_ENV, Ledger, compare, default_path, integrity_ok
from proofs_checks.cli import main


def _count(path: Path) -> int:
    conn = sqlite3.connect(str(path), timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM jobs").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_default_location_is_user_cache_and_env_overrides(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv(LEDGER_ENV, raising=False)
    assert default_path() == Path(platformdirs.user_cache_dir("w2s-harness")) / "ledger.sqlite"
    monkeypatch.setenv(LEDGER_ENV, str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"


def test_wal_mode_and_batch_roundtrip(ledger_path):
    jobs = [Job("t.x", "m:f", {"i": i}, i) for i in range(5)]
    with Ledger() as led:
        assert led.path == ledger_path
        assert led.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        env = {"backend": "numpy", "device": "cpu", "git_commit": "abc", "packages": {"numpy": "1"}}
        led.record_batch([JobResult(j, {"v": j.params["i"] * 2}, 0.01, "w") for j in jobs[:3]], run_id=None, env=env)
        assert led.done_keys(j.key for j in jobs) == {j.key for j in jobs[:3]}
        assert led.results(jobs) == {j.key: {"v": 2 * j.params["i"]} for j in jobs[:3]}
        row = led.job_rows("t.x")[0]
        assert (row["backend"], row["device"], row["git_commit"]) == ("numpy", "cpu", "abc")
        assert json.loads(row["versions"]) == {"numpy": "1"} and json.loads(row["params"]) == {"i": 0}


def test_read_only_directory_is_exit_2(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(UsageError, match="read-only"):
            Ledger(ro / "l.sqlite")
        assert main(["runs", "--ledger", str(ro / "l.sqlite")]) == 2
        err = capsys.readouterr().err
        assert "read-only" in err and str(ro) in err
        assert not (ro / "l.sqlite").exists()
    finally:
        ro.chmod(0o755)


def test_corrupt_ledger_is_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    assert main(["runs", "--ledger", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not a readable w2s ledger" in err and "Traceback" not in err
    assert bad.read_bytes() == b"this is not a database" * 100  # left untouched


def test_table_reads_the_ledger_and_skips_recorded_jobs(infra_tables, ledger_path, capsys):
    from proofs_checks import RunContext
    from proofs_checks._tables import compute

    t = infra_tables["infra.demo"]
    ctx = RunContext()
    first = compute(t, ctx)
    with Ledger() as led:
        runs = led.runs(kind="table")
        assert runs[0].summary == {"jobs": 6, "ran": 6, "skipped": 0}
        before = {r["key"]: r["finished"] for r in led.job_rows("infra.demo")}
    again = compute(t, ctx)
    assert again == first
    with Ledger() as led:
        assert len(led.runs(kind="table")) == 1  # nothing ran: no new run
        assert {r["key"]: r["finished"] for r in led.job_rows("infra.demo")} == before
    compute(t, ctx, rerun=True)
    with Ledger() as led:
        assert led.runs(kind="table")[0].summary == {"jobs": 6, "ran": 6, "skipped": 0}
        assert all(r["finished"] > before[r["key"]] for r in led.job_rows("infra.demo"))
    other_seed = compute(t, ctx.with_(seed=7))
    assert other_seed.rows[0][1].value != first.rows[0][1].value


def test_sigkill_mid_sweep_loses_no_finished_job_and_rerun_resumes(tmp_path, infra_tables, monkeypatch, capsys):
    """A real kill: `w2s table` runs a slow sweep (batch size 1) in a subprocess, which is
    SIGKILLed once some jobs are recorded.  The database stays readable (integrity ok),
    every job recorded before the kill is still there, and the rerun runs only the rest."""
    led = tmp_path / "kill.sqlite"
    env = clean_env(W2S_LEDGER=str(led), W2S_PLUGINS="_infra_jobs", INFRA_REGISTER_TABLES="1",
                    INFRA_SLOW_JOBS="40", INFRA_SLOW_SLEEP="0.1")
    proc = subprocess.Popen([sys.executable, "-m", "proofs_checks", "table", "infra.slow", "--batch-size", "1"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        seen = _count(led) if led.exists() else 0
        if seen >= 5:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"sweep ended before the kill: {proc.stderr.read().decode()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert integrity_ok(led)
    after = _count(led)
    assert 5 <= seen <= after < 40
    with Ledger(led) as l:
        rows = l.job_rows("infra.slow")
        assert all(json.loads(r["result"])["k2"] == json.loads(r["params"])["k"] ** 2 for r in rows)
        killed_run = l.runs(kind="table")[0]
        assert killed_run.status == "running"  # never finished
    r = w2s("table", "infra.slow", "--format", "csv", env={**env, "INFRA_SLOW_SLEEP": "0"})
    assert r.returncode == 0, r.stderr
    with Ledger(led) as l:
        resumed = l.runs(kind="table")[0]
        assert resumed.summary == {"jobs": 40, "ran": 40 - after, "skipped": after}
        assert len(l.job_rows("infra.slow")) == 40
    monkeypatch.setenv("INFRA_SLOW_JOBS", "40")
    assert main(["table", "infra.slow", "--format", "csv", "--ledger", str(tmp_path / "fresh.sqlite")]) == 0
    assert capsys.readouterr().out == r.stdout  # resumed == one uninterrupted run


def _toy_claim(figure_value: float, ok: bool = True):
    from proofs_checks import Claim, Citation, NumericCheck, Outcome, SymbolicCheck

    return Claim(id="infra.toy", spec_id="INFRA-T", title="toy", citation=Citation("p", "0000.00000", "eq. 1"),
                 provenance="DERIVED", statement=lambda: __import__("sympy").Integer(0),
                 checks=(SymbolicCheck("s", prove=lambda: Outcome(True, "ok")),
                         NumericCheck("n", run=lambda ctx: Outcome(ok, "n", ("fig", figure_value)))))


@pytest.fixture
def toy_registry():
    from proofs_checks import _registry

    saved = dict(_registry._CLAIMS)
    yield _registry
    _registry._CLAIMS.clear()
    _registry._CLAIMS.update(saved)


def test_verify_runs_are_listed_and_compared(toy_registry, ledger_path, capsys):
    toy_registry.register(_toy_claim(1.0))
    assert main(["verify", "infra.toy", "-q"]) == 0
    toy_registry._CLAIMS["infra.toy"] = _toy_claim(1.0)
    assert main(["verify", "infra.toy", "-q"]) == 0
    toy_registry._CLAIMS["infra.toy"] = _toy_claim(2.5, ok=False)
    assert main(["verify", "infra.toy", "-q", "--ledger", str(ledger_path)]) == 1
    capsys.readouterr()
    assert main(["runs"]) == 0
    out = capsys.readouterr().out
    assert "3 runs" in out and out.count("verify") >= 3
    with Ledger() as led:
        r3, r2, r1 = led.runs(kind="verify")
        assert (r1.status, r3.status) == ("passed", "failed")
        assert r3.summary["failed"] == 1 and r3.env["seed"] == 20240515 and "packages" in r3.env
        assert compare(led, r1.run_id, r2.run_id)[2] == []
        (ch,) = compare(led, r2.run_id, r3.run_id)[2]
    assert ch["claim"] == "infra.toy" and ch["change"] == "status and key figure"
    assert (ch["a_value"], ch["b_value"]) == (1.0, 2.5)
    assert main(["report", "--compare", r1.run_id[:-2], "previous"]) == 0  # a unique prefix
    assert "no claim changed" in capsys.readouterr().out
    assert main(["report", "--compare", "previous", "latest"]) == 0
    out = capsys.readouterr().out
    assert "infra.toy" in out and "status and key figure" in out and "2.5" in out
    assert main(["report", "--compare", "nosuchrun", "latest"]) == 2
    assert "nosuchrun" in capsys.readouterr().err


def test_verify_no_ledger_and_unwritable_default(toy_registry, tmp_path, monkeypatch, capsys):
    toy_registry.register(_toy_claim(1.0))
    monkeypatch.setenv(LEDGER_ENV, str(tmp_path / "l.sqlite"))
    assert main(["verify", "infra.toy", "-q", "--no-ledger"]) == 0
    assert not (tmp_path / "l.sqlite").exists()
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main(["verify", "infra.toy", "-q", "--ledger", str(ro / "x.sqlite")]) == 2
        assert "read-only" in capsys.readouterr().err
    finally:
        ro.chmod(0o755)

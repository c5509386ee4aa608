"""Issue 12 §1/§7: every bad input to ``w2s`` is one line naming the parameter, exit 2, no
traceback, and nothing runs (or is written) before the inputs are checked."""
from __future__ import annotations

import pytest

from proofs_checks.cli import main


def _usage_error(capsys, *argv: str, names: str) -> str:
    """Run ``w2s argv`` in-process; assert exit 2 and one stderr line naming ``names``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert names in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("name", ["", ".", "..pkg", "pkg..mod", "a-b", "1abc", " "])
def test_plugin_bad_module_names(capsys, name):
    _usage_error(capsys, "--plugin", name, "list", names="--plugin")


def test_plugin_that_raises_on_import(capsys, tmp_path, monkeypatch):
    (tmp_path / "w2s_boom_plugin.py").write_text("raise RuntimeError('boom\\nsecond line')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    msg = _usage_error(capsys, "--plugin", "w2s_boom_plugin", "list", names="--plugin")
    assert "RuntimeError" in msg and "boom" in msg


def test_plugin_env_entry_is_named(capsys, monkeypatch):
    from proofs_checks import _registry

    monkeypatch.setattr(_registry, "_loaded", False)  # load_all() reads $W2S_PLUGINS again
    monkeypatch.setenv("W2S_PLUGINS", "no_such_w2s_plugin_xyz")
    _usage_error(capsys, "list", names="$W2S_PLUGINS")


# -- shared fixtures ----------------------------------------------------------------------------
@pytest.fixture
def no_run(monkeypatch):
    """Make running a claim or a table an error: the inputs must be rejected before."""
    import proofs_checks._explore as ex
    import proofs_checks._tables as tb
    import proofs_checks.cli as cli

    def ran(*a, **k):
        raise AssertionError("a claim or table ran before the inputs were checked")
    for mod, name in ((cli, "verify"), (cli, "verify_seeds"), (tb, "compute"), (ex, "explore")):
        monkeypatch.setattr(mod, name, ran)


@pytest.fixture
def tiny_claim():
    """A claim that verifies in well under a second (removed from the registry afterwards)."""
    import sympy as sp

    from proofs_checks import Citation, Claim, Domain, Param, PropertyCheck, SymbolicCheck, _registry, register
    from theory import prove_identity

    x = sp.Symbol("x")
    c = register(Claim(
        id="hardening.tiny", spec_id="HARDENING-1", title="(x+1)^2 = x^2 + 2x + 1",
        citation=Citation("test", "0000.00000", "test"), provenance="DERIVED",
        statement=lambda: sp.Eq((x + 1) ** 2, x**2 + 2 * x + 1),
        domain=Domain((Param("x", float, -10, 10),)),
        checks=(SymbolicCheck("expand", prove=lambda: prove_identity((x + 1) ** 2 - x**2 - 2 * x - 1)),
                PropertyCheck("floats", margin=lambda p: 1e-9 - abs((p["x"] + 1) ** 2 - p["x"] ** 2 - 2 * p["x"] - 1)))))
    yield c.id
    _registry._CLAIMS.pop(c.id, None)


TABLE = "wspo.hh_winrates"  # transcribed: builds at once


# -- output paths: checked before anything runs ------------------------------------------------------
@pytest.mark.parametrize("argv, flag", [
    (["verify", "misfit.pythagorean", "--json", ""], "--json"),
    (["table", TABLE, "--out", ""], "--out"),
    (["table", TABLE, "--figure", ""], "--figure"),
    (["figure", TABLE, "--out", ""], "--out"),
    (["catalogue", "--out", ""], "--out"),
    (["report", "--out", ""], "--out"),
    (["explore", "misfit.pythagorean", "--db", ""], "--db"),
    (["verify", "misfit.pythagorean", "--ledger", ""], "--ledger"),
    (["runs", "--ledger", ""], "--ledger"),
])
def test_empty_paths_are_rejected(capsys, no_run, argv, flag):
    assert "empty" in _usage_error(capsys, *argv, names=flag)


@pytest.mark.parametrize("flag, argv", [
    ("--json", ["verify", "misfit.pythagorean"]),
    ("--out", ["table", TABLE]),
    ("--out", ["catalogue"]),
    ("--ledger", ["verify", "misfit.pythagorean"]),
])
def test_directories_and_bad_paths_are_rejected(capsys, tmp_path, no_run, flag, argv):
    (tmp_path / "afile").write_text("x")
    for bad in (str(tmp_path), str(tmp_path) + "/", str(tmp_path / "afile" / "x.json"),
                str(tmp_path / ("n" * 300)), str(tmp_path / ("d/" * 2100)) + "x.json") + \
            ((str(tmp_path / "no" / "x"),) if flag != "--ledger" else ()):  # the ledger makes its directory
        msg = _usage_error(capsys, *argv, flag, bad, names=flag)
        assert "allowed" in msg, msg


def test_figure_paths_checked_before_the_table_runs(capsys, tmp_path, no_run):
    _usage_error(capsys, "figure", TABLE, "--out", str(tmp_path / "f.jpg"), names="--out")
    _usage_error(capsys, "table", TABLE, "--figure", str(tmp_path / "f.xyz"), names="--figure")
    (tmp_path / "adir.png").mkdir()
    _usage_error(capsys, "table", TABLE, "--figure", str(tmp_path / "adir"), names="--figure")


# -- a SQLite file that is not a w2s ledger -----------------------------------------------------------------
def _foreign_db(path, sql="CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT)"):
    import sqlite3

    con = sqlite3.connect(str(path))
    con.execute(sql)
    con.commit()
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize("sql", ["CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT)",
                                 "CREATE TABLE meta (key TEXT, value TEXT)",
                                 "CREATE TABLE meta (k TEXT)"])
def test_foreign_sqlite_file_rejected_before_running_and_untouched(capsys, tmp_path, no_run, sql):
    db = tmp_path / "other.sqlite"
    before = _foreign_db(db, sql)
    for argv in (["verify", "misfit.pythagorean"], ["runs"], ["report"], ["table", TABLE]):
        _usage_error(capsys, *argv, "--ledger", str(db), names="--ledger")
    assert db.read_bytes() == before  # no w2s table was added to someone else's database
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]  # no -wal/-shm left either


# -- writes: atomic, special files direct, a full disk is one line -------------------------------------
@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_json_to_dev_full_is_one_line(capsys, tiny_claim):
    msg = _usage_error(capsys, "verify", tiny_claim, "--json", "/dev/full", "-q", "--no-ledger", names="--json")
    assert "No space left on device" in msg


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_catalogue_to_dev_full_is_one_line(capsys):
    _usage_error(capsys, "catalogue", "--out", "/dev/full", names="--out")


def test_failed_write_leaves_the_old_file_and_no_temporary(capsys, tmp_path, monkeypatch, tiny_claim):
    import errno
    import os

    from proofs_checks import _io

    path = tmp_path / "r.json"
    path.write_text("old report\n")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(_io.os, "fsync", full)
    for argv in (["verify", tiny_claim, "-q", "--no-ledger", "--json", str(path)],
                 ["catalogue", "--out", str(path)], ["table", TABLE, "--out", str(path)]):
        _usage_error(capsys, *argv, names=argv[-2])
        assert path.read_text() == "old report\n"
        assert [p.name for p in tmp_path.iterdir() if p.name != "ledger.sqlite"] == ["r.json"]


def test_atomic_write_keeps_the_mode_and_appends_to_special_files(tmp_path):
    import os

    from proofs_checks._io import atomic_write

    p = tmp_path / "t.md"
    p.write_text("a")
    os.chmod(p, 0o640)
    atomic_write(str(p), "new text", "--out")
    assert p.read_text() == "new text" and (p.stat().st_mode & 0o777) == 0o640
    link = tmp_path / "link.md"
    link.symlink_to(p)
    atomic_write(str(link), "via link", "--out")
    assert link.is_symlink() and p.read_text() == "via link"
    atomic_write("/dev/null", "discarded", "--out")  # a device is written in place, never replaced
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


# -- numbers: seeds, counts, limits ---------------------------------------------------------------
@pytest.mark.parametrize("argv, flag", [
    (["verify", "misfit.pythagorean", "--seed", str(2**63)], "--seed"),
    (["verify", "misfit.pythagorean", "--seed", str(10**30)], "--seed"),
    (["verify", "misfit.pythagorean", "--seed", "-1"], "--seed"),
    (["verify", "misfit.pythagorean", "--seed", "1e3"], "--seed"),
    (["eval", "misfit.pythagorean", "--seed", str(2**63)], "--seed"),
    (["explore", "misfit.pythagorean", "--seed", str(2**64)], "--seed"),
    (["table", TABLE, "--seed", str(2**63)], "--seed"),
    (["verify", "misfit.pythagorean", "--seeds", "0"], "--seeds"),
    (["verify", "misfit.pythagorean", "--seeds", str(10**12)], "--seeds"),
    (["verify", "misfit.pythagorean", "--seed", str(2**63 - 1), "--seeds", "2"], "--seeds"),
    (["verify", "misfit.pythagorean", "--seed-range", f"0:{2**63}"], "--seed-range"),
    (["verify", "misfit.pythagorean", "--seed-range", "0:99999999999"], "--seed-range"),
    (["runs", "--limit", "0"], "--limit"),
    (["runs", "--limit", "-5"], "--limit"),
    (["runs", "--limit", str(2**63)], "--limit"),
    (["table", TABLE, "--workers", "0"], "--workers"),
    (["table", TABLE, "--workers", str(10**9)], "--workers"),
    (["figure", TABLE, "--out", "f.png", "--batch-size", "0"], "--batch-size"),
    (["table", TABLE, "--batch-size", str(10**12)], "--batch-size"),
    (["table", TABLE, "--replicas", "0"], "--replicas"),
    (["explore", "misfit.pythagorean", "--examples", "0"], "--examples"),
])
def test_numbers_out_of_range(capsys, no_run, argv, flag):
    _usage_error(capsys, *argv, names=flag)


def test_run_context_caps_the_seed():
    from proofs_checks import RunContext, UsageError

    RunContext(seed=2**63 - 1)
    for bad in (2**63, 10**30, -1):
        with pytest.raises(UsageError, match="--seed"):
            RunContext(seed=bad)


def test_sweep_job_caps_the_seed():
    from numerics import InvalidParameter
    from numerics.sweep import Job

    Job("t", "m:f", {}, 2**63 - 1)
    with pytest.raises(InvalidParameter, match="seed"):
        Job("t", "m:f", {}, 2**63)


def test_largest_seed_is_recorded_in_the_ledger(capsys, tmp_path, tiny_claim):
    code = main(["verify", tiny_claim, "--backend", "numpy", "-q", "--seed", str(2**63 - 1),
                 "--ledger", str(tmp_path / "l.sqlite")])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert main(["runs", "--ledger", str(tmp_path / "l.sqlite")]) == 0
    assert str(2**63 - 1)[:8] in capsys.readouterr().out


# -- the ledger records a verify run when it starts; failures mark it ------------------------------------
def _runs(path):
    from proofs_checks._ledger import Ledger

    with Ledger(path) as led:
        return led.runs()


def test_verify_run_is_recorded_before_the_claims_run(capsys, tmp_path, tiny_claim, monkeypatch):
    import proofs_checks.cli as cli

    led = tmp_path / "l.sqlite"
    seen = {}
    real = cli.verify

    def spy(*a, **k):
        seen["runs"] = _runs(led)  # what `w2s runs` shows while the claims run
        return real(*a, **k)
    monkeypatch.setattr(cli, "verify", spy)
    assert main(["verify", tiny_claim, "--backend", "numpy", "-q", "--ledger", str(led)]) == 0
    (during,) = seen["runs"]
    assert during.status == "running" and during.finished is None
    (after,) = _runs(led)
    assert after.run_id == during.run_id and after.started == during.started
    assert after.status == "passed" and after.finished >= after.started and after.summary["passed"] == 1
    assert main(["runs", "--ledger", str(led)]) == 0


def test_killed_verify_shows_as_unfinished(capsys, tmp_path, tiny_claim, monkeypatch):
    import proofs_checks.cli as cli

    led = tmp_path / "l.sqlite"

    def killed(*a, **k):  # os._exit would end pytest; a run that never reaches its end is the same to the ledger
        monkeypatch.setattr(cli, "_abort_verify", lambda *a: None)
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "verify", killed)
    assert main(["verify", tiny_claim, "--backend", "numpy", "-q", "--ledger", str(led)]) == 130
    capsys.readouterr()
    assert main(["runs", "--ledger", str(led)]) == 0
    out = capsys.readouterr().out
    assert "unfinished" in out and "0/0 passed" not in out  # no summary yet, not an empty one


@pytest.mark.parametrize("exc, status", [(KeyboardInterrupt, "interrupted"), (OSError(28, "No space left on device"),
                                                                                "error")])
def test_verify_stopped_midway_is_marked(capsys, tmp_path, tiny_claim, monkeypatch, exc, status):
    import proofs_checks.cli as cli

    led = tmp_path / "l.sqlite"

    def stop(*a, **k):
        raise exc
    monkeypatch.setattr(cli, "verify", stop)
    code = main(["verify", tiny_claim, "--backend", "numpy", "-q", "--ledger", str(led)])
    err = capsys.readouterr().err
    assert code == (130 if status == "interrupted" else 2) and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    (run,) = _runs(led)
    assert run.status == status and run.finished is not None


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_report_write_failure_marks_the_run_and_keeps_its_claims(capsys, tmp_path, tiny_claim):
    from proofs_checks._ledger import Ledger

    led = tmp_path / "l.sqlite"
    _usage_error(capsys, "verify", tiny_claim, "--backend", "numpy", "-q", "--ledger", str(led), "--json",
                 "/dev/full", names="--json")
    (run,) = _runs(led)
    assert run.status == "error" and "No space left" in run.summary["error"] and run.summary["passed"] == 1
    with Ledger(led) as ledger:
        assert ledger.claim_results(run.run_id)[tiny_claim]["status"] == "passed"


@pytest.mark.parametrize("exc, needle", [(OSError(28, "No space left on device", "/x/y"), "No space left"),
                                         (__import__("sqlite3").OperationalError("database or disk is full"),
                                          "disk is full"),
                                         (RuntimeError("unexpected\nbug"), "internal error")])
def test_last_resort_errors_are_one_line(capsys, monkeypatch, exc, needle):
    import proofs_checks.cli as cli

    def boom(args, out):
        raise exc
    monkeypatch.setattr(cli, "cmd_list", boom)
    monkeypatch.delenv("W2S_TRACEBACK", raising=False)
    assert needle in _usage_error(capsys, "list", names="")


def test_table_sweep_stopped_by_a_full_disk_is_marked(capsys, tmp_path):
    import errno
    import os

    from proofs_checks import _tables
    from proofs_checks._tables import Table, register_table

    def build(ctx):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "scratch"))
    register_table(Table("hardening.full_disk", "a table whose build hits a full disk", "test", build))
    try:
        led = tmp_path / "l.sqlite"
        msg = _usage_error(capsys, "table", "hardening.full_disk", "--ledger", str(led), names="scratch")
        assert "No space left" in msg
        (run,) = _runs(led)
        assert run.kind == "table" and run.status == "error" and "No space left" in run.summary["error"]
    finally:
        _tables._TABLES.pop("hardening.full_disk", None)


# -- dask scheduler addresses: rejected at once, not after a connect timeout -----------------------------
@pytest.mark.parametrize("address", ["notaurl", "tcp://host:99999", "tcp://host:0", "tcp://host", "http://host:8786",
                                     "tcp://:8786", "tcp://host:port", "", "tcp://ho st:1", "tcp://host:8786/x"])
def test_bad_scheduler_addresses_are_rejected_at_once(capsys, no_run, address):
    import time

    t0 = time.perf_counter()
    _usage_error(capsys, "table", TABLE, "--executor", "dask", "--scheduler", address, names="--scheduler")
    assert time.perf_counter() - t0 < 5


def test_bad_scheduler_env_is_named(capsys, no_run, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "notaurl")
    _usage_error(capsys, "table", TABLE, "--executor", "dask", names="$DASK_SCHEDULER_ADDRESS")


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "localhost:8786", "tls://sched.example.org:1",
                                     "tcp://[::1]:65535", "ws://a-b.c:443"])
def test_scheduler_address_forms_dask_accepts(address):
    from numerics.sweep import check_scheduler_address

    assert check_scheduler_address(address) == address


def test_dask_executor_checks_the_address_itself():
    from numerics import InvalidParameter
    from numerics.sweep import Dask

    with pytest.raises(InvalidParameter, match="scheduler"):
        Dask("tcp://host:99999", timeout=30)


# -- messages that named the wrong thing ------------------------------------------------------------
def test_table_figure_without_suffix_prints_the_real_path(capsys, tmp_path):
    target = tmp_path / "adir"
    code = main(["table", TABLE, "--figure", str(target), "--ledger", str(tmp_path / "l.sqlite")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert (tmp_path / "adir.png").is_file() and not target.exists()
    assert f"figure written to {target}.png" in out


def test_report_compare_on_a_table_run_says_so(capsys, tmp_path):
    led = str(tmp_path / "l.sqlite")
    assert main(["table", TABLE, "--ledger", led]) == 0
    capsys.readouterr()
    from proofs_checks._ledger import Ledger

    with Ledger(led) as ledger:
        (run,) = ledger.runs()
    msg = _usage_error(capsys, "report", "--compare", run.run_id, "latest", "--ledger", led, names=run.run_id)
    assert "is a table run" in msg and "allowed a verify run" in msg
    msg = _usage_error(capsys, "report", run.run_id[:12], "--ledger", led, names=run.run_id[:12])
    assert "is a table run" in msg


def test_two_outputs_naming_one_file_are_rejected(capsys, tmp_path, no_run):
    led = str(tmp_path / "l.sqlite")
    _usage_error(capsys, "verify", "misfit.pythagorean", "--json", led, "--ledger", led, names="--ledger")
    _usage_error(capsys, "table", TABLE, "--out", str(tmp_path / "t.png"), "--figure", str(tmp_path / "t.png"),
                 names="--figure")
    _usage_error(capsys, "figure", TABLE, "--out", str(tmp_path / "f.png"), "--ledger", str(tmp_path / "f.png"),
                 names="--ledger")


def test_ledger_that_is_a_device_is_rejected(capsys, no_run):
    _usage_error(capsys, "runs", "--ledger", "/dev/null", names="--ledger")


def test_undecodable_argument_still_gives_one_line(capsys):
    _usage_error(capsys, "show", "bad\udcffid", names="claim id")


@pytest.mark.parametrize("argv, flag", [
    (["report", "--rtol", "-1"], "--rtol"),
    (["report", "--rtol", "nan", "--compare", "latest", "previous"], "--rtol"),
    (["report", "--rtol", "0.1"], "--rtol"),  # would be ignored without --compare
    (["report", "--compare", "latest", "previous", "--out", "x.md"], "--out"),
    (["report", "--compare", "latest", "previous", "--standalone"], "--standalone"),
    (["report", "latest", "--compare", "latest", "previous"], "--compare"),
    (["report", "--compare", "latest", "previous", "--format", "csv"], "--format"),
    (["verify", "misfit.pythagorean", "--no-ledger", "--ledger", "x.sqlite"], "--ledger"),
])
def test_report_options_that_would_be_ignored(capsys, no_run, argv, flag):
    _usage_error(capsys, *argv, names=flag)


def test_options_between_positionals_are_parsed():
    """argparse rejected ``eval ID --seed 3 m=1`` ('unrecognized arguments: m=1'): found by the fuzzer."""
    from proofs_checks.cli import build_parser

    a = build_parser().parse_args(["eval", "X", "--seed", "3", "m=1", "n=2"])
    assert a.params == ["m=1", "n=2"] and a.seed == 3
    a = build_parser().parse_args(["verify", "a.*", "--seed", "1", "b", "-q"])
    assert a.patterns == ["a.*", "b"] and a.seed == 1 and a.quiet


@pytest.mark.parametrize("argv, flag", [(["verify", "misfit.pythagorean", "--json=--"], "--json"),
                                        (["eval", "misfit.pythagorean", "--seed=--"], "--seed")])
def test_double_dash_as_an_option_value(capsys, no_run, argv, flag):
    """argparse turns ``--json=--`` into ``[]`` without calling type= (found by the fuzzer)."""
    _usage_error(capsys, *argv, names=flag)


@pytest.mark.parametrize("flag, argv", [("--ledger", ["runs"]), ("--db", ["explore", "misfit.pythagorean"]),
                                        ("--json", ["verify", "misfit.pythagorean"])])
def test_too_long_name_below_missing_directories(capsys, tmp_path, no_run, flag, argv):
    """The kernel says ENOENT for a/b/<300 chars> while a/ is missing: found by the fuzzer (the
    ledger made a/ and b/, then failed on the name with a message not naming --ledger)."""
    bad = str(tmp_path / "a" / "b" / ("c" * 300))
    assert "too long" in _usage_error(capsys, *argv, flag, bad, names=flag)
    assert not (tmp_path / "a").exists()


# -- FIFOs, explore inside a claim's context, strings for reals (found after stop 14) -------------------
def _alarm(seconds: int):
    import signal

    def hung(*a):
        raise AssertionError(f"blocked for {seconds} s")
    signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_json_to_a_fifo_with_no_reader_is_one_line_not_a_hang(capsys, tmp_path, no_run):
    import os
    import signal

    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    _alarm(30)
    try:
        msg = _usage_error(capsys, "verify", "misfit.pythagorean", "--json", str(fifo), "-q", "--no-ledger",
                           names="--json")
    finally:
        signal.alarm(0)
    assert "FIFO" in msg and "reading" in msg


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_json_to_a_fifo_with_a_reader_gets_the_whole_report(capsys, tmp_path, tiny_claim):
    import json
    import os
    import signal
    import threading

    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, encoding="utf-8").read()), daemon=True)
    reader.start()
    _alarm(60)
    try:
        code = main(["verify", tiny_claim, "--json", str(fifo), "-q", "--no-ledger"])
    finally:
        signal.alarm(0)
    reader.join(10)
    assert code == 0, capsys.readouterr()
    assert json.loads(got[0])["claims"][0]["id"] == tiny_claim


def test_explore_runs_a_statement_bound_claim(capsys, tmp_path):
    """``explore`` evaluates margins that read the running claim's statement (proofs_checks._statement);
    it used to end in 'internal error: no claim is being checked'."""
    code = main(["explore", "misfit.nonconvex_class", "--examples", "5", "--db", str(tmp_path / "db")])
    out, err = capsys.readouterr()
    assert "internal error" not in out + err and "no claim is being checked" not in out + err, err
    assert code in (0, 1), (code, err)
    assert "misfit.nonconvex_class" in out


@pytest.mark.parametrize("value", ["3.0", b"3.0", "nan"])
def test_check_real_rejects_strings(value):
    from numerics import InvalidParameter
    from numerics._validate import check_real

    with pytest.raises(InvalidParameter, match="allowed"):
        check_real("x", value, 0.0)

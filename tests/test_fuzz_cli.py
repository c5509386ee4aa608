"""Fuzzing ``w2s`` (issue 12 §7): every subcommand, a valid argument list with ONE injected
fault (a bad path of every kind, an out-of-range or non-numeric number, a bad choice, plug-in
name, claim/table/run id, dask scheduler, a foreign ledger, conflicting or unknown options).

Each case calls ``main()`` in-process with a private HOME and ledger and asserts: exit 2,
exactly one line on stderr, ``w2s: error:`` (not an internal error), no traceback, and the
message names the faulty parameter.  Claims, tables and explorations never run: the engine
entry points are replaced by recorders, and a fault that must be caught before anything runs
(all but a full disk at write time) fails the case if a recorder was called.

Under the default ``ci`` profile (derandomized) the test draws ``CI_CASES`` cases; under
``--hypothesis-profile=nightly`` ``NIGHTLY_CASES``.  ``W2S_FUZZ_STATS=path`` writes the
tallies (cases, tracebacks, accepted bad inputs, by subcommand and fault) as JSON.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
from dataclasses import dataclass
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from proofs_checks.cli import main

CI_CASES = 300
NIGHTLY_CASES = 2000
NIGHTLY = settings.default.max_examples >= 1000
SEED_MAX = 2**63 - 1  # stated here independently of the code under test: a signed 64-bit SQLite INTEGER
CLAIM = "misfit.pythagorean"
TABLE = "wspo.hh_winrates"

STATS: dict = {"cases": 0, "tracebacks": 0, "accepted": 0, "not_one_line": 0, "unnamed": 0, "ran_first": 0,
               "by_fault": {}}


# -- the world every case runs in ------------------------------------------------------------------------------
@dataclass(frozen=True)
class World:
    root: str
    ledger: str
    foreign: str
    notadb: str
    afile: str
    adir: str
    calls: list
    table_run: list  # [run id] of the recorded table run
    one_run: str  # a ledger with exactly one verify run, never written by a case


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A private HOME/cache and ledger (with one verify and one table run), a foreign SQLite file,
    a text file, a directory; the engine entry points replaced by recorders."""
    import proofs_checks._catalogue as cat
    import proofs_checks._explore as ex
    import proofs_checks._runner as rn
    import proofs_checks._tables as tb
    from proofs_checks._ledger import Ledger
    from proofs_checks._report import ClaimResult
    from proofs_checks._tables import TableData

    root = tmp_path_factory.mktemp("fuzz")
    home = root / "home"
    home.mkdir()
    w = World(str(root), str(root / "ledger.sqlite"), str(root / "foreign.sqlite"), str(root / "notadb.sqlite"),
              str(root / "afile"), str(root / "adir"), [], [], str(root / "one_run.sqlite"))
    con = sqlite3.connect(w.foreign)
    con.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT)")
    con.commit()
    con.close()
    (root / "notadb.sqlite").write_text("not a database\n" * 40)
    (root / "afile").write_text("x")
    (root / "adir").mkdir()
    with Ledger(w.ledger) as led:
        rid = led.start_run("verify", CLAIM, {"profile": "fast", "seed": 1})
        led.record_claims(rid, [{"id": CLAIM, "spec_id": "MISFIT-1", "status": "passed", "checks": {}}])
        led.finish_run(rid, "passed", {"total": 1, "passed": 1})
        tid = led.start_run("table", TABLE, {"executor": "inprocess"})
        led.finish_run(tid, "finished", {"ran": 1})
        w.table_run.append(tid)
    with Ledger(w.one_run) as led:
        led.finish_run(led.start_run("verify", CLAIM, {}), "passed", {"total": 0})

    def recorder(name: str, result: Callable):
        def rec(*a, **k):
            w.calls.append(name)
            return result(*a, **k)
        return rec

    mp = pytest.MonkeyPatch()
    for k, v in {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "W2S_LEDGER": w.ledger}.items():
        mp.setenv(k, v)
    for k in ("W2S_PLUGINS", "DASK_SCHEDULER_ADDRESS", "W2S_TRACEBACK", "W2S_DASK_CONNECT_TIMEOUT"):
        mp.delenv(k, raising=False)
    mp.setattr(rn, "verify_claim", recorder("verify_claim", lambda c, *a, **k: ClaimResult(c, [], 0.0)))
    mp.setattr(tb, "compute", recorder("table", lambda *a, **k: TableData(["a"], [[1]])))
    mp.setattr(ex, "explore_check", recorder("explore", lambda *a, **k: pytest.fail("explored")))
    mp.setattr(cat, "docs_catalogue", recorder("catalogue", lambda: "catalogue\n"))
    yield w
    mp.undo()
    if os.environ.get("W2S_FUZZ_STATS"):
        with open(os.environ["W2S_FUZZ_STATS"], "w") as f:
            json.dump(STATS, f, indent=1, sort_keys=True)


# -- faults ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fault:
    """What one case injects: ``args`` (after the subcommand), ``pre`` (global, before it),
    ``env`` (variables set for the case), the strings of which one the message must contain,
    the option groups it touches (no valid extra of those is drawn), and whether it can only
    show at write time (``after_run``)."""

    kind: str
    args: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    pre: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    groups: frozenset[str] = frozenset()
    after_run: bool = False


def _is_int(t: str) -> bool:
    try:
        int(t)
    except ValueError:
        return False
    return True


def _is_float(t: str) -> bool:
    try:
        float(t)
    except ValueError:
        return False
    return True


_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=0, max_size=12)
_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=10)


def bad_int(flag: str, low: int, high: int, group: str) -> st.SearchStrategy[Fault]:
    """``--flag=V`` with V outside [low, high] or not an integer."""
    values = st.one_of(st.integers(max_value=low - 1).map(str), st.integers(min_value=high + 1).map(str),
                       st.sampled_from(["", "x", "1.5", "1e3", "0x10", "nan", "inf", "--", "½", "1 2"]),
                       _TEXT.filter(lambda t: not _is_int(t)))
    return values.map(lambda v: Fault(f"{flag} bad int", (f"{flag}={v}",), (flag,), groups=frozenset({group})))


def bad_float(flag: str, group: str, zero_ok: bool) -> st.SearchStrategy[Fault]:
    """``--flag=V`` with V negative (or zero), NaN, or not a number."""
    neg = st.floats(max_value=0.0 if not zero_ok else -1e-300, allow_nan=False).map(repr)
    values = st.one_of(neg, st.sampled_from(["nan", "-inf", "", "x", "1,5"]), _TEXT.filter(lambda t: not _is_float(t)))
    return values.map(lambda v: Fault(f"{flag} bad number", (f"{flag}={v}",), (flag,), groups=frozenset({group})))


def bad_choice(flag: str, choices: tuple[str, ...], group: str) -> st.SearchStrategy[Fault]:
    return _TEXT.filter(lambda t: t not in choices).map(
        lambda v: Fault(f"{flag} bad choice", (f"{flag}={v}",), (flag,), groups=frozenset({group})))


def bad_path(w: World, flag: str, group: str, *, ledger: bool = False, suffix: str = ".json") -> st.SearchStrategy[Fault]:
    """Every kind of unusable output path (and, for the ledger, files that are not a w2s ledger)."""
    r = w.root
    paths = ["", w.adir, w.adir + "/", os.path.join(w.afile, "x" + suffix), os.path.join(r, "n" * 300 + suffix),
             os.path.join(r, "d/" * 2100) + "x" + suffix, os.path.join(r, "a" * 200, "b" * 200, "c" * 300)]
    if ledger:
        paths += [w.foreign, w.notadb, "/dev/null"]
    else:
        paths += [os.path.join(r, "no_such_dir", "x" + suffix)]
    groups = frozenset({group, "noledger"} if ledger else {group})  # --no-ledger would make --ledger moot
    return st.sampled_from(paths).map(lambda p: Fault(f"{flag} bad path", (f"{flag}={p}",), (flag,), groups=groups))


def bad_dir(w: World, flag: str, group: str) -> st.SearchStrategy[Fault]:
    """Unusable directory paths (--db): empty, a file, under a file, too long."""
    r = w.root
    paths = ["", w.afile, os.path.join(w.afile, "db"), os.path.join(r, "n" * 300), os.path.join(r, "d/" * 2100)]
    return st.sampled_from(paths).map(lambda p: Fault(f"{flag} bad dir", (f"{flag}={p}",), (flag,),
                                                      groups=frozenset({group})))


def env_ledger(w: World) -> st.SearchStrategy[Fault]:
    return st.sampled_from([w.foreign, w.notadb, w.adir, "/dev/null"]).map(
        lambda p: Fault("$W2S_LEDGER bad", (), ("$W2S_LEDGER",), env=(("W2S_LEDGER", p),),
                        groups=frozenset({"ledger", "noledger"})))


def bad_plugin() -> st.SearchStrategy[Fault]:
    bad_names = st.one_of(st.sampled_from(["", ".", "..x", "a..b", "1x", "a-b", "x.", ".x", " ", "a b", "os/path"]),
                          _TEXT.filter(lambda t: not (t and all(p.isidentifier() for p in t.split(".")))))
    missing = _WORD.map(lambda t: "w2s_fuzz_missing_" + t)  # a valid name no module has
    return st.one_of(bad_names, missing).map(lambda n: Fault("--plugin bad", pre=(f"--plugin={n}",),
                                                                names=("--plugin",)))


_ID_TEXT = st.text("abcdefghijklmnopqrstuvwxyz0123456789._*?[]-", min_size=0, max_size=12)


def bad_claim_id() -> st.SearchStrategy[Fault]:
    return _ID_TEXT.map(lambda t: Fault("claim id unknown", ("nosuch." + t,), ("claim",)))


def bad_table_name() -> st.SearchStrategy[Fault]:
    return _ID_TEXT.map(lambda t: Fault("table name unknown", ("nosuch_" + t,), ("unknown table",)))


def bad_scheduler() -> st.SearchStrategy[Fault]:
    addresses = st.one_of(
        st.sampled_from(["notaurl", "", "tcp://", "tcp://host", "tcp://:8786", "http://host:8786", "host:port",
                         "tcp://host:8786/path", "tcp://ho st:1", "[::1]", "tcp://[zz]:1"]),
        st.integers(min_value=65536, max_value=10**9).map(lambda p: f"tcp://127.0.0.1:{p}"),
        st.just("tcp://127.0.0.1:0"),
        _TEXT.filter(lambda t: ":" not in t))
    dask = addresses.map(lambda a: Fault("--scheduler bad", ("--executor=dask", f"--scheduler={a}"),
                                          ("--scheduler",), groups=frozenset({"executor"})))
    no_dask = st.just(Fault("--scheduler without dask", ("--scheduler=tcp://127.0.0.1:8786",), ("--scheduler",),
                            groups=frozenset({"executor"})))
    env = addresses.filter(lambda a: a != "").map(
        lambda a: Fault("$DASK_SCHEDULER_ADDRESS bad", ("--executor=dask",), ("$DASK_SCHEDULER_ADDRESS",),
                        env=(("DASK_SCHEDULER_ADDRESS", a),), groups=frozenset({"executor"})))
    return st.one_of(dask, no_dask, env)


def unknown_option() -> st.SearchStrategy[Fault]:
    return _WORD.map(lambda t: Fault("unknown option", (f"--zz-{t}",), (f"--zz-{t}",)))


def full_disk(flag: str, group: str) -> st.SearchStrategy[Fault]:
    if not os.path.exists("/dev/full"):
        return st.nothing()
    return st.just(Fault(f"{flag} full disk", (f"{flag}=/dev/full",), (flag,), groups=frozenset({group}),
                         after_run=True))




# -- subcommands: a valid base, valid extras, the faults that apply ---------------------------------------------
def _runs_opts(w: World) -> dict[str, list[tuple[str, ...]]]:
    """Valid optional arguments by group (a case draws at most one per group)."""
    return {"profile": [("--profile=fast",), ("--profile=full",)], "backend": [("--backend=numpy",)],
            "seed": [("--seed=0",), ("--seed=7",), (f"--seed={SEED_MAX - 5}",)],
            "ledger": [(f"--ledger={w.ledger}",)]}


def specs(w: World) -> dict[str, tuple[tuple[str, ...], dict, list[st.SearchStrategy[Fault]]]]:
    out_json = os.path.join(w.root, "ok.json")
    run_opts = _runs_opts(w)
    sweep_extras = {**run_opts, "executor": [("--executor=inprocess",), ("--executor=process", "--workers=2")],
                    "batch": [("--batch-size=3",)], "rerun": [("--rerun",)], "replicas": [("--replicas=2",)]}
    sweep_faults = [bad_int("--workers", 1, 1024, "executor"), bad_int("--batch-size", 1, 10**6, "batch"),
                    bad_int("--replicas", 1, 10**4, "replicas"), bad_scheduler(),
                    bad_choice("--executor", ("inprocess", "process", "dask"), "executor"),
                    bad_path(w, "--ledger", "ledger", ledger=True), env_ledger(w)]
    from numerics import BACKENDS

    run_faults = [bad_int("--seed", 0, SEED_MAX, "seed"), bad_choice("--profile", ("fast", "full"), "profile"),
                  bad_choice("--backend", (*BACKENDS, "all"), "backend"),
                  bad_choice("--device", ("cpu", "cuda"), "device")]
    return {
        "list": (("list",), {}, [bad_claim_id()]),
        "show": (("show", CLAIM), {}, [bad_claim_id()]),
        "verify": (("verify", CLAIM), {**run_opts, "ledger": [(f"--ledger={w.ledger}",), ("--no-ledger",)], "json": [(f"--json={out_json}",)], "quiet": [("-q",)],
                                       "strict": [("--strict",)], "verbose": [("-v",)],
                                       "seeds": [("--seeds=2",), ("--seed-range=3:4",)],
                                       "executor": [("--executor=inprocess",)]},
                   [*run_faults, bad_claim_id(), bad_path(w, "--json", "json"),
                    bad_int("--workers", 1, 1024, "executor"), bad_scheduler(),
                    bad_choice("--executor", ("inprocess", "process", "dask"), "executor"),
                    bad_path(w, "--ledger", "ledger", ledger=True),
                    st.just(Fault("--seeds past the last seed", (f"--seed={SEED_MAX}", "--seeds=2"), ("--seeds",),
                                  groups=frozenset({"seed", "seeds"}))),
                    st.just(Fault("--ledger with --no-ledger", (f"--ledger={w.ledger}", "--no-ledger"),
                                  ("--ledger",), groups=frozenset({"ledger", "noledger"}))),
                    env_ledger(w), bad_int("--seeds", 1, 10**4, "seeds"), full_disk("--json", "json"),
                    st.sampled_from(["", "1", "a:b", "5:3", "-1:2", f"0:{SEED_MAX + 1}", "0:99999999", "1:2:3"]).map(
                        lambda v: Fault("--seed-range bad", (f"--seed-range={v}",), ("--seed-range",),
                                        groups=frozenset({"seeds"}))),
                    st.just(Fault("--seeds with --seed-range", ("--seeds=2", "--seed-range=1:2"),
                                  ("--seeds", "--seed-range"), groups=frozenset({"seeds"}))),
                    st.just(Fault("--json is the ledger", (f"--json={w.ledger}", f"--ledger={w.ledger}"),
                                  ("--ledger", "--json"), groups=frozenset({"json", "ledger", "noledger"})))]),
        "table": (("table", TABLE), {**sweep_extras, "format": [("--format=md",), ("--format=csv",)],
                                     "out": [(f"--out={os.path.join(w.root, 'ok.md')}",)]},
                  [*run_faults, *sweep_faults, bad_table_name(), bad_path(w, "--out", "out", suffix=".md"),
                   bad_path(w, "--figure", "figure", suffix=".png"), full_disk("--out", "out"),
                   bad_choice("--format", ("md", "latex", "csv"), "format"),
                   st.sampled_from([".jpg", ".xyz", ".png.txt"]).map(lambda s: Fault(
                       "--figure bad suffix", (f"--figure={os.path.join(w.root, 'f' + s)}",), ("--figure",),
                       groups=frozenset({"figure"}))),
                   st.just(Fault("--standalone without latex", ("--standalone", "--format=md"), ("--standalone",),
                                 groups=frozenset({"format"})))]),
        "figure": (("figure", TABLE, f"--out={os.path.join(w.root, 'ok.png')}"), sweep_extras,
                   [*run_faults, *sweep_faults, bad_table_name(),
                    st.sampled_from(["", ".jpg", ".md", "/"]).map(lambda s: Fault(
                        "--out bad figure path", (f"--out={os.path.join(w.root, 'f') + s if s else ''}",), ("--out",),
                        groups=frozenset({"out"})))]),
        "runs": (("runs",), {"ledger": [(f"--ledger={w.ledger}",)], "kind": [("--kind=verify",), ("--kind=table",)]},
                 [bad_int("--limit", 1, 10**6, "limit"), bad_choice("--kind", ("verify", "table"), "kind"),
                  bad_path(w, "--ledger", "ledger", ledger=True), env_ledger(w)]),
        "report": (("report",), {"ledger": [(f"--ledger={w.ledger}",)], "format": [("--format=csv",), ("--format=md",)]},
                   [bad_path(w, "--out", "out", suffix=".md"), bad_path(w, "--ledger", "ledger", ledger=True),
                    env_ledger(w), full_disk("--out", "out"), bad_float("--rtol", "rtol", zero_ok=True),
                    bad_choice("--format", ("md", "latex", "csv"), "format"),
                    _WORD.map(lambda t: Fault("run id unknown", ("nosuch" + t,), ("run 'nosuch",))),
                    _WORD.map(lambda t: Fault("--compare run unknown", ("--compare", "nosuch" + t, "latest"),
                                              ("run 'nosuch",), groups=frozenset({"format"}))),
                    st.just(Fault("--compare on a table run", ("--compare", w.table_run[0], "latest", "--rtol=0"),
                                  ("is a table run",), groups=frozenset({"format"}))),
                    st.just(Fault("--compare previous missing", ("--compare", "latest", "previous",
                                                                 f"--ledger={w.one_run}"),
                                  ("run 'previous'",), groups=frozenset({"format", "ledger"}))),
                    st.just(Fault("--compare with --format", ("--compare", "latest", "latest", "--format=csv"),
                                  ("--format",), groups=frozenset({"format"}))),
                    st.just(Fault("--rtol without --compare", ("--rtol=0.5",), ("--rtol",),
                                  groups=frozenset({"rtol"}))),
                    st.just(Fault("--compare with --out", ("--compare", "latest", "latest",
                                                            f"--out={os.path.join(w.root, 'r.md')}"), ("--out",),
                                  groups=frozenset({"format", "out"})))]),
        "catalogue": (("catalogue",), {}, [bad_path(w, "--out", "out", suffix=".md"), full_disk("--out", "out")]),
        "eval": (("eval", CLAIM), {"json": [("--json",)], "seed": [("--seed=3",)]},
                 [bad_int("--seed", 0, SEED_MAX, "seed"), bad_claim_id(),
                  st.sampled_from(["m", "=3", "m=", " = "]).map(lambda a: Fault("KEY=VALUE bad", (a,), ("KEY=VALUE",))),
                  _WORD.map(lambda k: Fault("KEY unknown", (f"zz{k}=1",), (f"zz{k}",))),
                  _TEXT.filter(lambda t: t.strip() and "=" not in t and not _is_float(t.strip())).map(
                      lambda v: Fault("VALUE not a number", (f"m={v}",), ("m=",))),
                  st.just(Fault("KEY twice", ("m=1", "m=2"), ("'m'",)))]),
        "explore": (("explore", CLAIM), {"seed": [("--seed=5",)], "fresh": [("--fresh",)],
                                         "db": [(f"--db={os.path.join(w.root, 'db')}",)]},
                    [bad_int("--seed", 0, SEED_MAX, "seed"), bad_int("--examples", 1, 10**7, "examples"),
                     bad_claim_id(), bad_float("--seconds", "seconds", zero_ok=False), bad_dir(w, "--db", "db"),
                     _WORD.map(lambda c: Fault("--check unknown", (f"--check=zz{c}",), ("--check",)))]),
    }


_POSITIONAL_FAULTS = {"claim id unknown", "table name unknown"}


@st.composite
def cases(draw, w: World):
    table = specs(w)
    cmd = draw(st.sampled_from(sorted(table)))
    base, extras, faults = table[cmd]
    fault = draw(st.one_of(*faults, bad_plugin(), unknown_option()))
    if fault.kind in _POSITIONAL_FAULTS:  # replaces the valid id (or is the pattern of `list`)
        base = (base[0], *fault.args, *base[2:])
        fault_args: tuple[str, ...] = ()
    else:
        fault_args = fault.args
    opts = [draw(st.sampled_from(v)) for g, v in sorted(extras.items())
            if g not in fault.groups and draw(st.booleans())]
    words = [a for o in opts for a in o]
    rest = [words[i] for i in draw(st.permutations(range(len(words))))]
    at = draw(st.integers(0, len(rest)))  # the fault's words stay together and in order (nargs=2, KEY twice)
    rest[at:at] = fault_args
    return cmd, fault, [*fault.pre, *base, *rest]


def _tally(fault: Fault, key: str) -> None:
    STATS[key] += 1
    STATS["by_fault"].setdefault(fault.kind, {}).setdefault(key, 0)
    STATS["by_fault"][fault.kind][key] += 1


def test_every_injected_fault_is_one_line_exit_2(world):
    @settings(max_examples=NIGHTLY_CASES if NIGHTLY else CI_CASES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(cases(world))
    def check(case):
        cmd, fault, argv = case
        note(f"argv={argv!r} env={fault.env!r}")
        world.calls.clear()
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            for k, v in fault.env:
                mp.setenv(k, v)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(argv)
                except SystemExit as e:  # argparse must never exit by itself
                    code = ("SystemExit", e.code)
        o, e = out.getvalue(), err.getvalue()
        STATS["cases"] += 1
        STATS["by_fault"].setdefault(fault.kind, {}).setdefault("cases", 0)
        STATS["by_fault"][fault.kind]["cases"] += 1
        lines = e.strip().splitlines()
        if "Traceback" in o + e or "internal error" in e:
            _tally(fault, "tracebacks")
        if code != 2:
            _tally(fault, "accepted")
        if len(lines) != 1:
            _tally(fault, "not_one_line")
        elif not any(n in lines[0] for n in fault.names):
            _tally(fault, "unnamed")
        if world.calls and not fault.after_run:
            _tally(fault, "ran_first")
        assert "Traceback" not in o + e and "internal error" not in e, e
        assert code == 2, (code, o[-500:], e)
        assert len(lines) == 1, e
        assert lines[0].startswith("w2s: error: "), lines[0]
        assert any(n in lines[0] for n in fault.names), (fault.names, lines[0])
        assert fault.after_run or not world.calls, f"{world.calls} ran before the fault was reported"

    check()

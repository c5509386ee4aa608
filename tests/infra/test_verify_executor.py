"""``w2s verify --executor process|dask``: the same report as in process, timings aside
(issue 12 §3); longest-first scheduling; one-line usage errors."""
from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from _infra_fixtures import ledger_path  # noqa: F401
from proofs_checks import cli
from proofs_checks._parallel import estimate_costs, run_claim_job, schedule
from proofs_checks._registry import get

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: Cheap claims with symbolic, numeric (numpy/numba/torch backends), property and rate checks.
CLAIMS = ["wspo.tilt", "refine.lambda0", "wspo.loss"]
TIMING = {"seconds", "timestamp", "command"}


def _strip(x):
    """The report without its timings (and the command line, which names the executor)."""
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k not in TIMING}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def _table(text: str) -> str:
    """Printed output without borders, padding, the seconds column and the total time."""
    lines = []
    for line in text.splitlines():
        if line and set(line) <= set("┏┓┗┛┡┩└┘┳┻╇━─┬┴┼ "):
            continue
        cells = [c.strip() for c in re.split("[│┃]", line)]
        lines.append(" | ".join(c for c in cells if not re.fullmatch(r"\d+\.\d", c)))
    text = "\n".join(lines)
    text = re.sub(r" in \d+\.\d+s", " in _s", text)
    return re.sub(r"report written to \S+", "report written", text)


def _verify(tmp_path, name: str, argv: list[str]) -> tuple[str, str]:
    """(the JSON report without timings, the printed output with its seconds masked)."""
    out, buf = tmp_path / f"{name}.json", io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = cli.main(["verify", *CLAIMS, "--profile", "fast", "-q", "--no-ledger", "--json", str(out), *argv])
    assert rc == 0, buf.getvalue()
    # key order matters for byte identity: compare the text, keys unsorted
    return json.dumps(_strip(json.loads(out.read_text())), ensure_ascii=False), _table(buf.getvalue())


@pytest.fixture(scope="module")
def inprocess(tmp_path_factory):
    """The reference: the claims one after another in this process."""
    return _verify(tmp_path_factory.mktemp("inprocess"), "one", [])


def _names(report_text: str) -> list[str]:
    return [c["id"] for c in json.loads(report_text)["claims"]]


def test_process_pool_report_equals_inprocess(inprocess, tmp_path):
    got = _verify(tmp_path, "process", ["--executor", "process", "--workers", "2"])
    assert _names(got[0]) == sorted(CLAIMS)  # registry order, not the longest-first run order
    assert got[0] == inprocess[0]
    assert got[1] == inprocess[1]


def test_dask_localcluster_report_equals_inprocess(inprocess, tmp_path, monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    assert _verify(tmp_path, "dask", ["--executor", "dask", "--workers", "2"]) == inprocess


def test_several_seeds_on_a_pool_equal_inprocess():
    """``--seeds``: every (claim, seed) pair is a job; the seeds section and the first seed's
    results are those of the in-process run (API path; one pool for both seeds)."""
    from numerics.sweep import LocalPool
    from proofs_checks import RunContext
    from proofs_checks._runner import verify_seeds

    claims = [get(c) for c in sorted(CLAIMS[:2])]
    ctx = RunContext.from_cli(profile="fast", backend="numpy", seed=3)
    ref = verify_seeds(claims, ctx, [3, 4])
    pool = LocalPool(2)
    try:
        got = verify_seeds(claims, ctx, [3, 4], executor=pool)
    finally:
        pool.close()
    text = [json.dumps(_strip(r.to_json()), ensure_ascii=False) for r in (ref, got)]
    assert text[0] == text[1]
    assert got.seeds["seeds"] == [3, 4] and [r.claim.id for r in got.results] == [c.id for c in claims]
    # the comparison has teeth: the stripped report depends on the root seed
    from proofs_checks._runner import verify

    at4 = verify(claims, ctx.with_(seed=4))
    assert json.dumps(_strip(at4.to_json())["claims"]) != json.dumps(_strip(ref.to_json())["claims"])


@pytest.mark.parametrize("argv, msg", [
    (["--executor", "process", "--workers", "0"], "--workers '0' is invalid: allowed an integer in [1, 1,024]"),
    (["--workers", "2"], "--workers 2 needs --executor process or dask"),
    (["--executor", "process", "--scheduler", "tcp://127.0.0.1:1"], "needs --executor dask"),
    (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "with --scheduler"),
    (["--executor", "spark"], "invalid choice"),
])
def test_bad_executor_options_are_one_line_usage_errors(argv, msg, capsys):
    assert cli.main(["verify", "wspo.loss", "-q", "--no-ledger", *argv]) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1 and "Traceback" not in err


def test_unreachable_scheduler_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setenv("W2S_DASK_CONNECT_TIMEOUT", "1")
    assert cli.main(["verify", "wspo.loss", "-q", "--no-ledger", "--executor", "dask",
                     "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "scheduler" in err and err.count("\n") == 1


def test_longest_first_schedule_keeps_registry_order_for_ties():
    claims = [get(c) for c in sorted(CLAIMS)]
    costs = {claims[0].id: 1.0, claims[1].id: 5.0, claims[2].id: 1.0}
    order = schedule(claims, [7, 8], costs)
    assert order[:2] == [(1, 7), (1, 8)]
    assert order[2:] == [(0, 7), (2, 7), (0, 8), (2, 8)]


def test_costs_prefer_the_ledger_then_the_static_table():
    claims = [get(c) for c in sorted(CLAIMS)]
    c = estimate_costs(claims, "fast", history={claims[0].id: 123.0})
    assert c[claims[0].id] == 123.0
    assert all(v > 0 for v in c.values()) and set(c) == {x.id for x in claims}


def test_previous_run_timings_come_from_the_ledger(ledger_path, capsys):  # noqa: F811
    from proofs_checks._ledger import Ledger

    assert cli.main(["verify", "wspo.loss", "-q", "--backend", "numpy"]) == 0
    with Ledger(ledger_path) as led:
        fast = led.claim_seconds("fast")
        assert set(fast) == {"wspo.loss"} and fast["wspo.loss"] > 0
        assert led.claim_seconds("full") == {}


def test_a_claim_the_worker_cannot_load_is_an_error_result():
    out = run_claim_job({"claim": "no.such_claim", "profile": "fast", "backends": ["numpy"], "device": "cpu",
                         "property_examples": 0, "counterexample_examples": 0, "extra": {}, "kinds": None,
                         "plugins": [], "threads": {}}, 1)
    assert "unknown claim id 'no.such_claim'" in out["error"]


def _examples(ctx) -> list[tuple]:
    """Every example a 200-example search over x in [0, 1], n in 0..1000 draws."""
    from types import SimpleNamespace

    from proofs_checks import Domain, Param
    from proofs_checks._checks import _search

    seen: list[tuple] = []

    def margin(p):
        seen.append((p["x"], p["n"]))
        return 1.0

    check = SimpleNamespace(name="literals", margin=margin)
    domain = Domain((Param("x", float, 0.0, 1.0), Param("n", int, 0, 1000)))
    _search(check, domain, ctx, SimpleNamespace(id="infra.literals"), 200, True, lambda p: 0.0)
    return seen


def test_search_examples_do_not_depend_on_loaded_modules(tmp_path, monkeypatch):
    """Hypothesis also draws literals of every loaded module outside site-packages; the engine
    switches that off, so importing a module full of literals (as a claim that ran earlier on
    the same worker might) leaves a search's examples unchanged."""
    import importlib
    import sys

    from proofs_checks import RunContext

    ctx = RunContext(profile="fast", seed=11)
    before = _examples(ctx)
    lits = [f"{k / 397:.17g}" for k in range(1, 397)] + [str(k) for k in range(100, 1000, 9)]  # < 1024 literals
    (tmp_path / "w2s_many_literals.py").write_text("VALUES = (" + ", ".join(lits) + ")\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("w2s_many_literals")
    try:
        after = _examples(ctx)
    finally:
        sys.modules.pop("w2s_many_literals", None)
    assert len(before) == len(after) == 200
    assert before == after

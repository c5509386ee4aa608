"""``w2s verify --seeds N`` / ``--seed-range A:B`` (issue 9 §1)."""
from __future__ import annotations

import json

import pytest

from proofs_checks import cli


def _run(argv):
    return cli.main(["verify", "wspo.loss", "--profile", "fast", "--backend", "numpy", "-q", "--no-ledger", *argv])


def test_seeds_section_in_json(tmp_path):
    out = tmp_path / "r.json"
    assert _run(["--seed", "7", "--seeds", "2", "--json", str(out)]) == 0
    d = json.loads(out.read_text())
    sc = d["seeds"]["claims"]["wspo.loss"]
    assert d["seeds"]["seeds"] == [7, 8] and set(sc["statuses"]) == {"7", "8"}
    assert sc["failures"] == 0 and sc["n"] == 2 and sc["unstable"] is False
    assert 0 < sc["ci95"][1] < 1 and d["claims"][0]["unstable"] is False


def test_seed_range_inclusive(tmp_path):
    out = tmp_path / "r.json"
    assert _run(["--seed-range", "3:5", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["seeds"]["seeds"] == [3, 4, 5]


def test_single_seed_report_has_no_seeds_section(tmp_path):
    out = tmp_path / "r.json"
    assert _run(["--json", str(out)]) == 0
    d = json.loads(out.read_text())
    assert "seeds" not in d and "unstable" not in d["claims"][0]
    assert d["environment"]["false_alarm"]["suite"] == 1e-3


@pytest.mark.parametrize("argv", [["--seeds", "0"], ["--seed-range", "5:3"], ["--seed-range", "x"],
                                  ["--seeds", "2", "--seed-range", "1:2"]])
def test_bad_seed_options_exit_2(argv, capsys):
    assert _run(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_failure_at_one_seed_is_unstable_and_exits_1(monkeypatch):
    from proofs_checks import _report
    from proofs_checks._runner import verify as real_verify

    def flaky(claims, ctx, on_check=None, kinds=None):
        rep = real_verify(claims, ctx, on_check, kinds)
        if ctx.seed == 2:
            for r in rep.results:
                for c in r.checks:
                    c.status = "failed"
        return rep
    monkeypatch.setattr("proofs_checks._runner.verify", flaky)
    from proofs_checks._runner import verify_seeds
    from proofs_checks import RunContext, select

    rep = verify_seeds(select(["wspo.loss"]), RunContext(seed=1), [1, 2, 3])
    assert rep.unstable("wspo.loss") and rep.failed
    assert rep.seeds["claims"]["wspo.loss"]["failures"] == 1
    assert rep.results[0].status == "passed"  # the first seed's report is unchanged
    assert _report.INCONCLUSIVE == "inconclusive"

"""`w2s explore`: a steered Hypothesis search that finds the worst violation, prints the
shrunk example and margin, and resumes from its saved example database (issue 6 item 4)."""
from __future__ import annotations

import math

import pytest
import sympy as sp

from proofs_checks import (Citation, Claim, CounterexampleCheck, Domain, Param, PropertyCheck, RunContext,
                           SymbolicCheck, Outcome, UsageError)
from proofs_checks._explore import explore
from proofs_checks.cli import main


def _claim(prop_margin=None) -> Claim:
    """x² >= 0 on [-10, 10]; dropping 'real x' (x² -> -x² on the violating domain)
    violates it by up to 100 at |x| = 10."""
    return Claim(
        id="infra.square", spec_id="INFRA-SQ", title="squares are non-negative",
        citation=Citation("p", "0000.00000", "eq. 1"), provenance="DERIVED",
        statement=lambda: sp.Ge(sp.Symbol("x") ** 2, 0),
        domain=Domain((Param("x", float, -10.0, 10.0),)),
        checks=(SymbolicCheck("s", prove=lambda: Outcome(True, "ok")),
                PropertyCheck("nonneg", margin=prop_margin or (lambda p: p["x"] ** 2)),
                CounterexampleCheck("imaginary", margin=lambda p: -p["x"] ** 2,
                                    domain=Domain((Param("x", float, -10.0, 10.0),)),
                                    dropped="x real", min_violation=1.0)))


def test_explore_steers_to_the_worst_violation_and_resumes(tmp_path):
    ctx = RunContext()
    (res,) = explore(_claim(), ctx, examples=400, check="imaginary", db_dir=tmp_path)
    assert res.violated and res.session == 1 and res.resumed_from is None
    assert res.worst_margin <= -99.0  # target() reached the corner |x| = 10 (margin -100)
    assert res.violation["margin"] <= -1.0 and res.rounds >= 2  # deepened past the first level
    text = res.text()
    assert "violation, shrunk example (simplest at the deepest level): {x=" in text
    assert "worst margin reached (any example, before shrinking): -" in text
    assert "worst violation" not in text  # the shrunk example is not the worst margin: labelled apart (issue 12)
    assert (tmp_path / "hypothesis").is_dir() and any((tmp_path / "hypothesis").rglob("*"))
    (again,) = explore(_claim(), ctx, examples=100, check="imaginary", db_dir=tmp_path)
    assert again.session == 2 and again.resumed_from == pytest.approx(res.worst_margin)
    assert again.worst_margin <= res.worst_margin  # resumed, never forgets the level reached
    assert "resumed: previous sessions reached margin" in again.text()
    (fresh,) = explore(_claim(), ctx, examples=50, check="imaginary", db_dir=tmp_path, fresh=True)
    assert fresh.session == 1


def test_explore_holds_and_reports_a_false_property(tmp_path):
    ctx = RunContext()
    (ok,) = explore(_claim(), ctx, examples=200, check="nonneg", db_dir=tmp_path)
    assert not ok.violated and ok.worst_margin >= 0 and "no violation found" in ok.text()
    bad = _claim(prop_margin=lambda p: p["x"] ** 2 - 4.0)  # false for |x| < 2
    (res,) = explore(bad, ctx, examples=300, check="nonneg", db_dir=tmp_path / "b")
    assert res.violated and res.worst_margin == pytest.approx(-4.0, abs=1e-3)
    assert "THE CLAIM IS VIOLATED" in res.text()


def test_explore_time_budget_and_nan(tmp_path):
    c = _claim(prop_margin=lambda p: math.nan if p["x"] > 5 else 1.0)
    (res,) = explore(c, RunContext(), examples=10_000, seconds=5, check="nonneg", db_dir=tmp_path)
    assert res.violated and math.isnan(res.violation["margin"])
    (slow,) = explore(_claim(), RunContext(), examples=10**6, seconds=0.5, check="nonneg", db_dir=tmp_path / "s")
    assert slow.examples < 10**6 and "time budget" in slow.text()


def test_explore_cli(tmp_path, monkeypatch, capsys):
    from proofs_checks import _registry

    monkeypatch.setitem(_registry._CLAIMS, "infra.square", _claim())
    assert main(["explore", "infra.square", "--examples", "200", "--db", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "[property:nonneg]" in out and "[counterexample:imaginary]" in out and "shrunk example" in out
    assert main(["explore", "infra.square", "--check", "nope", "--db", str(tmp_path)]) == 2
    assert "allowed one of nonneg, imaginary" in capsys.readouterr().err
    assert main(["explore", "infra.square", "--examples", "0"]) == 2
    with pytest.raises(UsageError):
        explore(_claim(), RunContext(), check="s")

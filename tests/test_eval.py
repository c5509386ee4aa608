"""``w2s eval ID key=value …`` (issue 12 §5): statement sides and margin at user parameters, the
MISFIT-6 closed form against the numpy simulation, and one-line errors for bad parameters."""
from __future__ import annotations

import dataclasses
import json

import pytest

from proofs_checks import get
from proofs_checks.cli import main


def _json(capsys, argv):
    assert main(argv + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_erm_gap_law_closed_form_inside_the_simulated_ci(seed, capsys):
    """At every root seed tried (CI at the per-check false alarm 5e-6: a miss is a real failure)."""
    r = _json(capsys, ["eval", "misfit.erm_gap_law", "p=5", "s=2", "n=40"]
              + ([] if seed is None else ["--seed", str(seed)]))
    closed = -2 * 2**2 * 5 / (40 - 5 - 1)  # spec MISFIT-6: E gap_n = −2 s² p / (n − p − 1)
    assert r["sides"]["rhs"]["value"] == pytest.approx(closed, rel=1e-12)
    assert r["sides"]["lhs"]["free"] == ["E[gap_n]"]  # the quantity the law is about
    sim = r["simulation"]
    assert sim["closed_form"] == pytest.approx(closed, rel=1e-12)
    assert sim["low"] <= closed <= sim["high"] and sim["contains_closed_form"] is True
    assert sim["low"] < sim["mean"] < sim["high"] and sim["high"] - sim["low"] < 0.2 * abs(closed)
    assert sim["level"] > 0.99 and sim["reps"] >= 1000
    assert set(r["not_in_statement"]) >= {"seed", "reps", "delta"}


def test_erm_gap_law_text_output(capsys):
    assert main(["eval", "misfit.erm_gap_law", "p=5", "s=2", "n=40"]) == 0
    out = capsys.readouterr().out
    assert "closed form" in out and "-1.17647" in out and "simulated E[gap_n]" in out and "CI [" in out


def test_a_wrong_closed_form_is_outside_the_ci():
    """Planted error: the statement's constant scaled by 1.1 (the hook reads it from the statement)."""
    import sympy as sp

    from proofs_checks._eval import evaluate

    c = get("misfit.erm_gap_law")
    stmt = c.statement()
    bad = dataclasses.replace(c, statement=lambda: sp.Eq(stmt.lhs, sp.Rational(11, 10) * stmt.rhs))
    sim = evaluate(bad, {"p": 5, "s": 2, "n": 40})["simulation"]
    assert sim["contains_closed_form"] is False


def test_claim_without_hook_gives_sides_and_margin(capsys):
    r = _json(capsys, ["eval", "wspo.rescaling", "A=1", "gamma=2", "delta=0.5"])
    # (Aγ − δ)² = γ²(A − δ/γ)²: both sides (2 − 0.5)² = 2.25, margin 0
    assert r["sides"]["lhs"]["value"] == pytest.approx(2.25)
    assert r["sides"]["rhs"]["value"] == pytest.approx(2.25)
    assert r["sides"]["margin"]["value"] == pytest.approx(0.0, abs=1e-12)
    assert r["simulation"] is None and "seed" in r["not_in_statement"]


@pytest.mark.parametrize("args, needle", [
    (["n=6", "p=5"], "n"),            # outside the domain (n >= 13)
    (["n=20", "p=19"], "n > p + 1"),  # the joint constraint
    (["n=40", "p=5", "s=-1"], "s"),   # the hook's noise scale must be > 0
    (["foo=1"], "foo"),
    (["n=abc"], "n"),
    (["n"], "KEY=VALUE"),
    (["n=40", "n=41"], "twice"),
])
def test_bad_parameters_exit_2_with_one_line(args, needle, capsys):
    assert main(["eval", "misfit.erm_gap_law", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def test_domain_bounds_apply_to_statement_symbols(capsys):
    assert main(["eval", "wspo.rescaling", "A=1", "gamma=-2", "delta=0.5"]) == 2
    assert "gamma" in capsys.readouterr().err


def test_symbol_assumptions_are_checked():
    """A statement symbol that no domain names is validated by its SymPy assumptions."""
    import sympy as sp

    from proofs_checks._errors import ParameterError
    from proofs_checks._eval import _symbol_value

    s, k, x = sp.Symbol("s", positive=True), sp.Symbol("k", integer=True, nonnegative=True), sp.Symbol("x")
    assert _symbol_value(s, 2) == 2.0 and _symbol_value(k, 3.0) == 3 and _symbol_value(x, -1.5) == -1.5
    for sym, v in ((s, 0), (s, -1), (k, 1.5), (k, -2), (x, float("nan")), (x, "a")):
        with pytest.raises(ParameterError, match=str(sym)):
            _symbol_value(sym, v)


def test_unknown_claim_exits_2(capsys):
    assert main(["eval", "no.such_claim"]) == 2

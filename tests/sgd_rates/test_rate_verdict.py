"""The three-way literature-rate verdict (proofs_checks/claims/sgd/rate_verdict.py; issue 11 §4) and
the B1 check reading its exponent from the running claim's statement."""
from __future__ import annotations

import dataclasses

import numpy as np
import sympy as sp

from proofs_checks import get, run_check
from proofs_checks.claims.sgd.rate_verdict import Correction, exponent_from_statement, literature_verdict

X = np.array([64.0, 128, 256, 512, 1024])
CORR = Correction("d^(-1/2)", 0.5)


def _v(slope, rel_se, fa=5e-6):
    y = 3.0 * X**slope
    return literature_verdict(X, y, rel_se * y, 2.0, fa, 0.3, "synthetic", CORR, 64)


def test_contained_and_narrow_passes():
    out = _v(2.0, 0.01)
    assert out.passed and not out.inconclusive


def test_wrong_exponent_fails():
    out = _v(1.5, 0.01)
    assert not out.passed and not out.inconclusive and "wrong exponent" in out.detail


def test_not_reached_is_inconclusive_with_d_needed():
    out = _v(1.85, 0.005)
    assert out.inconclusive and out.data["d_needed"] > X.max()


def test_too_wide_is_inconclusive_with_runs_needed():
    out = _v(2.0, 0.3)
    assert out.inconclusive and out.data["runs_needed"] > 64


def test_exponent_from_statement_reads_the_log_factor():
    d = sp.Symbol("d", positive=True)
    assert exponent_from_statement(d**2, d) == 2.0
    assert exponent_from_statement(d * sp.log(d), d, sp.log(d)) == 1.0
    assert exponent_from_statement(d * sp.log(d) ** 2, d, sp.log(d)) == 1.0  # log power invisible to the limit
    assert exponent_from_statement(d**sp.Rational(3, 2) * sp.log(d), d, sp.log(d)) == 1.5


def test_b1_p2_fails_when_the_statement_is_perturbed(ctx):
    """Rewriting the p = 2 branch of the B1 statement to d^(3/2)·log d makes the p = 2 check fail."""
    claim = get("sgd.b1_weak_recovery")
    n, C, d, p = sp.Symbol("n_steps"), sp.Symbol("C", positive=True), sp.Symbol("d", positive=True), sp.Symbol("p")
    bad = dataclasses.replace(claim, statement=lambda: sp.Eq(n, sp.Piecewise(
        (C * d ** (p - 1), p >= 3), (C * d ** sp.Rational(3, 2) * sp.log(d), sp.Eq(p, 2)), (C * d, True))))
    check = next(c for c in bad.checks if c.name == "literature-slope-p2")
    assert run_check(check, claim, ctx).status == "passed"
    assert run_check(check, bad, ctx).status == "failed"

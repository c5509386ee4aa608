"""Planted errors that the infra checks must catch (quality tier): a job that ignores its
seed breaks the in-process/distributed identity; a ledger that drops a row breaks
table assembly; the example user claim made false fails each of its check kinds."""
from __future__ import annotations

import pytest

from _infra_fixtures import example_loaded, infra_tables, ledger_path  # noqa: F401
from numerics.sweep import Job, sweep
from proofs_checks import RunContext, UsageError

pytestmark = pytest.mark.quality


def test_unseeded_job_breaks_reproducibility():
    jobs = [Job("infra.bad", "_infra_jobs:unseeded", {"i": i}, i) for i in range(4)]
    assert [r.result["u"] for r in sweep(jobs)] != [r.result["u"] for r in sweep(jobs)]
    good = [Job("infra.ok", "_infra_jobs:slow_square", {"k": i}, i) for i in range(4)]
    assert [r.result for r in sweep(good)] == [r.result for r in sweep(good)]


def test_ledger_that_drops_a_row_is_caught(infra_tables, ledger_path, monkeypatch):
    from proofs_checks._ledger import Ledger
    from proofs_checks._tables import compute

    real = Ledger.record_batch
    monkeypatch.setattr(Ledger, "record_batch", lambda self, results, **kw: real(self, results[1:], **kw))
    with pytest.raises(UsageError, match="no result in the ledger"):
        compute(infra_tables["infra.demo"], RunContext(), batch_size=2)


def _example_claim():
    import my_claims
    from proofs_checks import get

    return my_claims, get("mine.am_gm")


def test_planted_false_statement_fails_symbolic_numeric_property(example_loaded, monkeypatch):
    """The example's statement made false ((a+b)/2 >= sqrt(ab) + 1/10, as with
    MY_CLAIMS_PLANT_ERROR=1): its symbolic, numeric and property checks must fail."""
    import sympy as sp

    from proofs_checks import verify_claim

    mod, claim = _example_claim()
    assert verify_claim(claim, RunContext()).status == "passed"
    monkeypatch.setattr(mod, "SHIFT", sp.Rational(1, 10))
    res = verify_claim(claim, RunContext())
    assert {x.kind: x.status for x in res.checks} == {
        "symbolic": "failed", "numeric": "failed", "property": "failed", "counterexample": "passed"}


def test_planted_wrong_violating_domain_fails_counterexample(example_loaded):
    """The counterexample search given a domain where the assumption still holds (a, b >= 0)
    must report that it found no violation."""
    import dataclasses

    from proofs_checks import Domain, Param, run_check

    _, claim = _example_claim()
    ce = next(x for x in claim.checks if x.kind == "counterexample")
    wrong = dataclasses.replace(ce, domain=Domain((Param("a", float, 0.0, 100.0), Param("b", float, 0.0, 100.0))))
    r = run_check(wrong, claim, RunContext())
    assert r.status == "failed" and "no violation found" in r.detail

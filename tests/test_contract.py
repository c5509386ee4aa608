"""One battery of generic checks over every registered claim (in the style of
scikit-learn's ``parametrize_with_checks``)."""
from __future__ import annotations

import math
import re

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings

from proofs_checks import CHECK_KINDS, ParameterError, Provenance
from proofs_checks._checks import INCONCLUSIVE, PASSED
from proofs_checks._claim import provenance_tags

from ._claims import CLAIM_IDS, CLAIMS, verified

SPEC_ID = re.compile(r"^(MISFIT|REFINE|WSPO|SGD)-[A-Z0-9]+[a-z]?$|^[A-Z][A-Z0-9]*-[A-Za-z0-9.]+$")
by_id = dict(zip(CLAIM_IDS, CLAIMS))
params = pytest.mark.parametrize("claim_id", CLAIM_IDS)


def test_registry_is_not_empty():
    assert len(CLAIMS) >= 1


@params
def test_metadata(claim_id):
    c = by_id[claim_id]
    assert SPEC_ID.match(c.spec_id), c.spec_id
    assert c.title.strip()
    assert c.citation.paper.strip() and c.citation.where.strip()
    assert re.fullmatch(r"\d{4}\.\d{4,5}", c.citation.arxiv), c.citation.arxiv
    assert c.provenance_tags, "provenance must name PAPER, CODE or DERIVED"
    for ch in c.checks:
        assert ch.kind in CHECK_KINDS
        if ch.provenance:
            assert provenance_tags(ch.provenance), f"check {ch.name}: bad provenance {ch.provenance!r}"


@params
def test_statement_is_sympy(claim_id):
    stmt = by_id[claim_id].statement()
    items = stmt if isinstance(stmt, (tuple, list)) else (stmt,)
    assert items and all(isinstance(s, sp.Basic) for s in items)
    sp.latex(stmt)  # renders for `w2s show`


@params
def test_at_least_two_check_kinds(claim_id):
    assert len(by_id[claim_id].check_kinds()) >= 2, by_id[claim_id].check_kinds()


@params
def test_domain_strategy_draws_valid_parameters(claim_id):
    dom = by_id[claim_id].domain
    if not dom.params:
        pytest.skip("claim has no scalar parameters")  # its checks carry their own domains

    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(dom.strategy())
    def draws(values):
        dom.validate(values)

    draws()


@params
def test_domain_rejects_out_of_range(claim_id):
    """Every bounded parameter: a value past its bound raises ParameterError naming it."""
    dom = by_id[claim_id].domain
    bounded = [p for p in dom.params if p.low is not None or p.high is not None]
    if not bounded:
        pytest.skip("no bounded parameter")
    base = {}
    for p in dom.params:
        lo = p.low if p.low is not None else (p.high - 1 if p.high is not None else 0)
        base[p.name] = p.default if p.default is not None else lo
    for p in bounded:
        bad = (p.low - 1 if p.kind is int else p.low - max(1.0, abs(p.low))) if p.low is not None else \
            (p.high + 1 if p.kind is int else p.high + max(1.0, abs(p.high)))
        with pytest.raises(ParameterError, match=re.escape(p.name)):
            dom.validate({**base, p.name: bad})
    with pytest.raises(ParameterError):
        dom.validate({**base, "no_such_parameter": 1})


@params
def test_checks_pass(claim_id, ctx):
    """Every symbolic, numeric, property and counterexample check passes or, where it lacks the power
    to decide at the fast profile, says so (status ``inconclusive``, which ``verify`` does not count as
    a failure without --strict); none fails or errors (rates: test_rates)."""
    res = verified(claim_id, ctx)
    bad = [f"{r.kind}:{r.name} {r.status}: {r.detail}" for r in res.checks if r.status not in (PASSED, INCONCLUSIVE)]
    assert not bad, "\n".join(bad)
    for r in res.checks:
        if r.status == INCONCLUSIVE:
            assert "inconclusive" in r.detail.lower(), f"{r.name}: an inconclusive check must say why: {r.detail}"


@params
def test_counterexamples_carry_examples(claim_id, ctx):
    res = verified(claim_id, ctx)
    cx = [r for r in res.checks if r.kind == "counterexample"]
    if not cx:
        pytest.skip("no counterexample check")
    for r in cx:
        assert r.example, f"{r.name}: the found counterexample must be reported"
        assert r.data.get("margin", 0) < 0 or math.isnan(r.data.get("margin", 0))


@params
def test_report_entry_is_serialisable(claim_id, ctx):
    import json

    entry = verified(claim_id, ctx).to_json()
    json.dumps(entry)
    assert entry["provenance"] == by_id[claim_id].provenance
    assert set(entry["checks"]) <= set(CHECK_KINDS)
    for v in entry["checks"].values():
        assert {"status", "detail", "seconds"} <= set(v)


def test_provenance_enum_is_closed():
    assert {p.value for p in Provenance} == {"PAPER", "CODE", "DERIVED"}


def test_statistical_checks_fit_the_suite_budget():
    """The suite false-alarm budget is split over at most MAX_STATISTICAL_CHECKS checks."""
    from numerics import MAX_STATISTICAL_CHECKS

    n = sum(1 for c in CLAIMS for ch in c.checks if ch.kind in ("numeric", "rate"))
    assert n <= MAX_STATISTICAL_CHECKS, f"{n} numeric+rate checks exceed the budget's {MAX_STATISTICAL_CHECKS}"

"""REFINE claims: the failure regimes are found with counterexamples in the dropped-assumption
region, provenance is as the spec tags it, and the three tables build (figure included)."""
from __future__ import annotations

import pytest

from proofs_checks import RunContext, get, select
from proofs_checks._checks import PASSED, run_check
from proofs_checks._tables import get_table, render

CTX = RunContext()

SPEC_PROVENANCE = {  # spec refinement.md §4 headings
    "REFINE-1": "DERIVED", "REFINE-2": "PAPER estimator family; DERIVED form",
    "REFINE-3": "PAPER qualitative; DERIVED explicit", "REFINE-4": "DERIVED", "REFINE-5": "PAPER qualitative; DERIVED",
    "REFINE-7": "DERIVED", "REFINE-8": "PAPER exponential decay; DERIVED bound", "REFINE-11": "DERIVED",
    "REFINE-12": "DERIVED", "REFINE-13": "PAPER hull assumption; DERIVED", "REFINE-15": "PAPER",
}


def test_every_spec_claim_is_registered():
    ids = {c.spec_id for c in select(["refine.*"])}
    assert ids == {f"REFINE-{i}" for i in range(1, 16)}


@pytest.mark.parametrize("spec_id", sorted(SPEC_PROVENANCE))
def test_provenance_as_spec_tags(spec_id):
    assert get(spec_id).provenance == SPEC_PROVENANCE[spec_id]


def test_code_claim_says_transcribed():
    c = get("REFINE-14")
    assert c.provenance.startswith("CODE") and "not recomputed" in c.provenance


@pytest.mark.parametrize(("claim_id", "check", "in_region"), [
    ("refine.floor", "kappa-above-1", lambda p: p["kappa"] > 1),
    ("refine.success_condition", "decay-fails-kappa-nonpositive", lambda p: p["kappa"] <= 0),
    ("refine.outside_hull", "naive-wins-outside-hull", lambda p: p["tau"] > 0),
])
def test_failure_regimes_are_found(claim_id, check, in_region):
    c = get(claim_id)
    ch = next(x for x in c.checks if x.name == check)
    r = run_check(ch, c, CTX)
    assert r.status == PASSED, r.detail
    assert r.example is not None and in_region(r.example)
    assert r.data["margin"] < -ch.min_violation


def test_tables_build_and_render(tmp_path):
    llm = get_table("refine.llm_results")
    assert "transcribed" in llm.provenance and "not recomputed" in llm.provenance
    d = llm.build(CTX)
    assert "not recomputed" in d.caption and len(d.rows) == 12
    assert "7.42, 1.78" in render(d, "md")
    rc = get_table("refine.risk_curves")
    d = rc.build(CTX)
    rc.figure(d, str(tmp_path / "risk.png"))
    assert (tmp_path / "risk.png").stat().st_size > 1000
    cx = get_table("refine.crossover").build(CTX)
    assert len(cx.rows) == 12 and "\\toprule" in render(cx, "latex")

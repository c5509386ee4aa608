"""Perturbed-statement battery over every registered claim (issue 9 §2)."""
from __future__ import annotations

import pytest
import sympy as sp

from proofs_checks._battery import perturbation_battery, perturbations

from ._claims import CLAIM_IDS, CLAIMS

by_id = dict(zip(CLAIM_IDS, CLAIMS))


def test_perturbations_change_the_statement():
    x, y = sp.symbols("x y", positive=True)
    ps = perturbations(sp.Le(x, 2 * y))
    assert len(ps) >= 3 and all(p != sp.Le(x, 2 * y) for p in ps.values())


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_perturbed_statement_is_caught(claim_id):
    r = perturbation_battery(by_id[claim_id])
    if r.exempt:
        pytest.skip(f"statement unchecked: {r.exempt}")
    assert r.passed, f"perturbations not caught by any check: {r.missed}"


def test_tuple_statements_are_perturbed_element_by_element():
    x, y = sp.symbols("x y", positive=True)
    stmt = (sp.Le(x, 2 * y), sp.Eq(x + y, 3))
    ps = perturbations(stmt)
    assert any(k.startswith("[0] ") for k in ps) and any(k.startswith("[1] ") for k in ps)
    for k, p in ps.items():
        i = int(k[1])
        assert isinstance(p, tuple) and p[i] != stmt[i] and p[1 - i] == stmt[1 - i]

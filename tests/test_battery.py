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

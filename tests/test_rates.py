"""Every declared rate, checked by the one generic log-log slope engine
(in the style of diffrax's ``test_ode_order``)."""
from __future__ import annotations

import pytest

from proofs_checks._checks import run_rate
from proofs_checks._statement import checking

from ._claims import RATE_CASES, RATE_IDS


@pytest.mark.parametrize(("claim", "rate"), RATE_CASES, ids=RATE_IDS)
def test_rate(claim, rate, ctx):
    with checking(claim):  # as the engine runs it: a rate may read the claim's statement
        out = run_rate(rate, claim, ctx)
    assert out.passed, out.detail
    lo, hi = out.data["ci"]
    assert lo <= rate.exponent <= hi

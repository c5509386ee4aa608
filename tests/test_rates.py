"""Every declared rate, checked by the one generic log-log slope engine
(in the style of diffrax's ``test_ode_order``)."""
from __future__ import annotations

import pytest

from proofs_checks._checks import run_rate

from ._claims import RATE_CASES, RATE_IDS


@pytest.mark.parametrize(("claim", "rate"), RATE_CASES, ids=RATE_IDS)
def test_rate(claim, rate, ctx):
    out = run_rate(rate, claim, ctx)
    assert out.passed, out.detail
    lo, hi = out.data["ci"]
    assert lo <= rate.exponent <= hi

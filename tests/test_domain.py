"""Parameter domains: validation errors name the parameter and range; strategies stay inside."""
from __future__ import annotations

import pytest
from hypothesis import given

from proofs_checks import Constraint, Domain, ParameterError, Param, get

DOM = Domain((Param("n", int, 1, 100), Param("gamma", float, 0.0, None, low_open=True)),
             (Constraint("n must exceed gamma", lambda d: d["n"] > d["gamma"], ("n", "gamma")),))


@pytest.mark.parametrize("values, name", [
    ({"n": -3, "gamma": 1.0}, "n"),
    ({"n": 2.5, "gamma": 1.0}, "n"),
    ({"n": 5, "gamma": 0.0}, "gamma"),
    ({"n": 5, "gamma": float("nan")}, "gamma"),
    ({"n": 5, "gamma": "x"}, "gamma"),
    ({"n": 5}, "gamma"),
    ({"n": 2, "gamma": 3.0}, "n,gamma"),
    ({"n": 5, "gamma": 1.0, "d": 3}, "d"),
])
def test_validation_names_parameter(values, name):
    with pytest.raises(ParameterError) as e:
        DOM.validate(values)
    assert e.value.name == name
    assert "allowed" in str(e.value)


@given(DOM.strategy())
def test_strategy_draws_validate(values):
    assert DOM.validate(values) == values


def test_claim_api_rejects_negative_dimension():
    with pytest.raises(ParameterError, match="m=-3"):
        get("misfit.pythagorean").validate(m=-3)

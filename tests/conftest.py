"""Hypothesis profiles and shared fixtures.

Profiles: ``ci`` (default; derandomized, modest example counts) and ``nightly``
(``pytest --hypothesis-profile=nightly``; many more examples, for exploration).
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, max_examples=40, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("nightly", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def ctx():
    """The run context used by claim tests: fast profile, every backend, CPU.

    Under the ``nightly`` Hypothesis profile the claims run at their paper-grade ``full``
    sizes and the property/counterexample searches get the larger example counts too
    (``W2S_PROFILE=full`` alone selects the full sizes)."""
    from proofs_checks import RunContext

    nightly = settings.default.max_examples >= 1000
    full = nightly or os.environ.get("W2S_PROFILE") == "full"
    return RunContext.from_cli(profile="full" if full else "fast",
                               backend="all", device="cpu",
                               property_examples=400 if nightly else 0,
                               counterexample_examples=5000 if nightly else 0)


@pytest.fixture(autouse=True)
def _private_ledger(tmp_path_factory, monkeypatch):
    """Tests never write to the user's ledger in ~/.cache: each session gets its own."""
    if "W2S_LEDGER" not in os.environ:
        monkeypatch.setenv("W2S_LEDGER", str(tmp_path_factory.getbasetemp() / "ledger.sqlite"))

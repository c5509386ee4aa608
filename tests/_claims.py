"""Shared helpers for the generic claim tests: the registered claims, and a cache of
their verification results so each claim's checks run once per session."""
from __future__ import annotations

from proofs_checks import all_claims
from proofs_checks._report import ClaimResult

CLAIMS = all_claims()
CLAIM_IDS = [c.id for c in CLAIMS]
RATE_CASES = [(c, r) for c in CLAIMS for r in c.rates]
RATE_IDS = [f"{c.id}:{r.name}" for c, r in RATE_CASES]
NON_RATE_KINDS = ("symbolic", "numeric", "property", "counterexample")


_CACHE: dict[str, ClaimResult] = {}


def verified(claim_id: str, ctx) -> ClaimResult:
    """Every non-rate check of a claim, run once per session (rates: tests/test_rates.py)."""
    from proofs_checks import get, verify_claim

    if claim_id not in _CACHE:
        _CACHE[claim_id] = verify_claim(get(claim_id), ctx, kinds=NON_RATE_KINDS)
    return _CACHE[claim_id]

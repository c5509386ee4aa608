"""sgd.a5: the root solve of the statement (E7) for ρ(t), near ρ = 1 where |g| cannot be made small
(the p = 4 cases that broke mpmath findroot's |g|² verification at seeds 6 and 11)."""
import math

import mpmath as mp
import pytest

from proofs_checks import get
from proofs_checks._statement import checking
from proofs_checks.claims.sgd.exact import closed_forms as a5

CASES = [(4, 0.5, 1.0, 4.6273540514240015), (4, 0.9320638328244736, 1.0, 3.5), (4, 0.99, 1.0, 5.0),
         (3, 0.99, 0.1, 50.0), (4, 0.001, 10.0, 0.5), (1, 0.99, 10.0, 0.5), (2, 0.3, 1.0, 0.0), (2, 0.98, 1.0, 5.0)]


def _exact(p, rho0, lam, t):
    """Independent references: p = 1 tanh, p = 2 explicit (E7) inverse, p = 3, 4 theory's solve in v = artanh ρ."""
    lt = lam * t
    with mp.workdps(40):
        if p == 1:
            return float(mp.tanh(lt + mp.atanh(rho0)))
        if p == 2:
            q = mp.mpf(rho0) ** 2 * mp.exp(4 * lt) / (1 - mp.mpf(rho0) ** 2)
            return float(mp.sqrt(q / (1 + q)))
    from theory.sgd import closed_forms as cf
    return float(mp.tanh(cf.flow_v(p, rho0, lt, dps=40)))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("illinois", [True, False])
def test_stated_rho_near_one(case, illinois, monkeypatch):
    if not illinois:  # the bisection fallback alone
        monkeypatch.setattr(a5.mp, "findroot", lambda *a, **k: (_ for _ in ()).throw(ValueError("forced")))
    with checking(get("sgd.a5_closed_forms")):
        x = a5._stated_rho(*case)
    assert math.isfinite(x)
    assert abs(x / _exact(*case) - 1) < 1e-15

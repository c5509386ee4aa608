"""Quality tier for the exact SGD family: planted errors must make the corresponding
check FAIL (one test per check kind used, plus the N1 guard)."""
import math

import numpy as np
import pytest
import sympy as sp

from proofs_checks import CounterexampleCheck, Domain, Param, RunContext, get, run_check
from proofs_checks.claims.sgd import exact as fam

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def fctx():
    return RunContext(profile="fast")


def _check(claim_id, name):
    c = get(claim_id)
    return c, next(k for k in c.checks if k.name == name)


def _status(claim_id, name, ctx):
    c, k = _check(claim_id, name)
    return run_check(k, c, ctx).status


# ---------------------------------------------------------------- symbolic

def test_symbolic_catches_wrong_G(monkeypatch, fctx):
    """G_3 without the −1/ρ term: G' ≠ ρ^{−2}/(1−ρ²)."""
    from theory.sgd import overlap_ode
    real = overlap_ode.G_expr
    monkeypatch.setattr(overlap_ode, "G_expr", lambda p, rho=overlap_ode.RHO: sp.atanh(rho) if p == 3 else real(p, rho))
    assert _status("sgd.a5_closed_forms", "derivative-and-dsolve", fctx) == "failed"


def test_symbolic_catches_wrong_spec_constant(monkeypatch, fctx):
    from theory.sgd import hermite
    wrong = hermite.SPEC_H3_SQUARED[:6] + (2 * sp.sqrt(6),)
    monkeypatch.setattr(hermite, "SPEC_H3_SQUARED", wrong)
    assert _status("sgd.a9_ie_lowering", "exact-moments", fctx) == "failed"


# ---------------------------------------------------------------- numeric

def test_numeric_catches_biased_integrator(monkeypatch, fctx):
    """An integrator whose clock runs 1e-6 fast is off by far more than 1e-8 relative."""
    from numerics.sgd import ode
    real = ode.integrate_overlap
    monkeypatch.setattr(ode, "integrate_overlap",
                        lambda c, r0, t, **kw: real(c, r0, np.asarray(t, float) * (1 + 1e-6), **kw))
    assert _status("sgd.a5_closed_forms", "ode-vs-closed-form", fctx) == "failed"


def test_numeric_catches_wrong_simulator(monkeypatch, fctx):
    """A leaky ReLU (slope 0.02 below 0) in the Monte Carlo simulator."""
    from numerics.sgd import montecarlo
    def leaky(imax, n, rng, bias=0.0):
        z = rng.standard_normal(n)
        r = np.where(z > 0, z, 0.02 * z)
        X = np.stack([r * montecarlo.hermite_h(i, z) for i in range(imax + 1)])
        return X.mean(axis=1), X.std(axis=1, ddof=1) / math.sqrt(n)
    monkeypatch.setattr(montecarlo, "mc_relu_coefficients", leaky)
    assert _status("sgd.a10_relu_coefficients", "monte-carlo-and-quadrature", fctx) == "failed"


# ---------------------------------------------------------------- property

def test_property_catches_wrong_closed_form(monkeypatch, fctx):
    """(E12) with K in place of K² is not the p = 2 flow."""
    from theory.sgd import closed_forms as cf
    def wrong(rho_k, m0, rho_star=cf.RHO_STAR):
        K = cf.e12_K2(m0, rho_star) ** 0.25
        return rho_k * K / (1 - rho_k**2 + rho_k**2 * K**2) ** 0.5
    monkeypatch.setattr(cf, "e12_rho", wrong)
    assert _status("sgd.a12_horizon_formula", "hypothesis-ode", fctx) == "failed"


def test_property_catches_wrong_asymptote(monkeypatch, fctx):
    """Escape-time asymptote with p(p−1) in place of p(p−2)."""
    from theory.sgd import closed_forms as cf
    real = cf.escape_ratio
    monkeypatch.setattr(cf, "escape_ratio", lambda p, r, *a, **k: real(p, r) * (p - 1) / (p - 2) if p >= 3 else real(p, r))
    assert _status("sgd.a8_escape_time", "asymptote-6pct", fctx) == "failed"


# ---------------------------------------------------------------- counterexample

def test_counterexample_fails_in_the_valid_regime(fctx):
    """The p = 2 escape-asymptote counterexample, moved to p = 3 (where the asymptote holds),
    must find no violation and so FAIL."""
    from theory.sgd import closed_forms as cf
    claim, _ = _check("sgd.a8_escape_time", "p2-asymptote")
    planted = CounterexampleCheck("planted-p3", margin=lambda v: 0.06 - abs(float(cf.escape_ratio(3, v["rho0"])) - 1),
                                  domain=Domain((Param("rho0", float, 1e-3, 0.1, log_scale=True),)),
                                  min_violation=0.03)
    assert run_check(planted, claim, fctx.with_(counterexample_examples=150)).status == "failed"


def test_counterexample_catches_decoupled_mse(monkeypatch, fctx):
    """If the MSE ODE dropped the interaction term, plane invariance would survive and the
    interacting-neurons counterexample must FAIL."""
    from numerics.sgd import ode
    real = ode.integrate_mse_ode
    monkeypatch.setattr(ode, "integrate_mse_ode", lambda a0, W0, th, t, c, **kw: real(
        a0, W0, th, t, c, **{**kw, "kernel": [0.0]}))
    c = get("sgd.a4_plane_invariance")
    k = next(x for x in c.checks if x.name == "interacting-neurons")
    assert run_check(k, c, fctx.with_(counterexample_examples=100)).status == "failed"


# ---------------------------------------------------------------- N1 guard

def test_n1_planted_bogus_encoding_is_flagged():
    bogus = fam.Encoding(p_w2s=1, p_sft=3, m0=0.2, rho_k=0.05, asserts_w2s_preserves=True)
    v = fam.n1_guard(bogus)
    assert v.flagged and v.F_w2s > v.F_sft


def test_n1_check_fails_with_a_blind_guard(monkeypatch, fctx):
    monkeypatch.setattr(fam, "n1_guard", lambda enc: fam.GuardVerdict(False, "blind", 0.0, 0.0))
    assert _status("sgd.n1_matched_horizon_guard", "guard-flags-encodings", fctx) == "failed"


def test_n1_grid_fails_if_exponent_order_is_reversed(monkeypatch, fctx):
    real = fam.matched_horizon_F
    monkeypatch.setattr(fam, "matched_horizon_F", lambda p, m0, rk: real(6 - p if p <= 5 else p, m0, rk))
    assert _status("sgd.n1_matched_horizon_guard", "grid-a-b-c-d", fctx) == "failed"

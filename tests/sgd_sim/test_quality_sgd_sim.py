"""Planted errors in the simulation family: each check kind it uses must FAIL on a wrong
simulator or a wrong statement (quality tier)."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp

from proofs_checks import get, run_check
from proofs_checks._checks import FAILED
from proofs_checks.claims.sgd import sim as S

pytestmark = pytest.mark.quality


def _check(claim, name):
    return next(c for c in claim.checks if c.name == name)


def _run(claim, name, ctx):
    return run_check(_check(claim, name), claim, ctx)


def test_numeric_catches_a_wrong_step_size(ctx, monkeypatch):
    """A simulator that takes 2η per step disagrees with (E11)."""
    from numerics.sgd import sim_numpy
    orig = sim_numpy.step
    monkeypatch.setattr(sim_numpy, "step", lambda plan, W, a, X: orig(plan, W, 2.0 * a, X))
    r = _run(get("sgd.b4_finite_d"), "e11-agreement", ctx.with_(backends=("numpy",)))
    assert r.status == FAILED, r.detail


def test_numeric_catches_a_wrong_activation_derivative(ctx, monkeypatch):
    """Using σ in place of σ' in the gradient is caught by the (E11) comparison."""
    from numerics.sgd import sim_numpy
    monkeypatch.setattr(sim_numpy, "act_prime", sim_numpy.act)
    r = _run(get("sgd.b4_finite_d"), "e11-agreement", ctx.with_(backends=("numpy",)))
    assert r.status == FAILED, r.detail


def test_backend_agreement_catches_a_wrong_kernel(ctx, monkeypatch):
    from numerics.sgd import sim_numba
    orig = sim_numba.run_block_many

    def drift(Ws, As, Xs, *args):
        orig(Ws, As, Xs, *args)
        Ws *= 1 + 1e-9

    monkeypatch.setattr(sim_numba, "run_block_many", drift)
    r = _run(get("sgd.b4_finite_d"), "backends-agree", ctx.with_(backends=("numpy", "numba")))
    assert r.status == FAILED, r.detail


def test_gating_check_catches_a_leaky_gate(ctx, monkeypatch):
    """If the gated readout were not exactly 0, off-target neurons would move under H4."""
    from numerics.sgd import sim_numpy
    orig = sim_numpy.make_plan

    def leaky(cfg, seed, run=0):
        p = orig(cfg, seed, run)
        p.a[p.a == 0.0] = 1e-3
        return p

    monkeypatch.setattr(sim_numpy, "make_plan", leaky)
    r = _run(get("sgd.c2_preservation.h4"), "sgd-exact-zero", ctx.with_(backends=("numpy",)))
    assert r.status == FAILED, r.detail


def test_rate_catches_a_biased_simulator(ctx, monkeypatch):
    """A constant bias in ρ_SGD makes the gap to (E3) stop shrinking like ηd."""
    from numerics.sgd import sim_reduced
    orig = sim_reduced.overlap_at
    monkeypatch.setattr(sim_reduced, "overlap_at", lambda *a, **k: orig(*a, **k) - 0.03)
    r = _run(get("sgd.b4_finite_d"), "gap-to-e3", ctx)
    assert r.status == FAILED, r.detail


def test_rate_catches_a_wrong_exponent(ctx):
    claim = get("sgd.b1_weak_recovery")
    bad = dataclasses.replace(_check(claim, "slope-p1"), exponent=2.0)
    r = run_check(bad, claim, ctx)
    assert r.status == FAILED, r.detail


def test_property_catches_a_wrong_limit(ctx):
    """F_SFT → 1 − ρ_k (instead of 1 − ρ_k²) is refuted by the population property."""
    claim = get("sgd.c3_forgetting.h1")

    def wrong(prm):
        p, rk = prm["p"], prm["rho_k"]
        t = 10 * S.t_escape(p, rk, 0.99)
        return 1e-3 - abs(S.forgetting(rk, S.evolve(p, rk, t)) - (1 - rk))

    bad = dataclasses.replace(_check(claim, "population-limit"), margin=wrong)
    assert run_check(bad, claim, ctx).status == FAILED


def test_property_catches_a_too_tight_bound(ctx):
    """Dropping the factor i in the (E13) bound sin²γ Σ i α_i² is refuted."""
    claim = get("sgd.c5_h2_cost")

    def wrong(prm):
        c = math.cos(prm["gamma"])
        a = np.array([prm[f"a{i}"] for i in range(1, 7)])
        i = np.arange(1, 7)
        return float(np.sum(a**2)) * (1 - c * c) - float(np.sum(a**2 * (1 - c ** (2 * i))))

    bad = dataclasses.replace(_check(claim, "vanishes-as-gamma-to-0"), margin=wrong)
    assert run_check(bad, claim, ctx).status == FAILED


def test_counterexample_fails_where_the_claim_holds(ctx):
    """Searching for an H1 preservation violation inside ρ_k ≤ 0.1/K must come back empty-handed."""
    from proofs_checks import Domain, Param
    claim = get("sgd.c2_preservation.h1")
    holds = Domain((S.M0, Param("rho_k", float, 0.0, 0.002)))
    bad = dataclasses.replace(_check(claim, "rho-above-m0"), domain=holds)
    r = run_check(bad, claim, ctx.with_(counterexample_examples=200))
    assert r.status == FAILED, r.detail


def test_symbolic_catches_a_wrong_identity():
    """(E13) without the factor 2 on the cross term is not an identity."""
    c, f, a = S._c5_symbols()

    def wrong():
        lhs = sum(fi**2 for fi in f) + sum(ai**2 for ai in a) - sum(f[i] * a[i] * c ** (i + 1) for i in range(6))
        rhs = sum((f[i] - a[i] * c ** (i + 1)) ** 2 for i in range(6)) + \
            sum(a[i] ** 2 * (1 - c ** (2 * (i + 1))) for i in range(6))
        return sp.Eq(lhs, rhs)

    claim = dataclasses.replace(get("sgd.c5_h2_cost"), statement=wrong)   # the check reads the running statement
    r = run_check(_check(claim, "e13-identity"), claim, None)
    assert r.status == FAILED, r.detail


# ---------------------------------------------------------------- statement binding (issue 9 §2)

def _with_statement(claim_id, stmt):
    return dataclasses.replace(get(claim_id), statement=lambda: stmt)


def test_b4_symbolic_rejects_a_wrong_noise_constant():
    """(E11) with C = 2 + 4ρ² (instead of 2 + 8ρ²) is not the derived drift."""
    t, e = sp.Symbol("t"), sp.Symbol("eta_d", positive=True)
    r = sp.Function("rho")(t)
    claim = _with_statement("sgd.b4_finite_d", sp.Eq(sp.Derivative(r, t), 2 * r * (1 - r**2) - e / 2 * (2 + 4 * r**2) * r))
    res = run_check(_check(claim, "statement-is-e11"), claim, None)
    assert res.status == FAILED, res.detail


def test_b4_symbolic_rejects_a_rate_exponent_other_than_the_statements():
    claim = get("sgd.b4_finite_d")
    checks = tuple(dataclasses.replace(c, exponent=2.0) if c.name == "gap-to-e3" else c for c in claim.checks)
    claim = dataclasses.replace(claim, checks=checks)
    res = run_check(_check(claim, "statement-is-e11"), claim, None)
    assert res.status == FAILED, res.detail


def test_c6_symbolic_rejects_a_wrong_onset_constant():
    F, phi, php, rk, t = sp.symbols("F phi phi_p rho_k t")
    claim = _with_statement("sgd.c6_h4_onset", sp.Eq(F, sp.Rational(1, 2) * (phi * php) ** 2 * (1 - rk**2) * t**4))
    res = run_check(_check(claim, "e14-is-taylor-of-e10"), claim, None)
    assert res.status == FAILED, res.detail


def test_c6_symbolic_accepts_the_printed_statement():
    claim = get("sgd.c6_h4_onset")
    res = run_check(_check(claim, "e14-is-taylor-of-e10"), claim, None)
    assert res.status == "passed", res.detail


def test_c2_h1_sharpness_rejects_a_loose_bound():
    """F ≤ 2(Kρ_k)² is true but not sharp; the check holds the printed constant to the (E12) limit."""
    claim = _with_statement("sgd.c2_preservation.h1",
                            sp.Le(sp.Symbol("F_W2S"), 2 * (sp.Symbol("K") * sp.Symbol("rho_k")) ** 2))
    res = run_check(_check(claim, "bound-is-sharp"), claim, None)
    assert res.status == FAILED, res.detail


def test_c4_equal_exponents_reject_a_slack_factor(ctx):
    """n_W2S < 1.05·n_SFT is true too, but not the printed ordering: at p_W = p_* its margin is not 0."""
    claim = _with_statement("sgd.c4_efficiency.h1",
                            sp.StrictLessThan(sp.Symbol("n_W2S"), sp.Rational(21, 20) * sp.Symbol("n_SFT")))
    res = run_check(_check(claim, "equal-exponents-no-speedup"), claim, ctx.with_(property_examples=20))
    assert res.status == FAILED, res.detail


def test_c1_sphere_mc_rejects_a_wrong_beta_parameter(ctx):
    """|ξ_1|² ~ Beta(1/2, r/2) (instead of (r−1)/2) disagrees with the drawn sphere."""
    fr, rm = sp.Symbol("frac_aligned"), sp.Symbol("rho_min", real=True)
    r, p = sp.Symbol("r", positive=True, integer=True), sp.Symbol("p_W", positive=True, integer=True)
    S = sp.betainc_regularized(r / 2, sp.Rational(1, 2), 0, 1 - rm**2)
    claim = _with_statement("sgd.c1_elicitation.h1",
                            sp.Eq(fr, sp.Piecewise((S, sp.Eq(sp.Mod(p, 2), 0)), (S / 2, rm >= 0), (1 - S / 2, True))))
    res = run_check(_check(claim, "closed-form-vs-sphere"), claim, ctx)
    assert res.status == FAILED, res.detail

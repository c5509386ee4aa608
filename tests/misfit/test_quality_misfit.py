"""Planted errors: a wrong statement, simulator or expected value must make each MISFIT check kind FAIL."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import numerics.misfit as nm
import proofs_checks as pc
from proofs_checks import CounterexampleCheck, Rate, run_check
from proofs_checks.claims import misfit as cm
from theory import misfit as tm

pytestmark = pytest.mark.quality


def _check(claim, name):
    return next(c for c in claim.checks if c.name == name)


def test_symbolic_fails_on_wrong_gap_definition(monkeypatch, ctx):
    """Plant gap = err(Y) − misfit + err(f_sw) (wrong sign): the KKT certificate identity fails."""
    def wrong_gap(fstar, y, fsw, w):
        return tm.sqdist(y, fstar, w) - tm.sqdist(fsw, y, w) + tm.sqdist(fsw, fstar, w)

    monkeypatch.setattr(tm, "_gap", wrong_gap)
    claim = pc.get("misfit.convex_ball")
    assert run_check(_check(claim, "kkt-certificate"), claim, ctx).status == "failed"


def test_symbolic_fails_on_wrong_bregman_statement(monkeypatch, ctx):
    """Plant D_φ(u, v) without the gradient term: the three-point identity no longer expands to 0."""
    import sympy as sp

    monkeypatch.setattr(tm, "bregman", lambda phi, u, v: sp.Add(*[phi(a) - phi(b) for a, b in zip(u, v)]))
    claim = pc.get("misfit.bregman_three_point")
    assert run_check(_check(claim, "expand-four-phi"), claim, ctx).status == "failed"


def test_numeric_fails_on_wrong_projector(monkeypatch, ctx):
    """Plant a ball "projector" that scales the projection by 1.7 (leaves V, not the projection): gap < 0."""
    real = nm.ball_coef

    def wrong(phi, y, w, radius, iters=200):
        a, lam = real(phi, y, w, radius)
        return (a * 1.7, lam)  # leaves the ball: not the projection

    monkeypatch.setattr(nm, "ball_coef", wrong)
    claim = pc.get("misfit.convex_ball")
    assert run_check(_check(claim, "ridge-bisection"), claim, ctx).status == "failed"


def test_numeric_fails_on_wrong_expected_value(monkeypatch, ctx):
    """Plant E gap = −s²p/(n−p−1) (factor 2 dropped): the CI test must reject it."""
    monkeypatch.setattr(nm, "expected_gap", lambda n, p, s: -s * s * p / (n - p - 1))
    claim = pc.get("misfit.erm_gap_law")
    assert run_check(_check(claim, "mean-law"), claim, ctx).status == "failed"


def test_numeric_backend_disagreement_is_caught(monkeypatch, ctx):
    """Plant a numba kernel with a wrong noise scale: the backend z-test must fail."""
    real = nm.gap_samples_numba
    monkeypatch.setattr(nm, "gap_samples_numba", lambda r, n, p, reps, s, d: real(r, n, p, reps, 1.5 * s, d))
    claim = pc.get("misfit.erm_gap_law")
    res = run_check(_check(claim, "mean-law"), claim, ctx)
    assert res.status == "failed" and "numba" in res.detail


def test_property_fails_on_perturbed_ols(monkeypatch, ctx):
    """Plant OLS coefficients off by 1e-3 relative: the subspace equality must fail somewhere."""
    real = nm.ols_coef
    monkeypatch.setattr(nm, "ols_coef", lambda phi, y, w: real(phi, y, w) * (1 + 1e-3))
    claim = pc.get("misfit.subspace_equality")
    assert run_check(_check(claim, "|gap|<=rounding"), claim, ctx).status == "failed"


def test_property_fails_on_wrong_bound_constant(ctx):
    """A sharp-bound margin with the √ε term halved (a wrong constant) must be violated (tightness)."""
    def margin(prm):
        t = cm._nonreal_terms(prm)
        return t["gap"] + np.sqrt(t["eps"] * t["misfit"]) + 1e-9 * t["errY"]

    claim = pc.get("misfit.nonrealizable_sharp")
    check = dataclasses.replace(_check(claim, "slack>=0"), margin=margin)
    assert run_check(check, claim, ctx).status == "failed"


def test_counterexample_fails_when_assumption_not_dropped(ctx):
    """Search the convex repair (segment) instead of the two-point set: no violation ⇒ FAIL."""
    claim = pc.get("misfit.nonconvex_class")
    check = CounterexampleCheck("segment-is-convex", margin=cm._segment_margin, domain=cm.TU,
                                dropped="nothing (control)", min_violation=0.1)
    assert run_check(check, claim, ctx).status == "failed"


def test_counterexample_fails_for_reverse_kl_student(ctx):
    """The reverse-KL student satisfies MISFIT-8: searching it for a violation must FAIL."""
    claim = pc.get("misfit.kl_inequality")
    check = dataclasses.replace(_check(claim, "forward-kl-student"), margin=cm._kl_margin)
    assert run_check(check, claim, ctx).status == "failed"


def test_rate_fails_on_wrong_exponent(ctx):
    claim = pc.get("misfit.erm_gap_law")
    wrong = dataclasses.replace(_check(claim, "mean-rate"), exponent=-0.5)
    assert run_check(wrong, claim, ctx).status == "failed"


def test_rate_fails_on_wrong_simulator(monkeypatch, ctx):
    """Plant a sampler whose noise does not shrink with n (s ∝ √n): the sd rate must fail."""
    real = nm.gap_samples_bartlett
    monkeypatch.setattr(nm, "gap_samples_bartlett", lambda r, n, p, reps, s, d: real(r, n, p, reps, s * (n / 1000) ** 0.5, d))
    claim = pc.get("misfit.erm_gap_law")
    assert run_check(_check(claim, "sd-rate"), claim, ctx).status == "failed"

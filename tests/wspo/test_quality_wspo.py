"""Planted errors: a wrong statement or simulator must make each kind of WSPO check FAIL."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import proofs_checks.claims.wspo as fam
from numerics import wspo as nw
from proofs_checks import CounterexampleCheck, PropertyCheck, RunContext, SymbolicCheck
from proofs_checks._checks import FAILED, run_check
from proofs_checks._registry import _CLAIMS
from theory import wspo as tw

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def fast():
    return RunContext.from_cli(profile="fast", backend="all", device="cpu")


def _run(claim_id, check, ctx):
    return run_check(check, _CLAIMS[claim_id], ctx)


def _named(claim_id, name):
    return next(c for c in _CLAIMS[claim_id].checks if c.name == name)


def test_symbolic_wrong_exponent_fails(fast):
    # the tilt with exponent γ instead of 1/γ (the spec's warning) does not zero the residual spread
    r = _run("wspo.tilt", SymbolicCheck("planted", prove=lambda: tw.prove_tilt_exact(exponent="gamma")), fast)
    assert r.status == FAILED, r.detail


def test_symbolic_wrong_gaussian_precision_fails(fast):
    def wrong():
        import sympy as sp
        x = sp.Symbol("x", real=True)
        sr, sw, swr = sp.symbols("sigma_r sigma_w sigma_wr", positive=True)
        logt = -x**2 / (2 * sr**2) + (-x**2 / (2 * sw**2) + x**2 / (2 * swr**2)) / tw.g
        lam_wrong = sr**-2 + (sw**-2 - swr**-2) * tw.g  # γ instead of 1/γ
        return tw.prove_identity(sp.Poly(sp.expand(logt), x).coeff_monomial(x**2) + lam_wrong / 2)
    assert _run("wspo.gaussian", SymbolicCheck("planted", prove=wrong), fast).status == FAILED


def test_numeric_torch_loss_ignoring_the_mask_fails(fast, monkeypatch):
    good = nw.seq_loss_torch

    def no_mask(lp_theta, lp_ref_s, lp_r_w, lp_ref_w, mask, gamma, weights=None):
        import torch
        return good(lp_theta, lp_ref_s, lp_r_w, lp_ref_w, torch.ones_like(mask), gamma, weights)

    monkeypatch.setattr(nw, "seq_loss_torch", no_mask)
    r = _run("wspo.loss", _named("wspo.loss", "numpy-vs-torch-masked"), fast)
    assert r.status == FAILED, r.detail


def test_numeric_tilt_with_exponent_gamma_fails(fast, monkeypatch):
    good = nw.tilt
    monkeypatch.setattr(nw, "tilt", lambda a, dl, g: good(a, dl * g * g, g))  # δ·γ instead of δ/γ
    r = _run("wspo.tilt", _named("wspo.tilt", "mpmath-oracle-and-gamma-0.1"), fast)
    assert r.status == FAILED, r.detail


def test_numeric_optimiser_that_returns_the_tilt_fails(fast, monkeypatch):
    # a 'minimiser' that just returns the tilt would hide the normaliser caveat (WSPO-4)
    good = nw.minimise

    def cheat(d, a, dl, g, **kw):
        f = good(d, a, dl, g, **kw)
        pg, _ = nw.tilt(np.asarray(a), dl, g)
        return nw.Fit(np.log(pg), pg, f.loss, f.grad_norm)

    monkeypatch.setattr(nw, "minimise", cheat)
    r = _run("wspo.normalizer", _named("wspo.normalizer", "bfgs-minimiser-vs-tilt"), fast)
    assert r.status == FAILED, r.detail


def test_property_wrong_direction_fails(fast):
    # planted statement: 'KL and reward increase with γ' (the opposite of WSPO-8)
    chk = PropertyCheck("planted", margin=lambda p: -fam._monotone_margin(p) - 1e-12)
    assert _run("wspo.amplification_monotone", chk, fast).status == FAILED


def test_property_wrong_recovery_target_fails(fast):
    # planted statement: 'γ = 1 with equal references recovers π_ref^s' (it recovers π_r^w)
    def margin(p):
        fit, _ = fam._recovery_fit(p)
        a = fam._instance(p)[0]
        return fam.SAME - nw.tv(fit.pi, a)
    assert _run("wspo.weak_recovery", PropertyCheck("planted", margin=margin), fast).status == FAILED


def test_counterexample_in_the_guaranteed_regime_is_not_found(fast):
    # searching for amplification failures with EQUAL references must come back empty
    chk = CounterexampleCheck("planted", margin=fam._amp_equal_margin, domain=fam.EQ_REFS,
                              dropped="nothing", min_violation=0.1)
    ctx = fast.with_(counterexample_examples=150)
    assert _run("wspo.amplification_equal_refs", chk, ctx).status == FAILED


def test_counterexample_gaussian_narrowed_is_not_found(fast):
    chk = CounterexampleCheck("planted", margin=fam._lam_margin, domain=fam.GAUSS, min_violation=0.05)
    assert _run("wspo.gaussian", chk, fast.with_(counterexample_examples=150)).status == FAILED


def test_rate_wrong_exponent_fails(fast):
    good = _named("wspo.finite_sample", "l1-error-rate")
    bad = dataclasses.replace(good, name="planted", exponent=-1.0)
    assert _run("wspo.finite_sample", bad, fast).status == FAILED


def test_rate_biased_simulator_fails(fast, monkeypatch):
    # a simulator whose error does not shrink (e.g. comparing with the tilt instead of π_pop)
    good = fam._rate_runs.__wrapped__

    def biased(seed, profile):
        x, y, se = good(seed, profile)
        return x, y + 0.05, se
    monkeypatch.setattr(fam.finite_sample, "_rate_runs", biased)  # where the WSPO-14 checks look it up
    assert _run("wspo.finite_sample", _named("wspo.finite_sample", "l1-error-rate"), fast).status == FAILED
    assert _run("wspo.finite_sample", _named("wspo.finite_sample", "sqrt-n-constant"), fast).status == FAILED

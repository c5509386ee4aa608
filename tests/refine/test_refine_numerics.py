"""REFINE simulators: validation errors, kernels against brute force, backends against the
numpy reference, and simulation against the spec's re-simulated reference values."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize

import numerics.refinement as nr
from numerics import InvalidParameter, cuda_available, mean_ci, rng
from proofs_checks import ParameterError, get

M3 = dict(K=3, d=6, alpha=[0.2, 0.5, 0.3], sigma=1.0)


@pytest.mark.parametrize(("kw", "name"), [
    (dict(M3, alpha=[0.5, 0.6, 0.3]), "alpha"), (dict(M3, alpha=[0.5, -0.2, 0.7]), "alpha"),
    (dict(M3, alpha=[0.5, 0.5]), "alpha"), (dict(M3, sigma=0.0), "sigma"), (dict(M3, sigma=-1.0), "sigma"),
    (dict(M3, K=1, alpha=[1.0]), "K"), (dict(M3, d=3), "d"), (dict(M3, delta=-0.1), "delta"),
])
def test_bad_model_input_names_parameter(kw, name):
    with pytest.raises(InvalidParameter, match=rf"parameter {name}=.*allowed"):
        nr.concept_model(**kw)


def test_negative_n_icl_is_rejected():
    M = nr.concept_model(**M3)
    with pytest.raises(InvalidParameter, match="n_icl"):
        nr.posterior(M, -1, 10, rng(0))
    with pytest.raises(InvalidParameter, match="n_icl"):
        nr.compare_estimators(M, 60, -2, [0.0], 10, 0)
    with pytest.raises(InvalidParameter, match="lams"):
        nr.naive_risks(M, 60, [-1.0], 10, rng(0))


@pytest.mark.parametrize(("claim_id", "params", "name"), [
    ("refine.naive_risk", dict(K=1), "K"), ("refine.naive_risk", dict(sigma=0.0), "sigma"),
    ("refine.success_condition", dict(m=-1), "m"), ("refine.icl_decay", dict(sigma=-1.0), "sigma"),
])
def test_claim_api_rejects_bad_parameters(claim_id, params, name):
    c = get(claim_id)
    base = {p.name: (p.low if p.low is not None else 0) for p in c.domain.params}
    if "gamma" in base:
        base["gamma"] = 0.5
    with pytest.raises(ParameterError, match=name):
        c.validate(**{**base, **params})


def _qp_simplex(y):
    K = y.size
    r = minimize(lambda x: ((x - y) ** 2).sum(), np.full(K, 1 / K), jac=lambda x: 2 * (x - y), method="SLSQP",
                 bounds=[(0, None)] * K, constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
                 options={"ftol": 1e-14, "maxiter": 500})
    return r.x


@pytest.mark.parametrize("backend", ["numpy", "numba", "torch"])
def test_simplex_projection_matches_qp(backend):
    g = rng(1, "simplex")
    X = g.standard_normal((30, 5)) * 2
    P = nr.project_simplex(X, backend=backend)
    for x, p in zip(X, P):
        assert p == pytest.approx(_qp_simplex(x), abs=1e-6)


def test_cone_projection_matches_qp():
    g = rng(2, "cone")
    for z in g.standard_normal((20, 4)) * 3:
        # T = {x : x = sum_k c_k (e_k - e_1), c >= 0}: minimise over c >= 0
        B = np.eye(4)[:, 1:] - np.eye(4)[:, [0]]
        r = minimize(lambda c: ((B @ c - z) ** 2).sum(), np.zeros(3), jac=lambda c: 2 * B.T @ (B @ c - z),
                     bounds=[(0, None)] * 3, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12})
        assert nr.project_cone_T(z[None])[0] == pytest.approx(B @ r.x, abs=1e-5)


def test_backends_agree_on_shared_draws():
    M = nr.concept_model(4, 9, [0.1, 0.4, 0.3, 0.2], 0.7, kappa=0.5, delta=1.2, eta=0.3)
    dr = nr.draw(M, 40, 5, 50, 7)
    ref = nr.compare_estimators(M, 40, 5, [0.0, 1.0], 50, 0, "numpy", draws=dr)
    for b in ("numba", "torch"):
        got = nr.compare_estimators(M, 40, 5, [0.0, 1.0], 50, 0, b, draws=dr)
        for k in nr.KEYS:
            np.testing.assert_allclose(got[k], ref[k], rtol=1e-10, atol=1e-12)


@pytest.mark.skipif(not cuda_available(), reason="CUDA not available")
def test_torch_cuda_agrees():
    M = nr.concept_model(**M3, kappa=0.6, delta=0.8)
    dr = nr.draw(M, 60, 8, 64, 3)
    ref = nr.compare_estimators(M, 60, 8, [0.0, 1.0], 64, 0, "numpy", draws=dr)
    got = nr.compare_estimators(M, 60, 8, [0.0, 1.0], 64, 0, "torch", device="cuda", draws=dr)
    for k in nr.KEYS:
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-9, atol=1e-12)


def test_sufficient_statistic_matches_explicit_design():
    M = nr.concept_model(**M3, kappa=0.6, delta=0.8)
    a = nr.naive_risks(M, 30, [0.0, 1.0], 3000, rng(3, "a"))
    b = nr.naive_risks(M, 30, [0.0, 1.0], 3000, rng(3, "b"), sufficient=True)
    for j in range(2):
        se = math.sqrt(a[:, j].var() / 3000 + b[:, j].var() / 3000)
        assert abs(a[:, j].mean() - b[:, j].mean()) < 4 * se


def test_icl_misalignment_matches_spec_resimulation():
    """Spec REFINE-8: noisy σ = s = 1, α = (0.1, 0.6, 0.3): E M = 0.789, 0.455, 0.197, 0.035 (±0.001–0.002)."""
    M = nr.concept_model(3, 6, [0.1, 0.6, 0.3], 1.0)
    for m, ref in ((1, 0.789), (4, 0.455), (8, 0.197), (16, 0.035)):
        x = nr.misalignment(nr.posterior(M, m, 20_000, rng(4, m)))["soft"]
        ci = mean_ci(x, 1e-3)
        assert ci.low - 0.002 <= ref <= ci.high + 0.002, (m, str(ci))


def test_hull_learner_spec_value():
    """Spec REFINE-6: K = 3, d = 8, n = 2000 gives n·E R = 0.842 ± 0.019 against 5/6."""
    M = nr.concept_model(3, 8, [1 / 3] * 3, 1.0)
    x = 2000 * nr.hull_risks(M, 2000, 40_000, rng(5))
    ci = mean_ci(x, 1e-3)
    assert ci.contains(5 / 6)


def test_fresh_refine_runs_and_is_small_for_large_m():
    M = nr.concept_model(3, 5, [0.2, 0.5, 0.3], 1.0)
    x = nr.fresh_refine_risks(M, 32, 50, 100, rng(6))
    assert x.shape == (100,) and x.mean() < 0.05


def test_exp_slope_fit_recovers_rate_of_bahadur_rao_form():
    ms = np.arange(8, 65, 8).astype(float)
    rho = 0.9
    y = 0.7 * ms ** -0.5 * rho ** ms * np.exp(1.3 / ms)  # exactly the fitted form
    b, lo, hi = nr.exp_slope_fit(ms, y, 1e-3 * y)
    assert b == pytest.approx(math.log(rho), abs=1e-9) and lo <= math.log(rho) <= hi
    b1, _, _ = nr.exp_slope_fit(ms, 0.7 * ms ** -0.5 * rho ** ms * (1 + 1.3 / ms), 1e-3 * y)
    assert b1 == pytest.approx(math.log(rho), abs=2e-4)  # (1 + a/m) is matched to first order
    b2, lo2, hi2 = nr.exp_slope_fit(ms, y * np.exp(0.02 * ms), 1e-3 * y)  # a different rate is detected
    assert not lo2 <= math.log(rho) <= hi2


def test_population_risk_is_unbiased_for_known_pi():
    g = rng(8, "pop")
    p_true = np.array([0.7, 0.2, 0.1])
    ests = []
    for i in range(200):
        pi = g.dirichlet(20 * p_true, size=50)
        ests.append(nr.population_risk(pi)[0])
    truth = (0.3 ** 2 + 0.2 ** 2 + 0.1 ** 2)
    ci = mean_ci(np.array(ests), 1e-3)
    assert ci.contains(truth)

"""MISFIT simulators: known values from the spec, numba/torch agreement with numpy, bad input."""
from __future__ import annotations

import numpy as np
import pytest

import numerics.misfit as nm
from numerics import InvalidParameter


def rng(seed=0):
    return np.random.default_rng(seed)


# ------------------------------------------------------------ known values (spec misfit.md)

def test_nonconvex_example_spec_numbers():
    """MISFIT-2 counterexample at t = 0.6: err(f_sw) 0.5, err(Y) − misfit 0.10, err(Y) 0.18."""
    w = np.array([0.5, 0.5])
    F, Y, fsw = np.zeros(2), np.array([0.6, 0.0]), np.array([1.0, 0.0])
    assert nm.sqdist(fsw, F, w) == pytest.approx(0.5)
    assert nm.sqdist(Y, F, w) - nm.sqdist(fsw, Y, w) == pytest.approx(0.10)
    assert nm.sqdist(Y, F, w) == pytest.approx(0.18)


def test_tightness_example_gap_is_minus_b():
    """MISFIT-4: V = {(c,0)}, F* = (0,1), Y = (a,b): gap = −b = −2√(ε·misfit) with ε = 1/2."""
    w = np.array([0.5, 0.5])
    for a, b in [(0.3, 0.7), (-2.0, 1.5)]:
        g = nm.gap(np.array([0.0, 1.0]), np.array([a, b]), np.array([a, 0.0]), w)
        assert g == pytest.approx(-b)
        assert g == pytest.approx(-2 * np.sqrt(0.5 * b * b / 2))


@pytest.mark.parametrize("n, n_times_formula", [(50, -28.9), (200, -23.4), (800, -22.3), (3200, -22.1)])
def test_expected_gap_matches_spec_table(n, n_times_formula):
    """Spec MISFIT-6 (p = 11, s = 1): n·(−2s²p/(n−p−1)) = −28.9 / −23.4 / −22.3 / −22.1."""
    assert n * nm.expected_gap(n, 11, 1.0) == pytest.approx(n_times_formula, abs=0.05)


def test_project_simplex_known_points():
    np.testing.assert_allclose(nm.project_simplex(np.array([2.0, 0.0])), [1.0, 0.0])
    np.testing.assert_allclose(nm.project_simplex(np.array([0.2, 0.2, 0.2])), [1 / 3] * 3)
    np.testing.assert_allclose(nm.project_simplex(np.array([0.5, 0.5])), [0.5, 0.5])


def test_ball_projection_kkt():
    """(G + λI)a = b, ‖a‖ ≤ R with equality when λ > 0 (spec MISFIT-2 KKT)."""
    r = rng(1)
    for _ in range(20):
        inst = nm.ball_instance(r, 30, 5, 0.3, r.uniform(-2, 2), r.uniform(-2, 2))
        a, lam = nm.ball_coef(inst.phi, inst.y, inst.w, 0.3)
        G = inst.phi.T @ (inst.w[:, None] * inst.phi)
        b = inst.phi.T @ (inst.w * inst.y)
        assert np.linalg.norm(a) <= 0.3 * (1 + 1e-12)
        np.testing.assert_allclose(G @ a + lam * a, b, rtol=1e-8, atol=1e-10 * np.abs(b).max())
        if lam > 0:
            assert np.linalg.norm(a) == pytest.approx(0.3, rel=1e-10)


# ------------------------------------------------------------ backend agreement

def test_ball_numba_matches_numpy():
    r = rng(2)
    for _ in range(20):
        inst = nm.ball_instance(r, 40, 6, 0.5, r.uniform(-3, 3), r.uniform(-3, 3))
        a1, l1 = nm.ball_coef(inst.phi, inst.y, inst.w, 0.5)
        a2, l2 = nm.ball_coef_numba(inst.phi, inst.y, inst.w, 0.5)
        np.testing.assert_allclose(a2, a1, rtol=1e-10, atol=1e-14 * np.abs(a1).max())


def test_simplex_numba_matches_numpy():
    r = rng(3)
    for _ in range(50):
        v = r.standard_normal(int(r.integers(1, 30))) * 3
        np.testing.assert_allclose(nm.project_simplex_numba(v), nm.project_simplex(v), atol=1e-12)


def test_ols_gap_numba_matches_numpy_on_same_draws():
    """Same Generator state ⇒ identical normal draws ⇒ the kernels must agree to rounding."""
    d = np.zeros(4)
    d[0] = 1.0
    x = nm.gap_samples_direct(rng(4), 30, 4, 50, 1.3, d)
    y = nm.gap_samples_numba(rng(4), 30, 4, 50, 1.3, d)
    np.testing.assert_allclose(y, x, rtol=1e-9, atol=1e-12)


def test_bartlett_sampler_matches_direct_in_law():
    """Exact-in-law sampler: mean and variance agree with direct simulation (z < 4.5)."""
    d = np.zeros(3)
    d[1] = 1.0
    x = nm.gap_samples_direct(rng(5), 20, 3, 20000, 1.0, d)
    y = nm.gap_samples_bartlett(rng(6), 20, 3, 20000, 1.0, d)
    z = abs(x.mean() - y.mean()) / np.sqrt(x.var() / x.size + y.var() / y.size)
    assert z < 4.5
    assert y.var() == pytest.approx(x.var(), rel=0.08)


def test_torch_ols_gap_agrees_in_distribution():
    from numerics import torch_generator

    d = np.zeros(5)
    d[0] = 1.0
    x = nm.gap_samples_direct(rng(7), 40, 5, 4000, 1.0, d)
    y = nm.gap_samples_torch(torch_generator(7), 40, 5, 4000, 1.0, d)
    z = abs(x.mean() - y.mean()) / np.sqrt(x.var() / x.size + y.var() / y.size)
    assert z < 4.5


def test_replica_torch_matches_numpy_on_same_draws():
    cfg = nm.ReplicaConfig(n_pre_tasks=2, n_pre=64, n_transfer_tasks=4, n_transfer=80, n_eval=50, epochs=1)
    d = nm.draw(rng(8), cfg)
    a, b = nm.run_numpy(d), nm.run_torch(d)
    np.testing.assert_allclose(b.gain, a.gain, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(b.misfit, a.misfit, rtol=1e-7, atol=1e-9)
    # realizable twin on the same draws (h_s = h*, population projection): misfit − gain is MC noise
    assert np.all(np.abs(a.realizable.misfit - a.realizable.gain) <= 6 * a.realizable.gap_se)


def test_fit_line_exact_line():
    x = np.linspace(0.1, 2.0, 30)
    f = nm.fit_line(x, 2 * x + 1, rng(9))
    assert f.slope == pytest.approx(2.0)
    assert f.intercept == pytest.approx(1.0)
    assert f.r2 == pytest.approx(1.0)


def test_reverse_kl_projection_first_order_optimal():
    r = rng(10)
    for _ in range(5):
        comps, w, y, fstar = nm.mixture_instance(r, 5, 3, 3)
        a, viol = nm.reverse_kl_projection(comps, y, w)
        assert viol <= 1e-6
        assert abs(a.sum() - 1) < 1e-12 and np.all(a >= 0)


# ------------------------------------------------------------ bad input

@pytest.mark.parametrize("call", [
    lambda: nm.ball_instance(rng(), -3, 1, 1.0),
    lambda: nm.ball_instance(rng(), 5, -1, 1.0),
    lambda: nm.ball_instance(rng(), 5, 2, -1.0),
    lambda: nm.subspace_instance(rng(), 10, -2),
    lambda: nm.erm_instance(rng(), 20, 2, -10),
    lambda: nm.gap_samples_direct(rng(), -5, 3, 10, 1.0, np.zeros(3)),
    lambda: nm.gap_samples_bartlett(rng(), 50, -3, 10, 1.0, np.zeros(3)),
    lambda: nm.gap_samples_numba(rng(), 50, 3, -1, 1.0, np.zeros(3)),
    lambda: nm.expected_gap(4, 3, 1.0),  # needs n > p + 1
    lambda: nm.mixture_instance(rng(), -1, 3, 2),
    lambda: nm.kmixture_instance(rng(), 10, -4, 3),
    lambda: nm.draw(rng(), nm.ReplicaConfig(n_transfer=-2000)),
    lambda: nm.draw(rng(), nm.ReplicaConfig(epochs=-1)),
    lambda: nm.random_softmax(rng(), 5, 1),
])
def test_negative_sizes_raise_invalid_parameter(call):
    with pytest.raises(InvalidParameter) as e:
        call()
    assert "allowed" in str(e.value)


def test_invalid_parameter_names_the_parameter():
    with pytest.raises(InvalidParameter, match=r"parameter n=-5 is invalid: allowed integer >= 5"):
        nm.gap_samples_direct(rng(), -5, 3, 10, 1.0, np.zeros(3))

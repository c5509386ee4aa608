"""numerics.sgd.ode: the integrator against elementary closed forms written here."""
import math

import numpy as np
import pytest

from numerics import InvalidParameter
from numerics.sgd import ode


def test_p1_tanh_rel_1e8():
    t = np.linspace(0, 5, 11)
    for r0 in (-0.9, 0.0, 0.3, 0.99):
        rho = ode.integrate_overlap([0.0, 1.5], r0, t)
        assert np.allclose(rho, np.tanh(1.5 * t + math.atanh(r0)), rtol=1e-10, atol=1e-14)


def test_p2_closed_form_both_variables():
    t = np.linspace(0, 2, 9)
    r0 = 0.2
    Q = r0**2 / (1 - r0**2) * np.exp(4 * t)
    exact = np.sqrt(Q / (1 + Q))
    for var in ("v", "rho"):
        assert np.allclose(ode.integrate_overlap([0, 0, 1.0], r0, t, variable=var), exact, rtol=1e-10)


def test_vectorised_starts_and_fixed_points():
    rho = ode.integrate_overlap([0, 0, 1.0], np.array([0.0, 1.0, -1.0, 0.5]), [0, 1, 2])
    assert rho.shape == (3, 4)
    assert np.all(rho[:, 0] == 0) and np.all(rho[:, 1] == 1) and np.all(rho[:, 2] == -1)


def test_e11_correction_lowers_rho():
    t = np.array([0, 0.5])
    base = ode.integrate_overlap([0, 0, 1.0], 0.3, t)[-1]
    corr = ode.integrate_overlap([0, 0, 1.0], 0.3, t, eta_d=0.1, C=[2.0, 0, 8.0])[-1]
    assert corr < base


def test_hitting_time_p1():
    assert ode.hitting_time([0, 1.0], 0.1, 0.9) == pytest.approx(math.atanh(0.9) - math.atanh(0.1), rel=1e-9)


def test_vector_flow_plane_and_norm():
    fr = ode.unit_frame(8, 3, 0.3, 0.6, rng=np.random.default_rng(2))
    W = ode.integrate_overlap_vector([0, 0, 1.0, 0.5], fr["u"], fr["theta"], np.linspace(0, 3, 7))
    m = ode.plane_metrics(fr["u"], fr["theta"], W, fr["U_k"])
    assert m["out_of_plane"].max() < 1e-12
    assert np.allclose(np.linalg.norm(W, axis=1), 1, atol=1e-10)
    assert m["occupancy"][0] == pytest.approx(1.0)


def test_unit_frame_geometry():
    fr = ode.unit_frame(10, 3, -0.4, 0.7, rng=np.random.default_rng(0))
    U = fr["U_k"]
    assert np.allclose(U.T @ U, np.eye(3), atol=1e-12)
    assert fr["u"] @ fr["theta"] == pytest.approx(-0.4)
    assert np.linalg.norm(U.T @ fr["theta"]) == pytest.approx(0.7)


def test_relu_kernel_values():
    assert ode.relu_kernel(1.0) == pytest.approx(0.5)          # E[relu(Z)^2] = 1/2
    assert ode.relu_kernel(0.0) == pytest.approx(1 / (2 * math.pi))
    assert ode.relu_kernel_prime(0.0) == pytest.approx(0.25)


def test_mse_ode_single_neuron_frozen_readout_is_e3():
    th = np.eye(4)[0]
    w0 = np.array([0.3, math.sqrt(1 - 0.09), 0, 0])
    t = np.linspace(0, 2, 5)
    A, W = ode.integrate_mse_ode([1.0], w0[None, :], th, t, [0, 0, 1.0], tau_a=0.0)
    assert np.all(A == 1.0)
    rho = ode.integrate_overlap([0, 0, 1.0], 0.3, t)
    assert np.allclose(W[:, 0, :] @ th, rho, rtol=1e-9)


def test_mse_ode_frozen_mask_and_readout_growth():
    th = np.eye(3)[0]
    W0 = np.stack([np.array([0.5, math.sqrt(0.75), 0]), np.eye(3)[2]])
    A, W = ode.integrate_mse_ode([0.0, 0.0], W0, th, [0, 0.1], [0, 0, 1.0], frozen=[False, True])
    assert A[-1, 1] == 0.0 and A[-1, 0] > 0      # φ(0.5) = 0.25 > 0 drives a_0 up
    assert np.allclose(W[-1, 1], W0[1])           # zero readout: zero gradient (H4 gating)


@pytest.mark.parametrize("call,name", [
    (lambda: ode.integrate_overlap([0, 1.0], 1.2, [0, 1]), "rho0"),
    (lambda: ode.integrate_overlap([0, 1.0], 0.2, [1, 0]), "t_grid"),
    (lambda: ode.integrate_overlap([0, 1.0], 0.2, [0, 1], eta_d=-0.1, C=[1.0]), "eta_d"),
    (lambda: ode.integrate_overlap([0, 1.0], 0.2, [0, 1], eta_d=0.1), "C"),
    (lambda: ode.integrate_overlap([0, 1.0], 0.2, [0, 1], batch=0), "batch"),
    (lambda: ode.integrate_overlap([0, 1.0], 0.2, [0, 1], variable="x"), "variable"),
    (lambda: ode.unit_frame(1, 1, 0.1), "d"),
    (lambda: ode.unit_frame(4, 5, 0.1), "r"),
    (lambda: ode.unit_frame(4, 2, 1.5), "rho"),
    (lambda: ode.integrate_overlap_vector([0, 1.0], [1.0, 0.0], [2.0, 0.0], [0, 1]), "norm(theta)"),
    (lambda: ode.integrate_mse_ode([1.0], [[1.0, 0.0]], [1.0, 0.0], [0, 1], [0, 1.0], kernel="tanh"), "kernel"),
    (lambda: ode.integrate_mse_ode([1.0], [[1.0, 0.0]], [1.0, 0.0], [0, 1], [0, 1.0], tau_a=-1), "tau_a"),
    (lambda: ode.forgetting(0.5, 2.0), "rho"),
    (lambda: ode.forgetting(0.5, [0.2, -1.5]), "rho"),
    (lambda: ode.forgetting(0.5, float("nan")), "rho"),
])
def test_bad_input_names_parameter(call, name):
    with pytest.raises(InvalidParameter) as e:
        call()
    assert e.value.name == name
    assert "allowed" in str(e.value)


def test_e3_and_e11_reproduce_spec_table():
    """spec §2.5 table (h_2 label, h_2 activation: φ = ρ², C = 2 + 8ρ², ρ_0 = 0.3, t = 0.5)."""
    assert ode.integrate_overlap([0, 0, 1.0], 0.3, [0, 0.5])[-1] == pytest.approx(0.650, abs=5e-4)
    for eta_d, expected in ((0.4, 0.498), (0.1, 0.605), (0.025, 0.638)):
        got = ode.integrate_overlap([0, 0, 1.0], 0.3, [0, 0.5], eta_d=eta_d, C=[2.0, 0.0, 8.0])[-1]
        assert got == pytest.approx(expected, abs=5e-4)
    # a minibatch B divides ηd
    assert ode.integrate_overlap([0, 0, 1.0], 0.3, [0, 0.5], eta_d=0.4, C=[2.0, 0.0, 8.0], batch=4)[-1] == \
        pytest.approx(ode.integrate_overlap([0, 0, 1.0], 0.3, [0, 0.5], eta_d=0.1, C=[2.0, 0.0, 8.0])[-1], rel=1e-12)


def test_mse_ode_is_a_gradient_flow():
    """With τ_a = 1, (E10) is the (Riemannian) negative gradient of
    L = ½Σ_jl a_ja_lκ(c_jl) − Σ_j a_jφ(ρ_j): L must be non-increasing along the path."""
    rng = np.random.default_rng(7)
    m, d = 5, 6
    W0 = rng.standard_normal((m, d))
    W0 /= np.linalg.norm(W0, axis=1, keepdims=True)
    th = np.eye(d)[0]
    coeffs = [0.0, 0.1, 0.3, 0.2]
    t = np.linspace(0, 3, 31)
    A, W = ode.integrate_mse_ode(rng.normal(0, 0.3, m), W0, th, t, coeffs)
    phi = lambda r: np.polynomial.polynomial.polyval(r, coeffs)  # noqa: E731
    L = [0.5 * a @ ode.relu_kernel(np.clip(Wt @ Wt.T, -1, 1)) @ a - a @ phi(Wt @ th) for a, Wt in zip(A, W)]
    assert np.all(np.diff(L) <= 1e-12)
    assert L[-1] < L[0] - 1e-3
    assert np.allclose(np.linalg.norm(W, axis=2), 1, atol=1e-9)

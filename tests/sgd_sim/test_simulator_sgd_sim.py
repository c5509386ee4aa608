"""The finite-d SGD simulator (spec sgd_dynamics.md §1.2–§1.5, §2.5): validation, geometry,
one step against an independent hand computation, backend agreement, gating, the reduced
chain and the population helpers against the spec's published numbers."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from numerics import InvalidParameter
from numerics.sgd import sim_common as sc
from numerics.sgd import sim_numba, sim_numpy, sim_ode, sim_reduced, sim_torch

H2 = (0, 0, 1.0)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("kw, name", [
    (dict(d=1), "d"),
    (dict(d=8, r=9), "r"),
    (dict(d=16, rho=(1.5,)), "rho[0]"),
    (dict(d=16, rho=(0.2, -1.01)), "rho[1]"),
    (dict(d=16, eta=0.0), "eta"),
    (dict(d=16, eta=-1e-3), "eta"),
    (dict(d=16, mechanism="H5"), "mechanism"),
    (dict(d=16, protocol="rlhf"), "protocol"),
    (dict(d=16, transform="cube"), "transform"),
    (dict(d=4, r=2, rho=(0.1, 0.2)), "d"),            # d < rK + 1
    (dict(d=16, mechanism="H2", rho=(0.8, 0.8)), "rho"),
    (dict(d=16, beta=(0,) * 8 + (1,)), "beta"),
])
def test_bad_input_names_the_parameter(kw, name):
    with pytest.raises(InvalidParameter) as e:
        sc.SimConfig(**kw)
    assert e.value.name == name
    assert "allowed" in str(e.value)


def test_bad_input_of_the_reduced_chain_and_devices():
    with pytest.raises(InvalidParameter, match="eta"):
        sim_reduced.overlap_at(16, 0.0, 0.1, 5, H2, H2, 0, 1)
    with pytest.raises(InvalidParameter, match="rho0"):
        sim_reduced.hitting_steps(16, 0.01, 1.2, H2, H2, 0, 1)
    with pytest.raises(InvalidParameter, match="d"):
        sim_reduced.overlap_at(2, 0.01, 0.1, 5, H2, H2, 0, 1)
    with pytest.raises(InvalidParameter, match="device"):
        sim_torch.simulate_runs(sc.SimConfig(d=16, n_steps=1), 0, 1, device="tpu")


# ------------------------------------------------------------------ geometry (spec §1.2)


@pytest.mark.parametrize("mech", ["H1", "H2", "H4"])
def test_construction(mech):
    rho = (0.0, 0.3, -0.6)
    cfg = sc.SimConfig(d=20, r=3, rho=rho, m_target=50, m_off=3, mechanism=mech, init="subspace")
    p = sc.make_plan(cfg, 1)
    for k, Uk in enumerate(p.U):
        np.testing.assert_allclose(Uk.T @ Uk, np.eye(3), atol=1e-14)
    for k, rk in enumerate(rho, start=1):
        u = p.U[k][:, 0]
        assert abs(u @ p.theta - rk) < 1e-14                       # ρ_k = <u_k, θ>
        if mech == "H2":
            assert abs(u @ p.v_label) == 0.0                       # u ⊥ v
        occ = np.sum((p.W0[p.groups[k]] @ p.U[k]) ** 2, axis=1)
        np.testing.assert_allclose(occ, 1.0, atol=1e-12)           # subspace init lies in V_k
    np.testing.assert_allclose(np.linalg.norm(p.W0, axis=1), 1.0, atol=1e-14)
    assert abs(p.n_w @ p.theta) < 1e-14
    # target group: w = U_κ ξ, E[ρ(0)^2] = 1/r
    rho0 = p.W0[p.groups[0]] @ p.v_label
    assert np.all(np.abs(rho0) < 1)


def test_target_overlap_distribution():
    """ρ_j(0) has density ∝ (1 − s²)^{(r−3)/2}: for r = 3 it is uniform on [−1, 1] (spec §1.3)."""
    cfg = sc.SimConfig(d=8, r=3, rho=(), m_target=4000, m_off=0)
    rho0 = sc.make_plan(cfg, 3).W0[:, 0]
    assert stats.kstest(rho0, stats.uniform(-1, 2).cdf).pvalue > 1e-3


# ------------------------------------------------------------------ one step by hand


def test_one_step_matches_hand_computation():
    """Spherical SGD step (spec §1.4) written out independently for batch 2, σ = h_2, label h_2."""
    cfg = sc.SimConfig(d=6, r=2, rho=(0.4,), m_target=2, m_off=1, eta=0.05, n_steps=1, batch=2)
    p = sc.make_plan(cfg, 5)
    X = next(sc.input_blocks(p))[0]
    W = p.W0.copy()
    a = p.a.copy()
    sim_numpy.step(p, W, a, X)
    expect = []
    for w in p.W0:
        g = np.zeros(6)
        for x in X[:, :6]:
            y = (x[0] ** 2 - 1) / math.sqrt(2)                  # h_2(<θ,x>), θ = e_0
            s = w @ x
            dsig = math.sqrt(2) * s                              # h_2'(s) = √2 h_1(s)
            g += y * dsig * (x - s * w) / 2
        v = w + 0.05 * g
        expect.append(v / np.linalg.norm(v))
    np.testing.assert_allclose(W, np.array(expect), rtol=0, atol=1e-14)


# ------------------------------------------------------------------ backends


CASES = [
    dict(mechanism="H1", protocol="w2s", transform="square", eps_w=0.2, batch=1),
    dict(mechanism="H1", protocol="sft", noise=0.5, batch=3, activation="relu"),
    dict(mechanism="H2", protocol="sft", batch=1, beta=(0, 0, 1.0, 1.0), sigma_star=(0, 0, 0, 1.0)),
    dict(mechanism="H3", protocol="w2s", batch=2, activation="relu"),
    dict(mechanism="H4", protocol="w2s", batch=1),
    dict(mechanism="H4", protocol="sft", batch=2, a_init=0.1),
]


@pytest.mark.parametrize("kw", CASES, ids=lambda k: f"{k['mechanism']}-{k['protocol']}-B{k['batch']}")
def test_backends_agree(kw):
    cfg = sc.SimConfig(d=24, r=2, rho=(0.0, 0.5), m_target=6, m_off=3, eta=0.3 / 24, n_steps=700, **kw)
    ref = sim_numpy.simulate_runs(cfg, 11, 2)
    for res in (sim_numba.simulate_runs(cfg, 11, 2), sim_torch.simulate_runs(cfg, 11, 2)):
        for x, y in zip(ref, res):
            assert np.max(np.abs(x.W - y.W)) < 1e-10
            assert np.max(np.abs(x.a - y.a)) < 1e-10
    moved = max(np.max(np.abs(r.W - r.plan.W0)) for r in ref)
    assert moved > 1e-3


def test_single_and_batched_numba_agree():
    cfg = sc.SimConfig(d=16, r=2, rho=(0.3,), m_target=4, m_off=2, eta=0.01, n_steps=300)
    one = sim_numba.simulate(cfg, 4, run=1)
    many = sim_numba.simulate_runs(cfg, 4, 2)[1]
    assert np.max(np.abs(one.W - many.W)) < 1e-12


def test_seed_determinism():
    cfg = sc.SimConfig(d=16, r=2, rho=(0.3,), m_target=4, m_off=2, eta=0.01, n_steps=50)
    a, b, c = sim_numpy.simulate(cfg, 1), sim_numpy.simulate(cfg, 1), sim_numpy.simulate(cfg, 2)
    assert np.array_equal(a.W, b.W)
    assert not np.allclose(a.W, c.W)


@pytest.mark.parametrize("backend", ["numpy", "numba", "torch"])
def test_h4_gating_is_bit_exact(backend):
    """Under H4 the off-target task-κ readout is 0 in W2S: those neurons never move (spec §3.2 H4)."""
    from proofs_checks.claims.sgd.sim import simulate
    cfg = sc.SimConfig(d=32, r=2, rho=(0.2, 0.9), m_target=4, m_off=3, eta=0.02, n_steps=300, mechanism="H4")
    for r in simulate(cfg, 9, 2, backend):
        off = np.concatenate(r.plan.groups[1:])
        assert np.array_equal(r.W[off], r.plan.W0[off])
        assert np.max(np.abs(r.W[r.plan.groups[0]] - r.plan.W0[r.plan.groups[0]])) > 1e-3


def test_metrics_shapes_and_ranges():
    cfg = sc.SimConfig(d=32, r=2, rho=(0.0, 0.5), m_target=8, m_off=4, eta=0.01, n_steps=200)
    r = sim_numpy.simulate(cfg, 0)
    m = r.metrics()
    assert len(m["F"]) == 2 and all(0 <= f <= 1 for f in m["F"])
    assert all(0 <= o <= 1 + 1e-12 for o in m["O"])
    assert 0 <= m["frac_aligned"] <= 1
    out = sc.phase2(r, n2=400, nu=1e-2, seed=0, n_test=2000)
    assert out["mse_kappa"] >= 0 and len(out["task_k"]) == 2


# ------------------------------------------------------------------ reduced chain, population helpers


def test_reduced_chain_matches_full_d_in_distribution():
    """§2.5 reduced exact simulator vs full-d SGD: two-sample KS on ρ(t) (false-alarm 1e-3)."""
    d, eta, n = 40, 0.2 / 40, 400
    cfg = sc.SimConfig(d=d, r=2, rho=(), m_target=1, m_off=0, eta=eta, n_steps=n, target_init="fixed", m0=0.3)
    full = np.array([r.overlap()[0] for r in sim_numba.simulate_runs(cfg, 5, 200)])
    red = sim_reduced.overlap_at(d, eta, 0.3, n, H2, H2, 6, 400)
    assert stats.ks_2samp(full, red).pvalue > 1e-3


def test_noise_coefficient_and_label_coefficients_match_spec():
    c = sim_ode.label_coeffs(H2)
    for rho in (0.0, 0.3, 0.8):
        assert abs(sim_ode.noise_c(rho, c, H2) - (2 + 8 * rho**2)) < 1e-10      # spec §2.5 example
    sq = sim_ode.label_coeffs((0, 0, 0, 1.0), "square")                          # spec §1.1, h_3² centred
    np.testing.assert_allclose(sq[:7], [0, 0, 3 * math.sqrt(2), 0, 3 * math.sqrt(6), 0, 2 * math.sqrt(5)],
                               atol=1e-10)


def test_e11_reproduces_the_spec_table():
    """Spec §2.5 table (h_2/h_2, ρ0 = 0.3, t = 0.5): (E3) 0.650; (E11) 0.498, 0.605, 0.638."""
    c = sim_ode.label_coeffs(H2)
    assert abs(sim_ode.flow(0.3, [0.5], c, H2)[0] - 0.650) < 5e-4
    for ed, v in ((0.4, 0.498), (0.1, 0.605), (0.025, 0.638)):
        assert abs(sim_ode.flow(0.3, [0.5], c, H2, eta_d=ed)[0] - v) < 5e-4


def test_matched_horizon_reproduces_the_spec_table():
    """Spec §3.1 table (a selection), to the printed 4 decimals."""
    from proofs_checks.claims.sgd.sim import f_matched, k_factor
    table = {(0.05, 2, 0.03): 0.5756, (0.1, 1, 0.0): 0.7729, (0.1, 2, 0.1): 0.7257, (0.1, 3, 0.3): 0.9097,
             (0.3, 4, 0.6): 0.6366, (0.3, 2, 0.1): 0.2158, (0.05, 3, 0.1): 0.9900}
    for (m0, p, rk), v in table.items():
        assert abs(f_matched(p, m0, rk) - v) < 6e-5, (m0, p, rk)
    for m0, K in ((0.05, 41.2), (0.1, 20.5), (0.3, 6.57)):
        assert abs(k_factor(m0) - K) / K < 3e-3


def test_table_builds_and_draws(tmp_path, monkeypatch):
    """The sgd.forgetting table and figure on a reduced grid (the full build is exercised by the CLI)."""
    from proofs_checks import RunContext
    from proofs_checks.claims.sgd.sim import tables as t
    monkeypatch.setattr(t, "RHOS", (0.0, 0.5))
    monkeypatch.setattr(t, "ETA_D", 0.05)
    monkeypatch.setattr(t, "T_SFT", 1.0)
    data = t.build(RunContext(profile="fast", backends=("numpy", "numba")))
    assert len(data.rows) == 3 * 2 * 2
    h4w2s = [r for r in data.rows if r[0] == "H4" and r[1] == "W2S"]
    assert all(abs(r[3].value) < 1e-12 for r in h4w2s)
    out = tmp_path / "f.png"
    t.figure(data, str(out))
    assert out.stat().st_size > 10_000


def test_torch_thread_policy_restores_the_thread_count():
    import torch
    before = torch.get_num_threads()
    with sim_torch.cpu_threads(1, 4, 16):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


@pytest.mark.skipif(not __import__("numerics").cuda_available(), reason="no CUDA device")
def test_torch_on_cuda_agrees_with_numpy():
    cfg = sc.SimConfig(d=64, r=2, rho=(0.0, 0.5), m_target=8, m_off=4, eta=0.2 / 64, n_steps=500, batch=2,
                       mechanism="H4", protocol="sft")
    ref = sim_numpy.simulate_runs(cfg, 3, 3)
    for x, y in zip(ref, sim_torch.simulate_runs(cfg, 3, 3, device="cuda")):
        assert np.max(np.abs(x.W - y.W)) < 1e-10

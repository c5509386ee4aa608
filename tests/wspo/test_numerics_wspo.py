"""Unit tests of numerics.wspo against hand-computed values and independent references
(torch.optim.Adam, torch autograd, the spec's worked examples)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import numerics
from numerics import wspo as nw


def test_spec_wspo9_example_by_hand():
    # π_γ ∝ (0.001·1.8², 0.999·0.2²) = (0.00324, 0.03996) → (0.075, 0.925)  (spec WSPO-9)
    pi, lz = nw.tilt_from([0.001, 0.999], [0.9, 0.1], [0.5, 0.5], 0.5)
    assert np.allclose(pi, [0.075, 0.925], rtol=1e-12)
    assert np.isclose(np.exp(lz), 0.0432, rtol=1e-12)


def test_tilt_names_say_what_they_return():
    # numerics returns log Z′ (field log_Z), theory returns Z′ itself (field Z): 0.0432 = 0.00324 + 0.03996
    import sympy as sp

    from theory import wspo as tw
    t = nw.tilt_from([0.001, 0.999], [0.9, 0.1], [0.5, 0.5], 0.5)
    assert np.isclose(t.log_Z, np.log(0.0432), rtol=1e-12) and t.pi is t[0]
    R = sp.Rational
    e = tw.tilt((R(1, 1000), R(999, 1000)), (R(9, 10), R(1, 10)), (R(1, 2), R(1, 2)), R(1, 2))
    assert e.Z == R(432, 10000) and e.pi == [R(3, 40), R(37, 40)]


def test_gamma_one_equal_refs_is_weak_model():
    a, b = np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.1, 0.3])
    pi, lz = nw.tilt_from(a, b, a, 1.0)
    assert np.allclose(pi, b, rtol=1e-14) and abs(lz) < 1e-15


def test_seq_loss_by_hand():
    g = 0.5
    lt = np.array([[9.0, -1.0, -2.0]])
    ls = np.array([[9.0, -1.5, -1.0]])
    lr = np.array([[9.0, -0.5, -3.0]])
    lw = np.array([[9.0, -1.0, -2.5]])
    mask = np.array([[0.0, 1.0, 1.0]])  # position 0 is prompt
    e1 = g * (-1.0 + 1.5) - (-0.5 + 1.0)  # = -0.25
    e2 = g * (-2.0 + 1.0) - (-3.0 + 2.5)  # = 0.0
    assert nw.seq_loss(lt, ls, lr, lw, mask, g) == pytest.approx((e1**2 + e2**2) / 2, rel=1e-15)
    t = [torch.tensor(x) for x in (lt, ls, lr, lw, mask)]
    assert float(nw.seq_loss_torch(*t[:4], t[4], g)) == pytest.approx((e1**2 + e2**2) / 2, rel=1e-15)
    assert nw.residuals(lt, ls, lr, lw, mask, g)[0, 0] == 0.0


def test_adam_matches_torch_optim_adam():
    rng = numerics.rng(0, "adam")
    A = rng.standard_normal((5, 5))
    Q = A @ A.T + np.eye(5)
    x0 = rng.standard_normal(5)
    xn = nw.adam_numpy(x0, lambda x: Q @ x, 50, 0.05)
    x = torch.tensor(x0, requires_grad=True)
    opt = torch.optim.Adam([x], lr=0.05)
    Qt = torch.tensor(Q)
    for _ in range(50):
        opt.zero_grad()
        (0.5 * x @ Qt @ x).backward()
        opt.step()
    assert np.allclose(xn, x.detach().numpy(), rtol=1e-12, atol=1e-14)
    xt = nw.adam_torch(x0, lambda y: 0.5 * y @ Qt @ y, 50, 0.05)
    assert np.allclose(xn, xt, rtol=1e-12, atol=1e-14)


def test_closed_form_gradients_match_autograd():
    rng = numerics.rng(1, "grad")
    a, b, c, d = (rng.dirichlet(np.ones(5)) for _ in range(4))
    z = rng.standard_normal(5)
    dl = nw.delta(b, c)
    zt = torch.tensor(z, requires_grad=True)
    e = 0.3 * (torch.log_softmax(zt, 0) - torch.tensor(np.log(a))) - torch.tensor(dl)
    (torch.tensor(d) * e * e).sum().backward()
    assert np.allclose(nw.grad(z, d, np.log(a), dl, 0.3), zt.grad.numpy(), rtol=1e-12, atol=1e-15)
    H = torch.autograd.functional.hessian(
        lambda q: (torch.tensor(d) * (0.3 * (torch.log_softmax(q, 0) - torch.tensor(np.log(a))) - torch.tensor(dl)) ** 2).sum(),
        torch.tensor(z))
    assert np.allclose(nw.hessian(z, d, np.log(a), dl, 0.3), H.numpy(), rtol=1e-10, atol=1e-13)


def test_minimiser_is_stationary_and_backends_agree():
    rng = numerics.rng(2, "min")
    a, b, c = (rng.dirichlet(np.ones(7)) for _ in range(3))
    d = np.full(7, 1 / 7)
    dl = nw.delta(b, c)
    fn = nw.minimise(d, a, dl, 0.25)
    ft = nw.minimise(d, a, dl, 0.25, backend="torch")
    assert fn.grad_norm < 1e-10 and ft.grad_norm < 1e-10
    assert nw.tv(fn.pi, ft.pi) < 1e-9
    # off-policy with Z′ ≠ 1: the minimiser is NOT the tilt (WSPO-4)
    pg, lz = nw.tilt(a, dl, 0.25)
    assert abs(lz) > 0.1 and nw.tv(fn.pi, pg) > 1e-3


def test_minimise_batch_matches_scalar():
    rng = numerics.rng(3, "batch")
    a, b, c, d = (rng.dirichlet(np.ones(6)) for _ in range(4))
    dl = nw.delta(b, c)
    pop = nw.minimise(d, a, dl, 0.5)
    D = rng.multinomial(200, d, size=20) / 200
    P = nw.minimise_batch(D, a, dl, 0.5, pop.z)
    for i in range(20):
        if np.all(D[i] > 0):
            assert nw.tv(P[i], nw.minimise(D[i], a, dl, 0.5, z0=pop.z).pi) < 1e-9


def test_prefix_index_by_hand():
    # V=2, T=3: rows 0 (root), 1..2 (after one token), 3..6 (after two tokens)
    Y = np.array([[1, 0, 1], [0, 1, 1]])
    assert nw.ar.prefix_index(Y, 2).tolist() == [[0, 2, 5], [0, 1, 4]]
    assert nw.ar.n_prefixes(2, 3) == 7
    assert nw.ar.enumerate_sequences(2, 2).tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_ar_sequence_probabilities_and_sampling():
    rng = numerics.rng(4, "ar")
    V, T = 3, 2
    Z = rng.standard_normal((nw.ar.n_prefixes(V, T), V))
    p = nw.ar.seq_probs(Z, V, T)
    assert np.isclose(p.sum(), 1.0)
    n = 40000
    Y = nw.ar.sample(Z, n, V, T, rng)
    codes = Y[:, 0] * V + Y[:, 1]
    freq = np.bincount(codes, minlength=V**T) / n
    z = numerics.z_two_sided(1e-3, V**T)  # per-cell binomial interval, false-alarm 1e-3 overall
    assert np.all(np.abs(freq - p) <= z * np.sqrt(p * (1 - p) / n))


def test_ar_gradient_closed_form_vs_autograd_and_fit_agreement():
    rng = numerics.rng(5, "arg")
    V, T = 3, 3
    refs = tuple(rng.standard_normal((nw.ar.n_prefixes(V, T), V)) for _ in range(3))
    Y = nw.ar.sample(refs[0], 50, V, T, rng)
    w = np.full(50, 1 / 50)
    Z = refs[0] + 0.2 * rng.standard_normal(refs[0].shape)
    f = nw.ar.torch_loss_fn(Y, w, refs, 0.7, V)
    Zt = torch.tensor(Z, requires_grad=True)
    f(Zt).backward()
    assert np.allclose(nw.ar.grad(Z, Y, w, refs, 0.7, V), Zt.grad.numpy(), rtol=1e-11, atol=1e-14)
    assert float(f(torch.tensor(Z))) == pytest.approx(nw.ar.loss(Z, Y, w, refs, 0.7, V), rel=1e-13)


def test_token_product_equals_sequence_tilt_only_in_the_special_cases():
    rng = numerics.rng(6, "tree")
    V, T = 2, 2
    Zs, Zr, Zw = (rng.standard_normal((nw.ar.n_prefixes(V, T), V)) for _ in range(3))
    tok = lambda *r, g: nw.ar.seq_probs(nw.ar.token_tilt(*r, g), V, T)  # noqa: E731
    assert nw.kl(nw.ar.seq_tilt(Zs, Zr, Zs, 1.0, V, T), tok(Zs, Zr, Zs, g=1.0)) < 1e-14
    assert np.allclose(nw.ar.seq_tilt(Zs, Zr, Zs, 1.0, V, T), nw.ar.seq_probs(Zr, V, T), rtol=1e-12)
    assert nw.kl(nw.ar.seq_tilt(Zs, Zr, Zw, 0.5, V, T), tok(Zs, Zr, Zw, g=0.5)) > 1e-4


def test_contextual_tilt_in_class_and_population_data():
    rng = numerics.rng(7, "ctx")
    b = nw.contextual.make_bandit(rng, 4, 3, 5)
    Ws = b.tilt_weights(0.5)
    pop = nw.contextual.population_data(b, Ws)
    assert np.isclose(pop.w.sum(), 1.0)
    assert np.abs(nw.contextual.grad(Ws, b, pop, 0.5)).max() < 1e-12
    # the tilt's per-context distribution is π_ref^s·(π_r^w/π_ref^w)^{1/γ}, normalised
    lp = nw.contextual.logprobs
    x = 2
    direct, _ = nw.tilt(np.exp(lp(b.A_s, b.X))[x], lp(b.B_w, b.X)[x] - lp(b.A_w, b.X)[x], 0.5)
    assert np.allclose(np.exp(lp(Ws, b.X))[x], direct, rtol=1e-12)


def test_gaussian_closed_form_example():
    lam, mean = nw.gaussian.closed_form(0.0, 1.0, 0.0, 1.5, 0.0, 1.0, 0.5)
    assert lam == pytest.approx(-1 / 9, rel=1e-14) and np.isnan(mean)
    lam, mean = nw.gaussian.closed_form(0.3, 1.0, 1.2, 0.8, 0.3, 1.0, 1.0)  # γ=1, equal refs → N(μ_w, σ_w²)
    assert lam == pytest.approx(0.8**-2, rel=1e-14) and mean == pytest.approx(1.2, rel=1e-14)


def test_on_policy_iteration_can_cycle_around_a_fixed_tilt():
    """V = 3, γ = 1, Dirichlet(1) instance (seed 43286 of the wspo instance stream): π_γ is a fixed
    point of the refit, yet the iteration from π_ref^s alternates between two policies ≠ π_γ."""
    r = numerics.rng(43286, "wspo", "instance")
    a, b, c = (r.dirichlet(np.ones(3)) for _ in range(3))
    dl = nw.delta(b, c)
    pg = nw.tilt(a, dl, 1.0)[0]
    assert nw.tv(nw.minimise(pg, a, dl, 1.0, z0=np.log(pg)).pi, pg) < 1e-12
    _, path = nw.on_policy(a, dl, 1.0, 300)
    assert nw.tv(path[-1], path[-3]) < 1e-12 and nw.tv(path[-1], path[-2]) > 0.1
    assert min(nw.tv(path[-1], pg), nw.tv(path[-2], pg)) > 1e-3  # neither point of the cycle is π_γ


def test_on_policy_population_converges_and_sampling_is_seeded():
    rng = numerics.rng(8, "op")
    a, b, c = (rng.dirichlet(np.ones(5)) for _ in range(3))
    dl = nw.delta(b, c)
    pi, _ = nw.on_policy(a, dl, 0.5, 200)
    assert nw.tv(pi, nw.tilt(a, dl, 0.5)[0]) < 1e-6
    p1, _ = nw.on_policy(a, dl, 0.5, 3, n=500, rng=numerics.rng(9, "s"))
    p2, _ = nw.on_policy(a, dl, 0.5, 3, n=500, rng=numerics.rng(9, "s"))
    assert np.array_equal(p1, p2)

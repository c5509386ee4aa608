"""Contextual bandit with linear-softmax policies π_W(·|x) = softmax(Wx) (spec wspo.md §2;
WSPO-5/13).  The references are linear-softmax too, so the tilt is in the class:
W* = A_s + (B_w − A_w)/γ (softmax is shift invariant).  Data are weighted (x, y) pairs:
offline a fixed sample, on-policy every (x, a) weighted by the current fit."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ._math import logsumexp

from .._backends import check_backend, check_device
from .._validate import InvalidParameter, check_int
from ._optim import adam_numpy, adam_torch
from ._validate import check_gamma


@dataclass
class Bandit:
    """Contexts X (n_ctx × k) and reference weights A_s (strong ref), A_w (weak ref),
    B_w (weak aligned), each V × k."""

    X: np.ndarray
    A_s: np.ndarray
    A_w: np.ndarray
    B_w: np.ndarray

    @property
    def vocab(self) -> int:
        return self.A_s.shape[0]

    def tilt_weights(self, gamma: float) -> np.ndarray:
        gamma = check_gamma(gamma)
        return self.A_s + (self.B_w - self.A_w) / gamma


def make_bandit(rng: np.random.Generator, vocab: int, k: int, n_ctx: int, scale: float = 1.0) -> Bandit:
    vocab, k, n_ctx = check_int("vocab", vocab, 2), check_int("k", k, 1), check_int("n_ctx", n_ctx, 1)
    X = rng.standard_normal((n_ctx, k))
    A_s, A_w = (scale * rng.standard_normal((vocab, k)) for _ in range(2))
    B_w = A_w + 0.5 * scale * rng.standard_normal((vocab, k))
    return Bandit(X, A_s, A_w, B_w)


def logprobs(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    z = X @ W.T
    return z - logsumexp(z, axis=1, keepdims=True)


@dataclass
class Data:
    """Weighted pairs: context index, action, weight (weights sum to 1)."""

    ctx: np.ndarray
    act: np.ndarray
    w: np.ndarray


def sample_data(b: Bandit, W: np.ndarray, n: int, rng: np.random.Generator) -> Data:
    """n pairs: a uniform context, an action from π_W(·|x) (offline: W = A_s)."""
    n = check_int("n", n, 1)
    c = rng.integers(0, len(b.X), n)
    P = np.exp(logprobs(W, b.X))[c]
    u = rng.random(n)[:, None]
    a = np.minimum((np.cumsum(P, axis=1) < u).sum(1), b.vocab - 1)
    return Data(c, a, np.full(n, 1.0 / n))


def population_data(b: Bandit, W: np.ndarray) -> Data:
    """Every (x, a) weighted by π_W(a|x)/n_ctx (the on-policy population)."""
    P = np.exp(logprobs(W, b.X)) / len(b.X)
    c, a = np.meshgrid(np.arange(len(b.X)), np.arange(b.vocab), indexing="ij")
    return Data(c.ravel(), a.ravel(), P.ravel())


def _targets(b: Bandit, data: Data):
    ls = logprobs(b.A_s, b.X)[data.ctx, data.act]
    dl = (logprobs(b.B_w, b.X) - logprobs(b.A_w, b.X))[data.ctx, data.act]
    return ls, dl


def loss(W: np.ndarray, b: Bandit, data: Data, gamma: float) -> float:
    gamma = check_gamma(gamma)
    ls, dl = _targets(b, data)
    e = gamma * (logprobs(W, b.X)[data.ctx, data.act] - ls) - dl
    return float(np.sum(data.w * e * e))


def grad(W: np.ndarray, b: Bandit, data: Data, gamma: float) -> np.ndarray:
    """Closed form (WSPO-13): Σ_i w_i 2γ e_i (1[a=y_i] − π_W(a|x_i)) x_iᵀ."""
    gamma = check_gamma(gamma)
    ls, dl = _targets(b, data)
    LP = logprobs(W, b.X)
    e = gamma * (LP[data.ctx, data.act] - ls) - dl
    G = -np.exp(LP[data.ctx])
    G[np.arange(len(data.act)), data.act] += 1.0
    G *= (2 * gamma * data.w * e)[:, None]
    return G.T @ b.X[data.ctx]


def torch_loss_fn(b: Bandit, data: Data, gamma: float, device: str = "cpu"):
    """The same loss as a function of a torch W (autograd path, any device)."""
    import torch

    gamma = check_gamma(gamma)
    ls, dl = _targets(b, data)
    t = lambda a, dt=torch.float64: torch.as_tensor(a, dtype=dt, device=device)  # noqa: E731
    X, c, a, w, LS, DL = t(b.X), t(data.ctx, torch.long), t(data.act, torch.long), t(data.w), t(ls), t(dl)

    def f(W):
        lp = torch.log_softmax(X @ W.T, dim=1)[c, a]
        e = gamma * (lp - LS) - DL
        return torch.sum(w * e * e)

    return f


def fit(b: Bandit, data: Data, gamma: float, W0: np.ndarray, steps: int, lr: float = 0.05,
        backend: str = "numpy", device: str = "cpu") -> np.ndarray:
    """Adam on the offline loss: numpy (closed-form gradient) or torch (autograd)."""
    backend = check_backend(backend)
    if W0.shape != b.A_s.shape:
        raise InvalidParameter("W0", f"<shape {W0.shape}>", f"shape {b.A_s.shape} (V × k)")
    if backend == "torch":
        return adam_torch(W0, torch_loss_fn(b, data, gamma, check_device(device)), steps, lr, device)
    return adam_numpy(W0, lambda W: grad(W, b, data, gamma), steps, lr)


def fit_exact(b: Bandit, data: Data, gamma: float, W0: np.ndarray, gtol: float = 1e-11,
              max_iter: int = 2000) -> np.ndarray:
    """The minimiser of the weighted loss by BFGS with the closed-form gradient (WSPO-13),
    warm-started at ``W0`` (numpy only: a reference solver, not a backend kernel)."""
    from scipy.optimize import minimize

    gamma = check_gamma(gamma)
    if W0.shape != b.A_s.shape:
        raise InvalidParameter("W0", f"<shape {W0.shape}>", f"shape {b.A_s.shape} (V × k)")
    shape = W0.shape

    def fg(x):
        W = x.reshape(shape)
        return loss(W, b, data, gamma), grad(W, b, data, gamma).ravel()

    res = minimize(fg, np.asarray(W0, dtype=float).ravel(), jac=True, method="BFGS",
                   options={"gtol": gtol, "maxiter": max_iter})
    return res.x.reshape(shape)


def on_policy(b: Bandit, gamma: float, rounds: int, steps: int, lr: float = 0.05, n: int | None = None,
              rng: np.random.Generator | None = None, backend: str = "numpy", device: str = "cpu",
              solver: str = "adam") -> np.ndarray:
    """On-policy training (WSPO-5): start at W = A_s; each round take data from the current
    fit — every (x, a) weighted by π_W(a|x) (population) or ``n`` sampled pairs — and refit
    (warm start) with ``steps`` Adam steps (``solver="adam"``) or to the exact minimiser
    (``solver="exact"``: BFGS, numpy; the iteration d ← argmin L(·; d) of the spec)."""
    rounds = check_int("rounds", rounds, 1)
    if solver not in ("adam", "exact"):
        raise InvalidParameter("solver", solver, "'adam' or 'exact'")
    if n is not None and rng is None:
        raise InvalidParameter("rng", rng, "a numpy Generator when n is given (every draw is seeded)")
    W = np.array(b.A_s, dtype=float)
    for _ in range(rounds):
        data = population_data(b, W) if n is None else sample_data(b, W, n, rng)
        W = fit_exact(b, data, gamma, W) if solver == "exact" else fit(b, data, gamma, W, steps, lr, backend, device)
    return W


def on_policy_gd(b: Bandit, gamma: float, steps: int, lr: float = 0.3, W0: np.ndarray | None = None) -> np.ndarray:
    """On-policy gradient training (WSPO-5/13): every step takes fresh population data from the
    current policy, d = π_W, and makes one gradient step on L(·; d) (d held fixed), from W0
    (default A_s).  Its fixed points are the on-policy stationary points, W* among them.
    (The undamped refit iteration d ← argmin L(·; d) can cycle in this linear class.)"""
    steps = check_int("steps", steps, 0)
    gamma = check_gamma(gamma)
    W = np.array(b.A_s if W0 is None else W0, dtype=float)
    for _ in range(steps):
        W = W - lr * grad(W, b, population_data(b, W), gamma)
    return W


def mean_tv(W1: np.ndarray, W2: np.ndarray, X: np.ndarray) -> float:
    """Average over contexts of TV(π_W1(·|x), π_W2(·|x))."""
    return float(0.5 * np.abs(np.exp(logprobs(W1, X)) - np.exp(logprobs(W2, X))).sum(1).mean())

"""Contextual bandit with linear-softmax policies π_W(·|x) = softmax(Wx) (spec wspo.md §2;
WSPO-5/13).  The references are linear-softmax too, so the tilt is in the class:
W* = A_s + (B_w − A_w)/γ (softmax is shift invariant).  Data are weighted (x, y) pairs:
offline a fixed sample, on-policy every (x, a) weighted by the current fit."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ._math import logsumexp

from .._backends import check_backend, check_device
from .._validate import InvalidParameter, check_array, check_int, check_real
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

    def __post_init__(self) -> None:
        self.X = check_array("X", self.X, ndim=2)
        self.A_s = check_array("A_s", self.A_s, shape=(None, self.X.shape[1]))
        if self.A_s.shape[0] < 2:
            raise InvalidParameter("A_s", f"<shape {self.A_s.shape}>", "V >= 2 rows of reference weights")
        for name in ("A_w", "B_w"):
            setattr(self, name, check_array(name, getattr(self, name), shape=self.A_s.shape))

    @property
    def vocab(self) -> int:
        return self.A_s.shape[0]

    def tilt_weights(self, gamma: float) -> np.ndarray:
        gamma = check_gamma(gamma)
        return self.A_s + (self.B_w - self.A_w) / gamma


def make_bandit(rng: np.random.Generator, vocab: int, k: int, n_ctx: int, scale: float = 1.0) -> Bandit:
    vocab, k, n_ctx = check_int("vocab", vocab, 2), check_int("k", k, 1), check_int("n_ctx", n_ctx, 1)
    scale = check_real("scale", scale, 0.0, None)
    X = rng.standard_normal((n_ctx, k))
    A_s, A_w = (scale * rng.standard_normal((vocab, k)) for _ in range(2))
    B_w = A_w + 0.5 * scale * rng.standard_normal((vocab, k))
    return Bandit(X, A_s, A_w, B_w)


def logprobs(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    """log π_W(·|x) for every context row of X: (n_ctx, V)."""
    X = check_array("X", X, ndim=2)
    W = check_array("W", W, shape=(None, X.shape[1]))
    return _logprobs(W, X)


def _logprobs(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    z = X @ W.T
    return z - logsumexp(z, axis=1, keepdims=True)


@dataclass
class Data:
    """Weighted pairs: context index, action, weight (weights sum to 1)."""

    ctx: np.ndarray
    act: np.ndarray
    w: np.ndarray

    def __post_init__(self) -> None:
        self.ctx, self.act = np.asarray(self.ctx), np.asarray(self.act)
        self.w = check_array("w", self.w, ndim=1)
        if self.ctx.shape != self.w.shape or not np.issubdtype(self.ctx.dtype, np.integer) or np.any(self.ctx < 0):
            raise InvalidParameter("ctx", "<array>", f"{self.w.size} context indices >= 0")
        if self.act.shape != self.w.shape or not np.issubdtype(self.act.dtype, np.integer) or np.any(self.act < 0):
            raise InvalidParameter("act", "<array>", f"{self.w.size} action indices >= 0")
        if np.any(self.w < 0) or abs(self.w.sum() - 1) > 1e-9:
            raise InvalidParameter("w", "<array>", "non-negative weights summing to 1")


def _check_bandit(b) -> "Bandit":
    if not isinstance(b, Bandit):
        raise InvalidParameter("b", type(b).__name__, "a Bandit (make_bandit)")
    return b


def _check_W(W, b: "Bandit", name: str = "W") -> np.ndarray:
    W = np.asarray(W, dtype=float)
    if W.shape != b.A_s.shape or not np.all(np.isfinite(W)):
        raise InvalidParameter(name, f"<shape {W.shape}>", f"finite weights of shape {b.A_s.shape} (V × k)")
    return W


def _check_data(data, b: "Bandit") -> "Data":
    if not isinstance(data, Data):
        raise InvalidParameter("data", type(data).__name__, "a Data of weighted (context, action) pairs")
    if data.ctx.size and (data.ctx.max() >= len(b.X) or data.act.max() >= b.vocab):
        raise InvalidParameter("data", "<Data>", f"context indices < {len(b.X)} and actions < {b.vocab}")
    return data


def sample_data(b: Bandit, W: np.ndarray, n: int, rng: np.random.Generator) -> Data:
    """n pairs: a uniform context, an action from π_W(·|x) (offline: W = A_s)."""
    b = _check_bandit(b)
    n = check_int("n", n, 1)
    W = _check_W(W, b)
    c = rng.integers(0, len(b.X), n)
    P = np.exp(_logprobs(W, b.X))[c]
    u = rng.random(n)[:, None]
    a = np.minimum((np.cumsum(P, axis=1) < u).sum(1), b.vocab - 1)
    return Data(c, a, np.full(n, 1.0 / n))


def population_data(b: Bandit, W: np.ndarray) -> Data:
    """Every (x, a) weighted by π_W(a|x)/n_ctx (the on-policy population)."""
    P = np.exp(_logprobs(_check_W(W, _check_bandit(b)), b.X)) / len(b.X)
    c, a = np.meshgrid(np.arange(len(b.X)), np.arange(b.vocab), indexing="ij")
    return Data(c.ravel(), a.ravel(), P.ravel())


def _targets(b: Bandit, data: Data):
    ls = _logprobs(b.A_s, b.X)[data.ctx, data.act]
    dl = (_logprobs(b.B_w, b.X) - _logprobs(b.A_w, b.X))[data.ctx, data.act]
    return ls, dl


def _check(W, b, data, gamma):
    gamma = check_gamma(gamma)
    b = _check_bandit(b)
    return _check_W(W, b), b, _check_data(data, b), gamma


def loss(W: np.ndarray, b: Bandit, data: Data, gamma: float) -> float:
    """Σ_i w_i e_i², e_i = γ(log π_W(y_i|x_i) − log π_ref^s) − δ_w (WSPO-1)."""
    return _loss(*_check(W, b, data, gamma))


def _loss(W, b, data, gamma) -> float:
    ls, dl = _targets(b, data)
    e = gamma * (_logprobs(W, b.X)[data.ctx, data.act] - ls) - dl
    return float(np.sum(data.w * e * e))


def grad(W: np.ndarray, b: Bandit, data: Data, gamma: float) -> np.ndarray:
    """Closed form (WSPO-13): Σ_i w_i 2γ e_i (1[a=y_i] − π_W(a|x_i)) x_iᵀ."""
    return _grad(*_check(W, b, data, gamma))


def _grad(W, b, data, gamma) -> np.ndarray:
    ls, dl = _targets(b, data)
    LP = _logprobs(W, b.X)
    e = gamma * (LP[data.ctx, data.act] - ls) - dl
    G = -np.exp(LP[data.ctx])
    G[np.arange(len(data.act)), data.act] += 1.0
    G *= (2 * gamma * data.w * e)[:, None]
    return G.T @ b.X[data.ctx]


def torch_loss_fn(b: Bandit, data: Data, gamma: float, device: str = "cpu"):
    """The same loss as a function of a torch W (autograd path, any device)."""
    import torch

    gamma = check_gamma(gamma)
    b = _check_bandit(b)
    data = _check_data(data, b)
    device = check_device(device)
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
    b = _check_bandit(b)
    W0, data, gamma = _check_W(W0, b, "W0"), _check_data(data, b), check_gamma(gamma)
    if backend == "torch":
        return adam_torch(W0, torch_loss_fn(b, data, gamma, check_device(device)), steps, lr, device)
    return adam_numpy(W0, lambda W: _grad(W, b, data, gamma), steps, lr)


def fit_exact(b: Bandit, data: Data, gamma: float, W0: np.ndarray, gtol: float = 1e-11,
              max_iter: int = 2000) -> np.ndarray:
    """The minimiser of the weighted loss by BFGS with the closed-form gradient (WSPO-13),
    warm-started at ``W0`` (numpy only: a reference solver, not a backend kernel)."""
    from scipy.optimize import minimize

    gamma = check_gamma(gamma)
    b = _check_bandit(b)
    W0, data = _check_W(W0, b, "W0"), _check_data(data, b)
    gtol = check_real("gtol", gtol, 0.0, None, low_open=True)
    max_iter = check_int("max_iter", max_iter, 1)
    shape = W0.shape

    def fg(x):
        W = x.reshape(shape)
        return _loss(W, b, data, gamma), _grad(W, b, data, gamma).ravel()

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
    gamma = check_gamma(gamma)
    b = _check_bandit(b)
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
    lr = check_real("lr", lr, 0.0, None, low_open=True)
    b = _check_bandit(b)
    W = np.array(b.A_s if W0 is None else _check_W(W0, b, "W0"), dtype=float)
    for _ in range(steps):
        W = W - lr * _grad(W, b, population_data(b, W), gamma)
    return W


def mean_tv(W1: np.ndarray, W2: np.ndarray, X: np.ndarray) -> float:
    """Average over contexts of TV(π_W1(·|x), π_W2(·|x))."""
    X = check_array("X", X, ndim=2)
    W1 = check_array("W1", W1, shape=(None, X.shape[1]))
    W2 = check_array("W2", W2, shape=W1.shape)
    return float(0.5 * np.abs(np.exp(_logprobs(W1, X)) - np.exp(_logprobs(W2, X))).sum(1).mean())

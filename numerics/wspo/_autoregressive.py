"""A tiny tabular autoregressive policy over a vocabulary of size V and fixed response
length T (WSPO-1/10): one logit row per prefix y_<t.  Sequences are real (enumerated
exactly or sampled); the token-level WSPO target is the product of per-prefix tilts,
the sequence-level tilt is π_ref^s(y)(π_r^w(y)/π_ref^w(y))^{1/γ}/Z."""
from __future__ import annotations

import itertools

import numpy as np
from ._math import logsumexp

from .._backends import check_backend, check_device
from .._validate import InvalidParameter, check_int, check_real
from ._loss import seq_loss, seq_loss_torch
from ._optim import adam_numpy, adam_torch
from ._validate import check_gamma


def n_prefixes(V: int, T: int) -> int:
    """Number of prefixes y_<t, t < T, over a vocabulary of size V (rows of the logit table)."""
    V, T = check_int("V", V, 2), check_int("T", T, 1)
    return sum(V**t for t in range(T))


def check_table(name: str, Z: np.ndarray, V: int, T: int) -> np.ndarray:
    """A finite logit table of shape (n_prefixes(V, T), V)."""
    Z = np.asarray(Z, dtype=float)
    want = (n_prefixes(V, T), V)
    if Z.shape != want or not np.all(np.isfinite(Z)):
        raise InvalidParameter(name, f"<shape {Z.shape}>", f"a finite logit table of shape {want} (prefixes × V)")
    return Z


def check_sequences(Y, V: int, name: str = "Y") -> np.ndarray:
    """Sequences (n, T) of token ids in [0, V)."""
    V = check_int("V", V, 2)
    a = np.asarray(Y)
    if (a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1 or not np.issubdtype(a.dtype, np.integer)
            or a.min() < 0 or a.max() >= V):
        raise InvalidParameter(name, "<array>", f"a 2-d (n, T) integer array of tokens in [0, {V})")
    return a.astype(np.int64)


def _inputs(Y, w, refs, gamma, V):
    """Validated (Y, w, refs, gamma) of the sequence loss."""
    gamma = check_gamma(gamma)
    Y = check_sequences(Y, V)
    if not isinstance(refs, (tuple, list)) or len(refs) != 3:
        raise InvalidParameter("refs", "<refs>", "three logit tables (Z_ref_s, Z_r_w, Z_ref_w)")
    refs = tuple(check_table(n, Zx, V, Y.shape[1]) for n, Zx in zip(("Z_ref_s", "Z_r_w", "Z_ref_w"), refs))
    w = np.asarray(w, dtype=float)
    if w.shape != (Y.shape[0],) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InvalidParameter("w", "<array>", f"{Y.shape[0]} finite non-negative sequence weights")
    return Y, w, refs, gamma


def prefix_index(Y: np.ndarray, V: int) -> np.ndarray:
    """Row of the logit table used at each position: offset_t + (y_<t in base V)."""
    Y = check_sequences(Y, V)
    n, T = Y.shape
    idx = np.zeros((n, T), dtype=np.int64)
    code = np.zeros(n, dtype=np.int64)
    offset = 0
    for t in range(T):
        idx[:, t] = offset + code
        offset += V**t
        code = code * V + Y[:, t]
    return idx


def enumerate_sequences(V: int, T: int) -> np.ndarray:
    V, T = check_int("V", V, 2), check_int("T", T, 1, 6)
    return np.array(list(itertools.product(range(V), repeat=T)), dtype=np.int64)


def log_softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax of a logit table (no NaN or +inf)."""
    Z = np.asarray(Z, dtype=float)
    if Z.ndim < 1 or np.any(np.isnan(Z)) or np.any(Z == np.inf):
        raise InvalidParameter("Z", "<array>", "logits with no NaN or +inf")
    return _log_softmax(Z)


def _log_softmax(Z: np.ndarray) -> np.ndarray:
    return Z - logsumexp(Z, axis=-1, keepdims=True)


def token_logprobs(Z: np.ndarray, Y: np.ndarray, V: int) -> np.ndarray:
    """log π(y_t | y_<t) of each token of the sequences Y under the table Z."""
    Y = check_sequences(Y, V)
    Z = check_table("Z", Z, V, Y.shape[1])
    return _log_softmax(Z)[prefix_index(Y, V), Y]


def seq_logprob(Z: np.ndarray, Y: np.ndarray, V: int) -> np.ndarray:
    """log π(y) of each sequence."""
    return token_logprobs(Z, Y, V).sum(1)


def token_tilt(Zs: np.ndarray, Zr: np.ndarray, Zw: np.ndarray, gamma: float) -> np.ndarray:
    """Per-prefix tilt logits: log π_ref^s + δ/γ (normalised per prefix by softmax)."""
    gamma = check_gamma(gamma)
    Zs = log_softmax(Zs)
    for name, Zx in (("Z_r_w", Zr), ("Z_ref_w", Zw)):
        if np.shape(Zx) != Zs.shape:
            raise InvalidParameter(name, f"<shape {np.shape(Zx)}>", f"the shape of Z_ref_s {Zs.shape}")
    return Zs + (log_softmax(Zr) - log_softmax(Zw)) / gamma


def seq_tilt(Zs, Zr, Zw, gamma: float, V: int, T: int) -> np.ndarray:
    """Sequence-level tilt over all V^T sequences (enumeration order)."""
    gamma = check_gamma(gamma)
    for name, Zx in (("Z_ref_s", Zs), ("Z_r_w", Zr), ("Z_ref_w", Zw)):
        check_table(name, Zx, V, T)
    Y = enumerate_sequences(V, T)
    lw = seq_logprob(Zs, Y, V) + (seq_logprob(Zr, Y, V) - seq_logprob(Zw, Y, V)) / gamma
    return np.exp(lw - logsumexp(lw))


def seq_probs(Z: np.ndarray, V: int, T: int) -> np.ndarray:
    """π(y) of all V^T sequences (enumeration order)."""
    check_table("Z", Z, V, T)
    return np.exp(seq_logprob(Z, enumerate_sequences(V, T), V))


def sample(Z: np.ndarray, n: int, V: int, T: int, rng: np.random.Generator) -> np.ndarray:
    """n sequences sampled token by token from the table Z."""
    n = check_int("n", n, 1)
    P = np.exp(_log_softmax(check_table("Z", Z, V, T)))
    Y = np.zeros((n, T), dtype=np.int64)
    for t in range(T):
        rows = P[prefix_index(Y, V)[:, t]]
        u = rng.random(n)[:, None]
        Y[:, t] = np.minimum((np.cumsum(rows, axis=1) < u).sum(1), V - 1)
    return Y


def loss(Z, Y, w, refs, gamma: float, V: int) -> float:
    """WSPO-1 loss of the table Z on sequences Y (full response mask), weights w."""
    Y, w, refs, gamma = _inputs(Y, w, refs, gamma, V)
    Z = check_table("Z", Z, V, Y.shape[1])
    Zs, Zr, Zw = refs
    m = np.ones(Y.shape)
    return seq_loss(token_logprobs(Z, Y, V), token_logprobs(Zs, Y, V), token_logprobs(Zr, Y, V),
                    token_logprobs(Zw, Y, V), m, gamma, w)


def grad(Z, Y, w, refs, gamma: float, V: int) -> np.ndarray:
    """Closed form (WSPO-13): Σ_i w_i (2γ/|y|) Σ_t e_t (1[b=y_t] − π(b|s_t)) into row s_t."""
    Y, w, refs, gamma = _inputs(Y, w, refs, gamma, V)
    Z = check_table("Z", Z, V, Y.shape[1])
    Zs, Zr, Zw = refs
    n, T = Y.shape
    idx = prefix_index(Y, V)
    LP = _log_softmax(Z)
    e = gamma * (LP[idx, Y] - _log_softmax(Zs)[idx, Y]) - (_log_softmax(Zr)[idx, Y] - _log_softmax(Zw)[idx, Y])
    G = -np.exp(LP[idx])  # (n, T, V)
    np.put_along_axis(G, Y[..., None], np.take_along_axis(G, Y[..., None], 2) + 1.0, 2)
    G *= (2 * gamma * (np.asarray(w)[:, None] / T) * e)[..., None]
    out = np.zeros_like(Z)
    np.add.at(out, idx.ravel(), G.reshape(-1, Z.shape[1]))
    return out


def torch_loss_fn(Y, w, refs, gamma: float, V: int, device: str = "cpu"):
    """The sequence loss as a function of a torch table Z (autograd path, any device)."""
    import torch

    Y, w, refs, gamma = _inputs(Y, w, refs, gamma, V)
    device = check_device(device)
    Zs, Zr, Zw = refs
    t = lambda a, dt=torch.float64: torch.as_tensor(np.asarray(a), dtype=dt, device=device)  # noqa: E731
    idx, Yt = t(prefix_index(Y, V), torch.long), t(Y, torch.long)
    lps = [t(token_logprobs(Zx, Y, V)) for Zx in (Zs, Zr, Zw)]
    m, W = torch.ones(Yt.shape, dtype=torch.float64, device=device), t(w)

    def f(Z):
        lp = torch.gather(torch.log_softmax(Z, -1)[idx], 2, Yt.unsqueeze(-1)).squeeze(-1)
        return seq_loss_torch(lp, lps[0], lps[1], lps[2], m, gamma, W)

    return f


def fit(Y, w, refs, gamma: float, Z0: np.ndarray, steps: int, lr: float = 0.1, V: int = 2,
        backend: str = "numpy", device: str = "cpu") -> np.ndarray:
    """Adam on the sequence loss: numpy closed-form gradient or torch autograd."""
    backend = check_backend(backend)
    Y, w, refs, gamma = _inputs(Y, w, refs, gamma, V)
    Z0 = check_table("Z0", Z0, V, Y.shape[1])
    if backend == "torch":
        return adam_torch(Z0, torch_loss_fn(Y, w, refs, gamma, V, check_device(device)), steps, lr, device)
    return adam_numpy(Z0, lambda Z: grad(Z, Y, w, refs, gamma, V), steps, lr)


def fit_exact(Y, w, refs, gamma: float, Z0: np.ndarray, V: int, gtol: float = 1e-11,
              max_iter: int = 2000) -> np.ndarray:
    """The minimiser of the sequence loss by BFGS with the closed-form gradient (WSPO-13),
    warm-started at ``Z0`` (numpy reference solver)."""
    from scipy.optimize import minimize

    Y, w, refs, gamma = _inputs(Y, w, refs, gamma, V)
    Z0 = check_table("Z0", Z0, V, Y.shape[1])
    gtol = check_real("gtol", gtol, 0.0, None, low_open=True)
    max_iter = check_int("max_iter", max_iter, 1)
    shape = Z0.shape

    def fg(x):
        Z = x.reshape(shape)
        return loss(Z, Y, w, refs, gamma, V), grad(Z, Y, w, refs, gamma, V).ravel()

    res = minimize(fg, np.asarray(Z0, dtype=float).ravel(), jac=True, method="BFGS",
                   options={"gtol": gtol, "maxiter": max_iter})
    return res.x.reshape(shape)


def on_policy(refs, gamma: float, V: int, T: int, rounds: int, n: int, steps: int, lr: float,
              rng: np.random.Generator, backend: str = "numpy", device: str = "cpu",
              solver: str = "adam") -> np.ndarray:
    """On-policy training on sampled sequences: start at π_ref^s; each round sample n
    sequences from the current fit and refit, warm start: ``steps`` Adam steps
    (``solver="adam"``) or the exact minimiser (``solver="exact"``, BFGS, numpy)."""
    rounds = check_int("rounds", rounds, 1)
    if solver not in ("adam", "exact"):
        raise InvalidParameter("solver", solver, "'adam' or 'exact'")
    gamma = check_gamma(gamma)
    n = check_int("n", n, 1)
    _inputs(np.zeros((1, check_int("T", T, 1)), dtype=np.int64), [1.0], refs, gamma, V)
    Z = np.array(refs[0], dtype=float)
    for _ in range(rounds):
        # a tabular loss depends on the sample only through sequence counts: aggregate
        Y, counts = np.unique(sample(Z, n, V, T, rng), axis=0, return_counts=True)
        Z = (fit_exact(Y, counts / n, refs, gamma, Z, V) if solver == "exact"
             else fit(Y, counts / n, refs, gamma, Z, steps, lr, V, backend, device))
    return Z

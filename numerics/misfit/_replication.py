"""Replica of the synthetic gain-vs-misfit experiment of Charikar et al. (code
``chogba/wtsg-regression``, ``wts.ipynb``; spec misfit.md §5.1) on numpy and torch.

Representations are L blocks of Linear→ReLU (width 16, input dimension 8), PyTorch's default
Linear init U(±1/√fan_in).  h* (L=5) stays at its random init; h_s (L=8) and h_w (L=2) are
pretrained jointly on ``n_pre_tasks`` tasks with the true heads plugged in and frozen (AdamW,
MSE); transfer heads are the closed-form least-squares fits (what AdamW on a linear head
converges to) — a documented deviation from the notebook's 1000 epochs of AdamW per head.

numpy is the reference.  The torch path (:func:`run_torch`) re-runs the *same* draws (weights,
data, minibatch order, all from one numpy Generator) in float64 on any device.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validate import InvalidParameter, check_int, check_real

WIDTH, D_IN = 16, 8


@dataclass(frozen=True)
class ReplicaConfig:
    """Sizes of the replica; the notebook's values are the defaults except the training
    length (notebook: 1000 epochs of batch 32 for representations and heads)."""

    n_pre_tasks: int = 10
    n_pre: int = 2000           # points per pretraining task
    n_transfer_tasks: int = 100
    n_transfer: int = 2000      # points per transfer task (weak head, weak labels, strong head)
    n_eval: int = 2000          # fresh points for gain, and again for misfit
    epochs: int = 3             # representation learning epochs
    batch: int = 32
    lr: float = 1e-3
    weight_decay: float = 0.01  # torch.optim.AdamW default
    x_scale: float = 500.0      # x ~ N(0, 500² I): the notebook passes 500 as the std
    depth_star: int = 5
    depth_strong: int = 8
    depth_weak: int = 2
    realizable: bool = False    # h_s := h* (spec §5.1 realizable target)

    def validate(self) -> "ReplicaConfig":
        for name in ("n_pre_tasks", "n_pre", "n_transfer_tasks", "n_transfer", "n_eval", "batch",
                     "depth_star", "depth_strong", "depth_weak"):
            check_int(name, getattr(self, name), 1)
        check_int("epochs", self.epochs, 0)
        check_int("n_transfer_tasks", self.n_transfer_tasks, 3)
        check_real("lr", self.lr, 0.0, None, low_open=True)
        check_real("weight_decay", self.weight_decay, 0.0, None)
        check_real("x_scale", self.x_scale, 0.0, None, low_open=True)
        return self


def init_mlp(rng: np.random.Generator, depth: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``depth`` Linear→ReLU blocks 8→16→…→16 with PyTorch's default init."""
    depth = check_int("depth", depth, 1)
    layers, fan_in = [], D_IN
    for _ in range(depth):
        bound = 1.0 / np.sqrt(fan_in)
        layers.append((rng.uniform(-bound, bound, (WIDTH, fan_in)), rng.uniform(-bound, bound, WIDTH)))
        fan_in = WIDTH
    return layers


def init_head(rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Linear(16, 1) default init: weights and bias U(−1/4, 1/4)."""
    return rng.uniform(-0.25, 0.25, WIDTH), float(rng.uniform(-0.25, 0.25))


def forward(layers, x: np.ndarray, keep: bool = False):
    acts = [x]
    h = x
    for W, b in layers:
        h = np.maximum(h @ W.T + b, 0.0)
        acts.append(h)
    return (h, acts) if keep else h


def sample_x(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    return rng.standard_normal((check_int("n", n, 1), D_IN)) * scale


def _adamw_numpy(layers, grads, state, t, lr, wd, b1=0.9, b2=0.999, eps=1e-8):
    for i, ((W, b), (gW, gb)) in enumerate(zip(layers, grads)):
        for k, (p, g) in enumerate(((W, gW), (b, gb))):
            m, v = state.setdefault((i, k), (np.zeros_like(p), np.zeros_like(p)))
            p *= 1 - lr * wd
            m[:] = b1 * m + (1 - b1) * g
            v[:] = b2 * v + (1 - b2) * g * g
            mh, vh = m / (1 - b1**t), v / (1 - b2**t)
            p -= lr * mh / (np.sqrt(vh) + eps)


def pretrain_numpy(layers, X, task, y, heads_w, heads_b, order, cfg: ReplicaConfig) -> list[float]:
    """Train ``layers`` in place on MSE with frozen heads (AdamW, torch semantics);
    ``order`` is an (epochs, N) array of minibatch permutations.  Returns per-epoch losses."""
    state: dict = {}
    t = 0
    losses = []
    for perm in order:
        tot = 0.0
        for s in range(0, perm.size, cfg.batch):
            idx = perm[s:s + cfg.batch]
            h, acts = forward(layers, X[idx], keep=True)
            hw, hb = heads_w[task[idx]], heads_b[task[idx]]
            r = np.sum(h * hw, axis=1) + hb - y[idx]
            tot += float(np.mean(r * r))
            g = (2.0 / idx.size) * r[:, None] * hw
            grads = [None] * len(layers)
            for i in range(len(layers) - 1, -1, -1):
                g = g * (acts[i + 1] > 0)
                W, _ = layers[i]
                grads[i] = (g.T @ acts[i], g.sum(0))
                g = g @ W
            t += 1
            _adamw_numpy(layers, grads, state, t, cfg.lr, cfg.weight_decay)
        losses.append(tot)
    return losses


def lstsq_affine(F: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares affine head on features F (pseudo-inverse; rank-deficient F is fine)."""
    A = np.hstack([F, np.ones((F.shape[0], 1))])
    U, sv, Vt = np.linalg.svd(A, full_matrices=False)
    keep = sv > 1e-10 * sv[0]  # the pseudo-inverse cutoff of torch.linalg.pinv(rtol=1e-10)
    return Vt[keep].T @ ((U[:, keep].T @ y) / sv[keep])


def affine(F: np.ndarray, coef: np.ndarray) -> np.ndarray:
    return F @ coef[:-1] + coef[-1]


@dataclass
class ReplicaDraws:
    """Every random quantity of one replica, drawn once from a numpy Generator."""

    cfg: ReplicaConfig
    star: list
    strong: list
    weak: list
    pre_X: np.ndarray
    pre_task: np.ndarray
    pre_hw: np.ndarray
    pre_hb: np.ndarray
    order: np.ndarray
    tr_w: np.ndarray
    tr_b: np.ndarray
    tr_X: np.ndarray
    ev_gain_X: np.ndarray
    ev_mis_X: np.ndarray


def draw(rng: np.random.Generator, cfg: ReplicaConfig) -> ReplicaDraws:
    cfg = cfg.validate()
    star = init_mlp(rng, cfg.depth_star)
    strong = init_mlp(rng, cfg.depth_strong)
    weak = init_mlp(rng, cfg.depth_weak)
    heads = [init_head(rng) for _ in range(cfg.n_pre_tasks)]
    N = cfg.n_pre_tasks * cfg.n_pre
    pre_X = sample_x(rng, N, cfg.x_scale)
    pre_task = np.repeat(np.arange(cfg.n_pre_tasks), cfg.n_pre)
    order = np.stack([rng.permutation(N) for _ in range(cfg.epochs)]) if cfg.epochs else np.zeros((0, N), int)
    th = [init_head(rng) for _ in range(cfg.n_transfer_tasks)]
    T, n = cfg.n_transfer_tasks, cfg.n_transfer
    tr_X = rng.standard_normal((T, n, D_IN)) * cfg.x_scale
    ev_g = rng.standard_normal((T, cfg.n_eval, D_IN)) * cfg.x_scale
    ev_m = rng.standard_normal((T, cfg.n_eval, D_IN)) * cfg.x_scale
    return ReplicaDraws(cfg, star, strong, weak, pre_X, pre_task, np.array([h[0] for h in heads]),
                        np.array([h[1] for h in heads]), order, np.array([h[0] for h in th]),
                        np.array([h[1] for h in th]), tr_X, ev_g, ev_m)


@dataclass
class ReplicaResult:
    """Per-task gain and misfit on fresh samples, plus diagnostics."""

    gain: np.ndarray
    misfit: np.ndarray
    err_weak: np.ndarray
    err_sw: np.ndarray
    train_gap: np.ndarray        # in-sample gap on the transfer measure (0 when realizable)
    train_eps: np.ndarray        # in-sample ε = min_g err(g) over affine heads on h_s
    train_misfit: np.ndarray
    train_errY: np.ndarray | None = None  # in-sample err(Y) of the weak labels
    gain_se: np.ndarray | None = None     # Monte Carlo standard errors of the fresh-sample estimates
    misfit_se: np.ndarray | None = None
    pre_loss: dict = field(default_factory=dict)
    backend: str = "numpy"
    layers: dict = field(default_factory=dict)  # trained representations (numpy backend)
    realizable: "ReplicaResult | None" = None    # same draws with h_s := h* (when run non-realizable)


def _transfer_numpy(d: ReplicaDraws, star, strong, weak) -> ReplicaResult:
    T = d.cfg.n_transfer_tasks
    out = {k: np.empty(T) for k in ("gain", "misfit", "ew", "es", "tg", "te", "tm", "gse", "mse", "ty")}
    for t in range(T):
        hw, hb = d.tr_w[t], d.tr_b[t]
        X = d.tr_X[t]
        ytrue = forward(star, X) @ hw + hb
        Fw, Fs = forward(weak, X), forward(strong, X)
        cw = lstsq_affine(Fw, ytrue)
        yweak = affine(Fw, cw)
        cs = lstsq_affine(Fs, yweak)
        ysw = affine(Fs, cs)
        cstar = lstsq_affine(Fs, ytrue)
        err_y = np.mean((yweak - ytrue) ** 2)
        out["tm"][t] = np.mean((ysw - yweak) ** 2)
        out["ty"][t] = err_y
        out["tg"][t] = err_y - out["tm"][t] - np.mean((ysw - ytrue) ** 2)
        out["te"][t] = np.mean((affine(Fs, cstar) - ytrue) ** 2)
        Xg, Xm = d.ev_gain_X[t], d.ev_mis_X[t]
        yt_g = forward(star, Xg) @ hw + hb
        gi = (affine(forward(weak, Xg), cw) - yt_g) ** 2 - (affine(forward(strong, Xg), cs) - yt_g) ** 2
        mi = (affine(forward(strong, Xm), cs) - affine(forward(weak, Xm), cw)) ** 2
        ew = np.mean((affine(forward(weak, Xg), cw) - yt_g) ** 2)
        out["gain"][t], out["ew"][t], out["es"][t] = gi.mean(), ew, ew - gi.mean()
        out["misfit"][t] = mi.mean()
        out["gse"][t], out["mse"][t] = gi.std(ddof=1) / np.sqrt(gi.size), mi.std(ddof=1) / np.sqrt(mi.size)
    return ReplicaResult(out["gain"], out["misfit"], out["ew"], out["es"], out["tg"], out["te"], out["tm"],
                         out["ty"], out["gse"], out["mse"])


def run_numpy(d: ReplicaDraws) -> ReplicaResult:
    """The numpy reference replica."""
    cfg = d.cfg
    star = [(W.copy(), b.copy()) for W, b in d.star]
    strong = [(W.copy(), b.copy()) for W, b in (d.star if cfg.realizable else d.strong)]
    weak = [(W.copy(), b.copy()) for W, b in d.weak]
    y = np.sum(forward(star, d.pre_X) * d.pre_hw[d.pre_task], axis=1) + d.pre_hb[d.pre_task]
    losses = {}
    if not cfg.realizable:
        losses["strong"] = pretrain_numpy(strong, d.pre_X, d.pre_task, y, d.pre_hw, d.pre_hb, d.order, cfg)
    losses["weak"] = pretrain_numpy(weak, d.pre_X, d.pre_task, y, d.pre_hw, d.pre_hb, d.order, cfg)
    res = _transfer_numpy(d, star, strong, weak)
    res.pre_loss = losses
    res.layers = {"star": star, "strong": strong, "weak": weak}
    if not cfg.realizable:  # the realizable replica on the same draws: h_s := h*, same weak model
        real = _transfer_numpy(d, star, star, weak)
        real.pre_loss = {"weak": losses["weak"]}
        real.layers = {"star": star, "strong": star, "weak": weak}
        res.realizable = real
    return res


def task_terms(layers: dict, head_w: np.ndarray, head_b: float, X: np.ndarray) -> dict[str, float]:
    """One transfer task on its training measure (the empirical measure of X): err(Y),
    misfit(f_sw), err(f_sw) and ε = min over affine heads on h_s of err — the quantities of
    MISFIT-4 for the replica (exact: least-squares heads are the projections)."""
    head_w = np.asarray(head_w, float)
    if head_w.shape != (WIDTH,):
        raise InvalidParameter("head_w", "<array>", f"a vector of length {WIDTH}")
    ytrue = forward(layers["star"], X) @ head_w + head_b
    Fw, Fs = forward(layers["weak"], X), forward(layers["strong"], X)
    yweak = affine(Fw, lstsq_affine(Fw, ytrue))
    ysw = affine(Fs, lstsq_affine(Fs, yweak))
    fs = affine(Fs, lstsq_affine(Fs, ytrue))
    return {"errY": float(np.mean((yweak - ytrue) ** 2)), "misfit": float(np.mean((ysw - yweak) ** 2)),
            "errS": float(np.mean((ysw - ytrue) ** 2)), "eps": float(np.mean((fs - ytrue) ** 2)),
            "var": float(np.var(ytrue)), "msq": float(np.mean(ytrue**2))}


def run_torch(d: ReplicaDraws, device: str = "cpu") -> ReplicaResult:
    """The same replica in torch (float64) on ``device``: autograd + ``torch.optim.AdamW``,
    heads by ``torch.linalg.pinv``.  Uses the draws of ``d`` so that it can be compared with
    :func:`run_numpy` up to arithmetic differences.  On CPU the ops are tiny (batch 32, width 16),
    so torch runs single-threaded here (intra-op threads only add contention); restored after."""
    import torch

    threads = torch.get_num_threads()
    if device == "cpu":
        torch.set_num_threads(1)
    try:
        return _run_torch(d, device)
    finally:
        torch.set_num_threads(threads)


def _run_torch(d: ReplicaDraws, device: str) -> ReplicaResult:
    import torch

    cfg = d.cfg
    dt = torch.float64
    tt = lambda a: torch.as_tensor(np.asarray(a), dtype=dt, device=device)  # noqa: E731

    def mlp(layers):
        return [(tt(W).clone().requires_grad_(True), tt(b).clone().requires_grad_(True)) for W, b in layers]

    def fwd(layers, x):
        for W, b in layers:
            x = torch.relu(x @ W.T + b)
        return x

    star = mlp(d.star)
    strong = mlp(d.star if cfg.realizable else d.strong)
    weak = mlp(d.weak)
    X = tt(d.pre_X)
    task = torch.as_tensor(d.pre_task, device=device)
    hw, hb = tt(d.pre_hw), tt(d.pre_hb)
    with torch.no_grad():
        y = (fwd(star, X) * hw[task]).sum(1) + hb[task]
    losses = {}
    nets = ([("strong", strong)] if not cfg.realizable else []) + [("weak", weak)]
    for name, net in nets:
        opt = torch.optim.AdamW([p for l in net for p in l], lr=cfg.lr, weight_decay=cfg.weight_decay)
        ep_losses = []
        for perm in d.order:
            tot = 0.0
            pidx = torch.as_tensor(perm, device=device)
            for s in range(0, perm.size, cfg.batch):
                idx = pidx[s:s + cfg.batch]
                opt.zero_grad()
                pred = (fwd(net, X[idx]) * hw[task[idx]]).sum(1) + hb[task[idx]]
                loss = torch.mean((pred - y[idx]) ** 2)
                loss.backward()
                opt.step()
                tot += float(loss.detach())
            ep_losses.append(tot)
        losses[name] = ep_losses

    def ls(F, target):
        A = torch.cat([F, torch.ones((F.shape[0], 1), dtype=dt, device=device)], 1)
        return torch.linalg.pinv(A, rtol=1e-10) @ target

    def aff(F, c):
        return F @ c[:-1] + c[-1]

    res = _transfer_torch(d, star, strong, weak, ls, aff, fwd, tt, device)
    res.pre_loss = losses
    if not cfg.realizable:
        res.realizable = _transfer_torch(d, star, star, weak, ls, aff, fwd, tt, device)
        res.realizable.pre_loss = {"weak": losses["weak"]}
    return res


def _transfer_torch(d, star, strong, weak, ls, aff, fwd, tt, device) -> ReplicaResult:
    import torch

    T = d.cfg.n_transfer_tasks
    out = {k: np.empty(T) for k in ("gain", "misfit", "ew", "es", "tg", "te", "tm", "gse", "mse", "ty")}
    with torch.no_grad():
        for t in range(T):
            w_, b_ = tt(d.tr_w[t]), float(d.tr_b[t])
            Xt = tt(d.tr_X[t])
            ytrue = fwd(star, Xt) @ w_ + b_
            Fw, Fs = fwd(weak, Xt), fwd(strong, Xt)
            cw = ls(Fw, ytrue)
            yweak = aff(Fw, cw)
            cs = ls(Fs, yweak)
            ysw = aff(Fs, cs)
            err_y = torch.mean((yweak - ytrue) ** 2)
            mis = torch.mean((ysw - yweak) ** 2)
            out["tm"][t] = float(mis)
            out["ty"][t] = float(err_y)
            out["tg"][t] = float(err_y - mis - torch.mean((ysw - ytrue) ** 2))
            out["te"][t] = float(torch.mean((aff(Fs, ls(Fs, ytrue)) - ytrue) ** 2))
            Xg, Xm = tt(d.ev_gain_X[t]), tt(d.ev_mis_X[t])
            yt_g = fwd(star, Xg) @ w_ + b_
            ewi = (aff(fwd(weak, Xg), cw) - yt_g) ** 2
            gi = ewi - (aff(fwd(strong, Xg), cs) - yt_g) ** 2
            mi = (aff(fwd(strong, Xm), cs) - aff(fwd(weak, Xm), cw)) ** 2
            out["gain"][t], out["ew"][t] = float(gi.mean()), float(ewi.mean())
            out["es"][t] = out["ew"][t] - out["gain"][t]
            out["misfit"][t] = float(mi.mean())
            out["gse"][t] = float(gi.std() / np.sqrt(gi.numel()))
            out["mse"][t] = float(mi.std() / np.sqrt(mi.numel()))
    return ReplicaResult(out["gain"], out["misfit"], out["ew"], out["es"], out["tg"], out["te"], out["tm"],
                         out["ty"], out["gse"], out["mse"], backend="torch")


@dataclass(frozen=True)
class LineFit:
    """OLS of misfit on gain over tasks with bootstrap percentile intervals."""

    slope: float
    intercept: float
    r2: float
    slope_ci: tuple[float, float]
    intercept_ci: tuple[float, float]
    r2_ci: tuple[float, float]
    slope_se: float
    level: float
    n_tasks: int
    frac_misfit_gt_gain: float


def _ols(x, y):
    xm, ym = x.mean(), y.mean()
    sxx = np.sum((x - xm) ** 2)
    b = np.sum((x - xm) * (y - ym)) / sxx
    a = ym - b * xm
    sst = np.sum((y - ym) ** 2)
    r2 = 1.0 - np.sum((y - a - b * x) ** 2) / sst if sst > 0 else 1.0
    return b, a, r2


def fit_line(gain: np.ndarray, misfit: np.ndarray, rng: np.random.Generator, level: float = 0.95,
             n_boot: int = 2000) -> LineFit:
    """misfit ≈ slope·gain + intercept (the notebook's scatter, spec §5.1), with bootstrap
    percentile CIs over tasks at ``level``."""
    x, y = np.asarray(gain, float), np.asarray(misfit, float)
    if x.shape != y.shape or x.ndim != 1 or x.size < 3:
        raise InvalidParameter("gain", "<array>", "1-d arrays of equal length >= 3")
    level = check_real("level", level, 0.0, 1.0, low_open=True, high_open=True)
    b, a, r2 = _ols(x, y)
    idx = rng.integers(0, x.size, (check_int("n_boot", n_boot, 10), x.size))
    boots = np.array([_ols(x[i], y[i]) for i in idx])
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    ci = lambda k: tuple(float(v) for v in np.percentile(boots[:, k], q))  # noqa: E731
    return LineFit(float(b), float(a), float(r2), ci(0), ci(1), ci(2), float(boots[:, 0].std(ddof=1)), level,
                   x.size, float(np.mean(y > x)))

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

from .._backends import check_device
from .._validate import InvalidParameter, check_array, check_int, check_real

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
    task_pure: bool = False     # notebook: each epoch loops over the tasks, batches never mix tasks
    dtype: str = "float64"      # notebook: float32
    pop_factor: int = 10        # realizable replica: strong-on-weak head fitted on pop_factor·n_transfer fresh x

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> "ReplicaConfig":
        for name in ("n_pre_tasks", "n_pre", "n_transfer_tasks", "n_transfer", "n_eval", "batch",
                     "depth_star", "depth_strong", "depth_weak"):
            check_int(name, getattr(self, name), 1)
        check_int("epochs", self.epochs, 0)
        check_int("n_transfer_tasks", self.n_transfer_tasks, 3)
        check_real("lr", self.lr, 0.0, None, low_open=True)
        check_real("weight_decay", self.weight_decay, 0.0, None)
        check_real("x_scale", self.x_scale, 0.0, None, low_open=True)
        check_int("pop_factor", self.pop_factor, 1)
        for name in ("realizable", "task_pure"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise InvalidParameter(name, getattr(self, name), "True or False")
        if self.dtype not in ("float32", "float64"):
            raise InvalidParameter("dtype", self.dtype, "'float32' or 'float64'")
        return self

    @property
    def steps_per_epoch(self) -> int:
        return len(batch_slices(self))


def batch_slices(cfg: ReplicaConfig) -> list[tuple[int, int]]:
    """Minibatch (start, end) slices into one epoch's order.  Task-pure (notebook): the order is the
    tasks one after another, each shuffled within itself, and batches of ``batch`` never cross a task
    (the last batch of a task is short: 62·32 + 16 for 2000 points); otherwise a global shuffle."""
    if cfg.task_pure:
        return [(t * cfg.n_pre + s, t * cfg.n_pre + min(s + cfg.batch, cfg.n_pre))
                for t in range(cfg.n_pre_tasks) for s in range(0, cfg.n_pre, cfg.batch)]
    N = cfg.n_pre_tasks * cfg.n_pre
    return [(s, min(s + cfg.batch, N)) for s in range(0, N, cfg.batch)]


def epoch_orders(seed: int, cfg: ReplicaConfig):
    """The ``cfg.epochs`` minibatch orders of one network, drawn lazily from their own stream
    (1000 epochs of 20000 indices would be 160 MB if stored)."""
    g = np.random.default_rng(seed)
    N = cfg.n_pre_tasks * cfg.n_pre
    for _ in range(cfg.epochs):
        if cfg.task_pure:
            yield np.concatenate([t * cfg.n_pre + g.permutation(cfg.n_pre) for t in range(cfg.n_pre_tasks)])
        else:
            yield g.permutation(N)


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
    ``order`` yields one epoch's permutation at a time (:func:`epoch_orders`).  Returns per-epoch
    sums of the per-batch losses (the notebook's logged ``total_loss``)."""
    state: dict = {}
    t = 0
    losses = []
    slices = batch_slices(cfg)
    for perm in order:
        tot = 0.0
        for s, e in slices:
            idx = perm[s:e]
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
    order_seeds: tuple[int, int]   # minibatch-order streams of the strong and the weak network
    tr_w: np.ndarray
    tr_b: np.ndarray
    tr_X: np.ndarray
    ev_gain_X: np.ndarray
    ev_mis_X: np.ndarray


def _check_draws(d) -> "ReplicaDraws":
    if not isinstance(d, ReplicaDraws):
        raise InvalidParameter("d", type(d).__name__, "the ReplicaDraws returned by draw(rng, cfg)")
    return d


def draw(rng: np.random.Generator, cfg: ReplicaConfig) -> ReplicaDraws:
    """Every random quantity of one replica for ``cfg``, from ``rng``."""
    if not isinstance(cfg, ReplicaConfig):
        raise InvalidParameter("cfg", type(cfg).__name__, "a ReplicaConfig")
    cfg = cfg.validate()
    star = init_mlp(rng, cfg.depth_star)
    strong = init_mlp(rng, cfg.depth_strong)
    weak = init_mlp(rng, cfg.depth_weak)
    heads = [init_head(rng) for _ in range(cfg.n_pre_tasks)]
    N = cfg.n_pre_tasks * cfg.n_pre
    pre_X = sample_x(rng, N, cfg.x_scale)
    pre_task = np.repeat(np.arange(cfg.n_pre_tasks), cfg.n_pre)
    order_seeds = (int(rng.integers(2**62)), int(rng.integers(2**62)))
    th = [init_head(rng) for _ in range(cfg.n_transfer_tasks)]
    T, n = cfg.n_transfer_tasks, cfg.n_transfer
    tr_X = rng.standard_normal((T, n, D_IN)) * cfg.x_scale
    ev_g = rng.standard_normal((T, cfg.n_eval, D_IN)) * cfg.x_scale
    ev_m = rng.standard_normal((T, cfg.n_eval, D_IN)) * cfg.x_scale
    return ReplicaDraws(cfg, star, strong, weak, pre_X, pre_task, np.array([h[0] for h in heads]),
                        np.array([h[1] for h in heads]), order_seeds, np.array([h[0] for h in th]),
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
    gap_se: np.ndarray | None = None             # realizable: paired MC standard error of misfit − gain


def _cast(layers, dtype):
    return [(np.array(W, dtype), np.array(b, dtype)) for W, b in layers]  # copies: training is in place


def pretrain_labels(d: ReplicaDraws) -> np.ndarray:
    """Pretraining labels head_task(h*(x)) in ``cfg.dtype`` (the notebook computes them in float32)."""
    dt = d.cfg.dtype
    star = _cast(d.star, dt)
    hw, hb = d.pre_hw.astype(dt), d.pre_hb.astype(dt)
    return np.sum(forward(star, d.pre_X.astype(dt)) * hw[d.pre_task], axis=1) + hb[d.pre_task]


def pretrain_reference(d: ReplicaDraws) -> tuple[dict, dict]:
    """Representation learning, numpy reference (the oracle of the fused kernel): h_s then h_w,
    each on its own minibatch-order stream, in ``cfg.dtype``.  Returns (layers, per-epoch losses)."""
    cfg, dt = d.cfg, d.cfg.dtype
    X, y = d.pre_X.astype(dt), pretrain_labels(d)
    hw, hb = d.pre_hw.astype(dt), d.pre_hb.astype(dt)
    layers = {"star": _cast(d.star, dt), "strong": _cast(d.star if cfg.realizable else d.strong, dt),
              "weak": _cast(d.weak, dt)}
    losses = {}
    for k, name in enumerate(("strong", "weak")):
        if name == "strong" and cfg.realizable:
            continue
        losses[name] = pretrain_numpy(layers[name], X, d.pre_task, y, hw, hb,
                                      epoch_orders(d.order_seeds[k], cfg), cfg)
    return layers, losses


def _feat(layers, X, dt) -> np.ndarray:
    """Features in the representation's dtype, returned in float64 for the least-squares heads."""
    return forward(layers, X.astype(dt)).astype(np.float64)


def pop_sample(d: ReplicaDraws, t: int) -> np.ndarray:
    """Task t's large fresh sample (pop_factor·n_transfer x) for the realizable replica's population
    projection; drawn on demand from a stream fixed by the draws."""
    g = np.random.default_rng([d.order_seeds[0] % 2**32, d.order_seeds[1] % 2**32, t])
    return g.standard_normal((d.cfg.pop_factor * d.cfg.n_transfer, D_IN)) * d.cfg.x_scale


def transfer(d: ReplicaDraws, layers: dict, realizable: bool = False, heads=None) -> ReplicaResult:
    """The transfer stage on trained representations, one task at a time (numpy, float64 heads).

    Notebook protocol (``realizable=False``): the weak head is fitted on the task's 2000 x with true
    labels, the weak labels are its predictions on the same x, the strong head is fitted on them;
    gain on one fresh sample, misfit on another.  ``heads`` (optional) replaces the closed-form
    least squares by a callable (F, y, task) → coef (e.g. AdamW heads).

    Realizable replica (``realizable=True``, h_s = h*): the strong-on-weak head is the population
    projection Π_V(Y), approximated by least squares on ``pop_factor·n_transfer`` fresh x, and
    gain and misfit are measured on the *same* fresh sample (spec §4), so that misfit − gain is
    the population gap (0, MISFIT-3) plus Monte Carlo and O(p/n_pop) error; ``gap_se`` is the
    paired standard error of misfit − gain."""
    cfg, dt = d.cfg, d.cfg.dtype
    fit = heads or (lambda F, y, t, role: lstsq_affine(F, y))
    star, weak = layers["star"], layers["weak"]
    strong = layers.get("realizable_strong", star) if realizable else layers["strong"]  # h_s := h*
    T = cfg.n_transfer_tasks
    out = {k: np.empty(T) for k in ("gain", "misfit", "ew", "es", "tg", "te", "tm", "gse", "mse", "ty", "dse")}
    for t in range(T):
        hw, hb = d.tr_w[t], d.tr_b[t]
        X = d.tr_X[t]
        ytrue = _feat(star, X, dt) @ hw + hb
        Fw, Fs = _feat(weak, X, dt), _feat(strong, X, dt)
        cw = fit(Fw, ytrue, t, "weak")
        yweak = affine(Fw, cw)
        if realizable:
            Xp = pop_sample(d, t)
            cs = lstsq_affine(_feat(strong, Xp, dt), affine(_feat(weak, Xp, dt), cw))
        else:
            cs = fit(Fs, yweak, t, "strong")
        ysw = affine(Fs, cs)
        err_y = np.mean((yweak - ytrue) ** 2)
        out["tm"][t] = np.mean((ysw - yweak) ** 2)
        out["ty"][t] = err_y
        out["tg"][t] = err_y - out["tm"][t] - np.mean((ysw - ytrue) ** 2)
        out["te"][t] = np.mean((affine(Fs, lstsq_affine(Fs, ytrue)) - ytrue) ** 2)
        Xg = d.ev_gain_X[t]
        Xm = Xg if realizable else d.ev_mis_X[t]
        yt_g = _feat(star, Xg, dt) @ hw + hb
        pw_g, ps_g = affine(_feat(weak, Xg, dt), cw), affine(_feat(strong, Xg, dt), cs)
        ewi = (pw_g - yt_g) ** 2
        gi = ewi - (ps_g - yt_g) ** 2
        mi = (affine(_feat(strong, Xm, dt), cs) - affine(_feat(weak, Xm, dt), cw)) ** 2
        out["gain"][t], out["ew"][t], out["es"][t] = gi.mean(), ewi.mean(), ewi.mean() - gi.mean()
        out["misfit"][t] = mi.mean()
        out["gse"][t], out["mse"][t] = gi.std(ddof=1) / np.sqrt(gi.size), mi.std(ddof=1) / np.sqrt(mi.size)
        dd = mi - gi if realizable else np.zeros(2)
        out["dse"][t] = dd.std(ddof=1) / np.sqrt(dd.size)
    res = ReplicaResult(out["gain"], out["misfit"], out["ew"], out["es"], out["tg"], out["te"], out["tm"],
                        out["ty"], out["gse"], out["mse"])
    res.gap_se = out["dse"] if realizable else None
    return res


def finish(d: ReplicaDraws, layers: dict, losses: dict, backend: str, heads=None) -> ReplicaResult:
    """Transfer on trained representations: the replica and its realizable twin (h_s := h*, same
    weak model, tasks and samples)."""
    res = transfer(d, layers, realizable=d.cfg.realizable, heads=heads)
    res.pre_loss, res.layers, res.backend = losses, layers, backend
    if not d.cfg.realizable:
        real = transfer(d, layers, realizable=True, heads=heads)
        real.pre_loss = {"weak": losses["weak"]}
        real.layers, real.backend = {**layers, "strong": layers["star"]}, backend
        res.realizable = real
    return res


def run_numpy(d: ReplicaDraws, heads=None) -> ReplicaResult:
    """The numpy reference replica."""
    _check_draws(d)
    layers, losses = pretrain_reference(d)
    return finish(d, layers, losses, "numpy", heads)


def task_terms(layers: dict, head_w: np.ndarray, head_b: float, X: np.ndarray) -> dict[str, float]:
    """One transfer task on its training measure (the empirical measure of X): err(Y),
    misfit(f_sw), err(f_sw) and ε = min over affine heads on h_s of err — the quantities of
    MISFIT-4 for the replica (exact: least-squares heads are the projections)."""
    if not isinstance(layers, dict) or not {"star", "weak", "strong"} <= set(layers):
        raise InvalidParameter("layers", "<layers>", "a dict with the representations 'star', 'weak', 'strong'")
    head_w = np.asarray(head_w, float)
    if head_w.shape != (WIDTH,) or not np.all(np.isfinite(head_w)):
        raise InvalidParameter("head_w", "<array>", f"a finite vector of length {WIDTH}")
    head_b = check_real("head_b", head_b)
    X = check_array("X", X, shape=(None, D_IN))
    ytrue = forward(layers["star"], X) @ head_w + head_b
    Fw, Fs = forward(layers["weak"], X), forward(layers["strong"], X)
    yweak = affine(Fw, lstsq_affine(Fw, ytrue))
    ysw = affine(Fs, lstsq_affine(Fs, yweak))
    fs = affine(Fs, lstsq_affine(Fs, ytrue))
    return {"errY": float(np.mean((yweak - ytrue) ** 2)), "misfit": float(np.mean((ysw - yweak) ** 2)),
            "errS": float(np.mean((ysw - ytrue) ** 2)), "eps": float(np.mean((fs - ytrue) ** 2)),
            "var": float(np.var(ytrue)), "msq": float(np.mean(ytrue**2))}


def run_torch(d: ReplicaDraws, device: str = "cpu", heads=None) -> ReplicaResult:
    """The same replica with pretraining by the fused torch kernel (:mod:`._replica_batched`, same
    draws) on ``device``; the transfer stage is shared with the reference."""
    from ._replica_batched import pretrain_batched

    _check_draws(d)
    device = check_device(device)
    (layers, losses), = pretrain_batched([d], device=device)
    return finish(d, layers, losses, "torch", heads)


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
    x = check_array("gain", gain, ndim=1, min_size=3)
    y = check_array("misfit", misfit, shape=x.shape)
    level = check_real("level", level, 0.0, 1.0, low_open=True, high_open=True)
    b, a, r2 = _ols(x, y)
    idx = rng.integers(0, x.size, (check_int("n_boot", n_boot, 10), x.size))
    boots = np.array([_ols(x[i], y[i]) for i in idx])
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    ci = lambda k: tuple(float(v) for v in np.percentile(boots[:, k], q))  # noqa: E731
    return LineFit(float(b), float(a), float(r2), ci(0), ci(1), ci(2), float(boots[:, 0].std(ddof=1)), level,
                   x.size, float(np.mean(y > x)))

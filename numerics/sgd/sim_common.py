"""Shared set-up of the finite-d online spherical SGD simulator (spec sgd_dynamics.md §1.2–§1.5, §2.5).

One place builds everything random or geometric so that every backend (numpy reference,
numba, torch) runs *the same* trajectory: the geometry (θ, u_k, V_k, n_W), the initial
weights, and the Gaussian input stream, which is pre-drawn in blocks from
``numerics.rng(seed, "sgd-sim", run, ...)``.  Backends only consume :class:`Plan` and the
blocks; they never draw.

Model (spec §1.4): neuron ``j`` has unit ``w_j`` and readout ``a_j``; each step takes ``batch``
fresh samples x ~ N(0, I_d) and label ``y``; ``resid = y`` (correlation loss) or ``y - f(x)``
(MSE, protocol S3).  The tangent update is
``w_j <- N(w_j + eta * a_j * mean_b[resid_b * σ'(<w_j,x_b>) (x_b - <w_j,x_b> w_j)])`` and, for MSE,
``a_j <- a_j + eta * tau_a * mean_b[resid_b σ(<w_j,x_b>)]`` on trainable readouts.

Labels: ``y = T(Σ_i alpha_i h_i(<v,x>) + eps_w h_2(<n_W,x>)) - centre + noise * ξ`` with T ∈ {id, square};
``ξ`` is an extra Gaussian column of the same block.  Activations are Hermite polynomials
(``beta`` up to degree 6) or ReLU.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import numpy as np

from .._backends import rng as _rng
from .._validate import InvalidParameter, check_array, check_int, check_real, check_seed

MECHANISMS = ("H1", "H2", "H3", "H4")
PROTOCOLS = ("w2s", "sft")
TRANSFORMS = ("id", "square")
ACTIVATIONS = ("relu", "hermite")
MAX_DEG = 6
RELU, HERMITE = 0, 1
CORR, MSE = 0, 1


def check_mechanism(mechanism: str) -> str:
    if mechanism not in MECHANISMS:
        raise InvalidParameter("mechanism", mechanism, "one of " + ", ".join(MECHANISMS))
    return mechanism


def hermite_coeffs(name: str, coeffs: Sequence[float] | None) -> np.ndarray:
    """A length-7 vector of coefficients on h_0..h_6 (orthonormal Hermite basis)."""
    a = np.zeros(MAX_DEG + 1)
    if coeffs is None:
        return a
    c = np.asarray(coeffs, dtype=float)
    if c.ndim != 1 or c.size > MAX_DEG + 1 or not np.all(np.isfinite(c)):
        raise InvalidParameter(name, "<array>", f"1-d finite Hermite coefficients of degree <= {MAX_DEG}")
    a[: c.size] = c
    return a


def hermite_eval(coef: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Σ coef_i h_i(z) with h_i = He_i/√(i!) (spec §1.1); ``coef`` has length 7 (h_0..h_6)."""
    coef = check_array("coef", coef, shape=(MAX_DEG + 1,))
    z = check_array("z", z, min_size=0)
    return _hermite_eval(coef, z)


def _hermite_eval(coef: np.ndarray, z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    he_prev, he = np.ones_like(z), z.copy()
    out = coef[0] * he_prev + coef[1] * he
    fact = 1.0
    for n in range(1, MAX_DEG):
        he_prev, he = he, z * he - n * he_prev
        fact *= n + 1
        out = out + coef[n + 1] * he / math.sqrt(fact)
    return out


def hermite_derivative(coef: np.ndarray) -> np.ndarray:
    """Coefficients of d/dz Σ c_i h_i = Σ c_i √i h_{i-1}."""
    coef = check_array("coef", coef, ndim=1)
    out = np.zeros_like(coef)
    for i in range(1, coef.size):
        out[i - 1] = coef[i] * math.sqrt(i)
    return out


@dataclass(frozen=True)
class SimConfig:
    """One finite-d SGD experiment.  ``rho`` lists ρ_k = <u_k, θ> of the K-1 off-target groups.

    ``n_steps`` steps of ``batch`` samples; time t = eta * n_steps (spec §2).
    """

    d: int
    r: int = 2
    rho: tuple[float, ...] = (0.3,)
    m_target: int = 8
    m_off: int = 4
    eta: float = 1e-3
    n_steps: int = 1000
    batch: int = 1
    mechanism: str = "H1"
    protocol: str = "w2s"
    activation: str = "hermite"
    beta: tuple[float, ...] = (0.0, 0.0, 1.0)          # student activation σ = h_2 by default
    sigma_star: tuple[float, ...] = (0.0, 0.0, 1.0)    # σ* link of the truth
    g_w: tuple[float, ...] | None = None               # teacher link g_W (defaults to σ*)
    eps_w: float = 0.0                                 # teacher error ε_W h_2(<n_W,x>)
    transform: str = "id"                              # W2S label transform T
    noise: float = 0.0                                 # SFT label noise std
    init: str = "feature"                              # off-target init: feature | subspace
    init_noise: float = 0.0                            # feature mode: noise in V_k
    tau_a: float = 1.0                                 # MSE readout/first-layer rate ratio (S3)
    a_init: float = 0.0                                # S3 readout initialisation
    target_init: str = "subspace"                      # subspace: U_κ ξ; or "fixed": overlap m0
    m0: float = 0.3                                    # fixed target overlap (target_init="fixed")

    def __post_init__(self) -> None:
        check_int("d", self.d, 2)
        check_int("r", self.r, 1, self.d)
        if isinstance(self.rho, (int, float)):
            object.__setattr__(self, "rho", (float(self.rho),))
        object.__setattr__(self, "rho", tuple(float(x) for x in self.rho))
        for k, x in enumerate(self.rho):
            check_real(f"rho[{k}]", x, -1.0, 1.0)
        check_int("m_target", self.m_target, 0)
        check_int("m_off", self.m_off, 0)
        check_real("eta", self.eta, 0.0, None, low_open=True)
        check_int("n_steps", self.n_steps, 0)
        check_int("batch", self.batch, 1)
        check_mechanism(self.mechanism)
        if self.protocol not in PROTOCOLS:
            raise InvalidParameter("protocol", self.protocol, "one of " + ", ".join(PROTOCOLS))
        if self.activation not in ACTIVATIONS:
            raise InvalidParameter("activation", self.activation, "one of " + ", ".join(ACTIVATIONS))
        if self.transform not in TRANSFORMS:
            raise InvalidParameter("transform", self.transform, "one of " + ", ".join(TRANSFORMS))
        if self.init not in ("feature", "subspace"):
            raise InvalidParameter("init", self.init, "one of feature, subspace")
        if self.target_init not in ("subspace", "fixed"):
            raise InvalidParameter("target_init", self.target_init, "one of subspace, fixed")
        check_real("m0", self.m0, -1.0, 1.0)
        check_real("eps_w", self.eps_w, 0.0)
        check_real("noise", self.noise, 0.0)
        check_real("init_noise", self.init_noise, 0.0)
        check_real("tau_a", self.tau_a, 0.0)
        check_real("a_init", self.a_init)
        hermite_coeffs("beta", self.beta)
        hermite_coeffs("sigma_star", self.sigma_star)
        hermite_coeffs("g_w", self.g_w)
        K = len(self.rho) + 1
        need = self.r * K + 1
        if self.d < need:
            raise InvalidParameter("d", self.d, f"integer >= r*K+1 = {need} (r={self.r}, K={K} tasks, spec §1.2)")
        if self.mechanism == "H2" and sum(x * x for x in self.rho) > 1.0:
            raise InvalidParameter("rho", self.rho, "sum of rho_k^2 <= 1 under H2 (θ* = c v + Σ ρ_k u_k)")

    @property
    def m(self) -> int:
        return self.m_target + self.m_off * len(self.rho)

    @property
    def loss(self) -> int:
        """S3 (joint MSE) for SFT under H3/H4 and W2S under H3; correlation loss otherwise."""
        if self.mechanism == "H3" or (self.mechanism == "H4" and self.protocol == "sft"):
            return MSE
        return CORR


@dataclass
class Plan:
    """Everything a backend needs, fully determined by (config, seed, run)."""

    cfg: SimConfig
    W0: np.ndarray          # (m, d) unit rows
    a: np.ndarray           # (m,) readout
    a_train: np.ndarray     # (m,) 1.0 where the readout is trained (MSE)
    v_label: np.ndarray     # (d,) label direction
    n_w: np.ndarray         # (d,) teacher-error direction
    theta: np.ndarray       # (d,) truth θ (θ* under H2)
    U: list[np.ndarray]     # per task k (0 = κ): (d, r) orthonormal basis of V_k
    groups: list[np.ndarray]  # neuron indices per task (0 = target group)
    alpha: np.ndarray       # (7,) label-link Hermite coefficients (before T)
    eps_w: float
    square: bool            # T = y^2
    centre: float           # E[T(f)] subtracted
    noise: float
    act: int                # RELU | HERMITE
    beta: np.ndarray        # (7,) activation coefficients
    dbeta: np.ndarray       # (7,) derivative coefficients
    loss: int
    tau_a: float
    seed: int
    run: int
    extra: dict = field(default_factory=dict)

    @property
    def params(self) -> np.ndarray:
        """Scalars packed for kernels: eta, eps_w, square, centre, noise, act, loss, tau_a."""
        c = self.cfg
        return np.array([c.eta, self.eps_w, float(self.square), self.centre, self.noise, float(self.act),
                         float(self.loss), self.tau_a])


def _unit_rows(X: np.ndarray) -> np.ndarray:
    return X / np.linalg.norm(X, axis=-1, keepdims=True)


def make_plan(cfg: SimConfig, seed: int, run: int = 0) -> Plan:
    """Geometry (spec §1.2 construction), initial weights (§1.3) and labels (§1.3–§1.4)."""
    if not isinstance(cfg, SimConfig):
        raise InvalidParameter("cfg", type(cfg).__name__, "a SimConfig")
    seed, run = check_seed(seed), check_int("run", run, 0)
    d, r, K = cfg.d, cfg.r, len(cfg.rho) + 1
    e = np.eye(d)
    g = _rng(seed, "sgd-sim", "init", run)
    v = e[0].copy()
    U = [e[:, :r].copy()]
    offs: list[np.ndarray] = []
    nks = [e[r * k] for k in range(1, K)]
    if cfg.mechanism == "H2":
        # θ* = c v + Σ ρ_k n_k with u_k = n_k ⊥ v (spec §3.2 H2): ρ_k = <u_k, θ*>
        c0 = math.sqrt(max(0.0, 1.0 - sum(x * x for x in cfg.rho)))
        theta = c0 * v + sum((rk * nk for rk, nk in zip(cfg.rho, nks)), np.zeros(d))
        for k, nk in enumerate(nks, start=1):
            offs.append(nk.copy())
            U.append(np.column_stack([nk] + [e[r * k + i] for i in range(1, r)]))
    else:
        theta = v
        for k, (rk, nk) in enumerate(zip(cfg.rho, nks), start=1):
            u = rk * v + math.sqrt(1.0 - rk * rk) * nk
            offs.append(u)
            U.append(np.column_stack([u] + [e[r * k + i] for i in range(1, r)]))
    n_w = e[r * K].copy()
    # initial weights
    rows = []
    if cfg.target_init == "subspace":
        xi = _unit_rows(g.standard_normal((cfg.m_target, r)))
        rows.append(xi @ U[0].T)
    else:
        m0 = cfg.m0
        t = np.zeros((cfg.m_target, d))
        t[:, 0] = m0
        t[:, 1 if r > 1 else r * K] = math.sqrt(1 - m0 * m0)  # second direction inside V_κ when r > 1
        rows.append(t)
    for k in range(1, K):
        if cfg.init == "feature":
            base = np.tile(offs[k - 1], (cfg.m_off, 1))
            if cfg.init_noise > 0:
                base = base + cfg.init_noise * g.standard_normal((cfg.m_off, r)) @ U[k].T
            rows.append(_unit_rows(base) if cfg.m_off else base)
        else:
            rows.append(_unit_rows(g.standard_normal((cfg.m_off, r))) @ U[k].T)
    W0 = np.vstack(rows) if rows else np.zeros((0, d))
    groups, start = [], 0
    for k in range(K):
        size = cfg.m_target if k == 0 else cfg.m_off
        groups.append(np.arange(start, start + size))
        start += size
    # protocol and mechanism (spec §1.4, §3.2)
    sft = cfg.protocol == "sft"
    loss = cfg.loss
    a = np.ones(cfg.m)
    a_train = np.zeros(cfg.m)
    if loss == MSE:
        a[:] = cfg.a_init
        a_train[:] = 1.0
    elif cfg.mechanism == "H4" and not sft:
        for k in range(1, K):
            a[groups[k]] = 0.0   # readout gating: off-target task-κ readout frozen at 0
    g_w = cfg.sigma_star if cfg.g_w is None else cfg.g_w
    if sft:
        alpha, eps_w, square, lab = hermite_coeffs("sigma_star", cfg.sigma_star), 0.0, False, theta
        noise = cfg.noise
    else:
        alpha, eps_w, square, lab = hermite_coeffs("g_w", g_w), cfg.eps_w, cfg.transform == "square", v
        noise = 0.0
    if square:
        centre = float(np.sum(alpha**2) + eps_w**2)   # E[(Σ α_i h_i + ε h_2)^2]
    else:
        centre = float(alpha[0])
    beta = hermite_coeffs("beta", cfg.beta)
    act = RELU if cfg.activation == "relu" else HERMITE
    return Plan(cfg, np.ascontiguousarray(W0), a, a_train, lab.copy(), n_w, theta, U, groups, alpha, eps_w,
                square, centre, noise, act, beta, hermite_derivative(beta), loss, cfg.tau_a, seed, run)


def input_blocks(plan: Plan, block: int = 512) -> Iterator[np.ndarray]:
    """The run's Gaussian stream: arrays of shape (steps, batch, d+1), the last column being
    the label-noise draw.  The same blocks feed every backend."""
    check_plan(plan)
    block = check_int("block", block, 1)
    cfg = plan.cfg
    g = _rng(plan.seed, "sgd-sim", "inputs", plan.run)
    done = 0
    while done < cfg.n_steps:
        n = min(block, cfg.n_steps - done)
        yield g.standard_normal((n, cfg.batch, cfg.d + 1))
        done += n


def labels(plan: Plan, X: np.ndarray) -> np.ndarray:
    """Phase-I labels for samples X (..., d+1) (spec §1.3)."""
    d = check_plan(plan).cfg.d
    X = np.asarray(X, dtype=float)
    if X.ndim < 1 or X.shape[-1] != d + 1:
        raise InvalidParameter("X", f"<shape {X.shape}>", f"samples of shape (..., d+1) = (..., {d + 1})")
    return _labels(plan, X)


def _labels(plan: Plan, X: np.ndarray) -> np.ndarray:
    d = plan.cfg.d
    z = X[..., :d] @ plan.v_label
    f = _hermite_eval(plan.alpha, z)
    if plan.eps_w:
        zw = X[..., :d] @ plan.n_w
        f = f + plan.eps_w * (zw * zw - 1.0) / math.sqrt(2.0)
    if plan.square:
        f = f * f
    return f - plan.centre + plan.noise * X[..., d]


def check_plan(plan) -> "Plan":
    if not isinstance(plan, Plan):
        raise InvalidParameter("plan", type(plan).__name__, "a Plan from make_plan(cfg, seed, run)")
    return plan


def act(plan: Plan, z: np.ndarray) -> np.ndarray:
    """The student activation σ(z) of the plan (ReLU or Hermite)."""
    return _act(check_plan(plan), check_array("z", z, min_size=0))


def act_prime(plan: Plan, z: np.ndarray) -> np.ndarray:
    """σ'(z) of the plan."""
    return _act_prime(check_plan(plan), check_array("z", z, min_size=0))


def _act(plan: Plan, z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0) if plan.act == RELU else _hermite_eval(plan.beta, z)


def _act_prime(plan: Plan, z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(float) if plan.act == RELU else _hermite_eval(plan.dbeta, z)


@dataclass
class SimResult:
    """Final state and metrics of one run (spec §1.5)."""

    W: np.ndarray
    a: np.ndarray
    plan: Plan

    def overlap(self) -> np.ndarray:
        """ρ_j = <w_j, θ> for every neuron (θ* under H2)."""
        return self.W @ self.plan.theta

    def label_overlap(self) -> np.ndarray:
        return self.W @ self.plan.v_label

    def retention(self) -> np.ndarray:
        return np.sum(self.W * self.plan.W0, axis=1)

    def forgetting(self) -> np.ndarray:
        """F_j = 1 - q_j^2 (spec §1.5)."""
        q = self.retention()
        return 1.0 - q * q

    def occupancy(self) -> np.ndarray:
        O = np.zeros(self.W.shape[0])
        for k, idx in enumerate(self.plan.groups):
            if idx.size:
                O[idx] = np.sum((self.W[idx] @ self.plan.U[k]) ** 2, axis=1)
        return O

    def metrics(self, eps: float = 0.1) -> dict:
        g = self.plan.groups
        rho = self.label_overlap()
        F, O = self.forgetting(), self.occupancy()
        out = {"max_align": float(np.max(np.abs(rho[g[0]]))) if g[0].size else float("nan"),
               "frac_aligned": float(np.mean(np.abs(rho[g[0]]) >= 1 - eps)) if g[0].size else float("nan"),
               "max_nw": float(np.max(np.abs(self.W @ self.plan.n_w))) if self.W.shape[0] else 0.0,
               "F": [float(F[i].mean()) for i in g[1:]], "O": [float(O[i].mean()) for i in g[1:]]}
        return out


def phase2(res: SimResult, n2: int, nu: float, seed: int, n_test: int = 20000) -> dict:
    """Phase II (spec §1.4): fixed biases b_j ~ U[-2,2], ridge readout on n2 fresh samples
    (target f_W for W2S, y for SFT); returns the task-κ test MSE against r*_κ and, per
    off-target group, the ridge-refit MSE of r*_k on the group's features before and after."""
    if not isinstance(res, SimResult):
        raise InvalidParameter("res", type(res).__name__, "a SimResult of a Phase-I run")
    plan, cfg = res.plan, res.plan.cfg
    check_int("n2", n2, 1)
    check_real("nu", nu, 0.0, None, low_open=True)
    check_int("n_test", n_test, 2)
    check_seed(seed)
    g = _rng(seed, "sgd-sim", "phase2", plan.run)
    b = g.uniform(-2, 2, cfg.m)
    Xtr = g.standard_normal((n2, cfg.d))
    Xte = g.standard_normal((n_test, cfg.d))
    star = hermite_coeffs("sigma_star", cfg.sigma_star)

    def feats(W, X, idx):
        return _act(plan, X @ W[idx].T + b[idx])

    def ridge(Phi, y, Phi_te):
        A = Phi.T @ Phi / Phi.shape[0] + nu * np.eye(Phi.shape[1])
        coef = np.linalg.solve(A, Phi.T @ y / Phi.shape[0])
        return Phi_te @ coef

    r_star_tr = hermite_eval(star, Xtr @ plan.theta)
    r_star_te = hermite_eval(star, Xte @ plan.theta)
    if cfg.protocol == "w2s":
        g_w = star if cfg.g_w is None else hermite_coeffs("g_w", cfg.g_w)
        y2 = hermite_eval(g_w, Xtr @ plan.v_label) + cfg.eps_w * ((Xtr @ plan.n_w) ** 2 - 1) / math.sqrt(2)
    else:
        y2 = r_star_tr + cfg.noise * g.standard_normal(n2)
    allidx = np.arange(cfg.m)
    pred = ridge(feats(res.W, Xtr, allidx), y2, feats(res.W, Xte, allidx))
    out = {"mse_kappa": float(np.mean((pred - r_star_te) ** 2)), "task_k": []}
    for k, idx in enumerate(plan.groups[1:], start=1):
        u = plan.U[k][:, 0]
        yk_tr, yk_te = hermite_eval(star, Xtr @ u), hermite_eval(star, Xte @ u)
        before = np.mean((ridge(feats(plan.W0, Xtr, idx), yk_tr, feats(plan.W0, Xte, idx)) - yk_te) ** 2)
        after = np.mean((ridge(feats(res.W, Xtr, idx), yk_tr, feats(res.W, Xte, idx)) - yk_te) ** 2)
        out["task_k"].append({"before": float(before), "after": float(after)})
    return out

"""Torch backend, batched over independent runs and neurons (spec sgd_dynamics.md §1.4).

Device-agnostic: ``device="cuda"`` when present, else ``"cpu"``.  It consumes the same
pre-drawn numpy input blocks as the reference (copied to the device), so trajectories
agree with numpy to floating-point error.  Each step is a pair of batched GEMMs
(``bmm``) over runs: pre-activations ``X Wᵀ`` and the tangent gradient ``Gᵀ X``.  The
normalisation is folded into per-row scales (``w_j = s_j W̃_j``, ‖w'‖ in closed form from the
batch Gram matrix), so a step reads W once for ``X Wᵀ`` and updates it once (``baddbmm_``);
the scales are folded back every ``FOLD`` steps.  A gated neuron (c = 0) stays bit-identical.
"""
from __future__ import annotations

import math
from contextlib import contextmanager

import numpy as np
import torch

from .._backends import check_device
from .._validate import InvalidParameter, check_int
from .sim_common import MSE, RELU, Plan, SimConfig, SimResult, input_blocks, make_plan


def _herm(c: list[float], z: torch.Tensor) -> torch.Tensor:
    hp, h = torch.ones_like(z), z
    out = c[0] + c[1] * z
    fact = 1.0
    for n in range(1, 6):
        hp, h = h, z * h - n * hp
        fact *= n + 1
        if c[n + 1] != 0.0:
            out = out + (c[n + 1] / math.sqrt(fact)) * h
    return out


class _Stepper:
    def __init__(self, plan: Plan, device: str):
        self.p, self.dev = plan, device
        t = lambda x: torch.as_tensor(x, dtype=torch.float64, device=device)  # noqa: E731
        self.v, self.nw = t(plan.v_label), t(plan.n_w)
        self.alpha, self.beta, self.dbeta = (list(map(float, c)) for c in (plan.alpha, plan.beta, plan.dbeta))
        self.a_train = t(plan.a_train)
        self.eta = plan.cfg.eta

    def act(self, z):
        return torch.clamp_min(z, 0.0) if self.p.act == RELU else _herm(self.beta, z)

    def dact(self, z):
        return (z > 0).to(z.dtype) if self.p.act == RELU else _herm(self.dbeta, z)

    def _signals(self, X: torch.Tensor, pre_fn):
        """Labels, pre-activations, G = resid σ'(pre)/B, and σ(pre) (MSE) for samples X (R, B, d+1)."""
        p = self.p
        d = p.cfg.d
        x = X[..., :d]
        z = x @ self.v
        f = _herm(self.alpha, z)
        if p.eps_w:
            zw = x @ self.nw
            f = f + p.eps_w * (zw * zw - 1.0) / math.sqrt(2.0)
        if p.square:
            f = f * f
        y = f - p.centre + p.noise * X[..., d]                 # (R, B)
        pre = pre_fn(x)                                        # (R, B, m)
        sig = None
        if p.loss == MSE:
            sig = self.act(pre)
            y = y - (sig * self._a[:, None, :]).sum(-1)
        G = y[..., None] * self.dact(pre) / X.shape[1]        # (R, B, m)
        return x, y, pre, G, sig

    def _norm(self, x, pre, G, coef):
        """w' = (1 − c s) w + c Gᵀx, with ‖w'‖ in closed form from the batch Gram matrix (‖w‖ = 1)."""
        s = (G * pre).sum(1)                                   # (R, m)  Σ_b G_b <w, x_b>
        one = 1.0 - coef * s
        xx = torch.bmm(x, x.transpose(1, 2))                   # (R, B, B)
        gg = (G * torch.bmm(xx, G)).sum(1) if x.shape[1] > 1 else G[:, 0, :] ** 2 * xx[:, 0, :]   # ‖Gᵀx‖²
        return one, torch.sqrt(one * one + 2.0 * one * coef * s + coef * coef * gg)

    def _readout(self, a, y, sig, B):
        if self.p.loss == MSE:
            a.add_(self.eta * self.p.tau_a * self.a_train * (y[..., None] * sig).sum(1) / B)

    def step(self, W: torch.Tensor, a: torch.Tensor, X: torch.Tensor) -> None:
        """W (R, m, d), a (R, m), X (R, B, d+1): one step for every run, in place (explicit rows)."""
        self._a = a
        x, y, pre, G, sig = self._signals(X, lambda x: torch.bmm(x, W.transpose(1, 2)))
        coef = self.eta * a                                    # (R, m); c = 0 (gated) leaves w bit-identical
        one, nrm = self._norm(x, pre, G, coef)
        W.mul_((one / nrm)[..., None])
        W.baddbmm_(((coef / nrm)[:, None, :] * G).transpose(1, 2), x)
        self._readout(a, y, sig, X.shape[1])

    def step_lazy(self, Wt: torch.Tensor, sc_: torch.Tensor, a: torch.Tensor, X: torch.Tensor) -> None:
        """The same step on w_j = sc_j · Wt_j (row scales kept apart): one read of W for the
        pre-activations and one rank-B update, no separate rescaling pass.  Falls back to the
        explicit step when a scale factor (1 − c s) is not safely positive."""
        self._a = a
        x, y, pre, G, sig = self._signals(X, lambda x: torch.bmm(x, Wt.transpose(1, 2)) * sc_[:, None, :])
        coef = self.eta * a
        one, nrm = self._norm(x, pre, G, coef)
        if bool((one < 0.5).any()):
            Wt.mul_(sc_[..., None])
            sc_.fill_(1.0)
            Wt.mul_((one / nrm)[..., None])
            Wt.baddbmm_(((coef / nrm)[:, None, :] * G).transpose(1, 2), x)
        else:
            Wt.baddbmm_(((coef / (one * sc_))[:, None, :] * G).transpose(1, 2), x)
            sc_.mul_(one / nrm)
        self._readout(a, y, sig, X.shape[1])


FOLD = 64   # lazy row scales are folded back into W every FOLD steps


def simulate_runs(cfg: SimConfig, seed: int, runs: int, device: str = "cpu") -> list[SimResult]:
    """Runs 0..runs-1 of Phase I, batched on ``device``."""
    check_device(device)
    runs = check_int("runs", runs, 1)
    plans = [make_plan(cfg, seed, i) for i in range(runs)]
    return run_plans(plans, device)


SMALL = 1 << 20   # R·m·d below which CPU intra-op threading costs more than it saves


@contextmanager
def cpu_threads(runs: int, m: int, d: int, device: str = "cpu", threads: int | None = None):
    """On CPU, run problems with R·m·d < ``SMALL`` single-threaded (``threads`` overrides):
    OpenMP barriers on tiny ops dominate otherwise, badly so on a loaded machine.  The
    thread count is restored on exit."""
    if threads is not None:
        threads = check_int("threads", threads, 1)
    if threads is None and device == "cpu" and runs * m * d < SMALL:
        threads = 1
    if threads is None or device != "cpu":
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def run_plans(plans: list[Plan], device: str = "cpu", threads: int | None = None) -> list[SimResult]:
    """Run the plans (same config, different runs) batched on ``device`` (see :func:`cpu_threads`)."""
    check_device(device)
    plans = list(plans) if isinstance(plans, (list, tuple)) else plans
    if not isinstance(plans, list) or not plans or not all(isinstance(p, Plan) for p in plans):
        raise InvalidParameter("plans", "<plans>", "a non-empty list of Plans from make_plan")
    cfg = plans[0].cfg
    if any(p.cfg != cfg for p in plans):
        raise InvalidParameter("plans", "<mixed configs>", "Plans that share one SimConfig")
    with cpu_threads(len(plans), cfg.m, cfg.d, device, threads):
        return _run(plans, device)


def advance(st: _Stepper, W: torch.Tensor, a: torch.Tensor, Xb: torch.Tensor) -> None:
    """Advance W (R, m, d) and a (R, m) in place through Xb (steps, R, B, d+1) with lazy row
    scales folded back every ``FOLD`` steps and at the end."""
    scale = torch.ones(W.shape[:2], dtype=W.dtype, device=W.device)
    with torch.no_grad():
        for k, X in enumerate(Xb, start=1):
            st.step_lazy(W, scale, a, X)
            if k % FOLD == 0:
                W.mul_(scale[..., None])
                scale.fill_(1.0)
        W.mul_(scale[..., None])


def _run(plans: list[Plan], device: str) -> list[SimResult]:
    st = _Stepper(plans[0], device)
    W = torch.as_tensor(np.stack([p.W0 for p in plans]), device=device).clone()
    a = torch.as_tensor(np.stack([p.a for p in plans]), device=device).clone()
    with torch.no_grad():
        for blocks in zip(*(input_blocks(p) for p in plans)):
            advance(st, W, a, torch.as_tensor(np.stack(blocks, axis=1), device=device))
    Wn, an = W.cpu().numpy(), a.cpu().numpy()
    return [SimResult(Wn[i].copy(), an[i].copy(), p) for i, p in enumerate(plans)]


def simulate(cfg: SimConfig, seed: int, run: int = 0, device: str = "cpu") -> SimResult:
    return run_plans([make_plan(cfg, seed, run)], device)[0]

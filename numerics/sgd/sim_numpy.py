"""Numpy reference backend of the online spherical SGD simulator (spec sgd_dynamics.md §1.4).

A plain per-step loop: the oracle that numba and torch must reproduce on the same
pre-drawn input stream (:func:`numerics.sgd.sim_common.input_blocks`).
"""
from __future__ import annotations

import numpy as np

from .._validate import check_int
from .sim_common import (MSE, Plan, SimConfig, SimResult, _act as act, _act_prime as act_prime, _labels as labels,
                         check_plan, input_blocks, make_plan)


def step(plan: Plan, W: np.ndarray, a: np.ndarray, X: np.ndarray) -> None:
    """One SGD step in place on (W, a) with the samples X of shape (batch, d+1)."""
    d = plan.cfg.d
    x = X[:, :d]                                   # (B, d)
    y = labels(plan, X)                            # (B,)
    pre = x @ W.T                                  # (B, m)
    resid = y
    if plan.loss == MSE:
        resid = y - act(plan, pre) @ a
    G = resid[:, None] * act_prime(plan, pre) / X.shape[0]   # (B, m)
    eta = plan.cfg.eta
    if plan.loss == MSE:
        da = eta * plan.tau_a * plan.a_train * (resid @ act(plan, pre)) / X.shape[0]
    coef = eta * a
    live = coef != 0.0                             # a gated readout (H4) leaves w_j bit-identical
    if live.all():
        grad = G.T @ x - np.sum(G * pre, axis=0)[:, None] * W   # tangent gradient (m, d)
        W += coef[:, None] * grad
        W /= np.linalg.norm(W, axis=1, keepdims=True)
    elif live.any():
        Wl, Gl = W[live], G[:, live]
        Wl += coef[live, None] * (Gl.T @ x - np.sum(Gl * pre[:, live], axis=0)[:, None] * Wl)
        W[live] = Wl / np.linalg.norm(Wl, axis=1, keepdims=True)
    if plan.loss == MSE:
        a += da


def run_plan(plan: Plan, record_every: int = 0) -> tuple[SimResult, np.ndarray | None]:
    """Run Phase I; optionally record the overlaps W @ θ every ``record_every`` steps."""
    check_plan(plan)
    record_every = check_int("record_every", record_every, 0)
    W, a = plan.W0.copy(), plan.a.copy()
    rec = [] if record_every else None
    t = 0
    for block in input_blocks(plan):
        for X in block:
            step(plan, W, a, X)
            t += 1
            if rec is not None and t % record_every == 0:
                rec.append(W @ plan.theta)
    return SimResult(W, a, plan), (np.array(rec) if rec is not None else None)


def simulate(cfg: SimConfig, seed: int, run: int = 0) -> SimResult:
    """One run of Phase I for (cfg, seed, run)."""
    return run_plan(make_plan(cfg, seed, run))[0]


def simulate_runs(cfg: SimConfig, seed: int, runs: int) -> list[SimResult]:
    """Independent runs 0..runs-1 (the seed is the unit of replication, spec §4)."""
    runs = check_int("runs", runs, 1)
    return [simulate(cfg, seed, i) for i in range(runs)]

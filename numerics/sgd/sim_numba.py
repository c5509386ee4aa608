"""Numba backend: one fused kernel per block of steps, no per-step Python (spec sgd_dynamics.md §1.4).

Consumes the same pre-drawn input blocks as the numpy reference, so trajectories agree
to floating-point error.  :func:`simulate_runs` runs independent seeds in parallel
(``prange`` over runs).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .._validate import check_int
from .sim_common import Plan, SimConfig, SimResult, check_plan, input_blocks, make_plan


@njit(cache=True, inline="always", fastmath=True)
def _herm(c, z):
    """Σ c_i h_i(z), i <= 6, by the He recursion."""
    hp = 1.0
    h = z
    out = c[0] + c[1] * z
    fact = 1.0
    for n in range(1, 6):
        hn = z * h - n * hp
        hp = h
        h = hn
        fact *= n + 1
        out += c[n + 1] * h / math.sqrt(fact)
    return out


@njit(cache=True, inline="always", fastmath=True)
def _act(z, is_relu, beta):
    if is_relu:
        return z if z > 0.0 else 0.0
    return _herm(beta, z)


@njit(cache=True, inline="always", fastmath=True)
def _dact(z, is_relu, dbeta):
    if is_relu:
        return 1.0 if z > 0.0 else 0.0
    return _herm(dbeta, z)


@njit(cache=True, fastmath=True)
def run_block(W, a, X, v, nw, alpha, beta, dbeta, a_train, prm):
    """Advance (W, a) in place through the steps of X (steps, batch, d+1)."""
    eta, eps_w, square, centre, noise = prm[0], prm[1], prm[2] > 0.5, prm[3], prm[4]
    is_relu, mse, tau_a = prm[5] < 0.5, prm[6] > 0.5, prm[7]
    n_steps, B, d1 = X.shape
    d = d1 - 1
    m = W.shape[0]
    pre = np.empty((B, m))
    y = np.empty(B)
    G = np.empty((B, m))
    s = np.empty(m)
    da = np.zeros(m)
    gx = np.empty(d)
    inv_b = 1.0 / B
    for t in range(n_steps):
        for b in range(B):
            z = 0.0
            zw = 0.0
            for i in range(d):
                z += X[t, b, i] * v[i]
                zw += X[t, b, i] * nw[i]
            f = _herm(alpha, z)
            if eps_w != 0.0:
                f += eps_w * (zw * zw - 1.0) / math.sqrt(2.0)
            if square:
                f = f * f
            y[b] = f - centre + noise * X[t, b, d]
            xb = X[t, b, :d]
            for j in range(m):
                acc = 0.0
                wj = W[j]
                for i in range(d):
                    acc += wj[i] * xb[i]
                pre[b, j] = acc
            if mse:
                fo = 0.0
                for j in range(m):
                    fo += a[j] * _act(pre[b, j], is_relu, beta)
                y[b] -= fo
        for j in range(m):
            sj = 0.0
            dj = 0.0
            for b in range(B):
                g = y[b] * _dact(pre[b, j], is_relu, dbeta) * inv_b
                G[b, j] = g
                sj += g * pre[b, j]
                if mse:
                    dj += y[b] * _act(pre[b, j], is_relu, beta) * inv_b
            s[j] = sj
            da[j] = eta * tau_a * a_train[j] * dj
        for j in range(m):
            coef = eta * a[j]
            if coef == 0.0:
                continue
            wj = W[j]
            g0 = G[0, j]
            x0 = X[t, 0, :d]
            for i in range(d):
                gx[i] = g0 * x0[i]
            for b in range(1, B):
                gb = G[b, j]
                xb = X[t, b, :d]
                for i in range(d):
                    gx[i] += gb * xb[i]
            nrm = 0.0
            sj = s[j]
            for i in range(d):
                wi = wj[i] + coef * (gx[i] - sj * wj[i])
                wj[i] = wi
                nrm += wi * wi
            inv = 1.0 / math.sqrt(nrm)
            for i in range(d):
                wj[i] *= inv
        if mse:
            for j in range(m):
                a[j] += da[j]


@njit(cache=True, parallel=True)
def run_block_many(Ws, As, Xs, v, nw, alpha, beta, dbeta, a_train, prm):
    """``run_block`` for independent runs in parallel: Ws (R, m, d), As (R, m), Xs (R, steps, batch, d+1)."""
    for r in prange(Ws.shape[0]):
        run_block(Ws[r], As[r], Xs[r], v, nw, alpha, beta, dbeta, a_train, prm)


def _args(plan: Plan):
    return (plan.v_label, plan.n_w, plan.alpha, plan.beta, plan.dbeta, plan.a_train, plan.params)


def run_plan(plan: Plan) -> SimResult:
    """One run, single-threaded (a per-step parallel region over neurons was tried and lost
    badly to thread contention on a shared 2-core machine)."""
    check_plan(plan)
    W, a = plan.W0.copy(), plan.a.copy()
    args = _args(plan)
    for X in input_blocks(plan):
        run_block(W, a, X, *args)
    return SimResult(W, a, plan)


def simulate(cfg: SimConfig, seed: int, run: int = 0) -> SimResult:
    return run_plan(make_plan(cfg, seed, run))


def simulate_runs(cfg: SimConfig, seed: int, runs: int) -> list[SimResult]:
    """Runs 0..runs-1 advanced together block by block, in parallel over runs."""
    runs = check_int("runs", runs, 1)
    plans = [make_plan(cfg, seed, i) for i in range(runs)]
    Ws = np.stack([p.W0 for p in plans])
    As = np.stack([p.a for p in plans])
    args = _args(plans[0])
    for blocks in zip(*(input_blocks(p) for p in plans)):
        run_block_many(Ws, As, np.stack(blocks), *args)
    return [SimResult(Ws[i], As[i], p) for i, p in enumerate(plans)]

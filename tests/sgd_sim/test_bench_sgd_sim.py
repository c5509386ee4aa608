"""Benchmarks of the online-SGD simulator (pytest-benchmark; skipped by default, run with
``--benchmark-only``).  Steps/s at d ∈ {128, 512, 1024}, m = 256 neurons, for each backend,
plus batched runs over seeds.  ``extra_info`` carries steps/s and the achieved GFLOP/s
(FLOPs counted analytically: 4·B·m·d per step per run — pre-activations X Wᵀ and the tangent
gradient Gᵀ X, each 2·B·m·d) next to the machine's measured numpy f64 GEMM rate."""
from __future__ import annotations

import time

import numpy as np
import pytest

from numerics.sgd import sim_common as sc
from numerics.sgd import sim_numba, sim_numpy, sim_torch

pytestmark = pytest.mark.benchmark
M = 256
DS = (128, 512, 1024)


@pytest.fixture(scope="module")
def gemm_gflops() -> float:
    """Measured numpy f64 GEMM rate (n = 1024), the machine's reference."""
    a, b = np.random.default_rng(0).standard_normal((2, 1024, 1024))
    a @ b
    t = time.perf_counter()
    for _ in range(5):
        a @ b
    return 5 * 2 * 1024**3 / (time.perf_counter() - t) / 1e9


def _setup(d: int, runs: int = 1, batch: int = 1, steps: int = 64):
    cfg = sc.SimConfig(d=d, r=2, rho=(0.3,), m_target=M // 2, m_off=M // 2, eta=0.1 / d, n_steps=steps, batch=batch,
                       activation="relu")
    plans = [sc.make_plan(cfg, 1, i) for i in range(runs)]
    X = np.stack([next(sc.input_blocks(p, block=steps)) for p in plans])     # (R, steps, B, d+1)
    return cfg, plans, X


def _info(benchmark, cfg, runs, steps, gemm):
    t = benchmark.stats.stats.min
    flops = 4.0 * cfg.batch * cfg.m * cfg.d * steps * runs
    benchmark.extra_info.update({"steps_per_s": steps / t, "run_steps_per_s": steps * runs / t,
                                 "gflops": flops / t / 1e9, "numpy_gemm_gflops": gemm})


@pytest.mark.parametrize("d", DS)
def test_numpy_reference_steps(benchmark, d, gemm_gflops):
    cfg, plans, X = _setup(d, steps=32)
    p = plans[0]

    def run():
        W, a = p.W0.copy(), p.a.copy()
        for x in X[0]:
            sim_numpy.step(p, W, a, x)
    benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=1)
    _info(benchmark, cfg, 1, 32, gemm_gflops)


@pytest.mark.parametrize("d", DS)
def test_numba_fused_steps(benchmark, d, gemm_gflops):
    cfg, plans, X = _setup(d, steps=256)
    p = plans[0]
    args = sim_numba._args(p)

    def run():
        sim_numba.run_block(p.W0.copy(), p.a.copy(), X[0], *args)
    benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=1)
    _info(benchmark, cfg, 1, 256, gemm_gflops)


@pytest.mark.parametrize("d", DS)
def test_torch_single_run_steps(benchmark, d, gemm_gflops):
    import torch
    cfg, plans, X = _setup(d, steps=64)
    st = sim_torch._Stepper(plans[0], "cpu")
    Xt = torch.as_tensor(np.ascontiguousarray(X.transpose(1, 0, 2, 3)))

    def run():
        W = torch.as_tensor(plans[0].W0[None]).clone()
        a = torch.as_tensor(plans[0].a[None]).clone()
        with sim_torch.cpu_threads(1, M, d):
            sim_torch.advance(st, W, a, Xt)
    benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=1)
    _info(benchmark, cfg, 1, 64, gemm_gflops)


BATCHED = [(512, 8, 1), (1024, 8, 1), (512, 8, 64), (1024, 8, 64), (1024, 8, 256)]


@pytest.mark.parametrize("d, runs, batch", BATCHED)
def test_numba_batched_runs(benchmark, d, runs, batch, gemm_gflops):
    steps = 64 if batch == 1 else 4
    cfg, plans, X = _setup(d, runs, batch, steps)
    Ws = np.stack([p.W0 for p in plans])
    As = np.stack([p.a for p in plans])
    args = sim_numba._args(plans[0])
    benchmark.pedantic(lambda: sim_numba.run_block_many(Ws.copy(), As.copy(), X, *args), rounds=3, iterations=1,
                       warmup_rounds=1)
    _info(benchmark, cfg, runs, steps, gemm_gflops)


@pytest.mark.parametrize("d, runs, batch", BATCHED)
def test_torch_batched_runs(benchmark, d, runs, batch, gemm_gflops):
    """Runs × neurons batched as bmm GEMMs; with batch 64 each step is two (64 × d)·(d × 256) GEMMs per run."""
    import torch
    steps = 64 if batch == 1 else 4
    cfg, plans, X = _setup(d, runs, batch, steps)
    st = sim_torch._Stepper(plans[0], "cpu")
    Xt = torch.as_tensor(np.ascontiguousarray(X.transpose(1, 0, 2, 3)))
    W0 = torch.as_tensor(np.stack([p.W0 for p in plans]))
    A0 = torch.as_tensor(np.stack([p.a for p in plans]))

    def run():
        with sim_torch.cpu_threads(runs, M, d):
            sim_torch.advance(st, W0.clone(), A0.clone(), Xt)
    benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=1)
    _info(benchmark, cfg, runs, steps, gemm_gflops)

"""pytest-benchmark timings for the MISFIT kernels (skipped by default; run with --benchmark-only)."""
from __future__ import annotations

import numpy as np
import pytest

import numerics.misfit as nm

pytestmark = pytest.mark.benchmark


@pytest.fixture(scope="module")
def ball():
    inst = nm.ball_instance(np.random.default_rng(0), 2000, 50, 0.5, 0.0, 0.0)
    nm.ball_coef_numba(inst.phi, inst.y, inst.w, 0.5)  # compile outside the timing
    return inst


def test_bench_ball_numpy(benchmark, ball):
    benchmark(nm.ball_coef, ball.phi, ball.y, ball.w, 0.5)


def test_bench_ball_numba(benchmark, ball):
    benchmark(nm.ball_coef_numba, ball.phi, ball.y, ball.w, 0.5)


def test_bench_hull_projection(benchmark):
    g, w, y, _ = nm.hull_instance(np.random.default_rng(1), 200, 8)
    benchmark(nm.hull_coef, g, y, w)


D = np.eye(11)[0]


def test_bench_ols_gap_direct_numpy(benchmark):
    r = np.random.default_rng(2)
    benchmark(nm.gap_samples_direct, r, 200, 11, 500, 1.0, D)


def test_bench_ols_gap_numba(benchmark):
    r = np.random.default_rng(3)
    nm.gap_samples_numba(r, 20, 11, 2, 1.0, D)
    benchmark(nm.gap_samples_numba, r, 200, 11, 500, 1.0, D)


def test_bench_ols_gap_torch(benchmark):
    from numerics import torch_generator

    g = torch_generator(4)
    benchmark(nm.gap_samples_torch, g, 200, 11, 500, 1.0, D)


def test_bench_ols_gap_bartlett(benchmark):
    r = np.random.default_rng(5)
    benchmark(nm.gap_samples_bartlett, r, 200, 11, 500, 1.0, D)


SMALL = nm.ReplicaConfig(n_pre_tasks=10, n_pre=500, n_transfer_tasks=20, n_transfer=2000, n_eval=2000, epochs=1)


def test_bench_replica_numpy(benchmark):
    d = nm.draw(np.random.default_rng(6), SMALL)
    benchmark.pedantic(nm.run_numpy, args=(d,), rounds=2, iterations=1)


def test_bench_replica_torch(benchmark):
    d = nm.draw(np.random.default_rng(6), SMALL)
    benchmark.pedantic(nm.run_torch, args=(d,), rounds=2, iterations=1)

"""Benchmarks (pytest-benchmark; skipped by default, run with --benchmark-only)."""
import numpy as np
import pytest

from numerics.sgd import ode
from theory.sgd import closed_forms as cf

pytestmark = pytest.mark.benchmark


def test_bench_integrate_overlap_256_neurons(benchmark):
    r0 = np.random.default_rng(0).uniform(-0.9, 0.9, 256)
    benchmark(ode.integrate_overlap, [0, 0.3, 0.5, 0.2], r0, np.linspace(0, 5, 51))


def test_bench_integrate_mse_ode_relu(benchmark):
    rng = np.random.default_rng(1)
    m, d = 16, 32
    W0 = rng.standard_normal((m, d))
    W0 /= np.linalg.norm(W0, axis=1, keepdims=True)
    th = np.eye(d)[0]
    benchmark(ode.integrate_mse_ode, np.full(m, 0.1), W0, th, np.linspace(0, 2, 11), [0, 0, 0.3, 0.1],
              rtol=1e-10, atol=1e-12)


def test_bench_matched_horizon_exact(benchmark):
    benchmark(cf.matched_horizon_F, 3, 0.1, 0.05, dps=20)

"""Optimiser throughput (steps/s) for the contextual bandit and the tiny autoregressive
policy on the numpy and torch backends.  Run with ``pytest tests/wspo/test_bench_wspo.py
--benchmark-only``; no timed assertions."""
from __future__ import annotations

import numpy as np
import pytest

import numerics
from numerics import wspo as nw

pytestmark = pytest.mark.benchmark
STEPS = 100


@pytest.fixture(scope="module")
def bandit():
    r = numerics.rng(0, "bench", "bandit")
    b = nw.contextual.make_bandit(r, 16, 8, 64)
    data = nw.contextual.sample_data(b, b.A_s, 2048, r)
    return b, data


@pytest.fixture(scope="module")
def ar():
    r = numerics.rng(0, "bench", "ar")
    V, T = 8, 3
    refs = tuple(r.standard_normal((nw.ar.n_prefixes(V, T), V)) for _ in range(3))
    Y = nw.ar.sample(refs[0], 1024, V, T, r)
    return V, refs, Y, np.full(len(Y), 1 / len(Y))


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_bench_contextual_bandit(benchmark, bandit, backend):
    b, data = bandit
    benchmark.extra_info.update(problem="linear-softmax bandit V=16 k=8, 2048 samples", steps=STEPS)
    W = benchmark(nw.contextual.fit, b, data, 0.5, b.A_s.copy(), STEPS, 0.01, backend)
    benchmark.extra_info["steps_per_s"] = STEPS / benchmark.stats.stats.mean
    assert np.all(np.isfinite(W))


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_bench_tiny_autoregressive(benchmark, ar, backend):
    V, refs, Y, w = ar
    benchmark.extra_info.update(problem="tabular AR V=8 T=3, 1024 sequences", steps=STEPS)
    Z = benchmark(nw.ar.fit, Y, w, refs, 0.5, refs[0].copy(), STEPS, 0.05, V, backend)
    benchmark.extra_info["steps_per_s"] = STEPS / benchmark.stats.stats.mean
    assert np.all(np.isfinite(Z))

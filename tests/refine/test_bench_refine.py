"""Benchmarks: replications per second of the full REFINE estimator comparison (naive ridge-to-prior
over a λ grid, hull learner, ICL posterior soft/MAP, refined risks) at d ∈ {16, 128}, K ∈ {3, 10},
per backend.  Skipped by default (--benchmark-skip); run with --benchmark-only."""
from __future__ import annotations

import numpy as np
import pytest

import numerics.refinement as nr
from numerics import cuda_available

pytestmark = pytest.mark.benchmark
LAMS = np.array([0.0, 0.1, 0.3, 1.0, 3.0, 10.0])
REPS = 64
DEVICES = ["cpu"] + (["cuda"] if cuda_available() else [])
CASES = [(b, dev) for b in ("numpy", "numba", "torch") for dev in DEVICES if b == "torch" or dev == "cpu"]


@pytest.mark.parametrize("d", [16, 128])
@pytest.mark.parametrize("K", [3, 10])
@pytest.mark.parametrize(("backend", "device"), CASES)
def test_full_comparison(benchmark, d, K, backend, device):
    M = nr.concept_model(K, d, np.full(K, 1.0 / K), 1.0, kappa=0.8, delta=0.8)
    n, m = 4 * d, 16
    if backend == "numba":  # compile outside the timing
        nr.compare_estimators(M, n, m, LAMS, 2, 0, backend)
    reps = REPS if d <= 16 else REPS // 4
    res = benchmark.pedantic(nr.compare_estimators, args=(M, n, m, LAMS, reps, 1, backend, device), rounds=3,
                             iterations=1, warmup_rounds=0)
    assert res["naive"].shape == (reps, LAMS.size)
    benchmark.extra_info["replications_per_s"] = reps / benchmark.stats.stats.mean
    benchmark.extra_info["n"], benchmark.extra_info["n_icl"] = n, m

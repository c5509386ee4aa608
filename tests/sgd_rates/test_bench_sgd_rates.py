"""Benchmarks of the measurements behind SGD-B2/B3 (pytest-benchmark; skipped unless --benchmark-only)."""
from __future__ import annotations

import pytest

from numerics.sgd import sim_reduced
from proofs_checks.claims.sgd import rates as R

pytestmark = pytest.mark.benchmark


def test_bench_b2_chain_d512(benchmark):
    """Warm start m0 = 0.1, p = 3, η = 0.02/d: ~1.6e5 reduced-chain steps per run."""
    d = 512
    benchmark(sim_reduced.hitting_steps, d, R.B2_C * R.B2_M0 / d, R.B2_M0, R.H3C, R.H3C, 1, 8, target=R.WEAK,
              block=1 << 14)


def test_bench_b3_w2s_chain_d1024(benchmark):
    d = 1024
    benchmark(sim_reduced.hitting_steps, d, R.B3_C_W2S / d, d ** -0.5, R.H3C, R.H23, 2, 8, target=R.WEAK,
              transform="square", use_abs=True, block=1 << 12)


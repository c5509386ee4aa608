"""The fused pretraining kernel (torch, batched over seeds) against the numpy reference on the
same draws (spec misfit.md §5.1 replica), and the notebook protocol's batch layout."""
from __future__ import annotations

import numpy as np
import pytest

from numerics.misfit import _replication as rep
from numerics.misfit._replica_batched import pretrain_batched


def _cfg(**kw):
    base = dict(n_pre_tasks=3, n_pre=70, n_transfer_tasks=4, n_transfer=80, n_eval=60, epochs=2)
    base.update(kw)
    return rep.ReplicaConfig(**base)


@pytest.mark.parametrize("task_pure", [True, False])
@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-11), ("float32", 2e-5)])
def test_fused_kernel_follows_numpy_reference(task_pure, dtype, rtol):
    cfg = _cfg(task_pure=task_pure, dtype=dtype)
    draws = [rep.draw(np.random.default_rng([11, s]), cfg) for s in range(3)]
    fast = pretrain_batched(draws)
    for d, (lf, Lf) in zip(draws, fast):
        lr_, Lr = rep.pretrain_reference(d)
        for net in ("strong", "weak"):
            scale = max(np.max(np.abs(W)) for W, _ in lr_[net])
            for (W1, b1), (W2, b2) in zip(lr_[net], lf[net]):
                assert W2.dtype == np.dtype(dtype)
                np.testing.assert_allclose(W2, W1, rtol=0, atol=rtol * scale)
                np.testing.assert_allclose(b2, b1, rtol=0, atol=rtol * scale)
            np.testing.assert_allclose(Lf[net], Lr[net], rtol=10 * rtol)
            # training moved the weights (the comparison is not between two untouched copies)
            assert max(np.max(np.abs(W - W0)) for (W, _), (W0, _) in zip(lf[net], getattr(d, net))) > 1e-4


def test_fused_kernel_seeds_are_independent():
    """Seed s's trajectory does not depend on which other seeds share the batch."""
    cfg = _cfg(task_pure=True)
    draws = [rep.draw(np.random.default_rng([12, s]), cfg) for s in range(3)]
    alone = pretrain_batched(draws[1:2])[0][0]
    batched = pretrain_batched(draws)[1][0]
    for (W1, _), (W2, _) in zip(alone["strong"], batched["strong"]):
        np.testing.assert_allclose(W2, W1, rtol=0, atol=1e-12)


def test_notebook_batches_are_task_pure():
    cfg = rep.ReplicaConfig(epochs=1, task_pure=True)
    sl = rep.batch_slices(cfg)
    assert cfg.steps_per_epoch == 630 and len(sl) == 630  # 10 tasks × (62 batches of 32 + one of 16)
    assert sorted({e - s for s, e in sl}) == [16, 32]
    perm = next(rep.epoch_orders(5, cfg))
    for s, e in sl:
        assert len(set((perm[s:e] // cfg.n_pre).tolist())) == 1
    for t in range(10):
        assert sorted(perm[t * 2000:(t + 1) * 2000].tolist()) == list(range(t * 2000, (t + 1) * 2000))


def test_realizable_replica_population_gap_is_mc_noise():
    """h_s = h*, f_sw = population projection: misfit − gain within a few paired MC errors."""
    cfg = _cfg(n_transfer_tasks=8, n_transfer=300, n_eval=400, pop_factor=10, epochs=1)
    d = rep.draw(np.random.default_rng(13), cfg)
    r = rep.run_numpy(d).realizable
    z = (r.misfit - r.gain) / r.gap_se
    assert np.all(np.abs(z) < 6)
    assert np.all(r.gain > 0)


def test_two_worker_processes_give_the_same_numbers():
    cfg = _cfg(task_pure=True, epochs=1)
    draws = [rep.draw(np.random.default_rng([14, s]), cfg) for s in range(2)]
    one, two = pretrain_batched(draws, workers=1), pretrain_batched(draws, workers=2)
    for (l1, L1), (l2, L2) in zip(one, two):
        assert L1 == L2
        for net in ("strong", "weak"):
            for (W1, b1), (W2, b2) in zip(l1[net], l2[net]):
                np.testing.assert_array_equal(W1, W2)
                np.testing.assert_array_equal(b1, b2)

"""Quality tier for misfit.replication: planted errors must make its checks fail."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import proofs_checks as pc
from numerics.misfit import _replica_batched as kb
from numerics.misfit import _replication as rep
from proofs_checks import run_check
from proofs_checks.claims.misfit import replication as cr

pytestmark = pytest.mark.quality


def _check(claim, name):
    return next(c for c in claim.checks if c.name == name)


def test_frozen_representation_is_not_reproduced(monkeypatch, ctx):
    """Plant a kernel that never updates the representations (h_s, h_w frozen at init), under the
    notebook protocol's configuration (20 tasks and a small realizable twin, to keep the test short) and 20 seeds: the
    across-seeds target must fail with "not reproduced"."""
    def frozen(flat, views, X, y, hw, hb, orders, slices, cfg, torch):
        return np.zeros((X.shape[0], 0))

    monkeypatch.setattr(kb, "_train", frozen)
    # the plant lives in this process: keep pretraining in-process (the two-process path spawns
    # fresh interpreters that would not see it)
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    nb = cr._replica_cfg(ctx.with_(extra={"protocol": "notebook"}))
    monkeypatch.setattr(cr, "_replica_cfg", lambda c: dataclasses.replace(nb, n_transfer_tasks=20, pop_factor=1))
    cr._REPLICA_CACHE.clear()
    try:
        small = ctx.with_(extra={"protocol": "notebook", "seeds": 20})
        claim = pc.get("misfit.replication")
        res = run_check(_check(claim, "target-across-seeds"), claim, small)
        assert res.status == "failed", res.detail
        assert res.detail.startswith("not reproduced")
    finally:
        cr._REPLICA_CACHE.clear()


def test_realizable_fails_when_strong_representation_is_not_h_star(monkeypatch, ctx):
    """Plant a realizable twin whose strong representation is h* with every weight perturbed by
    30% multiplicative noise (h_s ≠ h*): the population gap is no longer 0 and misfit − gain is not MC noise."""
    real = rep.transfer

    def wrong(d, layers, realizable=False, heads=None):
        if realizable:
            g = np.random.default_rng(0)
            bad = [(W * (1 + 0.3 * g.standard_normal(W.shape)), b) for W, b in layers["star"]]
            layers = {**layers, "realizable_strong": bad}
        return real(d, layers, realizable, heads)

    monkeypatch.setattr(rep, "transfer", wrong)
    cr._REPLICA_CACHE.clear()
    try:
        claim = pc.get("misfit.replication")
        res = run_check(_check(claim, "realizable-replica"), claim, ctx)
        assert res.status == "failed", res.detail
    finally:
        cr._REPLICA_CACHE.clear()

"""Benchmark: pretraining steps/s of the fused replica kernel (torch, batched over seeds) against
a re-typed wts.ipynb per-step loop (nn.Linear→ReLU blocks + frozen head, torch.optim.AdamW,
loss.item() every step), both measured in the same run (spec misfit.md §5.1; issue 10).

Run: ``pytest tests/misfit/test_bench_replication.py --benchmark-only -s``."""
from __future__ import annotations

import time

import numpy as np

from numerics.misfit import _replication as rep
from numerics.misfit._replica_batched import pretrain_batched

SEEDS, EPOCHS, NB_STEPS = 10, 2, 400


def _notebook_loop_steps_per_s(depth: int, steps: int, head_only: bool = False) -> float:
    """The notebook's inner loop, re-typed from its cells: numpy batch → float32 tensor, zero_grad,
    forward, nn.MSELoss, backward, AdamW step, loss.item().  ``head_only``: the transfer cells
    (representation frozen, only the head trains, the forward still runs through the MLP)."""
    import torch
    import torch.nn as nn

    torch.set_num_threads(1)
    blocks = [nn.Sequential(nn.Linear(8 if i == 0 else 16, 16), nn.ReLU()) for i in range(depth)]
    rep_net, head = nn.Sequential(*blocks), nn.Linear(16, 1)
    model = nn.Sequential(rep_net, head)
    for p in (rep_net if head_only else head).parameters():
        p.requires_grad = False
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = np.random.default_rng(0)
    x = g.normal(0, 500, (2000, 8))
    y = g.normal(0, 1, (2000, 1))
    t0 = time.perf_counter()
    for k in range(steps):
        i = (k * 32) % 1984
        bx = torch.tensor(x[i:i + 32], dtype=torch.float32)
        by = torch.tensor(y[i:i + 32], dtype=torch.float32)
        opt.zero_grad()
        loss = nn.MSELoss()(model(bx), by)
        loss.item()
        loss.backward()
        opt.step()
    return steps / (time.perf_counter() - t0)


def test_bench_fused_pretraining_vs_notebook_loop(benchmark):
    cfg = rep.ReplicaConfig(epochs=EPOCHS, task_pure=True, dtype="float32")
    draws = [rep.draw(np.random.default_rng([21, s]), cfg) for s in range(SEEDS)]
    benchmark.pedantic(pretrain_batched, args=(draws,), rounds=1, iterations=1)
    fused_t = benchmark.stats.stats.mean
    steps = 2 * EPOCHS * cfg.steps_per_epoch  # h_s and h_w
    fused = SEEDS * steps / fused_t           # seed-steps per second (mixed depths 8 and 2)
    nb = 2 / (1 / _notebook_loop_steps_per_s(8, NB_STEPS) + 1 / _notebook_loop_steps_per_s(2, NB_STEPS))
    nb_head = _notebook_loop_steps_per_s(8, NB_STEPS, head_only=True)
    # whole seed: notebook = 2 × 630k pretraining steps + 300 heads × 63k steps (weak, strong, strong-on-weak)
    nb_seed = 2 * 1000 * 630 / nb + 300 * 1000 * 63 / nb_head
    t0 = time.perf_counter()
    d1 = rep.draw(np.random.default_rng(22), rep.ReplicaConfig(epochs=0, task_pure=True, dtype="float32"))
    layers, losses = rep.pretrain_reference(d1)
    rep.finish(d1, layers, losses, "numpy")
    transfer_s = time.perf_counter() - t0
    fused_seed = 2 * 1000 * 630 * SEEDS / fused / SEEDS + transfer_s
    info = {"fused_seed_steps_per_s": fused, "notebook_steps_per_s": nb, "pretraining_ratio": fused / nb,
            "notebook_head_steps_per_s": nb_head, "notebook_seed_s": nb_seed,
            "fused_seed_s_at_10_seeds": fused_seed, "whole_seed_ratio": nb_seed / fused_seed}
    benchmark.extra_info.update(info)
    print("\n" + ", ".join(f"{k} {v:.4g}" for k, v in info.items()))
    assert fused > 0 and nb > 0

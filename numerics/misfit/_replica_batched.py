"""Fused pretraining kernel for the wts.ipynb replica (spec misfit.md §5.1): torch, batched over
seeds as one leading batch dimension, hand-written forward/backward (no autograd) and AdamW on one
flat parameter buffer per network.

Every random quantity comes from the numpy draws (:func:`._replication.draw`, one per seed) and
the minibatch orders from :func:`._replication.epoch_orders`, so the kernel follows the numpy
reference :func:`._replication.pretrain_reference` step for step (the oracle; see the tests).  The
per-step work is ~60 small tensor ops whatever the number of seeds S, so S seeds cost about one.
"""
from __future__ import annotations

import numpy as np

from .._validate import InvalidParameter
from ._replication import ReplicaDraws, batch_slices, epoch_orders, pretrain_labels


def _net(ws: list[list[tuple[np.ndarray, np.ndarray]]], torch, dt, device):
    """Stack S seeds' layers into one flat buffer laid out layer by layer (each block contiguous
    as (S, out, in) then (S, out)); returns (flat, [(W, b) views])."""
    S = len(ws)
    sizes = []
    for W, b in ws[0]:
        sizes += [S * W.size, S * b.size]
    flat = torch.empty(sum(sizes), dtype=dt, device=device)
    views, off = [], 0
    for li, (W0, b0) in enumerate(ws[0]):
        Wv = flat[off:off + S * W0.size].view(S, *W0.shape)
        off += S * W0.size
        bv = flat[off:off + S * b0.size].view(S, b0.size)
        off += S * b0.size
        Wv.copy_(torch.as_tensor(np.stack([w[li][0] for w in ws]), dtype=dt))
        bv.copy_(torch.as_tensor(np.stack([w[li][1] for w in ws]), dtype=dt))
        views.append((Wv, bv))
    return flat, views


def _train(flat, views, X, y, hw, hb, orders, slices, cfg, torch):
    """AdamW (torch.optim.AdamW's update, decoupled weight decay) on MSE with frozen heads.
    X (S,N,8), y (S,N), hw (S,N,16), hb (S,N); ``orders`` yields (S,N) index arrays per epoch."""
    S, dev = X.shape[0], X.device
    gflat = torch.zeros_like(flat)
    gviews, off = [], 0
    for W, b in views:
        gW = gflat[off:off + W.numel()].view(W.shape)
        off += W.numel()
        gb = gflat[off:off + b.numel()].view(b.shape)
        off += b.numel()
        gviews.append((gW, gb))
    m, v = torch.zeros_like(flat), torch.zeros_like(flat)
    lr, wd, b1, b2, eps = cfg.lr, cfg.weight_decay, 0.9, 0.999, 1e-8
    ar = torch.arange(S, device=dev)[:, None]
    step, losses = 0, []
    L = len(views)
    for perm in orders:
        p = torch.as_tensor(perm, device=dev)
        Xe, ye, hwe, hbe = X[ar, p], y[ar, p], hw[ar, p], hb[ar, p]
        tot = torch.zeros(S, dtype=X.dtype, device=dev)
        for s, e in slices:
            a = [Xe[:, s:e]]
            for W, b in views:
                a.append(torch.baddbmm(b.unsqueeze(1), a[-1], W.transpose(1, 2)).relu_())
            hwb = hwe[:, s:e]
            r = (a[-1] * hwb).sum(-1) + hbe[:, s:e] - ye[:, s:e]
            tot += (r * r).mean(1)
            g = hwb * (r * (2.0 / (e - s))).unsqueeze(-1)
            for i in range(L - 1, -1, -1):
                g = torch.ops.aten.threshold_backward(g, a[i + 1], 0.0)
                gW, gb = gviews[i]
                torch.bmm(g.transpose(1, 2), a[i], out=gW)
                torch.sum(g, 1, out=gb)
                if i:
                    g = torch.bmm(g, views[i][0])
            step += 1
            flat.mul_(1 - lr * wd)
            m.lerp_(gflat, 1 - b1)
            v.mul_(b2).addcmul_(gflat, gflat, value=1 - b2)
            denom = (v.sqrt() / (1 - b2**step) ** 0.5).add_(eps)
            flat.addcdiv_(m, denom, value=-lr / (1 - b1**step))
        losses.append(tot)
    return torch.stack(losses, 1).cpu().numpy() if losses else np.zeros((S, 0))


def _pretrain_net(job: dict) -> tuple[list, np.ndarray]:
    """One network (h_s or h_w) for every seed: numpy in, numpy out (runs in a worker process too)."""
    import torch

    cfg, device = job["cfg"], job["device"]
    dt = {"float32": torch.float32, "float64": torch.float64}[cfg.dtype]
    if job.get("threads"):
        torch.set_num_threads(job["threads"])
    with torch.no_grad():
        t = lambda a: torch.as_tensor(a, dtype=dt, device=device)  # noqa: E731
        X, y, hw, hb = (t(job[k]) for k in ("X", "y", "hw", "hb"))
        flat, views = _net(job["init"], torch, dt, device)
        streams = [epoch_orders(s, cfg) for s in job["order_seeds"]]
        orders = (np.stack(ps) for ps in zip(*streams))
        L = _train(flat, views, X, y, hw, hb, orders, batch_slices(cfg), cfg, torch)
        W = [[(Wv[si].cpu().numpy().copy(), bv[si].cpu().numpy().copy()) for Wv, bv in views]
             for si in range(len(job["init"]))]
    return W, L


def pretrain_batched(draws: list[ReplicaDraws], device: str = "cpu", threads: int | None = 1,
                     workers: int | None = None):
    """Pretrain h_s and h_w of every seed's draws at once (all draws must share one config).
    Returns, per seed, (layers, losses) as :func:`._replication.pretrain_reference` does.
    ``workers=2`` trains h_s and h_w in two processes at once (default: when the run is long,
    over 50k steps, and the machine has ≥ 2 cores); the numbers do not depend on it."""
    import os

    if not draws:
        raise InvalidParameter("draws", "[]", "a non-empty list of ReplicaDraws")
    cfg = draws[0].cfg
    if any(d.cfg != cfg for d in draws):
        raise InvalidParameter("draws", "<mixed configs>", "draws that share one ReplicaConfig")
    dt = cfg.dtype
    common = {"cfg": cfg, "device": device, "threads": threads,
              "X": np.stack([d.pre_X.astype(dt) for d in draws]),
              "y": np.stack([pretrain_labels(d) for d in draws]),
              "hw": np.stack([d.pre_hw.astype(dt)[d.pre_task] for d in draws]),
              "hb": np.stack([d.pre_hb.astype(dt)[d.pre_task] for d in draws])}
    nets = [(k, n) for k, n in enumerate(("strong", "weak")) if not (n == "strong" and cfg.realizable)]
    jobs = [{**common, "init": [getattr(d, n) for d in draws], "order_seeds": [d.order_seeds[k] for d in draws]}
            for k, n in nets]
    if workers is None:
        workers = 2 if cfg.epochs * cfg.steps_per_epoch > 50_000 and (os.cpu_count() or 1) >= 2 else 1
    if workers > 1 and len(jobs) > 1 and device == "cpu":
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn")) as ex:
            results = list(ex.map(_pretrain_net, jobs))
    else:
        import torch

        old = torch.get_num_threads()
        try:
            results = [_pretrain_net(j) for j in jobs]
        finally:
            torch.set_num_threads(old)
    out = []
    for si, d in enumerate(draws):
        layers = {"star": [(np.array(W, dt), np.array(b, dt)) for W, b in d.star]}
        losses = {}
        for (k, n), (W, L) in zip(nets, results):
            layers[n], losses[n] = W[si], L[si].tolist()
        if cfg.realizable:
            layers["strong"] = layers["star"]
        out.append((layers, losses))
    return out

"""Job functions and a small sweep table for the infra tests (importable by worker
processes: tests/infra is put on PYTHONPATH / sys.path).  Importing this module registers
the table ``infra.demo`` (used as a W2S_PLUGINS module by CLI subprocess tests)."""
from __future__ import annotations

import os
import time

import numpy as np

from numerics import rng
from numerics.sweep import Job


def noisy_mean(params: dict, seed: int) -> dict:
    """Mean and standard error of n N(mu, 1) draws (exact mean: mu)."""
    x = rng(seed, "infra.noisy_mean").normal(params["mu"], 1.0, params["n"])
    return {"mean": float(x.mean()), "se": float(x.std(ddof=1) / np.sqrt(x.size)), "pid": 0}


def slow_square(params: dict, seed: int) -> dict:
    """Sleeps ``$INFRA_SLOW_SLEEP`` seconds (timing only: not part of the job's identity),
    then returns k² and a seeded draw."""
    time.sleep(float(os.environ.get("INFRA_SLOW_SLEEP", "0")))
    return {"k2": params["k"] ** 2, "u": float(rng(seed, "infra.slow").uniform())}


def unseeded(params: dict, seed: int) -> dict:
    """A planted error: ignores ``seed`` (draws from the OS entropy pool)."""
    return {"u": float(np.random.default_rng().uniform()), "pid": os.getpid()}


def demo_jobs(ctx, n_points: int = 6, sleep: float = 0.0) -> list[Job]:
    mus = np.linspace(0.5, 3.0, n_points)
    return [Job("infra.demo", "_infra_jobs:noisy_mean", {"mu": float(m), "n": 500}, ctx.seed_for("infra.demo", i))
            for i, m in enumerate(mus)]


def slow_jobs(ctx) -> list[Job]:
    n = int(os.environ.get("INFRA_SLOW_JOBS", "30"))
    return [Job("infra.slow", "_infra_jobs:slow_square", {"k": k}, ctx.seed_for("infra.slow", k))
            for k in range(n)]


def demo_assemble(ctx, results):
    from proofs_checks import Stat, TableData

    rows, pts = [], []
    for job, r in results:
        mu = job.params["mu"]
        rows.append([mu, Stat(r["mean"], r["mean"] - 3.29 * r["se"], r["mean"] + 3.29 * r["se"], 0.999), mu])
        pts.append([mu, r["mean"], 3.29 * r["se"]])
    return TableData(["μ", "simulated mean", "theory μ"], rows, caption="Sample mean vs μ (test table).",
                     notes=["99.9% CIs"], series={"points": pts})


def slow_assemble(ctx, results):
    from proofs_checks import TableData

    return TableData(["k", "k²", "u"], [[j.params["k"], r["k2"], r["u"]] for j, r in results])


def demo_figure(data, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = np.array(data.series["points"], float)
    fig, ax = plt.subplots(figsize=(4, 3))
    grid = np.linspace(pts[:, 0].min(), pts[:, 0].max(), 50)
    ax.plot(grid, grid, "-", label="theory")
    ax.errorbar(pts[:, 0], pts[:, 1], yerr=pts[:, 2], fmt="o", label="simulation")
    ax.legend()
    fig.savefig(path)
    plt.close(fig)


def whole_build(ctx):
    """A table computed in one piece (``build=``), seeded from ctx."""
    from proofs_checks import TableData

    u = ctx.rng("infra.whole").uniform(size=3)
    return TableData(["i", "u"], [[i, float(x)] for i, x in enumerate(u)])


def tables():
    from proofs_checks import Table

    return (Table("infra.whole", "Whole table", "simulated", build=whole_build),
            Table("infra.demo", "Demo sweep", "simulated", jobs=demo_jobs, assemble=demo_assemble,
                  figure=demo_figure),
            Table("infra.slow", "Slow sweep", "simulated", jobs=slow_jobs, assemble=slow_assemble))


if os.environ.get("INFRA_REGISTER_TABLES"):
    from proofs_checks import register_table

    for _t in tables():
        register_table(_t)

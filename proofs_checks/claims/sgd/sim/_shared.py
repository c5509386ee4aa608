"""Helpers shared by several SGD tier-B/C claims (Awano & Suzuki, arXiv 2605.12908; spec
sgd_dynamics.md §2.5, §3.2, §4): Hermite links, the false-alarm rate, citations, the backend
dispatch of the finite-d simulators, and the per-seed forgetting statistics of tier C."""
from __future__ import annotations

from numerics import CHECK_FALSE_ALARM

import numpy as np

from numerics.sgd import sim_common as sc
from numerics.sgd import sim_numpy

from ...._claim import Citation
from ...._domain import Param
from ..._common import AWANO


H2C, H3C, H4C = (0, 0, 1.0), (0, 0, 0, 1.0), (0, 0, 0, 0, 1.0)   # h_2, h_3, h_4
H23 = (0, 0, 1.0, 1.0)           # σ = h_2 + h_3
RHO_STAR = 0.9                   # weak-recovery / elicitation level of §3.1
FA = CHECK_FALSE_ALARM            # the suite budget per statistical check (numerics._stats)
SPEC = "sgd_dynamics.md"


def _awano(where: str, spec: str) -> Citation:
    """Citation of Awano & Suzuki (arXiv 2605.12908) with the spec section."""
    return Citation(AWANO, "2605.12908", where, f"{SPEC} {spec}")


def _bagj(where: str, spec: str) -> Citation:
    """Citation of Ben Arous, Gheissari & Jagannath (arXiv 2003.10409) with the spec section."""
    return Citation("Ben Arous, Gheissari, Jagannath — Online SGD on non-convex losses from high-dimensional "
                    "inference", "2003.10409", where, f"{SPEC} {spec}")


def _hp(p: int) -> tuple[float, ...]:
    """Hermite coefficients of the pure link h_p (spec §1.1)."""
    return (0.0,) * p + (1.0,)


# ---------------------------------------------------------------- backends


def simulate(cfg: sc.SimConfig, seed: int, runs: int, backend: str = "numpy", device: str = "cpu"):
    """Runs 0..runs-1 of (cfg, seed) on one backend (all consume the same input stream)."""
    if backend == "numpy":
        return sim_numpy.simulate_runs(cfg, seed, runs)
    if backend == "numba":
        from numerics.sgd import sim_numba
        return sim_numba.simulate_runs(cfg, seed, runs)
    if backend == "torch":
        from numerics.sgd import sim_torch
        return sim_torch.simulate_runs(cfg, seed, runs, device=device)
    raise sc.InvalidParameter("backend", backend, "one of numpy, numba, torch")


def _fast_backend(ctx) -> str:
    """numba when selected, else the numpy reference."""
    return "numba" if "numba" in ctx.backends else "numpy"


def _agree(ctx, cfg: sc.SimConfig, seed: int, runs: int, ref=None, tol: float = 1e-10) -> tuple[bool, str, float]:
    """Max |W_backend − W_numpy| over runs for every backend in ``ctx.others``."""
    ref = ref if ref is not None else simulate(cfg, seed, runs)
    worst, parts = 0.0, []
    for b in ctx.others:
        res = simulate(cfg, seed, runs, b, ctx.device)
        err = max(float(np.max(np.abs(x.W - y.W))) for x, y in zip(ref, res))
        err = max(err, max(float(np.max(np.abs(x.a - y.a))) for x, y in zip(ref, res)))
        worst = max(worst, err)
        parts.append(f"{b}: {err:.1e}")
    ok = worst <= tol
    return ok, ("; ".join(parts) or "no other backend selected"), worst


# ---------------------------------------------------------------- seed statistics


def _median_se(x: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    """Median of ``x`` and its bootstrap standard error (used by SGD-B1 and SGD-B2/B3)."""
    boot = np.median(rng.choice(x, (400, x.size)), axis=1)
    return float(np.median(x)), float(np.std(boot, ddof=1))


# ---------------------------------------------------------------- tier C helpers

DELTA = 0.01          # preservation tolerance δ on F (population checks)
C_VIOL = 0.1          # size of the violations the counterexample searches must reach


def _paired_diff(res, k_hi: int, k_lo: int) -> np.ndarray:
    """Per-seed mean F of group k_hi minus group k_lo (the seed is the unit of replication)."""
    out = []
    for r in res:
        F = r.forgetting()
        g = r.plan.groups
        out.append(F[g[k_hi]].mean() - F[g[k_lo]].mean())
    return np.array(out)


def _group_f(res, k: int) -> np.ndarray:
    """Per-seed mean forgetting F (E5) of group k."""
    return np.array([r.forgetting()[r.plan.groups[k]].mean() for r in res])


M0 = Param("m0", float, 0.03, 0.5, doc="typical target overlap m_0 ≍ r^{-1/2}")

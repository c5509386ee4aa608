"""Sweep jobs of the example table: pure functions ``fn(params, seed) -> JSON`` (numpy only)."""
from __future__ import annotations

import numpy as np

from numerics import InvalidParameter, rng


def am_gm_gap(params: dict, seed: int) -> dict:
    """Monte Carlo mean of (a+b)/2 - sqrt(ab) for a, b ~ U(0, scale) i.i.d. (exact: scale/18)."""
    scale, n = params["scale"], params["n"]
    if not (isinstance(scale, (int, float)) and scale > 0):
        raise InvalidParameter("scale", scale, "a real number > 0")
    if not (isinstance(n, int) and n >= 2):
        raise InvalidParameter("n", n, "an integer >= 2")
    g = rng(seed, "mine.am_gm_scale")
    a, b = g.uniform(0.0, scale, n), g.uniform(0.0, scale, n)
    gap = (a + b) / 2 - np.sqrt(a * b)
    return {"mean": float(gap.mean()), "se": float(gap.std(ddof=1) / np.sqrt(n)), "n": n}

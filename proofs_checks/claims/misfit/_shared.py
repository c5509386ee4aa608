"""Helpers shared by several MISFIT claims (Charikar et al. 2024, arXiv:2405.15116, §2 notation:
err(Y) = E(F* − Y)², misfit = E(f_sw − Y)², err(f_sw) = E(f_sw − F*)²; spec misfit.md §2)."""
from __future__ import annotations

import numpy as np

from numerics import misfit as nm

from ..._domain import Constraint, Param

SEED = Param("seed", int, 0, 2**31 - 1, default=0, doc="instance seed (every draw flows from it)")
W2 = np.array([0.5, 0.5])

P_LT_M = Constraint("p < m", lambda d: d["p"] < d["m"], ("p", "m"))
P_LE_M_MINUS_2 = Constraint("p <= m - 2", lambda d: d["p"] <= d["m"] - 2, ("p", "m"))


def _gap_terms(fstar, y, fsw, w) -> tuple[float, float, float]:
    """(err(Y), misfit(f_sw), err(f_sw)) on the weighted atoms."""
    return nm.sqdist(y, fstar, w), nm.sqdist(fsw, y, w), nm.sqdist(fsw, fstar, w)


def _ols_projections(inst) -> tuple[np.ndarray, np.ndarray]:
    """(f_sw, Π_V F*): weighted OLS projections of Y and of F* onto the head span (Theorem 1 / 2 setting)."""
    fsw = inst.phi @ nm.ols_coef(inst.phi, inst.y, inst.w)
    fs = inst.phi @ nm.ols_coef(inst.phi, inst.fstar, inst.w)
    return fsw, fs


def _perturbed_subspace_instance(prm):
    """Non-realizable affine-head instance (F* = span part + cosine perturbation) drawn from ``prm``."""
    r = np.random.default_rng(prm["seed"])
    return nm.subspace_instance(r, prm["m"], prm["p"], realizable=False, perturb=prm["perturb"])

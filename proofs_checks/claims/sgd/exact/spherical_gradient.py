"""SGD-A2: spherical population gradient (E2), tangent part = φ'(ρ)(θ − ρw) (Awano & Suzuki,
Phase-I spherical SGD; spec sgd_dynamics.md §4 SGD-A2, (E2))."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from numerics.sgd import montecarlo as nmc
from theory.sgd import gaussian as tg
from theory.sgd import hermite as th

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, outcome_all, statement_element, subs_named, zcheck


_A2_LINK = th.h(3) + th.h(2) / 2


def _stated_tangent(dphi, rho) -> tuple:
    """The statement's rhs φ'(ρ)(θ − ρw) in the (θ, e_⊥) basis: θ = (1, 0), w = (ρ, √(1−ρ²)); the rhs
    is linear in θ and w, so each coordinate is the rhs with θ, w replaced by theirs."""
    rhs = statement_element().rhs
    s = sp.sqrt(1 - rho**2)
    return tuple(subs_named(rhs, **{"phi'(rho)": dphi, "rho": rho, "theta": th_k, "w": w_k})
                 for th_k, w_k in ((1, rho), (0, s)))


def _a2_symbolic():
    return [tg.prove_spherical_gradient(th.h(1) / 3 + _A2_LINK - th.h(6), "relu", "ReLU, g = h1/3 + h2/2 + h3 − h6",
                                        target=_stated_tangent),
            tg.prove_spherical_gradient(_A2_LINK + th.h(4), th.h(2) + th.h(3), "σ = h2 + h3, g = h2/2 + h3 + h4",
                                        target=_stated_tangent)]


@lru_cache(maxsize=None)
def _dphi_exact(rho: float) -> sp.Expr:
    dphi = sp.diff(tg.phi_of(_A2_LINK, "relu", tg.C), tg.C)
    return dphi.subs(tg.C, sp.nsimplify(rho))


def _a2_exact(rho: float) -> np.ndarray:
    """φ'(ρ) exact (Hermite engine), inserted in the statement's tangent coordinates."""
    r = sp.nsimplify(rho)
    return np.array([float(x) for x in _stated_tangent(_dphi_exact(rho), r)])


def _a2_numeric(ctx) -> Outcome:
    n = ctx.pick(1_000_000, 8_000_000)
    r = ctx.rng("sgd.a2", "mc")
    parts = []
    target = _a2_exact(0.4)
    spec = np.array([0.0948, -0.0414])  # spec SGD-A2 example (transcribed)
    parts.append((bool(np.all(np.abs(target - spec) <= 1e-4)),
                  f"statement φ'(ρ)(θ − ρw) at ρ=0.4 = ({target[0]:.5f}, {target[1]:.5f}) vs spec "
                  f"(0.0948, −0.0414) within 1e-4"))
    res = nmc.mc_spherical_gradient([0, 0, 0.5, 1.0], "relu", 0.4, n, r)
    ok, zmax, zt = zcheck(res["tangent"][0], res["tangent"][1], target, 2, ctx.false_alarm)
    parts.append((ok, f"Monte Carlo N={n}, ReLU, g = h3 + h2/2, ρ = 0.4: tangent = "
                  f"({res['tangent'][0][0]:.4f}, {res['tangent'][0][1]:.4f}), max |z| = {zmax:.2f} <= {zt:.2f} "
                  f"(false-alarm {ctx.false_alarm:g})"))
    return outcome_all(parts, ("max |z|", zmax))


@lru_cache(maxsize=1)
def _relu_beta_float() -> tuple[float, ...]:
    return tuple(float(b) for b in th.relu_coefficients(3))


def _a2_radial_margin(v) -> float:
    """⟨w, E[ỹσ'(⟨w,x⟩)x]⟩ = Σα_iβ_iρ^i for ReLU (exact β), g = a1 h1 + a2 h2 + a3 h3."""
    beta = _relu_beta_float()
    rho = v["rho"]
    radial = v["a1"] * beta[1] * rho + v["a2"] * beta[2] * rho**2 + v["a3"] * beta[3] * rho**3
    return 1e-9 - abs(radial)


register(Claim(
    id="sgd.a2_spherical_gradient", spec_id="SGD-A2", title="Spherical population gradient (E2): tangent part = φ'(ρ)(θ − ρw)",
    citation=awano("abstract (Phase I, spherical SGD); the gradient identity is derived here", "sgd_dynamics.md §4 SGD-A2, (E2)"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(sp.Symbol("(I - w w^T) E[y sigma'(<w,x>) x]"),
                            sp.Symbol("phi'(rho)") * (sp.Symbol("theta") - sp.Symbol("rho") * sp.Symbol("w"))),
    assumptions=("ReLU or h2+h3 activation", "polynomial link of degree <= 6", "|ρ| <= 0.95"),
    domain=Domain((Param("rho", float, -0.95, 0.95),)),
    checks=(
        SymbolicCheck("stein-lemma", prove=_a2_symbolic),
        NumericCheck("monte-carlo", run=_a2_numeric),
        CounterexampleCheck("radial-component", margin=_a2_radial_margin,
                            dropped="tangent projection (the radial part does not obey (E2))",
                            domain=Domain((Param("rho", float, -0.95, 0.95), Param("a1", float, -1.0, 1.0),
                                           Param("a2", float, -1.0, 1.0), Param("a3", float, -1.0, 1.0))),
                            min_violation=1e-3),
    ),
))

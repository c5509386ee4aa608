"""SGD-A1: Hermite orthogonality E[h_i(⟨u,x⟩)h_j(⟨v,x⟩)] = δ_ij⟨u,v⟩^i (Awano & Suzuki, model of
§2; spec sgd_dynamics.md §4 SGD-A1, §1.1)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.sgd import montecarlo as nmc
from theory.sgd import gaussian as tg

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, zcheck


def _a1_numeric(ctx) -> Outcome:
    r = ctx.rng("sgd.a1", "mc")
    n = ctx.pick(1_000_000, 2_000_000)
    cs = np.concatenate([[0.95], r.uniform(-1, 1, ctx.pick(1, 5))])
    worst, zt = 0.0, 0.0
    ok = True
    for c in cs:
        m, se = nmc.mc_hermite_pairs(6, float(c), n, r)
        target = np.diag(c ** np.arange(7))
        good, zmax, zt = zcheck(m, se, target, 49 * len(cs), ctx.false_alarm)
        ok &= good
        worst = max(worst, zmax)
    return Outcome(ok, f"Monte Carlo N={n} at c ∈ {np.round(cs, 3).tolist()}: all 49 pairs i,j <= 6 within "
                   f"z·se, max |z| = {worst:.2f} <= {zt:.2f} (false-alarm {ctx.false_alarm:g}, Bonferroni over "
                   f"{49 * len(cs)})", ("max |z|", worst))


def _pair_margin(v, c: float, cov: np.ndarray) -> float:
    """Tensor Gauss–Hermite quadrature (exact for degree < 32) of E[h_i h_j] under ``cov`` vs δ_ij c^i."""
    val = nmc.quad_pair_expectation(v["i"], v["j"], cov, nodes=16)
    return 1e-9 - abs(val - (c ** v["i"] if v["i"] == v["j"] else 0.0))


def _a1_quad_margin(v) -> float:
    c = v["c"]
    return _pair_margin(v, c, np.array([[1.0, c], [c, 1.0]]))


def _a1_spiked_margin(v) -> float:
    c, s = v["c"], v["spike"]
    cov = np.array([[1 + s, c * (1 + s)], [c * (1 + s), 1 + s * c * c]])  # Σ = I + s e1e1ᵀ, u = e1, v = (c, √(1−c²))
    return _pair_margin(v, c, cov)


def _a1_scaled_margin(v) -> float:
    nu, nv, c = v["nu"], v["nv"], v["c"]
    cov = np.array([[nu * nu, nu * nv * c], [nu * nv * c, nv * nv]])  # ⟨u,x⟩, ⟨v,x⟩ with ‖u‖ = nu, ‖v‖ = nv
    return _pair_margin(v, c, cov)


_IJC = (Param("i", int, 0, 6), Param("j", int, 0, 6), Param("c", float, -1.0, 1.0))

register(Claim(
    id="sgd.a1_hermite_orthogonality", spec_id="SGD-A1", title="Hermite orthogonality E[h_i(⟨u,x⟩)h_j(⟨v,x⟩)] = δ_ij⟨u,v⟩^i",
    citation=awano("abstract only (the paper's model); the identity is standard and derived here", "sgd_dynamics.md §4 SGD-A1, §1.1"),
    provenance="DERIVED", statement=lambda: sp.Eq(sp.Symbol("E[h_i(<u,x>) h_j(<v,x>)]"),
                                                  sp.KroneckerDelta(*sp.symbols("i j")) * tg.C ** sp.Symbol("i")),
    assumptions=("x ~ N(0, I_d), d >= 2", "‖u‖ = ‖v‖ = 1, c = ⟨u,v⟩", "i, j <= 6"),
    domain=Domain(_IJC),
    checks=(
        SymbolicCheck("2d-gaussian-integral", prove=lambda: tg.prove_orthogonality(6)),
        NumericCheck("monte-carlo", run=_a1_numeric),
        PropertyCheck("quadrature", margin=_a1_quad_margin),
        CounterexampleCheck("spiked-covariance", margin=_a1_spiked_margin, dropped="isotropic x (x ~ N(0, I + s·e1e1ᵀ))",
                            domain=Domain(_IJC + (Param("spike", float, 0.05, 3.0),)), min_violation=1e-3),
        CounterexampleCheck("non-unit-vectors", margin=_a1_scaled_margin, dropped="‖u‖ = ‖v‖ = 1",
                            domain=Domain(_IJC + (Param("nu", float, 0.5, 1.5), Param("nv", float, 0.5, 1.5))),
                            min_violation=1e-3),
    ),
))

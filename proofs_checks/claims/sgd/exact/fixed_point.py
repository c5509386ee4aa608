"""SGD-A6: ρ = 0 is invariant under the flow (E3) iff α_1β_1 = 0 (Awano & Suzuki, P3 vs p = 1;
spec sgd_dynamics.md §4 SGD-A6, §2.3)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.sgd import ode as node
from theory.sgd import overlap_ode as to

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, random_phi, statement_element, subs_named


def _a6_symbolic():
    """The statement's lhs with φ = Σ_{i<=6} α_iβ_iρ^i (symbolic α, β) substituted, minus its rhs, expands to 0."""
    from theory import prove_identity
    stmt = statement_element()
    n = 6
    al, be = sp.symbols(f"alpha0:{n + 1}"), sp.symbols(f"beta0:{n + 1}")
    phi = next(f.func for f in stmt.lhs.atoms(sp.core.function.AppliedUndef) if str(f.func) == "phi")
    x = sp.Dummy("x")
    lhs = stmt.lhs.replace(phi, sp.Lambda(x, sum(al[i] * be[i] * x**i for i in range(n + 1)))).doit()
    rhs = subs_named(stmt.rhs, alpha_1=al[1], beta_1=be[1])
    return prove_identity(lhs - rhs, label="statement with φ = Σα_iβ_iρ^i (i <= 6)")


def _drift0(c1: float) -> float:
    """dρ/dt at ρ = 0 for a = 1 and φ with α_1β_1 = c1: the statement's rhs (α_1 = c1, β_1 = 1)."""
    return float(subs_named(statement_element().rhs, alpha_1=c1, beta_1=1))


def _first_order_err(c: np.ndarray) -> float:
    """max over t ∈ {1e-6, 1e-5} of |ρ(t)/(φ'(0)·t) − 1| for the ODE from ρ_0 = 0, φ'(0) from the
    statement (ρ(t) = φ'(0)t + O(t²): the O(t) relative remainder is <= 3e-5 here)."""
    t = np.array([0.0, 1e-6, 1e-5])
    rho = node.integrate_overlap(c, 0.0, t)
    return float(np.max(np.abs(rho[1:] / (_drift0(float(c[1])) * t[1:]) - 1)))


def _a6_numeric(ctx) -> Outcome:
    r = ctx.rng("sgd.a6", "phi")
    t = np.r_[0.0, np.geomspace(1e-6, 5, 40)]
    n = ctx.pick(10, 50)
    min_ratio, max_F0, first = np.inf, 0.0, 0.0
    for _ in range(n):
        c = random_phi(r, 5)
        c[1] = r.choice([-1, 1]) * r.uniform(0.1, 2)
        rho = node.integrate_overlap(c, 0.0, t)
        F = node.forgetting(0.0, rho)
        first = max(first, _first_order_err(c))
        min_ratio = min(min_ratio, float(np.min(F[1:])))
        c[1] = 0.0
        F0 = node.forgetting(0.0, node.integrate_overlap(c, 0.0, t))
        max_F0 = max(max_F0, float(np.max(F0)))
    ok = min_ratio > 0 and max_F0 == 0.0 and first <= 1e-3
    return Outcome(ok, f"{n} random φ: with α_1β_1 ≠ 0 the neuron started at ρ_0 = 0 has F(t) > 0 at all 40 "
                   f"t ∈ [1e-6, 5] (min F = {min_ratio:.2e}) and ρ(t)/t at t <= 1e-5 matches the statement's "
                   f"φ'(0) to {first:.1e} (<= 1e-3); with α_1β_1 = 0 F ≡ 0 exactly (max {max_F0:g})",
                   ("min F", min_ratio))


def _a6_small_t_margin(v) -> float:
    """F(t) > 0 for small t, with the initial speed of ρ the statement's φ'(0) (relative 1e-3)."""
    c = np.array([0.0, v["c1"], v["c2"], v["c3"]])
    t = np.array([0.0, 1e-4, 1e-3, 3e-3])
    F = node.forgetting(0.0, node.integrate_overlap(c, 0.0, t))
    return min(float(np.min(F[1:] / (v["c1"] * t[1:]) ** 2)) - 0.5, 1e-3 - _first_order_err(c))


def _a6_mse_margin(v) -> float:
    """(E10): pure p = 2 signal, neuron 1 at ρ = 0, neuron 2 at ρ_2 ≠ 0 drags neuron 1 off ρ = 0."""
    d = 3
    E = np.eye(d)
    w1 = E[1]
    w2 = v["rho2"] * E[0] + math.sqrt(1 - v["rho2"] ** 2) * E[1]
    A, W = node.integrate_mse_ode(np.array([0.5, v["a2"]]), np.stack([w1, w2]), E[0], np.array([0.0, 1.0]),
                                  [0.0, 0.0, 0.5], rtol=1e-10, atol=1e-13)
    return 1e-9 - abs(float(W[-1, 0, 0]))


register(Claim(
    id="sgd.a6_fixed_point", spec_id="SGD-A6", title="ρ = 0 is invariant iff α_1β_1 = 0",
    citation=awano("abstract, P3 (orthogonal features are kept); the p = 1 exception is derived here", "sgd_dynamics.md §4 SGD-A6, §2.3"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(sp.Subs(sp.Derivative(sp.Function("phi")(to.RHO), to.RHO), to.RHO, 0),
                            sp.Symbol("alpha_1") * sp.Symbol("beta_1")),
    assumptions=("single neuron, frozen readout", "φ polynomial"),
    domain=Domain((Param("c1", float, 0.05, 3.0), Param("c2", float, -3.0, 3.0), Param("c3", float, -3.0, 3.0))),
    checks=(
        SymbolicCheck("phi-prime-at-zero", prove=_a6_symbolic),
        NumericCheck("ode-from-zero", run=_a6_numeric),
        PropertyCheck("small-t-growth", margin=_a6_small_t_margin),
        PropertyCheck("fixed-when-c1-zero",
                      margin=lambda v: -float(np.max(node.forgetting(0.0, node.integrate_overlap(
                          [0.0, 0.0, v["c2"], v["c3"]], 0.0, np.linspace(0, 5, 6)))))),
        CounterexampleCheck("interacting-neurons", margin=_a6_mse_margin,
                            dropped="decoupled neurons (MSE ODE (E10), p = 2 signal, two ReLU neurons)",
                            domain=Domain((Param("rho2", float, 0.2, 0.9), Param("a2", float, 0.2, 1.0))),
                            min_violation=1e-4),
    ),
))

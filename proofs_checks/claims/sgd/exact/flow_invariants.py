"""SGD-A3: invariants of the population flow (E3) — |ρ| <= 1, ‖w‖ = 1, ρ = ±1 fixed (Awano &
Suzuki, Phase I; spec sgd_dynamics.md §4 SGD-A3)."""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.integrate import solve_ivp

from numerics.sgd import ode as node
from theory.sgd import overlap_ode as to

from ...._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, random_phi, statement_element


def _vector_deviation(c: np.ndarray, rho0: float, d: int, rng: np.random.Generator, T: float = 5.0) -> float:
    """max over t of |‖w‖ − 1| and |⟨w,θ⟩| − 1 for the vector flow (E3) in R^d (nothing in
    the integrator enforces either)."""
    fr = node.unit_frame(d, 1, rho0, rng=rng)
    W = node.integrate_overlap_vector(c, fr["u"], fr["theta"], np.linspace(0, T, 21))
    return max(float(np.abs(np.linalg.norm(W, axis=1) - 1).max()), float((np.abs(W @ fr["theta"]) - 1).max()))


def _stated_rhs(stmt, c: np.ndarray):
    """dρ/dt = f(ρ) of the statement with a = 1 and φ = Σ c_kρ^k substituted (lambdified)."""
    rho_t = stmt.lhs.args[0]                       # ρ(t) in Derivative(ρ(t), t)
    phi = next(f.func for f in stmt.rhs.atoms(sp.core.function.AppliedUndef) if str(f.func) == "phi")
    r, x = sp.Dummy("r"), sp.Dummy("x")
    poly = sum(sp.Float(float(ck), 20) * x**k for k, ck in enumerate(c))
    e = stmt.rhs.subs(rho_t, r).replace(phi, sp.Lambda(x, poly))
    e = e.xreplace({s_: 1 for s_ in e.free_symbols if str(s_) == "a"}).doit()
    return sp.lambdify(r, e, "math")


def _statement_vs_vector(c: np.ndarray, rho0: float, d: int, rng: np.random.Generator, T: float = 3.0) -> float:
    """max_t |⟨w(t),θ⟩ − ρ(t)|: w from the vector flow (E3) in R^d, ρ from the statement's scalar ODE."""
    fr = node.unit_frame(d, 1, rho0, rng=rng)
    t = np.linspace(0, T, 16)
    rho_vec = node.integrate_overlap_vector(c, fr["u"], fr["theta"], t) @ fr["theta"]
    f = _stated_rhs(statement_element(), c)
    def rhs(_t, y):
        v = f(float(y[0]))
        if isinstance(v, complex) or not np.isfinite(v):
            raise ValueError(f"the statement's dρ/dt is not a finite real at ρ = {float(y[0]):.6g}: {v}")
        return [float(v)]
    sol = solve_ivp(rhs, (0, T), [rho0], method="DOP853", t_eval=t, rtol=1e-12, atol=1e-14)
    if not sol.success or sol.y.shape[1] != t.size:
        return float("inf")
    return float(np.max(np.abs(sol.y[0] - rho_vec)))


def _a3_symbolic():
    """The linear invariants, and on the statement itself: its dρ/dt vanishes at ρ = ±1 for a generic φ
    (so ρ = ±1 are fixed and |ρ| <= 1 is kept)."""
    from theory import Proof
    stmt = statement_element()
    rho_t = stmt.lhs.args[0]
    at = [sp.simplify(stmt.rhs.subs(rho_t, v).doit()) for v in (1, -1)]
    return to.prove_invariants()[:2] + [Proof(all(x == 0 for x in at), "substitution (generic φ)",
                                              f"statement dρ/dt at ρ = +1, −1: {[sp.sstr(x) for x in at]}")]


def _a3_numeric(ctx) -> Outcome:
    r = ctx.rng("sgd.a3", "phi")
    n_phi = ctx.pick(8, 40)
    t = np.linspace(0, 5, 51)
    worst, worst_fixed, worst_stmt = 0.0, 0.0, 0.0
    for _ in range(n_phi):
        c = random_phi(r)
        for rho0 in r.uniform(-0.95, 0.95, 4):
            worst = max(worst, _vector_deviation(c, float(rho0), int(r.integers(3, 12)), r))
        worst_stmt = max(worst_stmt, _statement_vs_vector(c, float(r.uniform(-0.95, 0.95)), int(r.integers(3, 12)), r))
        fixed = node.integrate_overlap(c, np.array([1.0, -1.0]), t, variable="rho")
        worst_fixed = max(worst_fixed, float(np.abs(fixed - np.array([1.0, -1.0])).max()))
    ok = worst <= 1e-10 and worst_fixed <= 1e-14 and worst_stmt <= 1e-9
    return Outcome(ok, f"{n_phi} random degree-6 φ (N(0,1) coefficients), 4 starts each, vector flow (E3) in "
                   f"d ∈ [3, 11], t ∈ [0, 5], DOP853 rtol 1e-12: max(|‖w‖ − 1|, |ρ| − 1) = {worst:.1e} (<= 1e-10, "
                   f"integrator tolerance, not sampling); ρ started at ±1 moves by {worst_fixed:.1e} (<= 1e-14); ⟨w,θ⟩ of "
                   f"the vector flow vs ρ(t) of the statement's scalar ODE (a = 1): max |Δ| = {worst_stmt:.1e} (<= 1e-9)",
                   ("max deviation", worst))


def _a3_margin(v) -> float:
    c = np.array([0.0, v["c1"], v["c2"], v["c3"], v["c4"]])
    return 1e-10 - _vector_deviation(c, v["rho0"], 3, np.random.default_rng(0))


register(Claim(
    id="sgd.a3_flow_invariants", spec_id="SGD-A3", title="Invariants of (E3): |ρ| <= 1, ‖w‖ = 1, ρ = ±1 fixed",
    citation=awano("abstract (Phase I of the two-phase algorithm); the flow is derived here", "sgd_dynamics.md §4 SGD-A3"),
    provenance="DERIVED", statement=to.flow_statement,
    assumptions=("φ a polynomial (random coefficients)", "|ρ_0| <= 1, ‖w_0‖ = 1"),
    domain=Domain((Param("rho0", float, -0.95, 0.95), Param("c1", float, -3.0, 3.0), Param("c2", float, -3.0, 3.0),
                   Param("c3", float, -3.0, 3.0), Param("c4", float, -3.0, 3.0))),
    checks=(
        SymbolicCheck("linear-invariants", prove=_a3_symbolic),
        NumericCheck("random-phi-ode", run=_a3_numeric),
        PropertyCheck("hypothesis-phi", margin=_a3_margin),
    ),
))

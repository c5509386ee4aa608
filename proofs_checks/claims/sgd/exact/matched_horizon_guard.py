"""SGD-N1: consistency guard — at matched horizon a lower exponent forgets MORE for ρ_k < m_0,
so P3/P4 cannot follow from Hermite coefficients alone (Awano & Suzuki, P3/P4; spec
sgd_dynamics.md §4 SGD-N1, §3.1)."""
from __future__ import annotations

import sys

import numpy as np
import sympy as sp

from theory.sgd import closed_forms as cf
from theory.sgd import hermite as th
from theory.sgd import overlap_ode as to

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Constraint, Domain, Param
from ...._registry import register
from ._shared import awano, statement_element
from .encoding_guard import Encoding, encoding_from_hermite
from .validation import MECHANISMS


def _family():
    """The package :mod:`proofs_checks.claims.sgd.exact`.  The N1 checks call ``matched_horizon_F`` and
    ``n1_guard`` through it, so a planted error patched onto the package (the quality tier in
    tests/sgd_theory does this) reaches them, as when the family was a single module."""
    return sys.modules[__package__]


# spec §3.1 table (transcribed): m0 -> p -> F at ρ_k ∈ (0, 0.01, 0.03, 0.1, 0.3, 0.6)
SPEC_N1_RHO = (0.0, 0.01, 0.03, 0.1, 0.3, 0.6)
SPEC_N1_TABLE = {
    0.05: {1: (0.7922, 0.7877, 0.7786, 0.7446, 0.6289, 0.4025), 2: (0, 0.1384, 0.5756, 0.8907, 0.8613, 0.6087),
           3: (0, 0.0000, 0.0022, 0.9900, 0.9100, 0.6400), 4: (0, 0.0000, 0.0001, 0.9900, 0.9100, 0.6400)},
    0.1: {1: (0.7729, 0.7684, 0.7594, 0.7257, 0.6117, 0.3905), 2: (0, 0.0366, 0.2491, 0.7257, 0.8043, 0.5768),
          3: (0, 0.0000, 0.0002, 0.7257, 0.9097, 0.6399), 4: (0, 0.0000, 0.0000, 0.7257, 0.9100, 0.6400)},
    0.3: {1: (0.6755, 0.6715, 0.6632, 0.6324, 0.5297, 0.3349), 2: (0, 0.0031, 0.0268, 0.2158, 0.5297, 0.4417),
          3: (0, 0.0000, 0.0000, 0.0025, 0.5297, 0.5758), 4: (0, 0.0000, 0.0000, 0.0001, 0.5297, 0.6366)},
}
_TIE = 1e-15  # mpmath at 20 digits: differences below this are ties


def _n1_statement():
    """SGD-N1(a): F(q, ρ_k) <= F(p, ρ_k) for 1 <= p < q <= 5 and 0 < ρ_k < m_0 (those ranges are the domain)."""
    F, q, p, rk = sp.Function("F"), sp.Symbol("q"), sp.Symbol("p"), sp.Symbol("rho_k")
    return sp.Le(F(q, rk), F(p, rk))


_MF: dict = {}


def _margin_fn():
    """(F_q, F_p) -> the running statement's margin (rhs − lhs) with F(q, ρ_k) = F_q, F(p, ρ_k) = F_p."""
    from ...._statement import statement_part
    stmt = statement_element()
    fn = _MF.get(stmt)
    if fn is None:
        fq, fp = sp.symbols("F_q F_p")
        rep = {a: (fq if str(a.args[0]) == "q" else fp) for a in stmt.atoms(sp.core.function.AppliedUndef)
               if str(a.func) == "F"}
        fn = _MF[stmt] = sp.lambdify([fq, fp], statement_part(stmt, "margin").xreplace(rep), "math")
    return fn


def _n1_symbolic():
    from theory import Proof
    from ...._statement import statement_part
    out = []
    # the statement is tight at ρ_k = m_0: both sides are F of a neuron that follows the probe from m_0
    # to ρ*, F = 1 − (m_0ρ* + √(1−m_0²)√(1−ρ*²))² for every exponent (E5), so its margin vanishes there
    stmt = statement_element()
    m0_ = sp.Symbol("m_0", positive=True)
    Fm = 1 - (m0_ * cf.RHO_STAR + sp.sqrt(1 - m0_**2) * sp.sqrt(1 - cf.RHO_STAR**2)) ** 2
    rep = {a: Fm for a in stmt.atoms(sp.core.function.AppliedUndef) if str(a.func) == "F"}
    tight = sp.simplify(statement_part(stmt, "margin").xreplace(rep))
    out.append(Proof(tight == 0, "substitution (E5)", f"statement margin at ρ_k = m_0 (F_p(m_0) = F_q(m_0)) = {tight}"))
    # (b): at ρ_k = m_0 the off-target neuron follows the probe: G_p(x) = G_p(m_0) + [G_p(ρ*) − G_p(m_0)] at x = ρ*
    m0, x = sp.symbols("m_0 x", positive=True)
    for p in range(1, 6):
        G = lambda r: cf.G_expr(p, r)  # noqa: E731
        out.append(to.prove_identity(G(m0) + (G(cf.RHO_STAR) - G(m0)) - G(cf.RHO_STAR),
                                     label=f"(b) p={p}: ρ_k = m_0 reaches ρ* at t_W for every p"))
    # (d): dρ/dt at ρ = 0 is pλ·0^{p−1}: nonzero only for p = 1
    rates = [to.pure_flow_rhs(p).subs(to.RHO, 0) for p in range(1, 6)]
    out.append(Proof(rates[0] == to.LAM and all(r == 0 for r in rates[1:]), "substitution",
                     f"(d) dρ/dt|_(ρ=0) = {rates}: ρ_k = 0 moves only for p = 1"))
    return out


def _n1_table(ctx) -> Outcome:
    matched_horizon_F = _family().matched_horizon_F
    worst, n = 0.0, 0
    for m0, rows in SPEC_N1_TABLE.items():
        for p, vals in rows.items():
            for rk, v in zip(SPEC_N1_RHO, vals):
                worst = max(worst, abs(matched_horizon_F(p, m0, rk) - v))
                n += 1
    return Outcome(worst <= 1e-4, f"spec §3.1 table reproduced: {n} entries, max |ΔF| = {worst:.1e} (<= 1e-4; the "
                   "table is rounded to 4 decimals)", ("max |dF|", worst))


def _n1_grid(ctx) -> Outcome:
    matched_horizon_F = _family().matched_horizon_F
    margin = _margin_fn()
    k = ctx.pick(9, 25)
    m0s = np.linspace(0.03, 0.5, k)
    worst_a, worst_b, worst_c, n = np.inf, 0.0, np.inf, 0
    ok_d = True
    for m0 in m0s:
        below = [f * m0 for f in np.linspace(0.02, 0.98, k)]
        for rk in below:
            F = [matched_horizon_F(p, m0, rk) for p in range(1, 6)]
            worst_a = min(worst_a, min(margin(F[j], F[i]) for i in range(5) for j in range(i + 1, 5)))
            n += 1
        Fm = [matched_horizon_F(p, m0, m0) for p in range(1, 6)]
        worst_b = max(worst_b, max(Fm) - min(Fm), max(abs(margin(Fm[j], Fm[i])) for i in range(5) for j in range(i + 1, 5)))
        for rk in np.linspace(m0, 0.9, k + 2)[1:-1]:
            F = [matched_horizon_F(p, m0, rk) for p in range(2, 6)]
            worst_c = min(worst_c, min(F[j] - F[i] for i in range(4) for j in range(i + 1, 4)))
            n += 1
        F0 = [matched_horizon_F(p, m0, 0.0) for p in range(1, 6)]
        ok_d &= F0[0] > 0 and all(f == 0 for f in F0[1:])
    ok = worst_a >= -_TIE and worst_b <= 1e-15 and worst_c >= -_TIE and ok_d
    return Outcome(ok, f"{k}×{k} grids, m_0 ∈ [0.03, 0.5] ({n} ρ_k points, 5 exponents each, mpmath 20 digits): "
                   f"(a) min statement margin F_p − F_p' over ρ_k < m_0, p < p' <= 5 = {worst_a:.2e}; (b) spread of F_p(m_0) "
                   f"and |statement margin| at ρ_k = m_0 <= "
                   f"{worst_b:.1e}; (c) min F_p' − F_p over m_0 < ρ_k < 0.9, 2 <= p < p' = {worst_c:.2e}; "
                   f"(d) F_1(0) > 0 and F_(p>=2)(0) = 0: {ok_d} (ties below {_TIE:g})", ("min (a) slack", worst_a))


def _n1_guard_check(ctx) -> Outcome:
    n1_guard = _family().n1_guard
    r = ctx.rng("sgd.n1", "guard")
    m = ctx.pick(40, 200)
    missed, false_flags = [], []
    for _ in range(m):
        pw = int(r.integers(1, 4))
        ps = int(r.integers(pw + 1, 6))
        m0 = float(r.uniform(0.03, 0.5))
        rk = float(r.uniform(0.01, 0.99)) * m0
        enc = Encoding(pw, ps, m0, rk)
        if not n1_guard(enc).flagged:
            missed.append(enc)
        mech = MECHANISMS[int(r.integers(0, 4))]
        if n1_guard(Encoding(pw, ps, m0, rk, mechanism=mech)).flagged:
            false_flags.append(mech)
    # Hermite-level encodings (spec §1.1): σ = h2 + h3, W2S label T(h3) = h3² − 1 (IE 3 → 2),
    # SFT label σ* = h3; and the mixed case σ = ReLU, W2S label h1/4 + h2, SFT label h2 + h4.
    sig = [0, 0, 1, 1]
    a_w = [float(x) for x in th.poly_coefficients(th.transform(lambda y: y**2, th.h(3)))]
    a_s = [0, 0, 0, 1]
    relu = [float(x) for x in th.relu_coefficients(4)]
    herm = []
    for m0, frac in ((0.1, 0.3), (0.3, 0.5), (0.05, 0.8)):
        herm.append(encoding_from_hermite(a_w, a_s, sig, m0, frac * m0))
        herm.append(encoding_from_hermite([0, 0.25, 1.0], [0, 0, 1.0, 0, 1.0], relu, m0, frac * m0))
    # pure encodings must all be flagged; for mixed φ the guard must flag exactly when the
    # matched-horizon dynamics contradict the assertion (F_W2S >= F_SFT)
    wrong_h, n_mixed_consistent = [], 0
    for e in herm:
        v = n1_guard(e)
        pure = e.p_w2s is not None and e.p_sft is not None
        if (pure and not v.flagged) or (v.flagged != (v.F_w2s >= v.F_sft)):
            wrong_h.append(e)
        if not pure and not v.flagged:
            n_mixed_consistent += 1
    ok = not missed and not false_flags and not wrong_h
    return Outcome(ok, f"{m} Hermite-only candidate encodings asserting 'W2S preserves, SFT forgets' at ρ_k < m_0 "
                   f"(p_W < p_*): {m - len(missed)}/{m} flagged; the same encodings with an explicit mechanism "
                   f"H1–H4: {len(false_flags)} flagged (must be 0); {len(herm)} encodings built from Hermite "
                   f"coefficients (pure: T = y² on h3 vs h3 with σ = h2+h3, all flagged; mixed φ with ReLU: flagged "
                   f"iff the ODE gives F_W2S >= F_SFT — {n_mixed_consistent} mixed case(s) where the dynamics agree "
                   f"with the assertion, N1(a) being a pure-exponent statement): {len(wrong_h)} guard errors",
                   ("guard errors", float(len(missed) + len(false_flags) + len(wrong_h))))


def _n1_margin_a(v) -> float:
    matched_horizon_F = _family().matched_horizon_F
    rk = v["frac"] * v["m0"]
    return _margin_fn()(matched_horizon_F(v["p"] + v["dp"], v["m0"], rk), matched_horizon_F(v["p"], v["m0"], rk)) + _TIE


def _n1_margin_c(v) -> float:
    matched_horizon_F = _family().matched_horizon_F
    rk = v["m0"] + v["frac"] * (0.9 - v["m0"])
    return matched_horizon_F(v["p"] + v["dp"], v["m0"], rk) - matched_horizon_F(v["p"], v["m0"], rk) + _TIE


def _n1_hermite_only_margin(v) -> float:
    """The Hermite-only reading of P3/P4: F_SFT − F_W2S >= 0 at ρ_k < m_0 (p_W < p_*)."""
    matched_horizon_F = _family().matched_horizon_F
    rk = v["frac"] * v["m0"]
    return matched_horizon_F(v["p_sft"], v["m0"], rk) - matched_horizon_F(v["p_w2s"], v["m0"], rk)


_N1_FRAC = Param("frac", float, 0.02, 0.98)
_N1_M0 = Param("m0", float, 0.03, 0.5)
_N1_P_PLUS_DP = Constraint("p + dp <= 5", lambda v: v["p"] + v["dp"] <= 5, ("p", "dp"))

register(Claim(
    id="sgd.n1_matched_horizon_guard", spec_id="SGD-N1",
    title="Consistency guard: at matched horizon a lower exponent forgets MORE for ρ_k < m_0",
    citation=awano("abstract, P3/P4; the guard (they cannot follow from Hermite coefficients alone) is derived here", "sgd_dynamics.md §4 SGD-N1, §3.1"),
    provenance="DERIVED",
    statement=_n1_statement,
    assumptions=("1 <= p < q <= 5, 0 < ρ_k < m_0 (the statement's range)", "pure exponents", "same θ", "a = +1", "ρ* = 0.9", "m_0 ∈ [0.03, 0.5]"),
    domain=Domain((_N1_M0, _N1_FRAC, Param("p", int, 1, 4), Param("dp", int, 1, 4)),
                  (_N1_P_PLUS_DP,)),
    checks=(
        SymbolicCheck("p-independence-and-fixed-point", prove=_n1_symbolic),
        NumericCheck("spec-table", run=_n1_table),
        NumericCheck("grid-a-b-c-d", run=_n1_grid),
        NumericCheck("guard-flags-encodings", run=_n1_guard_check),
        PropertyCheck("a-lower-exponent-forgets-more", margin=_n1_margin_a),
        PropertyCheck("c-winner-take-all", margin=_n1_margin_c,
                      domain=Domain((_N1_M0, _N1_FRAC, Param("p", int, 2, 4), Param("dp", int, 1, 3)),
                                    (_N1_P_PLUS_DP,))),
        CounterexampleCheck("hermite-only-encoding", margin=_n1_hermite_only_margin,
                            dropped="an explicit mechanism (W2S and SFT differ only in Hermite coefficients)",
                            domain=Domain((_N1_M0, _N1_FRAC, Param("p_w2s", int, 1, 2), Param("p_sft", int, 3, 4))),
                            min_violation=1e-3),
    ),
))

"""SGD-C2: W2S preserves off-target features, under mechanisms H4 (readout gating), H2 (fixed
point <u,v> = 0) and H1 (only for ρ_k ≪ 1/K, F ≤ (Kρ_k)², (E12)) (Awano & Suzuki, arXiv
2605.12908, P3; spec sgd_dynamics.md §3.1, §3.2, §4 SGD-C2)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import mean_ci
from numerics.sgd import sim_common as sc
from numerics.sgd import sim_numpy

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._statement import current_statement, statement_function
from ...._domain import Constraint, Domain, Param
from ...._registry import register
from ._shared import C_VIOL, DELTA, FA, H2C, M0, _awano, _fast_backend, _group_f, _paired_diff, simulate
from .population import f_matched, k_factor


def _c2_h4_cfg(d: int, n_steps: int = 400) -> sc.SimConfig:
    return sc.SimConfig(d=d, r=2, rho=(0.0, 0.3, 0.7), m_target=8, m_off=4, eta=0.2 / d, n_steps=n_steps,
                        mechanism="H4", protocol="w2s", beta=H2C, sigma_star=H2C, activation="hermite")


def _c2_h4_exact(ctx) -> Outcome:
    ds = ctx.pick((16, 64, 256), (16, 64, 256, 1024))
    worst, wf, moved, parts = 0.0, 0.0, 0.0, []
    for d in ds:
        cfg = _c2_h4_cfg(d)
        seed = ctx.seed_for("sgd.c2.h4", d)
        for b in ctx.backends:
            res = simulate(cfg, seed, 2, b, ctx.device)
            for r in res:
                off = np.concatenate(r.plan.groups[1:])
                worst = max(worst, float(np.max(np.abs(r.W[off] - r.plan.W0[off]))))
                wf = max(wf, float(np.max(np.abs(r.forgetting()[off]))))
                moved = max(moved, float(np.max(np.abs(r.W[r.plan.groups[0]] - r.plan.W0[r.plan.groups[0]]))))
        parts.append(f"d={d}")
    ok = worst == 0.0 and moved > 1e-3
    return Outcome(ok, f"W2S under H4 (off-target readout gated at 0), {', '.join(parts)}, backends "
                   f"{', '.join(ctx.backends)}: max off-target |w_j(t) − w_j(0)| = {worst:.1e} (must be exactly 0, so F = 0 "
                   f"exactly; computed F ≤ {wf:.1e} is the rounding of ‖w_j(0)‖²); target group "
                   f"moved by {moved:.3f} (non-vacuous)", ("max off-target F", worst))


def _c2_h4_margin(prm) -> float:
    cfg = sc.SimConfig(d=prm["d"], r=2, rho=(prm["rho_k"],), m_target=2, m_off=2, eta=0.3 / prm["d"], n_steps=40,
                       mechanism="H4", protocol="w2s", beta=H2C, sigma_star=H2C)
    r = sim_numpy.simulate(cfg, prm["seed"])
    off = r.plan.groups[1]
    return -float(np.max(np.abs(r.W[off] - r.plan.W0[off])))   # bit-identical ⇒ F = 0 exactly


def _p1_margin(prm) -> float:
    """δ − F at matched horizon when the W2S label has p_W = 1 (orthogonal features move)."""
    return DELTA - f_matched(1, prm["m0"], prm["rho_k"])


_P1_DOMAIN = Domain((M0, Param("rho_k", float, 0.0, 0.9)), description="p_W = 1 (ρ = 0 is not a fixed point)")

_C2_STATEMENT = lambda: sp.Le(sp.Symbol("F_W2S") - sp.Symbol("F_floor"), sp.Symbol("delta"))  # noqa: E731

_C2_UNCHECKED = ("the statement F_W2S − F_floor ≤ δ has a free tolerance δ, and under {mech} it holds with "
                 "F_W2S − F_floor = 0 ({how}): a rescaled tolerance (1 ± 0.05)·δ is the same claim for every δ > 0, "
                 "so no honest check can fail on the perturbed-statement battery's rewrites (issue 9 §2); the checks "
                 "test the equality itself")

register(Claim(
    id="sgd.c2_preservation.h4", spec_id="SGD-C2", mechanism="H4",
    title="W2S preserves off-target features (H4: readout gating ⇒ F ≡ 0 even at finite d)",
    citation=_awano("abstract: W2S preserves off-target pre-trained features (P3)", "§3.2 H4, §4 SGD-C2"),
    provenance="PAPER: P3", statement=_C2_STATEMENT,
    statement_unchecked=_C2_UNCHECKED.format(mech="H4", how="w_j(t) = w_j(0) bit-exactly at every d"),
    assumptions=("mechanism H4: the task-κ readout of off-target neurons is frozen at 0 during W2S Phase I",),
    domain=Domain((Param("d", int, 6, 48), Param("rho_k", float, -1.0, 1.0), Param("seed", int, 0, 2**31 - 1))),
    checks=(
        NumericCheck("sgd-exact-zero", run=_c2_h4_exact, provenance="DERIVED (mechanism H4, spec §3.2)"),
        PropertyCheck("sgd-exact-zero-any-d", margin=_c2_h4_margin, tolerance=0.0,
                      provenance="DERIVED (mechanism H4, spec §3.2)"),
        CounterexampleCheck("p_w-1-moves-orthogonal", margin=_p1_margin, domain=_P1_DOMAIN,
                            dropped="gating and p_W ≥ 2 (a p_W = 1 label trains the off-target neurons)",
                            min_violation=C_VIOL, provenance="DERIVED (§3.1, SGD-N1(d))"),
    ),
))


def _c2_h2_sgd(ctx) -> Outcome:
    d, runs = ctx.pick(64, 128), ctx.pick(16, 32)
    cfg = sc.SimConfig(d=d, r=2, rho=(0.0, 0.5), m_target=8, m_off=4, eta=0.1 / d, n_steps=int(1.0 * d / 0.1),
                       mechanism="H2", protocol="w2s", beta=H2C, sigma_star=H2C, g_w=H2C)
    res = simulate(cfg, ctx.seed_for("sgd.c2.h2"), runs, _fast_backend(ctx), ctx.device)
    diff = _paired_diff(res, 2, 1)
    ci = mean_ci(diff, FA)
    return Outcome(ci.contains(0.0), f"W2S under H2, d={d}, t=1, ηd=0.1, {runs} seeds: F(ρ_k=0.5) − F(0) = {ci}"
                   f" must contain 0 (false-alarm {FA:g}); floor F(0) = {_group_f(res, 1).mean():.3f}",
                   ("F(0.5) − F(0)", ci.mean))


def _c2_h2_geometry(prm) -> float:
    cfg = sc.SimConfig(d=prm["d"], r=prm["r"], rho=(prm["rho_k"],), m_target=1, m_off=1, mechanism="H2")
    p = sc.make_plan(cfg, 0)
    u = p.U[1][:, 0]
    return 1e-12 - max(abs(float(u @ p.v_label)), abs(float(u @ p.theta) - prm["rho_k"]))


register(Claim(
    id="sgd.c2_preservation.h2", spec_id="SGD-C2", mechanism="H2",
    title="W2S preserves off-target features (H2: <u,v> = 0 is a fixed point ⇒ F(ρ_k) = F(0))",
    citation=_awano("abstract: W2S preserves off-target pre-trained features (P3)", "§3.2 H2, §4 SGD-C2"),
    provenance="PAPER: P3", statement=_C2_STATEMENT,
    statement_unchecked=_C2_UNCHECKED.format(mech="H2", how="<u,v> = 0 is a fixed point; SGD tests "
                                             "F(ρ_k) − F(0) = 0 within the CI"),
    assumptions=("mechanism H2: the teacher emits g_W(<v,x>), v ∈ V_κ, θ* = cos γ v + sin γ n, u ⊥ v",
                 "p_W ≥ 2 (so <u,v> = 0 is fixed)"),
    domain=Domain((Param("d", int, 8, 256), Param("r", int, 1, 3), Param("rho_k", float, -1.0, 1.0)),
                  (Constraint("d >= 2r+1", lambda p: p["d"] >= 2 * p["r"] + 1, ("d", "r")),)),
    checks=(
        NumericCheck("sgd-matched-control", run=_c2_h2_sgd, provenance="DERIVED (mechanism H2, spec §3.2)"),
        PropertyCheck("geometry-u-perp-v", margin=_c2_h2_geometry, provenance="DERIVED (spec §3.2 H2)"),
        CounterexampleCheck("p_w-1-moves-orthogonal", margin=lambda p: DELTA - f_matched(1, p["m0"], 0.0),
                            domain=Domain((M0,)), dropped="p_W ≥ 2 (with p_W = 1, <u,v> = 0 is not fixed)",
                            min_violation=C_VIOL, provenance="DERIVED (§2.3)"),
    ),
))


_K, _RK = sp.Symbol("K", positive=True), sp.Symbol("rho_k", positive=True)


def _h1_bound_expr():
    """The running statement's bound (its rhs) over positive symbols K, ρ_k."""
    stmt = current_statement()
    names = {str(v): v for v in stmt.free_symbols}
    return stmt, stmt.rhs.xreplace({names[n]: v for n, v in (("K", _K), ("rho_k", _RK)) if n in names})


def _c2_h1_small(prm) -> float:
    m0 = prm["m0"]
    K = k_factor(m0)
    rho_k = prm["frac"] / K
    F = f_matched(2, m0, rho_k)
    bound = float(statement_function((_K, _RK), part="rhs")(K, rho_k)) if _h1_bound_free() else float("nan")
    return min(DELTA - F, bound - F)


def _h1_bound_free() -> bool:
    """The statement's bound depends on K and ρ_k only (else it is not the (E12) bound and cannot be evaluated)."""
    _stmt, b = _h1_bound_expr()
    return b.free_symbols <= {_K, _RK}


def _c2_h1_sharp():
    """SymPy, (E12): F at the horizon t_W is (√(1−ρ_k²)ρ − ρ_k√(1−ρ²))² with ρ = ρ_kK/√(1−ρ_k²+ρ_k²K²) (E5);
    F ≤ the statement's bound with the constant sharp: lim_{K→∞} lim_{ρ_k→0+} F/bound = 1 (K → ∞ is m_0 → 0)."""
    from theory import Proof
    stmt, bound = _h1_bound_expr()
    rho = _RK * _K / sp.sqrt(1 - _RK**2 + _RK**2 * _K**2)
    F = (sp.sqrt(1 - _RK**2) * rho - _RK * sp.sqrt(1 - rho**2)) ** 2
    inner = sp.simplify(sp.limit(F / bound, _RK, 0, "+"))
    outer = sp.limit(inner, _K, sp.oo)
    ok = str(stmt.lhs) == "F_W2S" and isinstance(stmt, sp.LessThan) and sp.simplify(outer - 1) == 0
    return Proof(bool(ok), "sympy.limit of (E12)/(E5) over the statement's bound",
                 f"statement {stmt}: lim_(ρ_k→0+) F/bound = {inner}; then K → ∞: {outer} (must be 1: the bound "
                 "holds with a sharp constant)", {})


register(Claim(
    id="sgd.c2_preservation.h1", spec_id="SGD-C2", mechanism="H1",
    title="W2S preserves off-target features (H1: only for ρ_k ≪ 1/K; F ≤ (Kρ_k)²)",
    citation=_awano("abstract: W2S preserves off-target pre-trained features (P3)", "§3.2 H1, (E12), §4 SGD-C2"),
    provenance="PAPER: P3", statement=lambda: sp.Le(sp.Symbol("F_W2S"), (sp.Symbol("K") * sp.Symbol("rho_k")) ** 2),
    assumptions=("mechanism H1: W2S with p_W = 2 stops at t_W (probe from m_0 to ρ* = 0.9)",
                 "ρ_k ≤ 0.1/K, K from (E12)"),
    domain=Domain((M0, Param("frac", float, 0.0, 0.1, doc="ρ_k·K"))),
    checks=(
        SymbolicCheck("bound-is-sharp", prove=_c2_h1_sharp, provenance="DERIVED ((E12), (E5))"),
        PropertyCheck("population-small-rho", margin=_c2_h1_small, tolerance=1e-12,
                      provenance="DERIVED (mechanism H1, (E12), §3.1)"),
        CounterexampleCheck("rho-above-m0", margin=lambda p: DELTA - f_matched(2, p["m0"], p["rho_k"]),
                            domain=Domain((M0, Param("rho_k", float, 0.0, 0.9)),
                                          (Constraint("rho_k >= m0", lambda p: p["rho_k"] >= p["m0"],
                                                      ("rho_k", "m0")),)),
                            dropped="ρ_k ≪ 1/K (here ρ_k ≥ m_0)", min_violation=C_VIOL,
                            provenance="DERIVED (§3.1)"),
        CounterexampleCheck("p_w-1-moves-orthogonal", margin=_p1_margin, domain=_P1_DOMAIN,
                            dropped="p_W ≥ 2", min_violation=C_VIOL, provenance="DERIVED (§3.1, SGD-N1(d))"),
    ),
))

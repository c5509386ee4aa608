"""SGD-C3: SFT forgets correlated off-target features, F_SFT → 1 − ρ_k² (E9), under H1 and H2
(Awano & Suzuki, arXiv 2605.12908, P4; spec sgd_dynamics.md §3.2, (E9), §4 SGD-C3)."""
from __future__ import annotations

import math

import sympy as sp

from numerics import mean_ci
from numerics.sgd import sim_common as sc

from ...._statement import statement_function
from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck
from ...._domain import Constraint, Domain, Param
from ...._registry import register
from ._shared import C_VIOL, DELTA, FA, H4C, M0, _awano, _fast_backend, _group_f, _paired_diff, simulate
from .population import evolve, f_matched, forgetting, t_escape


def _c3_statement_limit(rho_k: float) -> float:
    """The running statement's right-hand side (the limit of F_SFT) at ρ_k."""
    return float(statement_function([sp.Symbol("rho_k")], part="rhs", modules="math")(rho_k))


def _c3_limit(prm) -> float:
    """Long-horizon SFT (S2): the population F at 10× the escape time to 0.99 is the statement's limit
    (1 − ρ_k², (E9)) to 1e-3, for attracted ρ_k."""
    p, rk = prm["p"], prm["rho_k"]
    t = 10 * t_escape(p, rk, 0.99)
    return 1e-3 - abs(forgetting(rk, evolve(p, rk, t)) - _c3_statement_limit(rk))


def _c3_s1(prm) -> float:
    """Matched horizon S1: SFT (p_* = 3) vs W2S (p_W = 2): the claim F_SFT ≥ F_W2S."""
    return f_matched(prm["p_star"], prm["m0"], prm["rho_k"]) - f_matched(2, prm["m0"], prm["rho_k"])


def _c3_sgd(mech: str):
    def run(ctx) -> Outcome:
        d, runs, eta_d, t = ctx.pick(64, 128), ctx.pick(16, 32), 0.01, 2.0
        cfg = sc.SimConfig(d=d, r=2, rho=(0.0, 0.5), m_target=2, m_off=2, eta=eta_d / d, n_steps=int(t * d / eta_d),
                           mechanism=mech, protocol="sft", beta=H4C, sigma_star=H4C)
        res = simulate(cfg, ctx.seed_for("sgd.c3", mech), runs, _fast_backend(ctx), ctx.device)
        diff = _paired_diff(res, 2, 1)
        ci = mean_ci(diff, FA)
        f_hi = mean_ci(_group_f(res, 2), FA)
        return Outcome(ci.low > 0, f"SFT (S2) under {mech}, σ* = σ = h_4 (p_* = 4), d={d}, ηd={eta_d}, t={t}, "
                       f"{runs} seeds: F(ρ_k=0.5) = {f_hi}, F(0) floor = {_group_f(res, 1).mean():.3f}; jump "
                       f"F(0.5) − F(0) = {ci} must exclude 0 from above (false-alarm {FA:g}); the statement's "
                       f"population limit at ρ_k = 0.5 is {_c3_statement_limit(0.5):.4g}", ("jump", ci.mean))
    return run


_C3_DOMAIN = Domain((Param("p", int, 2, 4), Param("rho_k", float, 0.05, 0.9)))
_S1_DOMAIN = Domain((M0, Param("p_star", int, 3, 4), Param("rho_k", float, 0.0, 0.5, low_open=True)),
                    (Constraint("rho_k < m0", lambda p: p["rho_k"] < p["m0"], ("rho_k", "m0")),),
                    description="S1 matched horizon, ρ_k < m_0 (SGD-N1(a))")

for _mech, _cex in (("H1", CounterexampleCheck("s1-matched-horizon", margin=_c3_s1, domain=_S1_DOMAIN,
                                               dropped="S2 long horizon (S1 with the W2S horizon t_W)",
                                               min_violation=0.01, provenance="DERIVED (§3.1, SGD-N1(a))")),
                    ("H2", CounterexampleCheck("p_star-1-no-jump",
                                               margin=lambda p: DELTA - forgetting(0.0, math.tanh(p["t"])),
                                               domain=Domain((Param("t", float, 0.5, 20.0),)),
                                               dropped="p_* ≥ 2 (with p_* = 1, F_SFT(0) → 1: no jump at 0)",
                                               min_violation=C_VIOL, provenance="DERIVED (§2.3)"))):
    register(Claim(
        id=f"sgd.c3_forgetting.{_mech.lower()}", spec_id="SGD-C3", mechanism=_mech,
        title=f"SFT forgets correlated off-target features: F_SFT → 1 − ρ_k² ({_mech}, S2)",
        citation=_awano("abstract: SFT forgets catastrophically when features are correlated (P4)",
                        f"§3.2 {_mech}, (E9), §4 SGD-C3"),
        provenance="PAPER: P4",
        statement=lambda: sp.Eq(sp.Limit(sp.Function("F_SFT")(sp.Symbol("t")), sp.Symbol("t"), sp.oo),
                                1 - sp.Symbol("rho_k") ** 2),
        assumptions=(f"mechanism {_mech}: SFT runs under S2 (long horizon)", "pure p_* ≥ 2, attracted ρ_k ≠ 0"),
        domain=_C3_DOMAIN,
        checks=(
            PropertyCheck("population-limit", margin=_c3_limit, provenance="DERIVED ((E7), (E9))"),
            NumericCheck("sgd-jump-at-zero", run=_c3_sgd(_mech), provenance=f"DERIVED (mechanism {_mech})"),
            _cex,
        ),
    ))

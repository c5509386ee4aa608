"""WSPO-12 (wspo.md §3; Zhu et al., arXiv 2410.18640, derived for Gaussian policies, no paper
statement): the tilt of Gaussians has precision λ* = σ_r⁻² + (σ_w⁻² − σ_wr⁻²)/γ by completing
the square, and is improper when λ* ≤ 0."""
from __future__ import annotations

import numpy as np

from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Constraint, Domain, Param
from ..._registry import register
from ..._statement import current_statement
from ._shared import P_GAMMA, stmt_fn, zhu


def _lam(s_r, s_w, s_wr, gamma) -> float:
    """λ* from the running statement's right-hand side."""
    return float(stmt_fn(("sigma_r", "sigma_w", "sigma_wr", "gamma"), "rhs")(s_r, s_w, s_wr, gamma))


_SIG = dict(kind=float, low=0.2, high=5.0, log_scale=True)


def _gauss_strategy(broadened: bool):
    """Constructive draws (no filtering): σ_w ≤ σ_wr (narrowed) or σ_w > σ_wr (broadened)."""
    from hypothesis import strategies as st

    def build(s_wr: float):
        lo, hi = (min(s_wr * 1.0001, 5.0), 5.0) if broadened else (0.2, s_wr)
        return st.fixed_dictionaries({"sigma_r": Param("sigma_r", **_SIG).strategy(),
                                      "sigma_w": st.floats(lo, hi, exclude_min=broadened),
                                      "sigma_wr": st.just(s_wr), "gamma": P_GAMMA.strategy()})
    top = 4.9 if broadened else 5.0
    return st.floats(0.2, top).flatmap(build)


def _gauss_domain(broadened: bool) -> Domain:
    """(σ_r, σ_w, σ_wr, γ) with alignment narrowing (σ_w ≤ σ_wr) or broadening the weak model."""
    rel = (lambda d: d["sigma_w"] > d["sigma_wr"]) if broadened else (lambda d: d["sigma_w"] <= d["sigma_wr"])
    text = ("sigma_w > sigma_wr (alignment broadened the weak model)" if broadened
            else "sigma_w <= sigma_wr (alignment narrowed the weak model)")
    return Domain((Param("sigma_r", default=1.0, **_SIG), Param("sigma_w", default=1.0, **_SIG),
                   Param("sigma_wr", default=1.5, **_SIG), P_GAMMA),
                  (Constraint(text, rel, ("sigma_w", "sigma_wr")),),
                  strategy_override=lambda: _gauss_strategy(broadened), description=text)


GAUSS, GAUSS_BROAD = _gauss_domain(False), _gauss_domain(True)


def _lam_margin(p) -> float:
    """The statement's precision λ* (> 0: proper)."""
    return _lam(p["sigma_r"], p["sigma_w"], p["sigma_wr"], p["gamma"])


def _gauss_numeric(ctx) -> Outcome:
    """Quadrature of the unnormalised tilt vs the statement's precision (variance·λ* = 1) and the
    closed-form mean (proper cases, rtol 1e-7); improper case (σ_r=σ_wr=1, σ_w=1.5, γ=0.5 < 5/9):
    the statement's λ* = −1/9 and the mass on [−R, R] explodes with R."""
    r = ctx.rng("wspo.gaussian", "numeric")
    worst, n = 0.0, ctx.pick(8, 40)
    for _ in range(n):
        s_r, s_w, s_wr = np.exp(r.uniform(-1, 1, 3))
        gam = float(np.exp(r.uniform(np.log(0.2), np.log(5))))
        mus = r.standard_normal(3)
        lam_c, mean = nw.gaussian.closed_form(mus[0], s_r, mus[1], s_w, mus[2], s_wr, gam)
        if lam_c <= 0.05:  # proper cases (the simulator's closed form), integrated over ±40 sd
            continue
        R = abs(mean) + 40 / np.sqrt(lam_c)
        _, m, v = nw.gaussian.quadrature_moments(mus[0], s_r, mus[1], s_w, mus[2], s_wr, gam, R)
        worst = max(worst, abs(m - mean) / (1 + abs(mean)), abs(v * _lam(s_r, s_w, s_wr, gam) - 1))
    masses = [nw.gaussian.quadrature_moments(0, 1, 0, 1.5, 0, 1, 0.5, R)[0] for R in (5, 10, 20)]
    lam_ex = _lam(1.0, 1.5, 1.0, 0.5)
    ok = worst < 1e-7 and masses[2] > 1e6 * masses[1] > 1e6 * masses[0] and abs(lam_ex + 1 / 9) < 1e-15
    return Outcome(ok, f"{n} proper random cases: max rel err of quadrature mean/variance vs closed form {worst:.1e} "
                   f"(<1e-7, quadrature accuracy); improper example λ*={lam_ex:.6f} (= −1/9): mass on [−R,R] "
                   f"for R=5,10,20: {masses[0]:.3g}, {masses[1]:.3g}, {masses[2]:.3g} (diverges)",
                   ("max rel err", worst))


register(Claim(
    id="wspo.gaussian", spec_id="WSPO-12", title="Gaussian tilt: closed-form precision and the improper regime",
    citation=zhu("derived: Gaussian policies (no paper statement)", "wspo.md §3 WSPO-12"),
    provenance="DERIVED", statement=tw.stmt_gaussian,
    assumptions=("Gaussian π_ref^s, π_r^w, π_ref^w", "λ* > 0 for a proper tilt"), domain=GAUSS,
    checks=(
        SymbolicCheck("complete-the-square", prove=lambda: tw.prove_gaussian(current_statement())),
        NumericCheck("quadrature-vs-closed-form", run=_gauss_numeric),
        PropertyCheck("narrowed-alignment-is-proper", margin=_lam_margin),
        CounterexampleCheck("improper-below-bound", margin=_lam_margin, domain=GAUSS_BROAD,
                            dropped="σ_w ≤ σ_wr (alignment narrowed) or γ above the bound", min_violation=0.05),
    ),
))

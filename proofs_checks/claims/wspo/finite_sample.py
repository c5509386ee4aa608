"""WSPO-14 (wspo.md §3; Zhu et al., arXiv 2410.18640, derived by M-estimation for the tabular
loss): the empirical minimiser is √n-consistent, E‖π̂_n − π_pop‖₁ ≈ c/√n."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

import numerics
from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, NumericCheck, Outcome, Rate, RatePoints
from ..._domain import Domain
from ..._registry import register
from ._shared import DOMAIN, stmt_fn, zhu

UNCHECKED = ("stated up to the free constant c (spec WSPO-14: do not assert c), so the statement with its rhs "
             "scaled by 1 ± 0.05 is the same claim and no check can tell them apart; the exponent −1/2 is "
             "asserted by the Rate check (not run by the perturbed-statement battery), whose CI (half-width "
             "≤ 0.1) does not resolve a 5% change of it; the sqrt-n-constant check reads n's power and the sign "
             "of c from the statement")


N_GRID = (400, 1600, 6400, 25600, 102400)
#: d = (1 − MIX)·Dirichlet(1) + MIX·uniform, so min_a d(a) ≥ MIX/V by construction.
MIX = 0.5


def regime(V: int, n_min: int = N_GRID[0]) -> float:
    """n·min_a d(a) guaranteed by the instance generator at the smallest n (≫ 1: no unseen tokens)."""
    return n_min * MIX / V


@lru_cache(maxsize=4)
def _rate_runs(seed: int, profile: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """E‖π̂_n − π_pop‖₁ over reps for n ∈ N_GRID (V=6, γ=0.5, one random instance whose
    d has min_a d(a) ≥ MIX/V, so that n·min d ≥ 33 over the grid: the asymptotic regime)."""
    r = numerics.rng(seed, "wspo.finite_sample", "instance")
    V, g = 6, 0.5
    a, b, c, d = (r.dirichlet(np.ones(V)) for _ in range(4))
    d = (1 - MIX) * d + MIX / V
    dl = nw.delta(b, c)
    pop = nw.minimise(d, a, dl, g)
    reps = 400 if profile == "fast" else 4000
    means, ses = [], []
    for n in N_GRID:
        rr = numerics.rng(seed, "wspo.finite_sample", n)
        Dn = rr.multinomial(n, d, size=reps) / n
        errs = np.abs(nw.minimise_batch(Dn, a, dl, g, pop.z) - pop.pi).sum(1)
        means.append(errs.mean())
        ses.append(errs.std(ddof=1) / np.sqrt(reps))
    return np.array(N_GRID, dtype=float), np.array(means), np.array(ses)


def _rate_measure(ctx) -> RatePoints:
    """The rate points (n, mean error, its standard error) for the engine's slope fit."""
    x, y, se = _rate_runs(ctx.seed, ctx.profile)
    return RatePoints(x, y, se)


def _rate_numeric(ctx) -> Outcome:
    """E‖π̂_n − π_pop‖₁ divided by the statement's rhs at c = 1 (√n·E‖·‖₁ for c/√n) roughly
    constant and positive (c > 0): coefficient of variation across n < 0.1 (spec); each point's
    printed interval is a normal interval at the check's false-alarm (Bonferroni over 5)."""
    x, y, se = _rate_runs(ctx.seed, ctx.profile)
    unit = np.broadcast_to(stmt_fn(("n", "c"), "rhs")(x, 1.0), x.shape)
    s, se = y / unit, se / np.abs(unit)
    cv = float(np.std(s, ddof=1) / np.mean(s)) if np.mean(s) > 0 else float("inf")
    q = numerics.z_two_sided(ctx.false_alarm, len(x))
    cells = ", ".join(f"n={int(n)}: {v:.3f}±{q * e:.3f}" for n, v, e in zip(x, s, se))
    return Outcome(cv < 0.1, f"E‖π̂_n − π_pop‖₁ / (statement rhs at c = 1): {cells}; CV across n {cv:.3f} (< 0.1, and "
                   f"mean > 0: c > 0); spec reference ≈ 0.5 "
                   f"(instance-dependent, not asserted); n·min d ≥ {regime(6):.0f} by construction; α = {ctx.false_alarm:g}", ("CV", cv), {"sqrt_n_err": s.tolist()})


register(Claim(
    id="wspo.finite_sample", spec_id="WSPO-14", title="Finite-sample consistency: E‖π̂_n − π_pop‖₁ ≈ c/√n",
    citation=zhu("derived: M-estimation for the tabular WSPO loss", "wspo.md §3 WSPO-14"),
    provenance="DERIVED", statement=tw.stmt_finite_sample, statement_unchecked=UNCHECKED,
    assumptions=("one tabular state", "n iid tokens from a full-support d",
                 "asymptotic regime n·min_a d(a) ≫ 1 (unseen tokens at small n trigger WSPO-11c)"),
    domain=Domain(DOMAIN.params, description=f"rate instance: V = 6, γ = 0.5, d = ½·Dirichlet(1) + ½·uniform, so "
                  f"min_a d(a) ≥ 1/12 and n·min d ≥ {regime(6):.0f} over n ∈ {N_GRID} (regime by construction)"),
    checks=(
        NumericCheck("sqrt-n-constant", run=_rate_numeric),
        Rate("l1-error-rate", exponent=-0.5, variable="n", quantity="E‖π̂_n − π_pop‖₁", measure=_rate_measure,
             confidence=1 - numerics.CHECK_FALSE_ALARM, max_halfwidth=0.1),
    ),
    notes="The regime n·min d ≫ 1 holds by construction (d mixed with the uniform, grid from n = 400): with a raw "
          "Dirichlet d, min_a d(a) ≈ 0.004 happens and √n·err still drifts over n ≤ 25600.",
))

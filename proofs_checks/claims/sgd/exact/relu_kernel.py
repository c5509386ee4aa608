"""SGD-A11: ReLU (arc-cosine) kernel (E0), κ' = Σ iβ_i²c^{i−1} (Awano & Suzuki, interaction kernel
of the MSE dynamics; spec sgd_dynamics.md §4 SGD-A11, (E0))."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from numerics.sgd import montecarlo as nmc
from theory.sgd import gaussian as tg

from ...._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ...._domain import Domain, Param
from ...._registry import register
from ._shared import awano, outcome_all, statement_element, statement_fn, zcheck


@lru_cache(maxsize=1)
def _trunc6():
    return sp.lambdify(tg.C, tg.kernel_prime_truncation(6), "math")


def _kappa(c: float) -> float:
    """κ(c): the running statement's right-hand side."""
    return float(statement_fn(("c",), "rhs", modules="math")(c))


def _kappa_prime(c: float) -> float:
    """κ'(c) = d/dc of the running statement's right-hand side."""
    stmt = statement_element()
    key = ("kappa'", stmt)
    fn = _KP.get(key)
    if fn is None:
        c_sym = next(s for s in stmt.rhs.free_symbols if str(s) == "c")
        fn = _KP[key] = sp.lambdify(c_sym, sp.diff(stmt.rhs, c_sym), "math")
    return float(fn(c))


_KP: dict = {}


def _a11_err(c: float) -> float:
    return abs(_trunc6()(c) - _kappa_prime(c))


def _a11_symbolic():
    k = statement_element().rhs.xreplace({s: tg.C for s in statement_element().rhs.free_symbols if str(s) == "c"})
    return [tg.prove_kernel_series(12, kernel=k), tg.prove_kernel_prime_series(10, kernel_prime=sp.diff(k, tg.C)),
            tg.prove_kernel_prime_closed_form(k)]


def _a11_numeric(ctx) -> Outcome:
    parts = []
    n = ctx.pick(1_000_000, 4_000_000)
    r = ctx.rng("sgd.a11", "mc")
    cs = (-0.5, 0.0, 0.5, 0.9)
    zs = []
    ok = True
    for c in cs:
        m, se = nmc.mc_relu_kernel(c, n, r)
        good, zmax, zt = zcheck(np.array([m]), np.array([se]), np.array([_kappa(c)]), len(cs),
                                   ctx.false_alarm)
        ok &= good
        zs.append(zmax)
    parts.append((ok, f"Monte Carlo N={n}: E[σσ] = κ(c) (statement) at c ∈ {cs}, max |z| = {max(zs):.2f} <= {zt:.2f} "
                  f"(false-alarm {ctx.false_alarm:g})"))
    grid = np.linspace(-0.5, 0.5, 101)
    e = max(_a11_err(c) for c in grid)
    parts.append((e <= 1e-3, f"degree-6 truncation of κ' within {e:.1e} (<= 1e-3) on |c| <= 0.5"))
    t9, k9 = _trunc6()(0.9), _kappa_prime(0.9)
    parts.append((abs(t9 - 0.4196) <= 1e-4 and abs(k9 - 0.4282) <= 1e-4,
                  f"c = 0.9: truncation {t9:.4f} vs κ' = d/dc statement {k9:.4f} (spec: 0.4196 vs 0.4282)"))
    return outcome_all(parts, ("max trunc err |c|<=0.5", e))


register(Claim(
    id="sgd.a11_relu_kernel", spec_id="SGD-A11", title="ReLU (arc-cosine) kernel (E0): κ' = Σiβ_i²c^{i−1}",
    citation=awano("abstract (two-layer student); the interaction kernel is derived here", "sgd_dynamics.md §4 SGD-A11, (E0)"),
    provenance="DERIVED",
    statement=lambda: sp.Eq(sp.Symbol("kappa(c)"), tg.relu_kernel(tg.C)),
    assumptions=("ReLU without bias", "unit w, w'"),
    domain=Domain((Param("c", float, -0.5, 0.5),)),
    checks=(
        SymbolicCheck("taylor-coefficients", prove=_a11_symbolic),
        NumericCheck("monte-carlo-and-truncation", run=_a11_numeric),
        PropertyCheck("truncation-small-c", margin=lambda v: 1e-3 - _a11_err(v["c"])),
        CounterexampleCheck("truncation-near-one", dropped="|c| <= 0.5 (c near ±1)",
                            margin=lambda v: 1e-3 - _a11_err(v["c"]),
                            domain=Domain((Param("c", float, 0.5, 1.0),)), min_violation=5e-3),
    ),
))

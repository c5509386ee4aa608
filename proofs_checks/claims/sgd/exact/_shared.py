"""Helpers shared by several SGD tier-A claims: the Awano & Suzuki citation, the false-alarm
rate and z-test of the Monte Carlo checks, and pure/random correlation functions φ (spec
sgd_dynamics.md §1.1, φ(ρ) = Σ α_iβ_iρ^i)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import CHECK_FALSE_ALARM, z_two_sided

from ...._claim import Citation, Outcome
from ..._common import AWANO


FALSE_ALARM = CHECK_FALSE_ALARM   # the checks themselves use ctx.false_alarm (the suite budget per check)


def awano(where: str, spec: str) -> Citation:
    return Citation(AWANO, "2605.12908", where, spec)


def outcome_all(parts: list[tuple[bool, str]], figure=None, data=None) -> Outcome:
    """One Outcome that passes when every (ok, detail) part does; details joined by '; '."""
    ok = all(p for p, _ in parts)
    return Outcome(ok, "; ".join(d for _, d in parts), figure, data or {})


def zcheck(est: np.ndarray, se: np.ndarray, target: np.ndarray, n_tests: int,
           false_alarm: float) -> tuple[bool, float, float]:
    """|est − target| <= z·se with z from ``false_alarm`` (the check's α, Bonferroni over n_tests);
    zero-variance entries must match to 1e-12.  Returns (ok, max |z|, z threshold)."""
    z = z_two_sided(false_alarm, n_tests)
    est, se, target = (np.asarray(x, float) for x in (est, se, target))
    diff = np.abs(est - target)
    exact = se <= 1e-15
    ok = bool(np.all(diff[~exact] <= z * se[~exact]) and np.all(diff[exact] <= 1e-12))
    zs = np.where(exact, 0.0, diff / np.where(exact, 1.0, se))
    return ok, float(zs.max()), z


def pure_phi(p: int, s: float = 1.0) -> np.ndarray:
    """Coefficients of the pure correlation function φ = s·ρ^p."""
    c = np.zeros(p + 1)
    c[p] = s
    return c


def random_phi(r: np.random.Generator, deg: int = 6, scale: float = 1.0) -> np.ndarray:
    """Random polynomial φ: degree ``deg``, N(0, scale²) coefficients drawn from ``r``."""
    return r.normal(0, scale, deg + 1)


# ---------------------------------------------------------------- the running claim's statement
# One source of truth (issue 9 §2): the checks below evaluate the printed statement, not a copy.

_FN_CACHE: dict = {}


def statement_element(k: int | None = None):
    """The running claim's statement, or element ``k`` of a tuple statement."""
    from ...._statement import current_statement
    stmt = current_statement()
    return stmt if k is None else stmt[k]


def by_name(expr) -> dict:
    """The free symbols of ``expr`` by name (the statement's own Symbol objects)."""
    return {str(s): s for s in expr.free_symbols}


def subs_named(expr, **values):
    """``expr`` with its symbols named in ``values`` replaced (a name the expression lacks is ignored)."""
    sym = by_name(expr)
    return expr.xreplace({sym[k]: sp.sympify(v) for k, v in values.items() if k in sym})


def statement_fn(names: tuple[str, ...], part: str = "rhs", k: int | None = None, modules="numpy", **fixed):
    """Lambdify ``part`` (lhs/rhs/margin/expr) of the running statement (element ``k`` of a tuple)
    over the symbols named ``names``, with the symbols in ``fixed`` substituted first.  Cached on the
    statement itself (structural equality), so a perturbed statement gets its own function."""
    from ...._statement import statement_part
    stmt = statement_element(k)
    key = (stmt, names, part, str(modules), tuple(sorted(fixed.items())))
    fn = _FN_CACHE.get(key)
    if fn is None:
        expr = subs_named(statement_part(stmt, part), **fixed)
        sym = by_name(expr)
        args = [sym.get(n, sp.Symbol(n)) for n in names]
        fn = sp.lambdify(args, expr, modules=modules)
        if len(_FN_CACHE) > 4096:
            _FN_CACHE.clear()
        _FN_CACHE[key] = fn
    return fn

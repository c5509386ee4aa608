"""Reading the running MISFIT claim's statement (issue 9 §2: one source of truth per claim).

Checks evaluate the statement object itself (:func:`theory._interp.interpret`): its symbols get
the instance's values, its undefined functions (err, misfit, inner, Pi_V, D, gap …) their L²(P) or
Bregman meaning, in float64 (numpy arrays) or against an mpmath oracle.  A perturbed statement
(proofs_checks/_battery.py) is therefore what the checks test.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from numerics import misfit as nm
from theory._interp import Vec, interpret

from ..._statement import current_statement, statement_part


def stmt(index: int | None = None) -> Any:
    """The running claim's statement (element ``index`` of a tuple statement)."""
    s = current_statement()
    return s if index is None else s[index]


def part(name: str, index: int | None = None) -> Any:
    """``lhs``, ``rhs`` or ``margin`` of the running statement (element ``index`` of a tuple)."""
    return statement_part(stmt(index), name)


def value(expr: Any, values: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]] | None = None,
          backend: str = "float") -> Any:
    """``expr`` under the interpretation (float64 unless ``backend='mp'``/``'exact'``)."""
    out = interpret(expr, values, functions or {}, backend)
    if backend != "float":
        return out
    if isinstance(out, complex):  # a real power of a negative base: not a real value
        return out.real if out.imag == 0 else float("nan")
    return float(out)


def sides(values: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]] | None = None,
          backend: str = "float", index: int | None = None) -> tuple[Any, Any]:
    """(lhs, rhs) of the running statement under the interpretation."""
    return (value(part("lhs", index), values, functions, backend),
            value(part("rhs", index), values, functions, backend))


def margin(values: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]] | None = None,
           backend: str = "float", index: int | None = None) -> Any:
    """The running statement's margin (rhs − lhs for ≤, lhs − rhs for =) under the interpretation."""
    return value(part("margin", index), values, functions, backend)


def l2_float(fstar: np.ndarray, y: np.ndarray, w: np.ndarray,
             proj: Callable[[np.ndarray], np.ndarray] | None = None) -> dict[str, Callable[..., Any]]:
    """float64 L²(P) meaning of err, misfit, inner (and Pi_V = ``proj``) (spec §2)."""
    fns: dict[str, Callable[..., Any]] = {"err": lambda g: nm.sqdist(g, fstar, w),
                                          "misfit": lambda g: nm.sqdist(g, y, w),
                                          "inner": lambda u, v: nm.inner(u, v, w)}
    if proj is not None:
        fns["Pi_V"] = proj
    return fns


def mp_vec(a: np.ndarray) -> Vec:
    """An mpmath vector (current precision) with the float entries of ``a``."""
    import mpmath

    return Vec(mpmath.mpf(float(v)) for v in a)


def gap_values(errY: float, misfit: float, err_sw: float, **extra: float) -> dict[str, float]:
    """Values of the symbols err(Y), misfit(f_sw), err(f_sw) (and any ``extra`` by name)."""
    return {"err(Y)": errY, "misfit(f_sw)": misfit, "err(f_sw)": err_sw, **extra}


def l2_mp(fstar: Vec, y: Vec, w: Vec) -> dict[str, Callable[..., Any]]:
    """The L²(P) meaning of err, misfit, inner for mpmath vectors (mpmath.fdot at the current
    precision; same definitions as :func:`theory.misfit.l2_functions`)."""
    import mpmath

    ip = lambda u, v: mpmath.fdot((wi * ui, vi) for ui, vi, wi in zip(u, v, w))  # noqa: E731
    sq = lambda u, v: ip([a - b for a, b in zip(u, v)], [a - b for a, b in zip(u, v)])  # noqa: E731
    return {"err": lambda g: sq(g, fstar), "misfit": lambda g: sq(g, y), "inner": ip}

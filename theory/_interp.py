"""Evaluate a SymPy statement under an interpretation (issue 9 §2, one source of truth).

A claim's statement is written over abstract symbols (``Y``, ``F_*``) and undefined functions
(``err``, ``inner``, ``D``).  :func:`interpret` walks the expression tree and gives every symbol a
value (a SymPy vector, a float array, an ``mpmath.mpf``) and every undefined function an
implementation, so the same statement object is proved exactly (``backend="exact"``), evaluated in
float64 (``"float"``) or against a high-precision oracle (``"mp"``).  The checks then test the
statement itself rather than a hand-typed copy of it [DERIVED].
"""
from __future__ import annotations

import functools
import operator
from typing import Any, Callable, Mapping

import sympy as sp


def _number(q: sp.Number, backend: str) -> Any:
    if backend == "exact":
        return q
    if backend == "mp":
        import mpmath

        return mpmath.mpf(q.p) / q.q if q.is_Rational else mpmath.mpf(str(sp.N(q, 60)))
    return float(q)


def _elementary(backend: str) -> dict[type, Callable[..., Any]]:
    if backend == "exact":
        return {sp.log: sp.log, sp.exp: sp.exp, sp.Abs: sp.Abs, sp.Max: sp.Max, sp.Min: sp.Min}
    if backend == "mp":
        import mpmath

        return {sp.log: mpmath.log, sp.exp: mpmath.exp, sp.Abs: abs, sp.Max: max, sp.Min: min}
    import numpy as np

    return {sp.log: np.log, sp.exp: np.exp, sp.Abs: np.abs, sp.Max: np.maximum, sp.Min: np.minimum}


def _is_vector(v: Any) -> bool:
    return isinstance(v, (tuple, list)) or hasattr(v, "shape")


def _vectors_first(vals: list[Any]) -> list[Any]:
    """Vectors before scalars, so ``vector op scalar`` dispatches to the vector (a SymPy scalar
    would otherwise try to absorb a tuple)."""
    return [v for v in vals if _is_vector(v)] + [v for v in vals if not _is_vector(v)]


def interpret(expr: Any, values: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]] | None = None,
              backend: str = "exact") -> Any:
    """Value of ``expr`` with symbols looked up by name in ``values`` (missing ones stay symbolic
    in the exact backend) and undefined functions by name in ``functions``."""
    functions = functions or {}
    elem = _elementary(backend)

    def ev(e: Any) -> Any:
        if isinstance(e, sp.Symbol):
            if e.name in values:
                return values[e.name]
            if backend == "exact":
                return e
            raise KeyError(f"no value for symbol {e.name!r}")
        if isinstance(e, sp.Number):
            return _number(e, backend)
        if isinstance(e, sp.core.function.AppliedUndef):
            name = type(e).__name__
            if name not in functions:
                raise KeyError(f"no interpretation for function {name!r}")
            return functions[name](*[ev(a) for a in e.args])
        if isinstance(e, sp.Add):
            return functools.reduce(operator.add, _vectors_first([ev(a) for a in e.args]))
        if isinstance(e, sp.Mul):
            c, nc = e.args_cnc()
            val = functools.reduce(operator.mul, _vectors_first([ev(a) for a in c])) if c else 1
            if nc:  # non-commutative factors (matrices): matrix product, order kept
                val = val * functools.reduce(operator.matmul, [ev(a) for a in nc])
            return val
        if isinstance(e, sp.Pow):
            b, x = ev(e.base), ev(e.exp)
            if backend == "float" and isinstance(x, float) and x == int(x):
                x = int(x)
            return b**x
        if type(e) in elem:
            return elem[type(e)](*[ev(a) for a in e.args])
        if backend == "exact" and not e.free_symbols:
            return e
        raise TypeError(f"cannot interpret {type(e).__name__}: {e}")

    return ev(sp.sympify(expr))


class Vec(tuple):
    """A vector of SymPy / mpmath / float entries with elementwise ``+ −`` and scalar ``*``, ``/``
    (a scalar added to a vector is broadcast, as for a common shift)."""

    def _other(self, o: Any) -> Any:
        return o if isinstance(o, (tuple, list)) else [o] * len(self)

    def __add__(self, o: Any) -> "Vec":
        return Vec(a + b for a, b in zip(self, self._other(o)))

    __radd__ = __add__

    def __sub__(self, o: Any) -> "Vec":
        return Vec(a - b for a, b in zip(self, self._other(o)))

    def __rsub__(self, o: Any) -> "Vec":
        return Vec(b - a for a, b in zip(self, self._other(o)))

    def __neg__(self) -> "Vec":
        return Vec(-a for a in self)

    def __mul__(self, o: Any) -> "Vec":
        if isinstance(o, (tuple, list)):
            raise TypeError("Vec * Vec is not defined; use an inner product")
        return Vec(a * o for a in self)

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> "Vec":
        return Vec(a / o for a in self)


def sides(stmt: Any) -> tuple[Any, Any]:
    """(lhs, rhs) of a relational statement."""
    return stmt.lhs, stmt.rhs


def margin(stmt: Any) -> Any:
    """rhs − lhs for ``<=``/``<``, lhs − rhs otherwise (matches ``proofs_checks.statement_part``)."""
    if isinstance(stmt, (sp.LessThan, sp.StrictLessThan)):
        return stmt.rhs - stmt.lhs
    return stmt.lhs - stmt.rhs

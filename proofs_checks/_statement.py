"""One source of truth per claim: checks read the formula from the running claim's statement.

The engine (:func:`proofs_checks._checks.run_check`) sets the claim being checked in a context
variable; a check (numeric run, property margin, symbolic proof) calls :func:`current_statement`
or :func:`statement_function` instead of keeping a hand-typed copy of the formula.  The
perturbed-statement battery (tests/test_contract.py) runs a claim whose ``statement`` was
rewritten (a constant scaled, a sign flipped) and asserts that some check then fails, which
holds only when the checks read the statement this way.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

_CURRENT: contextvars.ContextVar[Any] = contextvars.ContextVar("w2s_current_claim", default=None)
_CACHE: dict[tuple[Any, tuple[str, ...], str], Callable[..., Any]] = {}


@contextmanager
def checking(claim: Any) -> Iterator[None]:
    """Make ``claim`` the running claim for the duration of the block."""
    token = _CURRENT.set(claim)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_claim() -> Any:
    """The claim whose checks are running (raises outside a check)."""
    c = _CURRENT.get()
    if c is None:
        raise RuntimeError("no claim is being checked: call this from inside a check run by the engine")
    return c


def current_statement() -> Any:
    """The SymPy statement of the running claim (``claim.statement()``)."""
    return current_claim().statement()


def statement_function(args: Sequence[Any], part: str = "margin", modules: str = "numpy") -> Callable[..., Any]:
    """Lambdify a part of the running claim's statement over SymPy symbols ``args``.

    ``part``: ``lhs`` / ``rhs`` of a relational, ``margin`` (rhs − lhs for ``<=``/``<``, lhs − rhs
    for ``>=``/``>``, lhs − rhs for ``Eq``), or ``expr`` (the statement itself).  Cached per
    statement (by value), so a perturbed claim gets its own function.
    """
    import sympy as sp

    stmt = current_statement()
    # keyed on the statement itself (structural equality), not id(): a rebuilt statement may reuse an id
    key = (stmt, tuple(str(a) for a in args), part + ":" + modules)
    fn = _CACHE.get(key)
    if fn is None:
        expr = statement_part(stmt, part)
        fn = sp.lambdify(list(args), expr, modules=modules)
        _CACHE[key] = fn
    return fn


def statement_part(stmt: Any, part: str) -> Any:
    """``lhs``, ``rhs``, ``margin`` or ``expr`` of a SymPy statement (see :func:`statement_function`)."""
    import sympy as sp

    if part == "expr":
        return stmt
    if not isinstance(stmt, sp.core.relational.Relational):
        raise TypeError(f"statement {stmt} is not a relational; use part='expr'")
    if part == "lhs":
        return stmt.lhs
    if part == "rhs":
        return stmt.rhs
    if part == "margin":
        if isinstance(stmt, (sp.LessThan, sp.StrictLessThan)):
            return stmt.rhs - stmt.lhs
        return stmt.lhs - stmt.rhs
    raise ValueError(f"part must be lhs, rhs, margin or expr, got {part!r}")

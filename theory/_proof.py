"""Exact proof primitives used by every family's symbolic checks.

* :func:`prove_identity` — ``expand``/``simplify`` of a difference to exactly 0.
* :func:`prove_certificate` — a slack equals (by ``expand``) a sum of terms each of
  which is non-negative by construction (squares, products of non-negative symbols).
* :func:`prove_interval` — an ``mpmath.iv`` enclosure of a function over a grid of
  parameter boxes whose lower bound is >= 0 on every box.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import sympy as sp
from mpmath import iv


@dataclass
class Proof:
    """Result of an exact check: whether it holds, the method, and a detail line."""

    holds: bool
    method: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


def prove_identity(difference: sp.Expr, *, label: str = "", simplify: bool = False) -> Proof:
    """``difference`` must be identically 0 (``expand``; ``simplify`` if asked)."""
    r = sp.expand(difference)
    if r != 0 and simplify:
        r = sp.simplify(sp.together(r))
    ok = r == 0
    return Proof(ok, "identity (expand" + (", simplify" if simplify else "") + ")",
                 f"{label + ': ' if label else ''}lhs - rhs {'== 0 exactly' if ok else '= ' + sp.sstr(r)[:200]}")


def _is_nonneg_term(term: sp.Expr, nonneg: set[sp.Symbol]) -> bool:
    """Syntactic certificate: a product of non-negative rationals, even powers, and
    powers of symbols declared non-negative."""
    for f in sp.Mul.make_args(term):
        if f.is_number:
            if not (f.is_real and f >= 0):
                return False
            continue
        base, exp = f.as_base_exp()
        if exp.is_integer and exp.is_even:
            continue
        if base in nonneg or base.is_nonnegative:
            continue
        if base.is_Add or base.is_Mul:
            # a non-negative combination of non-negative pieces
            if base.is_Add and all(_is_nonneg_term(t, nonneg) for t in sp.Add.make_args(base)):
                continue
            if base.is_Mul and _is_nonneg_term(base, nonneg):
                continue
        return False
    return True


def prove_certificate(slack: sp.Expr, terms: Sequence[sp.Expr], nonneg: Iterable[sp.Symbol] = (),
                      *, label: str = "") -> Proof:
    """``slack == sum(terms)`` exactly, and each term is syntactically non-negative
    given the symbols in ``nonneg``: a sum-of-squares / factorization certificate."""
    nn = set(nonneg)
    diff = sp.expand(slack - sp.Add(*terms))
    if diff != 0:
        return Proof(False, "certificate", f"{label}: slack - certificate = {sp.sstr(diff)[:200]}")
    bad = [t for t in terms if not _is_nonneg_term(sp.factor(t), nn)]
    if bad:
        return Proof(False, "certificate", f"{label}: term not certified non-negative: {sp.sstr(bad[0])[:200]}")
    return Proof(True, "certificate (sum of non-negative terms)",
                 f"{label + ': ' if label else ''}slack = " + " + ".join(sp.sstr(t) for t in terms)[:300])


def prove_interval(fn: Callable[..., Any], box: dict[str, tuple[Any, Any]], splits: int = 8, *,
                   label: str = "", dps: int = 30) -> Proof:
    """Enclose ``fn(**intervals)`` with ``mpmath.iv`` on a ``splits^k`` grid of sub-boxes
    of ``box`` and require the lower end >= 0 on every one."""
    names = list(box)
    iv.dps = dps
    edges = {}
    for n in names:
        lo, hi = (iv.mpf(box[n][0]), iv.mpf(box[n][1]))
        step = (hi - lo) / splits
        edges[n] = [(lo + step * i, lo + step * (i + 1)) for i in range(splits)]
    worst = None
    count = 0
    for cell in itertools.product(*(edges[n] for n in names)):
        args = {n: iv.mpf([c[0].a, c[1].b]) for n, c in zip(names, cell)}
        val = fn(**args)
        count += 1
        lo = val.a
        if worst is None or lo < worst:
            worst = lo
        if lo < 0:
            return Proof(False, "interval enclosure (mpmath.iv)",
                         f"{label}: lower bound {float(lo):.3g} < 0 on box "
                         + ", ".join(f"{n}∈[{float(a.a):.4g},{float(a.b):.4g}]" for n, a in args.items()))
    return Proof(True, "interval enclosure (mpmath.iv)",
                 f"{label + ': ' if label else ''}min lower bound {float(worst):.3g} >= 0 over {count} boxes",
                 {"boxes": count})

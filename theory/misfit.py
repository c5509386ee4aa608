"""MISFIT family (Charikar, Pabbaraju, Shiragur, arXiv 2405.15116; Mulgund & Pabbaraju,
arXiv 2501.19105): statements and exact derivations.  See ../shared/spec/misfit.md."""
from __future__ import annotations

import sympy as sp

from ._proof import Proof, prove_identity


def weighted_inner(u, v, w) -> sp.Expr:
    """⟨u, v⟩ = Σ w_i u_i v_i on m atoms (harness encoding of L²(P), spec §2)."""
    return sp.Add(*[wi * ui * vi for ui, vi, wi in zip(u, v, w)])


def sqdist(u, v, w) -> sp.Expr:
    d = [a - b for a, b in zip(u, v)]
    return weighted_inner(d, d, w)


def pythagorean_statement() -> sp.Eq:
    """MISFIT-1: gap = err(Y) − misfit(f_sw) − err(f_sw) = −2⟨F* − f_sw, Y − f_sw⟩."""
    errY, misfit, errS = sp.Symbol("err(Y)"), sp.Symbol("misfit(f_sw)"), sp.Symbol("err(f_sw)")
    ip = sp.Symbol(r"<F* - f_sw, Y - f_sw>")
    return sp.Eq(errY - misfit - errS, -2 * ip)


def pythagorean_identity(m: int = 3) -> Proof:
    """MISFIT-1 symbolic check: vectors z, p, Y in R^m with symbolic weights; the
    three-point identity expands to 0."""
    z = sp.symbols(f"z1:{m + 1}")
    p = sp.symbols(f"p1:{m + 1}")
    y = sp.symbols(f"y1:{m + 1}")
    w = sp.symbols(f"w1:{m + 1}", positive=True)
    lhs = sqdist(z, y, w) - sqdist(z, p, w) - sqdist(p, y, w)
    rhs = -2 * weighted_inner([a - b for a, b in zip(z, p)], [a - b for a, b in zip(y, p)], w)
    return prove_identity(lhs - rhs, label=f"three-point identity, m={m}, symbolic weights")

"""The weighted L²(P) geometry of misfit.md §2 (numerics/misfit/_geometry.py) against exact rational
arithmetic computed here by hand (fractions.Fraction), independent of the code under test.

Added for the mutation tier (issue 9 §6): mutmut showed that ``inner`` and the mpmath oracle
``gap_mp`` had no test of their values and that ``_vectors`` accepted a 2-d first vector."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from numerics import InvalidParameter
from numerics.misfit import gap, gap_mp, inner, sqdist

# dyadic values: exact in float64, so Fraction(float) is the exact input
U = [1.5, -2.0, 3.25]
V = [4.0, 0.5, -6.5]
P = [0.25, 1.0, 2.0]
W = [0.5, 0.25, 0.25]


def _fr(xs):
    return [Fraction(x) for x in xs]


def _ip(a, b, w):
    return sum(wi * x * y for x, y, wi in zip(_fr(a), _fr(b), _fr(w)))


def _sd(a, b, w):
    return sum(wi * (x - y) ** 2 for x, y, wi in zip(_fr(a), _fr(b), _fr(w)))


def test_inner_and_sqdist_exact():
    # ⟨u, v⟩_w = 0.5·6 + 0.25·(−1) + 0.25·(−21.125) = −2.53125
    assert _ip(U, V, W) == Fraction(-81, 32)
    assert inner(np.array(U), np.array(V), np.array(W)) == float(_ip(U, V, W))
    assert sqdist(np.array(U), np.array(V), np.array(W)) == float(_sd(U, V, W))
    assert inner(np.array(U), np.array(U), np.array(W)) == sqdist(np.array(U), np.zeros(3), np.array(W))


def test_gap_exact_and_its_inner_product_form():
    fstar, y, fsw = U, V, P
    exact = _sd(y, fstar, W) - _sd(fsw, y, W) - _sd(fsw, fstar, W)
    ip = -2 * sum(wi * (f - p) * (yy - p) for f, yy, p, wi in zip(_fr(fstar), _fr(y), _fr(fsw), _fr(W)))
    assert exact == ip  # the three-point identity, in exact arithmetic
    assert gap(*(np.array(a) for a in (fstar, y, fsw, W))) == pytest.approx(float(exact), rel=1e-15)


def _exact(x: mpmath.mpf) -> Fraction:
    sign, man, exp, _ = x._mpf_  # x = (−1)^sign · man · 2^exp exactly
    return (-1) ** sign * Fraction(int(man)) * Fraction(2) ** exp


@pytest.mark.parametrize("dps", [1, 20, 50])
def test_gap_mp_matches_exact_rationals(dps):
    exact = _sd(V, U, W) - _sd(P, V, W) - _sd(P, U, W)
    g, ip = gap_mp(U, V, P, W, dps=dps)
    tol = Fraction(10) ** (2 - dps) * (1 + abs(exact))
    for value in (g, ip):
        assert isinstance(value, mpmath.mpf)
        assert abs(_exact(value) - exact) <= tol


def test_gap_mp_is_exact_where_float64_cancels():
    # terms of size 1e16 whose gap is O(1): 50 digits hold every term exactly
    fstar, y, fsw, w = [0.0, 0.0], [1e8 + 1, 1.0], [1e8, 0.5], [0.5, 0.5]
    exact = _sd(y, fstar, w) - _sd(fsw, y, w) - _sd(fsw, fstar, w)
    ip = -2 * sum(wi * (f - p) * (yy - p) for f, yy, p, wi in zip(_fr(fstar), _fr(y), _fr(fsw), _fr(w)))
    # by hand: err(Y) = ½(1e8+1)² + ½, misfit = ½ + ⅛, err(f_sw) = ½·1e16 + ⅛, so gap = 1e8 + ¼
    assert exact == ip == Fraction(400000001, 4)
    g, ipm = gap_mp(fstar, y, fsw, w)
    assert _exact(g) == exact and _exact(ipm) == ip


def test_vectors_must_be_one_dimensional_and_share_the_weights_length():
    with pytest.raises(InvalidParameter) as e:
        inner(np.array(U)[:, None], np.array(V), np.array(W))
    assert e.value.name == "u"
    for bad in ([0.5, 0.5], [1.0]):
        with pytest.raises(InvalidParameter) as e:
            inner(np.array(U), np.array(V), np.array(bad))
        assert e.value.name == "w"

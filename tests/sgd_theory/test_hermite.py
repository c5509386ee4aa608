"""Hermite engine (spec sgd_dynamics.md §1.1): expected values are written out from the
spec or from first principles, never copied from the code under test."""
import math

import numpy as np
import pytest
import sympy as sp

from theory.sgd import hermite as th

z = th.Z


def test_hermite_polynomials_match_spec_list():
    assert sp.expand(th.h(2) - (z**2 - 1) / sp.sqrt(2)) == 0
    assert sp.expand(th.h(3) - (z**3 - 3 * z) / sp.sqrt(6)) == 0
    assert sp.expand(th.h(4) - (z**4 - 6 * z**2 + 3) / sp.sqrt(24)) == 0


@pytest.mark.parametrize("i", range(1, 7))
def test_derivative_rule(i):
    assert sp.expand(sp.diff(th.h(i), z) - sp.sqrt(i) * th.h(i - 1)) == 0


def test_gaussian_moments():
    assert [th.gaussian_moment(k) for k in range(7)] == [1, 0, 1, 0, 3, 0, 15]
    # E[Z 1{Z>0}] = 1/√(2π), E[Z² 1{Z>0}] = 1/2
    assert sp.simplify(th.half_moment(1) - 1 / sp.sqrt(2 * sp.pi)) == 0
    assert th.half_moment(2) == sp.Rational(1, 2)


def test_h3_squared_coefficients_and_ie():
    a = th.poly_coefficients(th.h(3) ** 2)
    expected = [1, 0, 3 * sp.sqrt(2), 0, 3 * sp.sqrt(6), 0, 2 * sp.sqrt(5)]
    assert all(sp.simplify(x - y) == 0 for x, y in zip(a, expected))
    assert th.information_exponent(th.poly_coefficients(th.h(3))) == 3
    assert th.ie_after_transform(lambda y: y**2, th.h(3)) == 2


def test_relu_coefficients_against_float_integrals():
    from scipy import integrate
    beta = [float(b) for b in th.relu_coefficients(6)]
    He = [lambda x: 1.0, lambda x: x, lambda x: x * x - 1, lambda x: x**3 - 3 * x, lambda x: x**4 - 6 * x**2 + 3,
          lambda x: x**5 - 10 * x**3 + 15 * x, lambda x: x**6 - 15 * x**4 + 45 * x**2 - 15]
    for i in range(7):
        val = integrate.quad(lambda x: x * He[i](x) * math.exp(-x * x / 2) / math.sqrt(2 * math.pi), 0, np.inf)[0]
        assert val / math.sqrt(math.factorial(i)) == pytest.approx(beta[i], abs=1e-12)


def test_pair_exponent_relu_blind_to_h3():
    assert th.pair_exponent(th.poly_coefficients(th.h(3), 6), th.relu_coefficients(6)) == sp.oo
    assert th.pair_exponent(th.poly_coefficients(th.h(2), 6), th.relu_coefficients(6)) == 2


@pytest.mark.parametrize("i,b", [(2, 0.5), (4, -1.0), (5, 1.5)])
def test_bias_formula_matches_quadrature(i, b):
    from numerics.sgd.montecarlo import quad_relu_coefficient
    formula = float(th.relu_bias_coefficient_formula(i, sp.Float(b)))
    assert quad_relu_coefficient(i, b) == pytest.approx(formula, abs=1e-12)


def test_criterion_examples():
    assert th.ie_le_2_criterion(lambda y: y**2, th.h(3))
    assert not th.ie_le_2_criterion(lambda y: y, th.h(3))


def test_bad_input():
    with pytest.raises(ValueError, match="parameter n=-1"):
        th.He(-1)
    with pytest.raises(ValueError, match="parameter i"):
        th.relu_bias_coefficient_formula(1, sp.Symbol("b"))

"""Exact Hermite engine (spec sgd_dynamics.md §1.1).

Convention: h_i = He_i/√(i!) (probabilists' Hermite, orthonormal under Z ~ N(0,1)).
Coefficients of a label link g: α_i = E[g(Z)h_i(Z)]; of an activation σ: β_i = E[σ(Z)h_i(Z)].
Everything here is exact (SymPy ``Rational``/``sqrt``/``pi``): Gaussian moments for
polynomials, half-line moments for ReLU (with or without a bias).
"""
from __future__ import annotations

from typing import Callable, Sequence

import sympy as sp

Z = sp.Symbol("z", real=True)
OO = sp.oo  # "no nonzero coefficient": the exponent is infinite


def He(n: int, z: sp.Expr = Z) -> sp.Expr:
    """Probabilists' Hermite polynomial He_n (He_0 = 1, He_1 = z, He_{n+1} = z He_n − n He_{n−1})."""
    _check_degree("n", n)
    a, b = sp.Integer(1), z
    if n == 0:
        return a
    for k in range(1, n):
        a, b = b, sp.expand(z * b - k * a)
    return b


def h(n: int, z: sp.Expr = Z) -> sp.Expr:
    """Normalised Hermite h_n = He_n/√(n!) (spec §1.1)."""
    return He(n, z) / sp.sqrt(sp.factorial(n))


def _check_degree(name: str, n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"parameter {name}={n!r} is invalid: allowed a non-negative integer")


def gaussian_moment(k: int) -> sp.Integer:
    """E[Z^k] for Z ~ N(0,1): (k−1)!! for even k, 0 for odd k."""
    return sp.Integer(0) if k % 2 else sp.factorial2(k - 1)


def half_moment(k: int) -> sp.Expr:
    """E[Z^k 1{Z>0}]: (k−1)!!/2 for even k, 2^{(k−1)/2}((k−1)/2)!/√(2π) for odd k."""
    if k % 2 == 0:
        return sp.factorial2(k - 1) / 2
    j = (k - 1) // 2
    return sp.Integer(2) ** j * sp.factorial(j) / sp.sqrt(2 * sp.pi)


def expect_poly(expr: sp.Expr, z: sp.Symbol = Z) -> sp.Expr:
    """E[p(Z)] for a polynomial p in ``z`` (other symbols are constants), exactly."""
    p = sp.Poly(sp.expand(expr), z)
    return sp.expand(sum(c * gaussian_moment(m[0]) for m, c in p.terms()))


def expect_poly_halfline(expr: sp.Expr, z: sp.Symbol = Z) -> sp.Expr:
    """E[p(Z) 1{Z>0}] for a polynomial p, exactly."""
    p = sp.Poly(sp.expand(expr), z)
    return sp.expand(sum(c * half_moment(m[0]) for m, c in p.terms()))


def poly_coefficients(g: sp.Expr, degree: int | None = None, z: sp.Symbol = Z) -> list[sp.Expr]:
    """α_0..α_degree of a polynomial link g (default degree = deg g), exact."""
    g = sp.expand(g)
    deg = sp.Poly(g, z).degree() if degree is None else degree
    _check_degree("degree", deg)
    return [_clean(expect_poly(sp.expand(g * h(i, z)), z)) for i in range(deg + 1)]


def _clean(e: sp.Expr) -> sp.Expr:
    """Canonical exact form of a coefficient (cheap path first)."""
    return sp.radsimp(sp.expand(e))


def relu_coefficient(i: int) -> sp.Expr:
    """β_i = E[max(Z,0) h_i(Z)] exactly (half-line moments)."""
    _check_degree("i", i)
    return _clean(expect_poly_halfline(Z * h(i), Z))


def relu_coefficients(n: int) -> list[sp.Expr]:
    """β_0..β_n of ReLU without bias (spec §1.1)."""
    return [relu_coefficient(i) for i in range(n + 1)]


def relu_bias_coefficient(i: int, b: sp.Expr) -> sp.Expr:
    """β_i(b) = E[max(Z+b, 0) h_i(Z)] by direct integration over z > −b (exact in b)."""
    _check_degree("i", i)
    dens = sp.exp(-Z**2 / 2) / sp.sqrt(2 * sp.pi)
    return sp.simplify(sp.integrate((Z + b) * h(i) * dens, (Z, -b, sp.oo)))


def relu_bias_coefficient_formula(i: int, b: sp.Expr) -> sp.Expr:
    """Closed form for i ≥ 2 (Stein twice: σ'' = δ): β_i(b) = φ(b) He_{i−2}(−b)/√(i!)."""
    if i < 2:
        raise ValueError(f"parameter i={i!r} is invalid: allowed an integer >= 2")
    return sp.exp(-b**2 / 2) / sp.sqrt(2 * sp.pi) * He(i - 2, -b) / sp.sqrt(sp.factorial(i))


def prove_bias_formula(i: int) -> tuple[bool, str]:
    """β_i(b) = E[max(Z+b,0)h_i(Z)] satisfies d²β_i/db² = h_i(−b)φ(b) (Leibniz: the boundary
    term vanishes since (z+b) = 0 at z = −b) and β_i, β_i' → 0 as b → −∞; the closed form
    φ(b)He_{i−2}(−b)/√(i!) satisfies the same, so they are equal.  Exact, by differentiation."""
    b = sp.Symbol("b", real=True)
    f = relu_bias_coefficient_formula(i, b)
    dens = sp.exp(-b**2 / 2) / sp.sqrt(2 * sp.pi)
    ode_ok = sp.simplify(sp.diff(f, b, 2) - h(i, -b) * dens) == 0
    lim_ok = sp.limit(f, b, -sp.oo) == 0 and sp.limit(sp.diff(f, b), b, -sp.oo) == 0
    return bool(ode_ok and lim_ok), f"β_{i}(b) = {sp.sstr(sp.simplify(f))}"


def information_exponent(alpha: Sequence[sp.Expr]) -> int | sp.Expr:
    """IE = min{i ≥ 1: α_i ≠ 0}; ``sympy.oo`` when none of the given i ≥ 1 is nonzero."""
    for i, a in enumerate(alpha):
        if i >= 1 and sp.simplify(a) != 0:
            return i
    return OO


def pair_exponent(alpha: Sequence[sp.Expr], beta: Sequence[sp.Expr]) -> int | sp.Expr:
    """p(g, σ) = min{i ≥ 1: α_i β_i ≠ 0} over the common range (spec §1.1)."""
    for i in range(1, min(len(alpha), len(beta))):
        if sp.simplify(alpha[i] * beta[i]) != 0:
            return i
    return OO


def correlation_function(alpha: Sequence[sp.Expr], beta: Sequence[sp.Expr], rho: sp.Symbol) -> sp.Expr:
    """φ(ρ) = Σ α_i β_i ρ^i (spec §1.1)."""
    return sp.expand(sum(a * b * rho**i for i, (a, b) in enumerate(zip(alpha, beta))))


def transform(T: Callable[[sp.Expr], sp.Expr], g: sp.Expr, centre: bool = True, z: sp.Symbol = Z) -> sp.Expr:
    """The transformed link T∘g, centred (ỹ = T(g) − E[T(g)]) when ``centre``."""
    tg = sp.expand(T(g))
    return sp.expand(tg - expect_poly(tg, z)) if centre else tg


def ie_after_transform(T: Callable[[sp.Expr], sp.Expr], g: sp.Expr) -> int | sp.Expr:
    """IE(T∘g) for polynomial T and g."""
    return information_exponent(poly_coefficients(transform(T, g, centre=False)))


def ie_le_2_criterion(T: Callable[[sp.Expr], sp.Expr], g: sp.Expr) -> bool:
    """§1.1: IE(T∘g) ≤ 2 iff E[T(g(Z))Z] ≠ 0 or E[T(g(Z))(Z²−1)] ≠ 0."""
    tg = sp.expand(T(g))
    return expect_poly(tg * Z) != 0 or expect_poly(tg * (Z**2 - 1)) != 0


# Spec §1.1 values, transcribed (used as the expected values of SGD-A9/A10).
SPEC_H3_SQUARED = (1, 0, 3 * sp.sqrt(2), 0, 3 * sp.sqrt(6), 0, 2 * sp.sqrt(5))
SPEC_RELU_BETA = (1 / sp.sqrt(2 * sp.pi), sp.Rational(1, 2), 1 / (2 * sp.sqrt(sp.pi)), 0,
                  -sp.sqrt(3) / (12 * sp.sqrt(sp.pi)), 0, sp.sqrt(10) / (40 * sp.sqrt(sp.pi)))

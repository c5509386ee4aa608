"""Exact Gaussian identities behind the overlap dynamics (spec §1.1, (E0), (E2)).

* A1: E[h_i(⟨u,x⟩)h_j(⟨v,x⟩)] = δ_ij c^i by a 2-D Gaussian integral (moments of two
  independent N(0,1) after Z_2 = cZ_1 + √(1−c²)X_2).
* (E0): the ReLU kernel κ(c) = Σβ_i²c^i = (√(1−c²) + (π − arccos c)c)/(2π).
* (E2): the tangent part of E[ỹσ'(⟨w,x⟩)x] is φ'(ρ)(θ − ρw), by Stein's lemma.
"""
from __future__ import annotations

from typing import Callable, Sequence

import sympy as sp

from .._proof import Proof
from .hermite import He, Z, expect_poly, gaussian_moment, h, relu_coefficients

C = sp.Symbol("c", real=True)
X1, X2 = sp.symbols("x1 x2", real=True)
S = sp.Symbol("s", positive=True)  # s = √(1−c²)


def expect_2d_poly(expr: sp.Expr, c: sp.Expr = C) -> sp.Expr:
    """E[p(X1, X2)] for independent standard normals X1, X2 with s² → 1 − c², exactly."""
    e = expect_poly(expect_poly(sp.expand(expr), X2), X1)
    return sp.expand(sp.expand(e).subs(S**2, 1 - c**2))


def pair_expectation(f: sp.Expr, g: sp.Expr, c: sp.Expr = C) -> sp.Expr:
    """E[f(Z1) g(Z2)] for standard normals with correlation c (f, g polynomials in ``Z``)."""
    z2 = c * X1 + S * X2
    e = expect_2d_poly(f.subs(Z, X1) * g.subs(Z, z2), c)
    return sp.expand(e.subs(S, sp.sqrt(1 - c**2)))


def _pair_expectation_He(i: int, j: int) -> sp.Expr:
    """E[He_i(Z1)He_j(Z2)] via integer polynomial arithmetic (fast path, exact)."""
    z2 = sp.Poly(C * X1 + S * X2, X1, X2, C, S)
    hi = sp.Poly(He(i, X1), X1, X2, C, S)
    pj = sp.Poly(He(j, X2), X2).all_coeffs()[::-1]
    acc = sp.Poly(0, X1, X2, C, S)
    power = sp.Poly(1, X1, X2, C, S)
    for k, coef in enumerate(pj):
        if k:
            power = power * z2
        if coef:
            acc = acc + power * coef
    prod = acc * hi
    total = sp.Integer(0)
    for (a, b, ce, se), coef in prod.terms():
        m = gaussian_moment(a) * gaussian_moment(b)
        if m:
            total += coef * m * C**ce * (1 - C**2) ** (se // 2) * S ** (se % 2)
    return sp.expand(total)


def prove_orthogonality(imax: int = 6, target: Callable[[int, int], sp.Expr] | None = None) -> Proof:
    """SGD-A1 symbolic: for all i, j ≤ imax, E[h_i(Z1)h_j(Z2)] − target(i, j) expands to 0,
    E[h_i h_j] = E[He_iHe_j]/√(i!j!) from exact 2-D Gaussian moments.  ``target`` (an
    expression in ``C``) defaults to δ_ij c^i; the claim passes its printed statement."""
    tgt = target or (lambda i, j: C**i if i == j else sp.Integer(0))
    bad = []
    for i in range(imax + 1):
        for j in range(imax + 1):
            lhs = _pair_expectation_He(i, j) / sp.sqrt(sp.factorial(i) * sp.factorial(j))
            diff = sp.expand(lhs - sp.sympify(tgt(i, j)))
            if diff != 0:
                bad.append((i, j, diff))
    n = (imax + 1) ** 2
    return Proof(not bad, "identity (2-D Gaussian moments, expand)",
                 f"E[h_i(<u,x>)h_j(<v,x>)] − statement = 0 for all {n} pairs i, j <= {imax}" if not bad
                 else f"fails at (i, j) = {bad[0][:2]}: residual {sp.sstr(bad[0][2])[:120]}", {"pairs": n})


# ---------------------------------------------------------------- ReLU kernel (E0)

def relu_kernel(c: sp.Expr = C) -> sp.Expr:
    """κ(c) = (√(1−c²) + (π − arccos c)c)/(2π) (E0)."""
    return (sp.sqrt(1 - c**2) + (sp.pi - sp.acos(c)) * c) / (2 * sp.pi)


def relu_kernel_prime(c: sp.Expr = C) -> sp.Expr:
    """κ'(c) = (π − arccos c)/(2π) (E0)."""
    return (sp.pi - sp.acos(c)) / (2 * sp.pi)


def prove_kernel_series(order: int = 12, kernel: sp.Expr | None = None) -> Proof:
    """SGD-A11 symbolic: the Taylor coefficients at c = 0 of ``kernel`` (default the closed form
    κ of (E0); the claim passes its printed statement) equal β_i² exactly for i ≤ order."""
    beta = relu_coefficients(order)
    k = relu_kernel(C) if kernel is None else kernel
    ser = sp.series(k, C, 0, order + 1).removeO()
    bad = [i for i in range(order + 1) if sp.simplify(ser.coeff(C, i) - beta[i] ** 2) != 0]
    ok = not bad
    return Proof(ok, "identity (series, simplify)",
                 f"[c^i]κ = β_i² for i <= {order}" if ok else f"[c^i]κ ≠ β_i² at i = {bad[:3]}")


def prove_kernel_prime_series(order: int = 12, kernel_prime: sp.Expr | None = None) -> Proof:
    """SGD-A11 symbolic: κ'(c) = Σ iβ_i²c^{i−1} (Taylor coefficients of ``kernel_prime``, default the
    closed form (π − arccos c)/(2π))."""
    beta = relu_coefficients(order + 1)
    kp = relu_kernel_prime(C) if kernel_prime is None else kernel_prime
    ser = sp.series(kp, C, 0, order + 1).removeO()
    bad = [i for i in range(order + 1) if sp.simplify(ser.coeff(C, i) - (i + 1) * beta[i + 1] ** 2) != 0]
    return Proof(not bad, "identity (series, simplify)",
                 f"[c^k]κ' = (k+1)β_(k+1)² for k <= {order}" if not bad else f"mismatch at k = {bad[:3]}")


def prove_kernel_prime_closed_form(kernel: sp.Expr) -> Proof:
    """(E0): d/dc ``kernel`` = (π − arccos c)/(2π) exactly."""
    dk = sp.simplify(sp.diff(kernel, C) - relu_kernel_prime(C))
    return Proof(dk == 0, "identity (simplify)", f"d/dc κ − (π − arccos c)/(2π) = {sp.sstr(dk)[:120]}")


def kernel_prime_truncation(degree: int = 6) -> sp.Expr:
    """Σ_{i=1}^{degree} iβ_i²c^{i−1} (spec A11: the degree-6 truncation)."""
    beta = relu_coefficients(degree)
    return sp.expand(sum(i * beta[i] ** 2 * C ** (i - 1) for i in range(1, degree + 1)))


# ---------------------------------------------------------------- (E2) spherical gradient

def relu_step_coefficients(n: int) -> list[sp.Expr]:
    """Hermite coefficients of σ' = 1{z>0}: E[σ'(Z)h_i(Z)] = √(i+1)β_{i+1} (Stein)."""
    beta = relu_coefficients(n + 1)
    return [sp.sqrt(i + 1) * beta[i + 1] for i in range(n + 1)]


def _series_pair(fcoef: Sequence[sp.Expr], gcoef: Sequence[sp.Expr], c: sp.Expr) -> sp.Expr:
    return sp.expand(sum(a * b * c**i for i, (a, b) in enumerate(zip(fcoef, gcoef))))


def gradient_components(link: sp.Expr, activation: str | sp.Expr, rho: sp.Expr = C) -> tuple[sp.Expr, sp.Expr]:
    """The (θ, e_⊥) coordinates of the tangent part of E[g(⟨θ,x⟩)σ'(⟨w,x⟩)x] for
    w = ρθ + √(1−ρ²)e_⊥, computed exactly.

    Polynomial σ: a direct 2-D Gaussian integral.  ReLU: x = ⟨θ,x⟩θ + ⟨e_⊥,x⟩e_⊥ + rest,
    ⟨e_⊥,x⟩ = (z_w − ρz_θ)/s, and E[F(z_θ)G(z_w)] = ΣF_iG_iρ^i (A1) with the exact
    Hermite coefficients of σ' = 1{z>0} and of zσ'(z) = σ(z).
    """
    s = sp.sqrt(1 - rho**2)
    if isinstance(activation, str):
        if activation != "relu":
            raise ValueError(f"parameter activation={activation!r} is invalid: allowed 'relu' or a polynomial in z")
        deg = sp.Poly(sp.expand(link * Z), Z).degree()
        gz = [expect_poly(sp.expand(link * Z) * h(i)) for i in range(deg + 1)]
        gg = [expect_poly(sp.expand(link) * h(i)) for i in range(deg + 1)]
        step = relu_step_coefficients(deg)
        beta = relu_coefficients(deg)
        e_theta = _series_pair(gz, step, rho)            # E[g(zθ)zθ σ'(zw)]
        e_w = _series_pair(gg, beta, rho)                 # E[g(zθ) zw σ'(zw)] = E[g σ]
    else:
        dsig = sp.diff(activation, Z)
        zt, zw = X1, rho * X1 + S * X2
        e_theta = expect_2d_poly(link.subs(Z, zt) * zt * dsig.subs(Z, zw), rho).subs(S, s)
        e_w = expect_2d_poly(link.subs(Z, zt) * zw * dsig.subs(Z, zw), rho).subs(S, s)
    v_theta = e_theta
    v_perp = (e_w - rho * e_theta) / s
    radial = rho * v_theta + s * v_perp                   # ⟨w, v⟩
    return sp.expand(v_theta - radial * rho), sp.expand(v_perp - radial * s)


def radial_component(link: sp.Expr, activation: str | sp.Expr, rho: sp.Expr = C) -> sp.Expr:
    """⟨w, E[g(⟨θ,x⟩)σ'(⟨w,x⟩)x]⟩ = E[g(z_θ) z_w σ'(z_w)] (nonzero in general: only the
    tangent part obeys (E2))."""
    if isinstance(activation, str):
        deg = sp.Poly(sp.expand(link), Z).degree()
        gg = [expect_poly(sp.expand(link) * h(i)) for i in range(deg + 1)]
        return _series_pair(gg, relu_coefficients(deg), rho)
    dsig = sp.diff(activation, Z)
    zw = rho * X1 + S * X2
    return expect_2d_poly(link.subs(Z, X1) * zw * dsig.subs(Z, zw), rho).subs(S, sp.sqrt(1 - rho**2))


def phi_of(link: sp.Expr, activation: str | sp.Expr, rho: sp.Expr = C) -> sp.Expr:
    """φ(ρ) = E[g(z_θ)σ(z_w)] = Σα_iβ_iρ^i exactly."""
    deg = sp.Poly(sp.expand(link), Z).degree()
    alpha = [expect_poly(sp.expand(link) * h(i)) for i in range(deg + 1)]
    if isinstance(activation, str):
        beta = relu_coefficients(deg)
    else:
        beta = [expect_poly(sp.expand(activation) * h(i)) for i in range(deg + 1)]
    return _series_pair(alpha, beta, rho)


def prove_spherical_gradient(link: sp.Expr, activation: str | sp.Expr, label: str = "",
                             target: Callable[[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]] | None = None) -> Proof:
    """SGD-A2 symbolic: tangent part = target(φ'(ρ), ρ) in the (θ, e_⊥) basis; ``target``
    defaults to (E2), φ'(ρ)(1−ρ², −ρ√(1−ρ²)); the claim passes its printed statement."""
    vt, vp = gradient_components(link, activation, C)
    dphi = sp.diff(phi_of(link, activation, C), C)
    s = sp.sqrt(1 - C**2)
    t1, t2 = target(dphi, C) if target is not None else (dphi * (1 - C**2), -dphi * C * s)
    r1 = sp.simplify(vt - t1)
    r2 = sp.simplify(vp - t2)
    ok = r1 == 0 and r2 == 0
    return Proof(ok, "identity (Stein / Hermite series, simplify)",
                 f"{label}: tangent E[ỹσ'x] − statement = ({sp.sstr(r1)[:60]}, {sp.sstr(r2)[:60]})")

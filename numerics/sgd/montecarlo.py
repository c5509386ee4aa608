"""Monte Carlo and Gaussian-quadrature estimators for the exact SGD identities
(spec sgd_dynamics.md §1.1, (E0), (E2); claims SGD-A1, A2, A9–A11).

Everything is numpy/scipy; Hermite polynomials are evaluated with
``numpy.polynomial.hermite_e`` (h_i = He_i/√(i!)).  Monte Carlo estimators return
(mean, standard error); quadrature is exact for polynomials up to degree 2·nodes − 1.
"""
from __future__ import annotations

from math import factorial, sqrt
from typing import Sequence

import numpy as np
from numpy.polynomial import hermite_e as He
from numpy.polynomial import polynomial as P
from scipy import integrate

from .._validate import InvalidParameter, check_array, check_int, check_psd, check_real

#: Validation is done once at each public entry (scalars, shapes, finiteness); the internal loops
#: call the unchecked ``_h``/``_series`` below, never the public functions, so nothing is
#: validated per chunk or per element.
_NODES_MAX = 400


def _check_z(z) -> np.ndarray:
    """Evaluation points: a finite real array of any shape (a scalar included)."""
    return check_array("z", z, min_size=0)


def _check_coefs(name: str, a) -> np.ndarray:
    """A non-empty 1-d finite coefficient vector."""
    return check_array(name, a, ndim=1, min_size=1)


def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InvalidParameter("rng", type(rng).__name__, "a numpy.random.Generator")
    return rng


def _check_exact_nodes(nodes: int, degree: int, what: str) -> int:
    """Gauss–Hermite with ``nodes`` points is exact for degree < 2·nodes: require it."""
    need = degree // 2 + 1
    nodes = check_int("nodes", nodes, 1, _NODES_MAX)
    if nodes < need:
        raise InvalidParameter("nodes", nodes, f"an integer >= {need} (exactness for {what} of degree {degree} "
                                               f"needs degree < 2·nodes) and <= {_NODES_MAX}")
    return nodes


def _h(i: int, z: np.ndarray) -> np.ndarray:
    """Unchecked h_i(z) (internal)."""
    c = np.zeros(i + 1)
    c[i] = 1.0 / sqrt(factorial(i))
    return He.hermeval(z, c)


def _series_coefs(a: np.ndarray) -> np.ndarray:
    return a / np.sqrt([float(factorial(i)) for i in range(a.size)])


def hermite_h(i: int, z) -> np.ndarray:
    """h_i(z) = He_i(z)/√(i!)."""
    i = check_int("i", i, 0, 60)
    return _h(i, _check_z(z))


def hermite_stack(imax: int, z) -> np.ndarray:
    """h_0(z)..h_imax(z) stacked (imax+1, *z.shape), by the recurrence He_{k+1} = zHe_k − kHe_{k−1}."""
    imax = check_int("imax", imax, 0, 60)
    z = _check_z(z)
    out = np.empty((imax + 1,) + z.shape)
    out[0] = 1.0
    if imax >= 1:
        out[1] = z
    for k in range(1, imax):
        out[k + 1] = z * out[k] - k * out[k - 1]
    out /= np.sqrt([float(factorial(i)) for i in range(imax + 1)]).reshape((-1,) + (1,) * z.ndim)
    return out


def hermite_series(alpha: Sequence[float], z) -> np.ndarray:
    """Σ α_i h_i(z) (``alpha``: a non-empty finite 1-d vector, at most 61 terms)."""
    a = _check_coefs("alpha", alpha)
    if a.size > 61:
        raise InvalidParameter("alpha", f"<{a.size} coefficients>", "at most 61 coefficients (degree <= 60)")
    return He.hermeval(_check_z(z), _series_coefs(a))


def _mean_se(x: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[axis]
    return x.mean(axis=axis), x.std(axis=axis, ddof=1) / np.sqrt(n)


def _chunks(n: int, chunk: int):
    done = 0
    while done < n:
        k = min(chunk, n - done)
        yield k
        done += k


def mc_hermite_pairs(imax: int, c: float, n: int, rng: np.random.Generator,
                     chunk: int = 250_000) -> tuple[np.ndarray, np.ndarray]:
    """E[h_i(Z1)h_j(Z2)] for corr(Z1, Z2) = c, all i, j <= imax: (mean, se) matrices.
    (Z1, Z2) = (⟨u,x⟩, ⟨v,x⟩) with x ~ N(0, I_2), u = e_1, v = (c, √(1−c²)).  (SGD-A1)"""
    imax = check_int("imax", imax, 0, 12)
    c = check_real("c", c, -1.0, 1.0)
    n = check_int("n", n, 2)
    chunk = check_int("chunk", chunk, 1)
    rng = _check_rng(rng)
    s1 = np.zeros((imax + 1, imax + 1))
    s2 = np.zeros_like(s1)
    s = sqrt(max(1 - c * c, 0.0))
    for k in _chunks(n, chunk):
        x = rng.standard_normal((2, k))
        z1, z2 = x[0], c * x[0] + s * x[1]
        H1 = np.stack([_h(i, z1) for i in range(imax + 1)])
        H2 = np.stack([_h(i, z2) for i in range(imax + 1)])
        for i in range(imax + 1):
            prod = H1[i][None, :] * H2
            s1[i] += prod.sum(axis=1)
            s2[i] += (prod * prod).sum(axis=1)
    mean = s1 / n
    var = (s2 / n - mean**2) * n / (n - 1)
    return mean, np.sqrt(np.maximum(var, 0) / n)


def mom_block_count(false_alarm: float, n_tests: int = 1) -> int:
    """Blocks k = ⌈8 ln(n_tests/α)⌉ of a median-of-means estimate: with block means of m
    samples, Chebyshev gives P(|block mean − μ| > 2σ/√m) <= 1/4 and Hoeffding over the k
    independent blocks P(|median − μ| > 2σ/√m) <= e^{−k/8} <= α/n_tests, for any law with
    variance σ² (no normal approximation; heavy tails allowed).  [DERIVED, standard]"""
    false_alarm = check_real("false_alarm", false_alarm, 0.0, 1.0, low_open=True, high_open=True)
    n_tests = check_int("n_tests", n_tests, 1)
    return int(np.ceil(8 * np.log(n_tests / false_alarm)))


def mom_halfwidth(second_moment, n: int, blocks: int) -> np.ndarray:
    """2·√(M2/m), m = n // blocks: the median-of-means half-width for a variance bound M2
    (here the exact second moment E[X²] >= Var X, from quadrature)."""
    m = check_int("n", n, 2) // check_int("blocks", blocks, 1)
    if m < 1:
        raise InvalidParameter("n", n, f"an integer >= blocks = {blocks}")
    a = check_array("second_moment", second_moment, min_size=1)
    # a variance bound is >= 0: only rounding below 0 (relative 1e-12) is clipped, not a wrong sign
    if np.any(a < -1e-12 * max(1.0, float(np.abs(a).max()))):
        raise InvalidParameter("second_moment", "<array>", "finite reals >= 0 (a variance bound)")
    return 2.0 * np.sqrt(np.maximum(a, 0.0) / m)


def mc_hermite_pairs_mom(imax: int, c: float, n: int, blocks: int, rng: np.random.Generator) -> np.ndarray:
    """Median over ``blocks`` independent block means (m = n // blocks samples each) of
    h_i(Z1)h_j(Z2), corr(Z1, Z2) = c, all i, j <= imax (SGD-A1; see :func:`mom_block_count`)."""
    imax = check_int("imax", imax, 0, 12)
    c = check_real("c", c, -1.0, 1.0)
    rng = _check_rng(rng)
    blocks = check_int("blocks", blocks, 1)
    m = check_int("n", n, 2) // blocks
    if m < 2:
        raise InvalidParameter("n", n, f"an integer >= 2·blocks = {2 * blocks}")
    means = np.stack([mc_hermite_pairs(imax, c, m, rng)[0] for _ in range(blocks)])
    return np.median(means, axis=0)


def quad_hermite_pair_second_moments(imax: int, c: float, nodes: int = 32) -> np.ndarray:
    """E[h_i(Z1)²h_j(Z2)²], corr c, i, j <= imax, by tensor Gauss–Hermite quadrature (exact up
    to rounding for 4·imax < 2·nodes): the variance bound of the SGD-A1 Monte Carlo."""
    imax = check_int("imax", imax, 0, 12)
    c = check_real("c", c, -1.0, 1.0)
    nodes = check_int("nodes", nodes, 2 * imax + 1, 200)
    x, w = He.hermegauss(nodes)
    w = w / np.sqrt(2 * np.pi)
    X1, X2 = np.meshgrid(x, x, indexing="ij")
    W = np.outer(w, w)
    z2 = c * X1 + sqrt(max(0.0, 1.0 - c * c)) * X2
    H1 = [_h(i, X1) ** 2 for i in range(imax + 1)]
    H2 = [_h(j, z2) ** 2 for j in range(imax + 1)]
    return np.array([[float(np.sum(W * a * b)) for b in H2] for a in H1])


def gh_moment(f, nodes: int = 64) -> float:
    """E[f(Z)] for Z ~ N(0,1) by Gauss–Hermite quadrature (exact for polynomials f of degree
    < 2·nodes up to rounding); ``f`` is vectorised."""
    if not callable(f):
        raise InvalidParameter("f", type(f).__name__, "a vectorised callable f(z)")
    nodes = check_int("nodes", nodes, 1, _NODES_MAX)
    x, w = He.hermegauss(nodes)
    fx = np.asarray(f(x), dtype=float)
    if fx.ndim == 0:
        fx = np.full(x.shape, float(fx))
    if fx.shape != x.shape or not np.all(np.isfinite(fx)):
        raise InvalidParameter("f", "<callable>", f"a vectorised callable returning {nodes} finite values at the nodes")
    return float(np.sum(w * fx) / np.sqrt(2 * np.pi))


def quad_pair_expectation(i: int, j: int, cov: np.ndarray, nodes: int = 40) -> float:
    """E[h_i(Z1)h_j(Z2)] for (Z1, Z2) ~ N(0, cov), by tensor Gauss–Hermite quadrature
    (exact for i + j < 2·nodes, which is required).  Used for non-isotropic x (spiked covariance).

    The 2×2 factor is built in closed form, Z1 = s1·X1, Z2 = s2·(r·X1 + √(1−r²)·X2) with
    r = cov12/(s1·s2) clipped to [−1, 1], so a singular (|r| = 1) covariance is exact too;
    a covariance that is not finite, not 2×2, asymmetric or not PSD beyond rounding
    (``numerics.check_psd``, relative tolerance 1e-14 ≈ 45 ulp, so |r| = 1 + 1e-13 is refused)
    raises ``InvalidParameter``."""
    i = check_int("i", i, 0, 60)
    j = check_int("j", j, 0, 60)
    nodes = _check_exact_nodes(nodes, i + j, "h_i·h_j")
    cov = check_array("cov", cov, finite=False)
    if cov.shape != (2, 2) or not np.all(np.isfinite(cov)):
        raise InvalidParameter("cov", "<matrix>", "a finite symmetric positive semi-definite 2x2 matrix")
    cov = check_psd("cov", cov, tol=1e-14)
    s1, s2 = sqrt(max(cov[0, 0], 0.0)), sqrt(max(cov[1, 1], 0.0))
    r = float(np.clip(cov[0, 1] / (s1 * s2), -1.0, 1.0)) if s1 * s2 > 0 else 0.0
    x, w = He.hermegauss(nodes)
    w = w / np.sqrt(2 * np.pi)
    X1, X2 = np.meshgrid(x, x, indexing="ij")
    W = np.outer(w, w)
    z1 = s1 * X1
    z2 = s2 * (r * X1 + sqrt(max(0.0, 1.0 - r * r)) * X2)
    return float(np.sum(W * _h(i, z1) * _h(j, z2)))


def _activation(name_or_alpha) -> tuple:
    """(σ, σ') for 'relu' or a Hermite series Σβ_ih_i."""
    if isinstance(name_or_alpha, str):
        if name_or_alpha != "relu":
            raise InvalidParameter("activation", name_or_alpha, "'relu' or Hermite coefficients (β_0, β_1, …)")
        return (lambda z: np.maximum(z, 0.0)), (lambda z: (z > 0).astype(float))
    try:
        b = check_array("activation", name_or_alpha, ndim=1, min_size=1)
    except InvalidParameter:
        raise InvalidParameter("activation", "<array>", "'relu' or Hermite coefficients (β_0, β_1, …): a "
                                                       "non-empty finite 1-d vector") from None
    c = _series_coefs(b)
    dc = He.hermeder(c) if c.size > 1 else np.zeros(1)
    return (lambda z: He.hermeval(z, c)), (lambda z: He.hermeval(z, dc))


def mc_spherical_gradient(alpha: Sequence[float], activation, rho: float, n: int, rng: np.random.Generator,
                          chunk: int = 500_000) -> dict[str, np.ndarray]:
    """Monte Carlo of E[g(⟨θ,x⟩)σ'(⟨w,x⟩)x] for w = ρθ + √(1−ρ²)e_⊥, g = Σα_ih_i, in the
    (θ, e_⊥) basis: ``tangent`` (mean, se) of (I − wwᵀ)·, and ``radial`` (mean, se) of ⟨w,·⟩.
    (SGD-A2, (E2))"""
    ca = _series_coefs(_check_coefs("alpha", alpha))
    rho = check_real("rho", rho, -1.0, 1.0)
    n = check_int("n", n, 2)
    chunk = check_int("chunk", chunk, 1)
    rng = _check_rng(rng)
    _, dsig = _activation(activation)
    s = sqrt(1 - rho * rho)
    w = np.array([rho, s])
    acc = np.zeros(3)
    acc2 = np.zeros(3)
    for k in _chunks(n, chunk):
        x = rng.standard_normal((2, k))
        zw = rho * x[0] + s * x[1]
        G = He.hermeval(x[0], ca) * dsig(zw) * x       # (2, k)
        rad = w @ G
        tan = G - np.outer(w, rad)
        stack = np.vstack([tan, rad[None, :]])
        acc += stack.sum(axis=1)
        acc2 += (stack * stack).sum(axis=1)
    mean = acc / n
    se = np.sqrt(np.maximum(acc2 / n - mean**2, 0) * n / (n - 1) / n)
    return {"tangent": (mean[:2], se[:2]), "radial": (mean[2], se[2])}


def mc_relu_coefficients(imax: int, n: int, rng: np.random.Generator, bias: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """β_i(b) = E[max(Z+b, 0)h_i(Z)], i <= imax, by Monte Carlo: (mean, se).  (SGD-A10)"""
    imax = check_int("imax", imax, 0, 20)
    n = check_int("n", n, 2)
    rng = _check_rng(rng)
    bias = check_real("bias", bias)
    z = rng.standard_normal(n)
    X = np.maximum(z + bias, 0.0) * hermite_stack(imax, z)
    return _mean_se(X, axis=1)


def quad_relu_coefficient(i: int, bias: float) -> float:
    """β_i(b) = ∫_{−b}^{∞}(z+b)h_i(z)φ(z)dz by adaptive quadrature (independent of SymPy)."""
    i = check_int("i", i, 0, 40)
    b = check_real("bias", bias, -50.0, 50.0)
    f = lambda z: (z + b) * float(_h(i, z)) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    val, _ = integrate.quad(f, -b, np.inf, epsabs=1e-14, epsrel=1e-12, limit=200)
    return float(val)


def mc_relu_kernel(c: float, n: int, rng: np.random.Generator) -> tuple[float, float]:
    """E[σ(Z1)σ(Z2)] for ReLU σ and corr c, by Monte Carlo: (mean, se).  (SGD-A11)"""
    c = check_real("c", c, -1.0, 1.0)
    n = check_int("n", n, 2)
    rng = _check_rng(rng)
    x = rng.standard_normal((2, n))
    v = np.maximum(x[0], 0) * np.maximum(c * x[0] + sqrt(1 - c * c) * x[1], 0)
    m, s = _mean_se(v)
    return float(m), float(s)


def gh_expectation(poly: Sequence[float], nodes: int = 64) -> float:
    """E[p(Z)] for a power-series polynomial p (coefficients low → high), by Gauss–Hermite
    quadrature (exact for deg p < 2·nodes up to rounding, which is required)."""
    p = _check_coefs("poly", poly)
    nodes = _check_exact_nodes(nodes, p.size - 1, "p")
    x, w = He.hermegauss(nodes)
    return float(np.sum(w * P.polyval(x, p)) / np.sqrt(2 * np.pi))


def compose(T: Sequence[float], g: Sequence[float]) -> np.ndarray:
    """Power-series coefficients of T(g(z)) for power-series T and g (non-empty finite 1-d)."""
    T = _check_coefs("T", T)
    g = _check_coefs("g", g)
    out = np.zeros(1)
    gp = np.ones(1)
    for k, t in enumerate(T):
        if k:
            gp = P.polymul(gp, g)
        out = P.polyadd(out, t * gp)
    return out


def hermite_coefficients_quadrature(poly: Sequence[float], imax: int, nodes: int = 64) -> np.ndarray:
    """α_i = E[p(Z)h_i(Z)], i <= imax, by quadrature (a float cross-check of the SymPy engine;
    exact, as required, for deg p + imax < 2·nodes)."""
    p = _check_coefs("poly", poly)
    imax = check_int("imax", imax, 0, 60)
    nodes = _check_exact_nodes(nodes, p.size - 1 + imax, "p·h_imax")
    x, w = He.hermegauss(nodes)
    px = P.polyval(x, p)
    return np.array([np.sum(w * px * _h(i, x)) for i in range(imax + 1)]) / np.sqrt(2 * np.pi)

"""Population predictions used to judge the SGD simulator (spec sgd_dynamics.md (E3), (E5), (E11)).

A small private helper of the simulation claims (the exact ODE engine lives in
``numerics.sgd.ode``): Hermite coefficients of the centred (transformed) label by
Gauss–Hermite quadrature (exact for polynomial links), φ'(ρ), the noise coefficient
C(ρ) = E[ỹ² σ'(<w,x>)²] by 2-D quadrature, and the scalar overlap ODE
    dρ/dt = φ'(ρ)(1 − ρ²) − (ηd/2) C(ρ) ρ        ((E3) at ηd = 0, (E11) otherwise)
integrated with scipy at rtol 1e-10.  Hermite activations only (polynomial σ).
"""
from __future__ import annotations

import math

import numpy as np
from numpy.polynomial import hermite_e as He
from scipy.integrate import solve_ivp

from .._validate import InvalidParameter, check_array, check_real
from .sim_common import hermite_coeffs, hermite_derivative, hermite_eval

_NODES, _W = He.hermegauss(40)
_W = _W / _W.sum()
DEG = 14


def label_coeffs(alpha, transform: str = "id") -> np.ndarray:
    """Coefficients c_0..c_14 of the centred label ỹ = T(Σ α_i h_i(z)) − E[·] on h_i."""
    a = hermite_coeffs("alpha", alpha)
    if transform not in ("id", "square"):
        raise InvalidParameter("transform", transform, "one of id, square")
    y = hermite_eval(a, _NODES)
    if transform == "square":
        y = y * y
    y = y - np.sum(_W * y)
    out = np.zeros(DEG + 1)
    he_prev, he = np.ones_like(_NODES), _NODES.copy()
    out[1] = np.sum(_W * y * he)
    fact = 1.0
    for n in range(1, DEG):
        he_prev, he = he, _NODES * he - n * he_prev
        fact *= n + 1
        out[n + 1] = np.sum(_W * y * he) / math.sqrt(fact)
    out[np.abs(out) < 1e-13] = 0.0
    return out


def _rho(rho, name: str = "rho") -> np.ndarray:
    """Overlaps in [−1, 1]; rounding up to 1e-12 outside is clipped, anything more is an error."""
    r = np.asarray(rho, dtype=float)
    if not np.all(np.abs(r) <= 1.0 + 1e-12):
        raise InvalidParameter(name, float(r) if r.ndim == 0 else "<array>", "overlap(s) in [-1, 1]")
    return np.clip(r, -1.0, 1.0)


def _c(c) -> np.ndarray:
    return check_array("c", c, shape=(DEG + 1,))


def phi(rho, c: np.ndarray, beta) -> np.ndarray:
    """φ(ρ) = Σ c_i β_i ρ^i (spec §1.1, (E2)); ``c`` from :func:`label_coeffs` (length 15)."""
    rho, c = _rho(rho), _c(c)
    b = np.zeros(DEG + 1)
    bb = hermite_coeffs("beta", beta)
    b[: bb.size] = bb
    return sum(c[i] * b[i] * np.asarray(rho, float) ** i for i in range(DEG + 1))


def phi_prime(rho, c: np.ndarray, beta) -> np.ndarray:
    """φ'(ρ) = Σ i c_i β_i ρ^{i−1}."""
    rho, c = _rho(rho), _c(c)
    b = np.zeros(DEG + 1)
    bb = hermite_coeffs("beta", beta)
    b[: bb.size] = bb
    return sum(i * c[i] * b[i] * np.asarray(rho, float) ** (i - 1) for i in range(1, DEG + 1))


def noise_c(rho: float, c: np.ndarray, beta) -> float:
    """C(ρ) = E[ỹ(z)² σ'(ρ z + √(1−ρ²) ξ)²] with z, ξ iid N(0,1) (spec §2.5)."""
    rho, c = float(_rho(rho)), _c(c)
    db = hermite_derivative(hermite_coeffs("beta", beta))
    z, xi = np.meshgrid(_NODES, _NODES, indexing="ij")
    w = np.outer(_W, _W)
    y = np.zeros_like(z)
    he_prev, he = np.ones_like(z), z.copy()
    y += c[0] + c[1] * z
    fact = 1.0
    for n in range(1, DEG):
        he_prev, he = he, z * he - n * he_prev
        fact *= n + 1
        y += c[n + 1] * he / math.sqrt(fact)
    s = math.sqrt(max(0.0, 1 - rho * rho))
    dp = hermite_eval(db, rho * z + s * xi)
    return float(np.sum(w * y * y * dp * dp))


def flow(rho0: float, times, c: np.ndarray, beta, eta_d: float = 0.0, sign: float = 1.0) -> np.ndarray:
    """ρ(t) at ``times`` under (E3) (eta_d = 0) or (E11) (eta_d = ηd/B); ``sign`` = a ∈ {−1, +1}."""
    rho0 = float(_rho(rho0, "rho0"))
    times = np.atleast_1d(check_array("times", times, min_size=1))
    if np.any(times < 0):
        raise InvalidParameter("times", "<array>", "times >= 0")
    c = _c(c)
    hermite_coeffs("beta", beta)
    eta_d = check_real("eta_d", eta_d, 0.0, None)
    if sign not in (1, -1, 1.0, -1.0):
        raise InvalidParameter("sign", sign, "+1 or -1 (the readout sign a)")

    def rhs(_t, r):
        x = float(np.clip(r[0], -1.0, 1.0))
        out = sign * phi_prime(x, c, beta) * (1 - x * x)
        if eta_d:
            out -= 0.5 * eta_d * noise_c(x, c, beta) * x
        return [out]

    if times.max() == 0:
        return np.full(times.shape, float(rho0))
    sol = solve_ivp(rhs, (0.0, float(times.max())), [float(rho0)], t_eval=np.sort(times), rtol=1e-10,
                    atol=1e-12, method="DOP853")
    out = np.empty(times.shape)
    out[np.argsort(times)] = sol.y[0]
    return out


def forgetting_e5(rho0, rho_t) -> np.ndarray:
    """F = 1 − cos²(ψ0 − ψ(t)), ψ = arccos ρ (spec (E5))."""
    rho0, rho_t = _rho(rho0, "rho0"), _rho(rho_t, "rho_t")
    q = np.cos(np.arccos(rho0) - np.arccos(rho_t))
    return 1.0 - q * q

"""Population ODE integrators for the SGD overlap dynamics (spec sgd_dynamics.md §2).

All integrators use ``scipy.integrate.solve_ivp`` with DOP853 at rtol 1e-12, atol 1e-14
by default (enough to check the closed forms (E7)/(E12) to relative error 1e-8).

Conventions: the correlation function is given by its power-series coefficients
``coeffs`` = (c_0, c_1, …) with φ(ρ) = Σ c_i ρ^i, c_i = α_iβ_i (spec §1.1); ``a`` = sgn(a_j).

Public API (stable; the finite-d simulators call it for ODE prediction curves):

``integrate_overlap(coeffs, rho0, t_grid, *, a=1.0, eta_d=0.0, C=None, batch=1, rtol=1e-12, atol=1e-14,
method="DOP853", variable="v")``
    (E3) dρ/dt = aφ'(ρ)(1−ρ²), or with ``eta_d`` > 0 the finite-d corrected (E11)
    dρ/dt = aφ'(ρ)(1−ρ²) − (ηd/(2B))C(ρ)ρ, where ``C`` is a callable C(ρ) (vectorised) or
    power-series coefficients of C.  ``rho0``: scalar or 1-d array of starts (decoupled
    neurons).  Returns ρ(t) with shape (len(t_grid),) or (len(t_grid), n).  By default the
    state is v = artanh ρ (|ρ| <= 1 exactly, not stiff at ρ → ±1); ``variable="rho"``
    integrates ρ directly.

``hitting_time(coeffs, rho0, level=0.9, *, a=1.0, t_max=1e9, eta_d=0.0, C=None, batch=1)``
    The first t with ρ(t) = level (event-located), ``inf`` if not reached by t_max.  (E8)

``integrate_overlap_vector(coeffs, w0, theta, t_grid, *, a=1.0)``
    The vector flow (E3) dw/dt = aφ'(⟨w,θ⟩)(θ − ⟨w,θ⟩w) in R^d; returns W of shape (T, d).

``plane_metrics(w0, theta, W, U_k=None)``
    For trajectories W (T, d): dict with ``rho`` ⟨w,θ⟩, ``q`` = ⟨w,w0⟩, ``F`` = 1−q²,
    ``out_of_plane`` = ‖w − Π_{span(w0,θ)}w‖ and, with a basis U_k (d×r, orthonormal
    columns), ``occupancy`` = ‖U_kᵀw‖².  (E4)–(E6)

``forgetting(rho0, rho)``
    F = sin²(ψ_0 − ψ) for the plane-invariant flow (E5) (stable form, no 1 − q² cancellation).

``integrate_mse_ode(a0, W0, theta, t_grid, coeffs, *, kernel="relu", tau_a=1.0, frozen=None)``
    The multi-neuron MSE ODE (E10): da_j/dt = τ_a[φ(ρ_j) − Σ_l a_lκ(c_jl)],
    dw_j/dt = a_j[φ'(ρ_j)(θ−ρ_jw_j) − Σ_{l≠j}a_lκ'(c_jl)(w_l − c_jlw_j)].
    ``kernel="relu"`` uses the exact arc-cosine kernel (E0); an array of coefficients
    (β_0², β_1², …) gives the polynomial kernel κ(c) = Σβ_i²c^i.  ``frozen`` (bool mask of
    length m) freezes those readouts (H4 gating).  Returns (A, W): shapes (T, m), (T, m, d).

``relu_kernel(c)``, ``relu_kernel_prime(c)``: κ and κ' of (E0), vectorised.

Bad input raises :class:`numerics.InvalidParameter` naming the parameter and its range.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy.integrate import solve_ivp

from .._validate import InvalidParameter, check_int, check_real

RTOL, ATOL, METHOD = 1e-12, 1e-14, "DOP853"

__all__ = ["forgetting", "hitting_time", "integrate_mse_ode", "integrate_overlap", "integrate_overlap_vector",
           "plane_metrics", "relu_kernel", "relu_kernel_prime", "unit_frame"]


# ---------------------------------------------------------------- validation helpers

def _coeffs(coeffs: Sequence[float], name: str = "coeffs") -> np.ndarray:
    c = np.asarray(coeffs, dtype=float)
    if c.ndim != 1 or c.size == 0 or not np.all(np.isfinite(c)):
        raise InvalidParameter(name, "<array>", "a non-empty 1-d sequence of finite power-series coefficients")
    return c


def _rho0(rho0) -> np.ndarray:
    r = np.atleast_1d(np.asarray(rho0, dtype=float))
    if r.ndim != 1 or not np.all(np.isfinite(r)) or np.any(np.abs(r) > 1):
        shown = float(r.flat[np.argmax(np.abs(r))]) if r.size and np.all(np.isfinite(r)) else "<array>"
        raise InvalidParameter("rho0", shown, "real(s) in [-1, 1] (|ρ| <= 1)")
    return r


def _t_grid(t_grid) -> np.ndarray:
    t = np.atleast_1d(np.asarray(t_grid, dtype=float))
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)) or t[0] < 0 or np.any(np.diff(t) < 0):
        raise InvalidParameter("t_grid", "<array>", "a non-empty, non-decreasing 1-d grid of times >= 0")
    return t


def _tols(rtol, atol, method: str = METHOD) -> tuple[float, float, str]:
    from scipy.integrate._ivp.ivp import METHODS
    rtol = check_real("rtol", rtol, 0.0, 1.0, low_open=True)
    atol = check_real("atol", atol, 0.0, None, low_open=True)
    if method not in METHODS:
        raise InvalidParameter("method", method, "one of " + ", ".join(METHODS))
    return rtol, atol, method


def _sign(a: float) -> float:
    return check_real("a", a, -1e300, 1e300)


def _unit(name: str, v, d_min: int = 2) -> np.ndarray:
    x = np.asarray(v, dtype=float)
    if x.ndim != 1 or x.size < d_min:
        raise InvalidParameter(f"{name}.shape", x.shape, f"a 1-d vector of dimension d >= {d_min}")
    n = np.linalg.norm(x)
    if not np.isfinite(n) or abs(n - 1) > 1e-9:
        raise InvalidParameter(f"norm({name})", float(n), "1 (a unit vector, within 1e-9)")
    return x


def _poly(c: np.ndarray) -> tuple[Callable, Callable]:
    dc = np.arange(1, c.size) * c[1:] if c.size > 1 else np.zeros(1)
    return (lambda r: np.polynomial.polynomial.polyval(r, c)), (lambda r: np.polynomial.polynomial.polyval(r, dc))


def _correction(eta_d: float, C, batch: int) -> Callable | None:
    eta_d = check_real("eta_d", eta_d, 0.0)
    batch = check_int("batch", batch, 1)
    if eta_d == 0.0:
        return None
    if C is None:
        raise InvalidParameter("C", None, "a callable C(ρ) or power-series coefficients when eta_d > 0")
    Cf = C if callable(C) else _poly(_coeffs(C, "C"))[0]
    k = eta_d / (2.0 * batch)
    return lambda r: k * Cf(r) * r


# ---------------------------------------------------------------- scalar overlap flow (E3)/(E11)

def _overlap_rhs(coeffs, a, eta_d, C, batch, variable: str = "v"):
    """Right-hand side in ρ, or in v = artanh ρ (dv/dt = (dρ/dt)/(1−ρ²)), which keeps
    |ρ| <= 1 exactly and is not stiff near the attracting ρ = ±1."""
    c = _coeffs(coeffs)
    a = _sign(a)
    _, dphi = _poly(c)
    corr = _correction(eta_d, C, batch)
    if variable == "rho":
        def rhs(_t, r):
            out = a * dphi(r) * (1.0 - r * r)
            if corr is not None:
                out = out - corr(r)
            return out
    elif variable == "v":
        def rhs(_t, v):
            r = np.tanh(v)
            out = a * dphi(r)
            if corr is not None:
                out = out - corr(r) * np.cosh(v) ** 2
            return out
    else:
        raise InvalidParameter("variable", variable, "'v' (artanh ρ, default) or 'rho'")
    return rhs, corr


def _solve(rhs, t: np.ndarray, y0: np.ndarray, method: str, rtol: float, atol: float, **kw):
    tu, inv = np.unique(t, return_inverse=True)
    if tu.size == 1:
        return np.tile(y0, (t.size, 1))
    sol = solve_ivp(rhs, (tu[0], tu[-1]), y0, method=method, t_eval=tu, rtol=rtol, atol=atol, **kw)
    if not sol.success:  # pragma: no cover - reported, not hidden
        raise RuntimeError(f"ODE solver failed: {sol.message}")
    return sol.y.T[inv]


def integrate_overlap(coeffs: Sequence[float], rho0, t_grid, *, a: float = 1.0, eta_d: float = 0.0, C=None,
                      batch: int = 1, rtol: float = RTOL, atol: float = ATOL, method: str = METHOD,
                      variable: str = "v") -> np.ndarray:
    """ρ(t) on ``t_grid`` for (E3) (or (E11) when ``eta_d`` > 0).  See the module docstring.

    ``variable="v"`` (default) integrates v = artanh ρ; starts at exactly ±1 are fixed
    points of (E3) and are returned unchanged (with a correction they fall back to ``"rho"``).
    ``variable="rho"`` integrates ρ itself (an explicit method may overshoot ±1 by ~rtol·stiffness).
    """
    r0 = _rho0(rho0)
    t = _t_grid(t_grid)
    rtol, atol, method = _tols(rtol, atol, method)
    if variable == "v" and np.any(np.abs(r0) == 1.0) and float(eta_d) > 0:
        variable = "rho"
    rhs, _ = _overlap_rhs(coeffs, a, eta_d, C, batch, variable)
    if variable == "rho":
        y = _solve(rhs, t, r0, method, rtol, atol)
    else:
        y = np.tile(r0, (t.size, 1))
        free = np.abs(r0) < 1.0
        if np.any(free):
            y[:, free] = np.tanh(_solve(rhs, t, np.arctanh(r0[free]), method, rtol, atol))
    return y[:, 0] if np.ndim(rho0) == 0 else y


def hitting_time(coeffs: Sequence[float], rho0: float, level: float = 0.9, *, a: float = 1.0, t_max: float = 1e9,
                 eta_d: float = 0.0, C=None, batch: int = 1, rtol: float = RTOL, atol: float = ATOL) -> float:
    """First t with ρ(t) = ``level`` (event-located; ``inf`` if not reached by ``t_max``).  (E8)"""
    r0 = float(_rho0(rho0)[0])
    level = check_real("level", level, -1.0, 1.0, low_open=True, high_open=True)
    t_max = check_real("t_max", t_max, 0.0, low_open=True)
    rtol, atol, _ = _tols(rtol, atol)
    if abs(r0) == 1.0:
        return float("inf")
    rhs, _ = _overlap_rhs(coeffs, a, eta_d, C, batch, "v")
    v_level = float(np.arctanh(level))

    def ev(_t, v):
        return v[0] - v_level
    ev.terminal = True
    sol = solve_ivp(rhs, (0.0, t_max), [np.arctanh(r0)], method=METHOD, events=ev, rtol=rtol, atol=atol)
    return float(sol.t_events[0][0]) if sol.t_events[0].size else float("inf")


#: |ρ| up to 1 + RHO_SLACK is taken as rounding of an integrated overlap and clipped to [-1, 1].
RHO_SLACK = 1e-12


def forgetting(rho0, rho) -> np.ndarray:
    """F = 1 − q² = sin²(ψ_0 − ψ) with cos ψ = ρ (E5), in the stable form
    (sin ψ_0 cos ψ − cos ψ_0 sin ψ)².  An overlap with |ρ| > 1 (beyond a rounding slack of
    ``RHO_SLACK``) raises :class:`InvalidParameter` instead of being clipped."""
    r0 = _rho0(rho0) if np.ndim(rho0) else float(_rho0(rho0)[0])
    r = np.asarray(rho, dtype=float)
    if not np.all(np.isfinite(r)) or np.any(np.abs(r) > 1.0 + RHO_SLACK):
        shown = float(r.flat[np.argmax(np.abs(r))]) if r.size and np.all(np.isfinite(r)) else "<array>"
        raise InvalidParameter("rho", shown, f"real(s) in [-1, 1] (|ρ| <= 1, rounding slack {RHO_SLACK:g})")
    r = np.clip(r, -1.0, 1.0)   # only the rounding slack is clipped
    s0, s = np.sqrt(1 - np.square(r0)), np.sqrt(1 - np.square(r))
    return np.square(s0 * r - r0 * s)


# ---------------------------------------------------------------- vector flow (E3)

def integrate_overlap_vector(coeffs: Sequence[float], w0, theta, t_grid, *, a: float = 1.0,
                             rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:
    """W(t) (T, d) for dw/dt = aφ'(⟨w,θ⟩)(θ − ⟨w,θ⟩w) from unit ``w0`` (E3)."""
    th = _unit("theta", theta)
    w = _unit("w0", w0)
    if w.size != th.size:
        raise InvalidParameter("w0.shape", w.shape, f"the shape of theta {th.shape}")
    t = _t_grid(t_grid)
    rtol, atol, _ = _tols(rtol, atol)
    a = _sign(a)
    _, dphi = _poly(_coeffs(coeffs))

    def rhs(_t, x):
        r = x @ th
        return a * dphi(r) * (th - r * x)
    sol = solve_ivp(rhs, (t[0], t[-1]), w, method=METHOD, t_eval=t, rtol=rtol, atol=atol)
    return sol.y.T


def plane_metrics(w0, theta, W, U_k=None) -> dict[str, np.ndarray]:
    """ρ, q, F, out-of-plane norm and (with ``U_k``) occupancy of trajectories W (E4)–(E6)."""
    th = _unit("theta", theta)
    u = _unit("w0", w0)
    if u.size != th.size:
        raise InvalidParameter("w0.shape", u.shape, f"the shape of theta {th.shape}")
    if abs(abs(float(u @ th)) - 1.0) < 1e-12:
        raise InvalidParameter("w0", "<vector>", "a unit vector not parallel to theta (the plane span(w0, θ) is 2-d)")
    W = np.atleast_2d(np.asarray(W, float))
    if W.ndim != 2 or W.shape[1] != th.size:
        raise InvalidParameter("W.shape", W.shape, f"(T, d) with d = {th.size}")
    if not np.all(np.isfinite(W)):
        raise InvalidParameter("W", "<array>", "finite trajectories")
    Q, _ = np.linalg.qr(np.stack([u, th], axis=1))
    proj = (W @ Q) @ Q.T
    out = {"rho": W @ th, "q": W @ u, "out_of_plane": np.linalg.norm(W - proj, axis=1)}
    out["F"] = 1.0 - out["q"] ** 2
    if U_k is not None:
        U = np.asarray(U_k, float)
        if U.ndim != 2 or U.shape[0] != th.size:
            raise InvalidParameter("U_k.shape", U.shape, f"(d, r) with d = {th.size}")
        out["occupancy"] = np.sum((W @ U) ** 2, axis=1)
    return out


def unit_frame(d: int, r: int, rho: float, c_k: float | None = None,
               rng: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """A random instance of spec §1.2: θ, a feature u ∈ S(V_k) with ⟨u,θ⟩ = ρ, and an
    orthonormal basis U_k (d×r) of V_k ∋ u with ‖P_kθ‖ = c_k (default |ρ|; needs
    |ρ| <= c_k <= 1).  Raises InvalidParameter for d < 2, r > d, |ρ| > 1."""
    d = check_int("d", d, 2)
    r = check_int("r", r, 1, d)
    rho = check_real("rho", rho, -1.0, 1.0)
    c_k = abs(rho) if c_k is None else check_real("c_k", c_k, abs(rho), 1.0)
    if d < max(3, r + 1):
        raise InvalidParameter("d", d, f"integer >= max(3, r + 1) = {max(3, r + 1)} (θ and V_k need fresh directions)")
    if r == 1 and abs(c_k - abs(rho)) > 1e-15:
        raise InvalidParameter("c_k", c_k, f"|rho| = {abs(rho)} when r = 1 (V_k = span(u))")
    g = rng if rng is not None else np.random.default_rng(0)
    E, _ = np.linalg.qr(g.standard_normal((d, d)))
    theta, n, f = E[:, 0], E[:, 1], E[:, 2]
    u = rho * theta + np.sqrt(1 - rho * rho) * n
    # the second basis vector of V_k carries the rest of ‖P_kθ‖ = c_k
    extra = np.sqrt(max(c_k**2 - rho**2, 0.0))
    v2 = None
    if r >= 2:
        t_perp = theta - rho * u
        t_perp_n = np.linalg.norm(t_perp)
        dir_t = t_perp / t_perp_n if t_perp_n > 0 else f
        # unit vector in span(dir_t, f) with ⟨v2, θ⟩ = extra
        cos_t = extra / (dir_t @ theta) if abs(dir_t @ theta) > 1e-15 else 0.0
        cos_t = min(max(cos_t, -1.0), 1.0)
        v2 = cos_t * dir_t + np.sqrt(1 - cos_t**2) * f
    cols = [u] + ([v2] if v2 is not None else []) + [E[:, 3 + i] for i in range(max(r - 2, 0))]
    U = np.stack(cols, axis=1)
    return {"theta": theta, "u": u, "U_k": U}


# ---------------------------------------------------------------- (E0) ReLU kernel

def _corr(c) -> np.ndarray:
    """Correlations in [−1, 1]; rounding up to 1e-12 outside is clipped, anything more is an error."""
    x = np.asarray(c, dtype=float)
    if not np.all(np.abs(x) <= 1.0 + 1e-12):
        raise InvalidParameter("c", float(x.flat[np.argmax(np.where(np.isnan(x), np.inf, np.abs(x)))]) if x.size else "<array>",
                               "correlation(s) in [-1, 1]")
    return np.clip(x, -1.0, 1.0)


def relu_kernel(c) -> np.ndarray:
    """κ(c) = (√(1−c²) + (π − arccos c)c)/(2π) (E0)."""
    c = _corr(c)
    return (np.sqrt(1.0 - c * c) + (np.pi - np.arccos(c)) * c) / (2 * np.pi)


def relu_kernel_prime(c) -> np.ndarray:
    """κ'(c) = (π − arccos c)/(2π) (E0)."""
    c = _corr(c)
    return (np.pi - np.arccos(c)) / (2 * np.pi)


def _relu_kernel(c: np.ndarray) -> np.ndarray:
    return (np.sqrt(1.0 - c * c) + (np.pi - np.arccos(c)) * c) / (2 * np.pi)


def _relu_kernel_prime(c: np.ndarray) -> np.ndarray:
    return (np.pi - np.arccos(c)) / (2 * np.pi)


# ---------------------------------------------------------------- (E10) multi-neuron MSE ODE

def integrate_mse_ode(a0, W0, theta, t_grid, coeffs: Sequence[float], *, kernel="relu", tau_a: float = 1.0,
                      frozen=None, rtol: float = RTOL, atol: float = ATOL) -> tuple[np.ndarray, np.ndarray]:
    """(E10) for m neurons; returns (A (T, m), W (T, m, d)).  See the module docstring."""
    th = _unit("theta", theta)
    W0 = np.atleast_2d(np.asarray(W0, dtype=float))
    if W0.ndim != 2 or W0.shape[1] != th.size:
        raise InvalidParameter("W0.shape", W0.shape, f"(m, d) with d = {th.size}")
    norms = np.linalg.norm(W0, axis=1)
    if np.any(np.abs(norms - 1) > 1e-9):
        raise InvalidParameter("norm(W0[j])", float(norms[np.argmax(np.abs(norms - 1))]), "1 for every row")
    m, d = W0.shape
    a0 = np.atleast_1d(np.asarray(a0, dtype=float))
    if a0.shape != (m,) or not np.all(np.isfinite(a0)):
        raise InvalidParameter("a0.shape", a0.shape, f"({m},) finite readouts")
    t = _t_grid(t_grid)
    rtol, atol, _ = _tols(rtol, atol)
    tau_a = check_real("tau_a", tau_a, 0.0)
    phi, dphi = _poly(_coeffs(coeffs))
    if isinstance(kernel, str):
        if kernel != "relu":
            raise InvalidParameter("kernel", kernel, "'relu' or power-series coefficients (β_0², β_1², …)")
        kap, dkap = _relu_kernel, _relu_kernel_prime
    else:
        kap, dkap = _poly(_coeffs(kernel, "kernel"))
    gate = np.ones(m)
    if frozen is not None:
        fm = np.asarray(frozen, dtype=bool)
        if fm.shape != (m,):
            raise InvalidParameter("frozen.shape", fm.shape, f"({m},) boolean mask")
        gate = (~fm).astype(float)
    off = 1.0 - np.eye(m)

    def rhs(_t, x):
        a, W = x[:m], x[m:].reshape(m, d)
        rho = W @ th
        Cm = np.clip(W @ W.T, -1.0, 1.0)
        da = tau_a * gate * (phi(rho) - kap(Cm) @ a)
        Kp = dkap(Cm) * off * a[None, :]                    # a_l κ'(c_jl), l ≠ j
        inter = Kp @ W - np.sum(Kp * Cm, axis=1)[:, None] * W
        dW = a[:, None] * (dphi(rho)[:, None] * (th[None, :] - rho[:, None] * W) - inter)
        return np.concatenate([da, dW.ravel()])
    x0 = np.concatenate([a0, W0.ravel()])
    sol = solve_ivp(rhs, (t[0], t[-1]), x0, method=METHOD, t_eval=t, rtol=rtol, atol=atol)
    if not sol.success:  # pragma: no cover
        raise RuntimeError(f"integrate_mse_ode: solver failed: {sol.message}")
    Y = sol.y.T
    return Y[:, :m], Y[:, m:].reshape(t.size, m, d)

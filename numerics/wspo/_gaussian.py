"""Gaussian policies (WSPO-12): the tilt N(μ_r,σ_r²)·(N(μ_w,σ_w²)/N(μ_wr,σ_wr²))^{1/γ} by
quadrature, to compare with the closed-form precision λ* and mean."""
from __future__ import annotations

import warnings

import numpy as np
from scipy import integrate

from .._validate import check_real
from ._validate import check_gamma


def _params(mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma) -> tuple[float, ...]:
    """Validated (means finite, standard deviations > 0, γ > 0) Gaussian policy parameters."""
    mus = [check_real(n, m) for n, m in (("mu_r", mu_r), ("mu_w", mu_w), ("mu_wr", mu_wr))]
    sds = [check_real(n, s, low=0.0, low_open=True) for n, s in (("sigma_r", s_r), ("sigma_w", s_w), ("sigma_wr", s_wr))]
    return mus[0], sds[0], mus[1], sds[1], mus[2], sds[2], check_gamma(gamma)


def log_unnormalised(x, mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma):
    """log of N(x; μ_r, σ_r²)·(N(x; μ_w, σ_w²)/N(x; μ_wr, σ_wr²))^{1/γ} up to a constant (WSPO-12)."""
    mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma = _params(mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma)
    return _log_unnormalised(x, mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma)


def _log_unnormalised(x, mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma):
    lg = lambda x, m, s: -0.5 * ((x - m) / s) ** 2 - np.log(s)  # noqa: E731
    return lg(x, mu_r, s_r) + (lg(x, mu_w, s_w) - lg(x, mu_wr, s_wr)) / gamma


def closed_form(mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma) -> tuple[float, float]:
    """(λ*, mean) from WSPO-12; the tilt is proper iff λ* > 0 (mean = nan otherwise)."""
    mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma = _params(mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma)
    lam = s_r**-2 + (s_w**-2 - s_wr**-2) / gamma
    num = mu_r * s_r**-2 + (mu_w * s_w**-2 - mu_wr * s_wr**-2) / gamma
    return float(lam), float(num / lam) if lam > 0 else float("nan")


def quadrature_moments(mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma, half_width: float) -> tuple[float, float, float]:
    """(mass, mean, variance) of the unnormalised tilt on [−R, R] by adaptive quadrature."""
    mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma = _params(mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma)
    R = check_real("half_width", half_width, low=0.0, low_open=True)
    f = lambda x, k: x**k * np.exp(_log_unnormalised(x, mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma))  # noqa: E731
    opts = dict(epsabs=0.0, epsrel=1e-12, limit=400)
    with warnings.catch_warnings():  # epsrel 1e-12 can hit roundoff; callers compare at 1e-7
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        m0 = integrate.quad(f, -R, R, args=(0,), **opts)[0]
        m1 = integrate.quad(f, -R, R, args=(1,), **opts)[0]
        m2 = integrate.quad(f, -R, R, args=(2,), **opts)[0]
    mean = m1 / m0
    return m0, mean, m2 / m0 - mean**2

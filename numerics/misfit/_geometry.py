"""The L²(P) geometry of spec §2 on m weighted atoms, in float64 and in mpmath."""
from __future__ import annotations

import mpmath
import numpy as np

from .._validate import check_array, check_int, check_weights


def _vectors(w, **vs) -> list[np.ndarray]:
    """Finite 1-d vectors of one length m, and non-negative weights w of length m."""
    names = list(vs)
    out = [check_array(names[0], vs[names[0]], ndim=1)]
    m = out[0].size
    out += [check_array(k, vs[k], shape=(m,)) for k in names[1:]]
    return out + [check_weights("w", w, m)]


def inner(u: np.ndarray, v: np.ndarray, w: np.ndarray) -> float:
    """⟨u, v⟩ = Σ w_i u_i v_i."""
    u, v, w = _vectors(w, u=u, v=v)
    return float(np.sum(w * u * v))


def sqdist(u: np.ndarray, v: np.ndarray, w: np.ndarray) -> float:
    """‖u − v‖²_w = Σ w_i (u_i − v_i)²."""
    u, v, w = _vectors(w, u=u, v=v)
    d = u - v
    return float(np.sum(w * d * d))


def gap(fstar: np.ndarray, y: np.ndarray, fsw: np.ndarray, w: np.ndarray) -> float:
    """gap = err(Y) − misfit(f_sw) − err(f_sw) (spec §2)."""
    fstar, y, fsw, w = _vectors(w, fstar=fstar, y=y, fsw=fsw)
    return sqdist(y, fstar, w) - sqdist(fsw, y, w) - sqdist(fsw, fstar, w)


def gap_mp(fstar, y, fsw, w, dps: int = 50) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Oracle at ``dps`` digits: (gap, −2⟨F* − f_sw, Y − f_sw⟩) computed exactly from the
    float64 inputs (each float converts to mpf without rounding)."""
    fstar, y, fsw, w = _vectors(w, fstar=fstar, y=y, fsw=fsw)
    dps = check_int("dps", dps, 1)
    with mpmath.workdps(dps):
        F = [mpmath.mpf(float(a)) for a in fstar]
        Y = [mpmath.mpf(float(a)) for a in y]
        P = [mpmath.mpf(float(a)) for a in fsw]
        W = [mpmath.mpf(float(a)) for a in w]
        sd = lambda u, v: mpmath.fsum(wi * (a - b) ** 2 for a, b, wi in zip(u, v, W))  # noqa: E731
        g = sd(Y, F) - sd(P, Y) - sd(P, F)
        ip = -2 * mpmath.fsum(wi * (f - p) * (yy - p) for f, yy, p, wi in zip(F, Y, P, W))
        return +g, +ip

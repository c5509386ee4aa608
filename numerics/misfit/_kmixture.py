"""MISFIT-9 (Mulgund & Pabbaraju; code ``abhmul/general-misfit-gain``): instances whose target is a
mixture of softmax-linear heads, and the k = 1 student (softmax regression) trained by reverse KL to
weak soft labels on m weighted atoms (exact population objective, no weight decay)."""
from __future__ import annotations

import ctypes
import functools
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from .._validate import InvalidParameter, check_array, check_int, check_prob_rows, check_real, check_weights


def kmixture_instance(rng: np.random.Generator, m: int, d: int, c: int, k_true: int = 2, scale: float = 3.0):
    """Features h (m×d), weights, a target F* = a k_true-mixture of softmax-linear heads (so F* is in
    F^(k_true) ⊂ conv F_s), and a weak teacher Y = softmax of noisy logits of F*.  Probabilities ≥ 1e-6."""
    m, d, c = check_int("m", m, 1), check_int("d", d, 1), check_int("c", c, 2)
    k_true = check_int("k_true", k_true, 1)
    scale = check_real("scale", scale, 0.0, None)
    h = rng.standard_normal((m, d))
    W = rng.standard_normal((k_true, d, c)) * scale / np.sqrt(d)
    pi = rng.dirichlet(np.ones(k_true))
    z = np.einsum("md,kdc->kmc", h, W)
    s = np.exp(z - z.max(-1, keepdims=True))
    s /= s.sum(-1, keepdims=True)
    fstar = np.tensordot(pi, s, axes=1)
    yl = np.log(np.maximum(fstar, 1e-6)) + rng.standard_normal((m, c)) * 1.0
    y = np.exp(yl - yl.max(-1, keepdims=True))
    y /= y.sum(-1, keepdims=True)
    y = np.maximum(y, 1e-6)
    y /= y.sum(-1, keepdims=True)
    fstar = np.maximum(fstar, 1e-6)
    fstar /= fstar.sum(-1, keepdims=True)
    w = rng.uniform(0.05, 1.0, m)
    return h, w / w.sum(), y, fstar


MAX_ITER, MAX_RESTARTS = 2000, 20


def fit_softmax_reverse_kl(h: np.ndarray, w: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """The k = 1 member of the k-mixture class: softmax regression f = softmax(θᵀ[h, 1]) fitted by
    reverse KL, argmin_θ E_w KL(f‖Y) (L-BFGS with the analytic gradient).  Returns (f, misfit,
    max |gradient|) — the last certifies stationarity of the fit."""
    from scipy.optimize import minimize

    h = check_array("h", h, ndim=2)
    y = check_prob_rows("y", y, shape=(h.shape[0], None))
    w = check_weights("w", w, h.shape[0])
    if np.any(y <= 0):
        raise InvalidParameter("y", "<array>", "probability rows with every entry > 0 (reverse KL needs log Y)")
    m, c = y.shape
    H = np.hstack([h, np.ones((m, 1))])
    ly = np.log(y)

    def fg(theta):
        z = np.einsum("md,dc->mc", H, theta.reshape(H.shape[1], c))  # einsum: no BLAS threads on tiny arrays
        z -= z.max(1, keepdims=True)
        lf = z - np.log(np.exp(z).sum(1, keepdims=True))
        f = np.exp(lf)
        g = lf - ly
        loss = float(np.sum(w * np.sum(f * g, 1)))
        dz = f * (g - np.sum(f * g, 1, keepdims=True)) * w[:, None]
        return loss, np.einsum("md,mc->dc", H, dz).ravel()

    x = np.zeros(H.shape[1] * c)
    with scipy_blas_one_thread():
        # Restarts polish the stationary point (L-BFGS-B may stop on its ftol test): five, and more
        # (up to MAX_RESTARTS) while a run still ends on its iteration cap, i.e. is still descending
        # (e.g. logits of order 100 where Y is near 0: ten 2000-step runs to reach |∇| ~ 1e-8).
        for k in range(MAX_RESTARTS):
            r = minimize(fg, x, jac=True, method="L-BFGS-B",
                         options={"maxiter": MAX_ITER, "gtol": 1e-12, "ftol": 1e-15})
            x = r.x
            if np.max(np.abs(r.jac)) <= 1e-9 or (k >= 4 and r.nit < MAX_ITER):
                break
    z = H @ r.x.reshape(H.shape[1], c)
    z -= z.max(1, keepdims=True)
    f = np.exp(z)
    f /= f.sum(1, keepdims=True)
    return f, float(r.fun), float(np.max(np.abs(fg(r.x)[1])))


@functools.lru_cache(maxsize=1)
def _scipy_openblas() -> ctypes.CDLL | None:
    """scipy's bundled OpenBLAS (wheels: ``scipy.libs/libscipy_openblas*.so``), or None."""
    import scipy

    libs = sorted((Path(scipy.__file__).resolve().parent.parent / "scipy.libs").glob("libscipy_openblas*.so*"))
    for p in libs:
        try:
            lib = ctypes.CDLL(str(p))
            lib.scipy_openblas_get_num_threads.restype = ctypes.c_int
            lib.scipy_openblas_set_num_threads.argtypes = [ctypes.c_int]
            return lib
        except (OSError, AttributeError):
            continue
    return None


@contextmanager
def scipy_blas_one_thread() -> Iterator[None]:
    """Run scipy's BLAS on one thread inside the block (restored after).  L-BFGS-B (C since
    scipy 1.15) calls it on arrays of a few dozen numbers; with several OpenBLAS threads each
    call waits for the woken threads, which made the fits 15-25x slower on a loaded 2-core
    machine (20 fits: 0.4 s on one thread, 5-9 s on two).  A no-op where scipy links another BLAS."""
    lib = _scipy_openblas()
    old = lib.scipy_openblas_get_num_threads() if lib is not None else 1
    if old <= 1:
        yield
        return
    lib.scipy_openblas_set_num_threads(1)
    try:
        yield
    finally:
        lib.scipy_openblas_set_num_threads(old)

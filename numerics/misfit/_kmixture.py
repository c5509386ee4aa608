"""MISFIT-9 (Mulgund & Pabbaraju; code ``abhmul/general-misfit-gain``): instances whose target is a
mixture of softmax-linear heads, and the k = 1 student (softmax regression) trained by reverse KL to
weak soft labels on m weighted atoms (exact population objective, no weight decay)."""
from __future__ import annotations

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
    for _ in range(5):  # restarts polish the stationary point (L-BFGS-B may stop on its ftol test)
        r = minimize(fg, x, jac=True, method="L-BFGS-B", options={"maxiter": 2000, "gtol": 1e-12, "ftol": 1e-15})
        x = r.x
        if np.max(np.abs(r.jac)) <= 1e-9:
            break
    z = H @ r.x.reshape(H.shape[1], c)
    z -= z.max(1, keepdims=True)
    f = np.exp(z)
    f /= f.sum(1, keepdims=True)
    return f, float(r.fun), float(np.max(np.abs(fg(r.x)[1])))

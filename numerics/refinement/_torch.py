"""torch path for the REFINE estimators, batched over replications; device-agnostic (runs on
cuda when asked and present).  Must agree with :mod:`._reference`."""
from __future__ import annotations

import math

import numpy as np
import torch

DTYPE = torch.float64


def project_simplex(X: torch.Tensor) -> torch.Tensor:
    """Row-wise Euclidean projection onto the probability simplex (sorting method)."""
    K = X.shape[-1]
    U, _ = torch.sort(X, dim=-1, descending=True)
    css = torch.cumsum(U, dim=-1) - 1.0
    ind = torch.arange(1, K + 1, device=X.device, dtype=X.dtype)
    cond = (U - css / ind) > 0
    r = K - 1 - torch.argmax(cond.flip(-1).to(torch.int8), dim=-1)
    tau = torch.gather(css, -1, r[..., None]) / (r[..., None] + 1.0).to(X.dtype)
    return torch.clamp(X - tau, min=0.0)


def posterior_from_draws(phi: torch.Tensor, y: torch.Tensor, log_alpha: torch.Tensor, sigma: float) -> torch.Tensor:
    ll = -((y[..., None] - phi) ** 2).sum(dim=-2) / (2 * sigma ** 2) + log_alpha
    return torch.softmax(ll, dim=-1)


def draws(model, n: int, m: int, reps: int, gen: torch.Generator, device: str) -> dict[str, torch.Tensor]:
    """The same draws as the numpy driver, from a torch generator."""
    kw = dict(generator=gen, device=device, dtype=DTYPE)
    Z = torch.randn(reps, n, model.d, **kw)
    w, U = torch.linalg.eigh(Z.transpose(-1, -2) @ Z)
    Q = Z @ (U * w[..., None, :].rsqrt()) @ U.transpose(-1, -2)  # polar factor, as in the numpy driver
    return {"Phi": math.sqrt(n) * Q, "eps": torch.randn(reps, n, **kw),
            "phi_icl": torch.randn(reps, m, model.K + 1, **kw), "eps_icl": torch.randn(reps, m, **kw)}


def estimate(model, d_: dict[str, torch.Tensor], lams: np.ndarray) -> dict[str, np.ndarray]:
    """All estimators on the draws (see :func:`numerics.refinement.compare_estimators`)."""
    Phi, eps = d_["Phi"], d_["eps"]
    dev = Phi.device
    t = lambda a: torch.as_tensor(np.asarray(a, dtype=float), device=dev, dtype=DTYPE)  # noqa: E731
    bw, bp, bt = t(model.beta_w), t(model.beta_p), t(model.beta_tgt)
    n, dd = Phi.shape[-2], Phi.shape[-1]
    y = Phi @ bw + model.s_w * eps
    G = Phi.transpose(-1, -2) @ Phi / n
    h = (Phi.transpose(-1, -2) @ y[..., None])[..., 0] / n
    eye = torch.eye(dd, device=dev, dtype=DTYPE)
    naive = []
    for lam in lams:
        beta = torch.linalg.solve(G + float(lam) * eye, (h + float(lam) * bp)[..., None])[..., 0]
        naive.append(((beta - bt) ** 2).sum(-1))
    K = model.K
    x = project_simplex(h[..., :K])
    hull = ((x - bt[:K]) ** 2).sum(-1) + (bt[K:] ** 2).sum()
    phi = d_["phi_icl"]
    yi = model.kappa * phi[..., 0] + (model.delta + model.tau) * phi[..., K] + model.s_w * d_["eps_icl"]
    pi = posterior_from_draws(phi[..., :K], yi, torch.log(t(model.alpha)), model.sigma)
    e1 = torch.zeros(K, device=dev, dtype=DTYPE)
    e1[0] = 1.0
    kmap = torch.argmax(pi, dim=-1)
    out = {"naive": torch.stack(naive, dim=-1), "hull": hull, "m_soft": 1 - pi[..., 0],
           "m_map": (kmap != 0).to(DTYPE), "refined_soft": ((pi - e1) ** 2).sum(-1) + model.tau ** 2,
           "refined_map": 2.0 * (kmap != 0).to(DTYPE) + model.tau ** 2}
    return {k: v.detach().cpu().numpy() for k, v in out.items()}

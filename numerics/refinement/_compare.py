"""The full estimator comparison on one set of draws, by backend (numpy reference, numba,
torch), for REFINE claims, backend-agreement checks and the benchmarks."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backends import check_backend, check_device, rng as np_rng, torch_generator
from .._validate import InvalidParameter, check_array, check_int
from . import _reference as ref
from ._model import ConceptModel, check_lams, check_m, check_model

KEYS = ("naive", "hull", "m_soft", "m_map", "refined_soft", "refined_map")


def draw(model: ConceptModel, n: int, m: int, reps: int, seed: int, *tags: Any) -> dict[str, np.ndarray]:
    """numpy draws for :func:`compare_estimators` (orthogonal design Φ = √n·Q, Q the polar factor)."""
    model = check_model(model)
    n, m, reps = check_int("n", n, model.d), check_m(m), check_int("reps", reps, 1)
    g = np_rng(seed, "refine.compare", *tags)
    Z = g.standard_normal((reps, n, model.d))
    return {"Phi": math.sqrt(n) * ref.orthonormal_columns(Z), "eps": g.standard_normal((reps, n)),
            "phi_icl": g.standard_normal((reps, m, model.K + 1)), "eps_icl": g.standard_normal((reps, m))}


def _estimate_np(model: ConceptModel, dr: dict[str, np.ndarray], lams: np.ndarray, backend: str) -> dict[str, np.ndarray]:
    Phi, K = dr["Phi"], model.K
    n = Phi.shape[1]
    y = Phi @ model.beta_w + model.s_w * dr["eps"]
    if backend == "numba":
        from . import _numba as nb
        naive, h = nb.ridge_to_prior(np.ascontiguousarray(Phi), np.ascontiguousarray(y), lams, model.beta_p,
                                     model.beta_tgt)
        proj, post = nb.project_simplex, nb.posterior_from_draws
    else:
        G = np.einsum("rni,rnj->rij", Phi, Phi) / n
        h = np.einsum("rni,rn->ri", Phi, y) / n
        eye = np.eye(model.d)
        naive = np.stack([((np.linalg.solve(G + lam * eye, (h + lam * model.beta_p)[..., None])[..., 0]
                            - model.beta_tgt) ** 2).sum(-1) for lam in lams], axis=-1)
        proj, post = ref.project_simplex, ref.posterior_from_draws
    bt = model.beta_tgt
    hull = ((proj(np.ascontiguousarray(h[:, :K])) - bt[:K]) ** 2).sum(-1) + float((bt[K:] ** 2).sum())
    phi = dr["phi_icl"]
    yi = model.kappa * phi[..., 0] + (model.delta + model.tau) * phi[..., K] + model.s_w * dr["eps_icl"]
    pi = post(np.ascontiguousarray(phi[..., :K]), np.ascontiguousarray(yi), np.log(np.asarray(model.alpha)),
              model.sigma)
    mis = ref.misalignment(pi)
    return {"naive": naive, "hull": hull, "m_soft": mis["soft"], "m_map": mis["map"],
            "refined_soft": ref.refined_risk(model, pi, "soft"), "refined_map": ref.refined_risk(model, pi, "map")}


def compare_estimators(model: ConceptModel, n: int, m: int, lams, reps: int, seed: int, backend: str = "numpy",
                       device: str = "cpu", draws: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Per-replication risks of every estimator on one model: naive ridge-to-prior over ``lams``
    ('naive', shape (reps, L)), the hull learner ('hull'), ICL misalignment ('m_soft', 'm_map') and the
    fixed-S refined risks ('refined_soft', 'refined_map').  ``draws`` (from :func:`draw`) makes
    every backend see the same randomness; otherwise each backend draws from ``seed`` itself."""
    check_backend(backend)
    check_device(device)
    model = check_model(model)
    n = check_int("n", n, model.d)
    m = check_m(m)
    reps = check_int("reps", reps, 2)
    lams = check_lams(lams)
    if draws is not None:
        want = {"Phi": (reps, n, model.d), "eps": (reps, n), "phi_icl": (reps, m, model.K + 1), "eps_icl": (reps, m)}
        if (not isinstance(draws, dict) or set(draws) != set(want)
                or any(np.shape(draws[k]) != v for k, v in want.items())):
            raise InvalidParameter("draws", "<draws>", f"the dict from draw(model, n, m, reps, seed): shapes {want}")
        draws = {k: check_array("draws", v, shape=want[k]) for k, v in draws.items()}
    if backend == "torch":
        import torch

        from . import _torch as tb
        if draws is None:
            dr = tb.draws(model, n, m, reps, torch_generator(seed, device, "refine.compare"), device)
        else:
            dr = {k: torch.as_tensor(v, device=device, dtype=tb.DTYPE) for k, v in draws.items()}
        return tb.estimate(model, dr, lams)
    dr = draws if draws is not None else draw(model, n, m, reps, seed)
    return _estimate_np(model, dr, lams, backend)


def project_simplex(X: np.ndarray, backend: str = "numpy", device: str = "cpu") -> np.ndarray:
    """Simplex projection of the rows of X on the chosen backend (returned as numpy)."""
    check_backend(backend)
    X = np.ascontiguousarray(np.atleast_2d(check_array("X", X, min_size=1)))
    if backend == "numba":
        from . import _numba as nb
        return nb.project_simplex(X)
    if backend == "torch":
        import torch

        from . import _torch as tb
        return tb.project_simplex(torch.as_tensor(X, device=check_device(device), dtype=tb.DTYPE)).cpu().numpy()
    return ref.project_simplex(X)

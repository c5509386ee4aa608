"""Random problem instances for the MISFIT checks (spec misfit.md §3 ranges).  Each takes an
explicit numpy Generator and validates its sizes (negative or too-small dimensions raise
:class:`numerics.InvalidParameter`)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import InvalidParameter, check_int, check_real


@dataclass
class HeadInstance:
    """Design Φ (m×p), weights w, weak labels Y, target F*."""

    phi: np.ndarray
    w: np.ndarray
    y: np.ndarray
    fstar: np.ndarray
    coef_star: np.ndarray | None = None


def random_weights(rng: np.random.Generator, m: int) -> np.ndarray:
    w = rng.uniform(0.05, 1.0, check_int("m", m, 1))
    return w / w.sum()


def ball_instance(rng: np.random.Generator, m: int, p: int, radius: float, phi_exp: float = 0.0,
                  y_exp: float = 0.0) -> HeadInstance:
    """MISFIT-2 ranges: Φ and Y entries N(0,1)·10^exp, F* = Φa_z with a_z uniform in the ball."""
    m = check_int("m", m, 2)
    p = check_int("p", p, 1, m - 1)
    radius = check_real("radius", radius, 0.0, None, low_open=True)
    phi_exp, y_exp = check_real("phi_exp", phi_exp, -300, 300), check_real("y_exp", y_exp, -300, 300)
    phi = rng.standard_normal((m, p)) * 10.0**phi_exp
    y = rng.standard_normal(m) * 10.0**y_exp
    d = rng.standard_normal(p)
    az = d / np.linalg.norm(d) * radius * rng.uniform() ** (1.0 / p)
    return HeadInstance(phi, random_weights(rng, m), y, phi @ az, az)


def subspace_instance(rng: np.random.Generator, m: int, p: int, realizable: bool = True,
                      perturb: float = 1.0) -> HeadInstance:
    """Affine heads Φ = [features, 1]; F* = Φc (+ a cosine perturbation when not realizable,
    the MISFIT-4 design); Y arbitrary."""
    m = check_int("m", m, 3)
    p = check_int("p", p, 1, m - 2)
    perturb = check_real("perturb", perturb, 0.0, None)
    feats = rng.standard_normal((m, p))
    phi = np.hstack([feats, np.ones((m, 1))])
    c = rng.standard_normal(p + 1)
    fstar = phi @ c
    if not realizable:
        fstar = fstar + perturb * np.cos(3.0 * feats[:, 0] + rng.uniform(0, 6.3))
    y = fstar + rng.standard_normal(m) * rng.uniform(0.1, 3.0)
    return HeadInstance(phi, random_weights(rng, m), y, fstar, c)


def hull_instance(rng: np.random.Generator, m: int, J: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Simplex hull V = conv(columns of g), F* = gβ with β ∈ Δ_J, Y arbitrary.
    Returns (g, w, y, fstar)."""
    m = check_int("m", m, 2)
    J = check_int("J", J, 2)
    g = rng.standard_normal((m, J)) * 10.0 ** rng.uniform(-1, 1)
    beta = rng.dirichlet(np.full(J, 0.5))
    y = rng.standard_normal(m) * 10.0 ** rng.uniform(-1, 1)
    return g, random_weights(rng, m), y, g @ beta


def mixture_instance(rng: np.random.Generator, m: int, c: int, J: int, scale: float = 2.0):
    """MISFIT-8: J fixed softmax predictors g_j on m atoms with c classes, F* ∈ conv{g_j},
    a softmax weak teacher Y.  Returns (comps (J,m,c), w, y, fstar)."""
    from ._kl import random_softmax

    m = check_int("m", m, 1)
    c = check_int("c", c, 2)
    J = check_int("J", J, 2)
    scale = check_real("scale", scale, 0.0, None)
    comps = np.stack([random_softmax(rng, m, c, scale) for _ in range(J)])
    beta = rng.dirichlet(np.ones(J))
    fstar = np.tensordot(beta, comps, axes=1)
    y = random_softmax(rng, m, c, scale)
    return comps, random_weights(rng, m), y, fstar


def erm_instance(rng: np.random.Generator, m: int, p: int, n: int, realizable: bool = False):
    """MISFIT-5: a population of m weighted atoms (affine heads, non-realizable F*), and an
    iid sample of n atom indices drawn from it.  Returns (inst, idx)."""
    n = check_int("n", n, 1)
    inst = subspace_instance(rng, m, p, realizable=realizable)
    idx = rng.choice(inst.w.size, size=n, p=inst.w)
    if np.linalg.matrix_rank(inst.phi[idx]) < inst.phi.shape[1]:
        raise InvalidParameter("n", n, f"large enough that the sampled design has full rank {inst.phi.shape[1]}")
    return inst, idx

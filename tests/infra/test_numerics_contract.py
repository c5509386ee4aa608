"""Contract: every public simulator in ``numerics`` validates its inputs (issue 12 §2).

The public surface is enumerated (``__all__`` of ``numerics`` and of each subpackage, the public
names defined in each public submodule, and the submodules a package exports, e.g.
``numerics.wspo.ar``).  Every public callable appears in :data:`CASES` (a table of out-of-domain
calls with the parameter the error must name) or in :data:`EXEMPT` with a reason; a new public
function without either fails :func:`test_every_public_callable_is_covered`.

Each case must raise :class:`numerics.InvalidParameter` whose ``name`` is the expected parameter —
never a numpy ``LinAlgError``, ``ZeroDivisionError``, ``IndexError``, silent clipping or a silent
number (a call that returns fails as "DID NOT RAISE").  Names are the Python parameter, an element
or shape of it (``rho[0]``, ``W0.shape``, ``norm(w0)``), or the user-facing name the CLI and the
claim domains use (``n_icl`` for ``m``, ``batch_size``, ``workers``).

Cases of functions that other helpers are editing concurrently are marked ``xfail(strict=False)``
with the branch that fixes them; the integrator drops the mark after merging.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import os
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pytest

import numerics
from numerics import InvalidParameter

NAN, INF = float("nan"), float("inf")

# Functions owned by concurrent helpers (do not edit here): their cases are xfail(strict=False).
OWNED: dict[str, str] = {}


def _owner(path: str) -> str | None:
    for prefix, reason in OWNED.items():
        if path == prefix or path.startswith(prefix + "."):
            return reason
    return None


# ------------------------------------------------------------------ the public surface

def _module_names(mod) -> list[str]:
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n, o in vars(mod).items()
                 if not n.startswith("_") and getattr(o, "__module__", None) == mod.__name__]
    return list(names)


def public_callables() -> dict[str, Callable]:
    """Dotted public path -> callable, one path per object (the first package that exports it)."""
    mods = [numerics] + [importlib.import_module(m.name)
                         for m in pkgutil.walk_packages(numerics.__path__, "numerics.")
                         if not any(p.startswith("_") for p in m.name.split("."))]
    out: dict[str, Callable] = {}
    seen: set[int] = set()
    queue = [(m.__name__, m) for m in mods]
    while queue:
        path, mod = queue.pop(0)
        for n in _module_names(mod):
            o = getattr(mod, n)
            if inspect.ismodule(o):
                if o.__name__.startswith("numerics."):
                    queue.append((f"{path}.{n}", o))
                continue
            if not callable(o) or id(o) in seen:
                continue
            seen.add(id(o))
            out[f"{path}.{n}"] = o
    return out


# ------------------------------------------------------------------ shared valid inputs

def R() -> np.random.Generator:
    return np.random.default_rng(0)


V3 = np.array([0.2, 0.3, 0.5])
W3 = np.full(3, 1 / 3)
P23 = np.array([[0.2, 0.8], [0.5, 0.5], [0.9, 0.1]])        # (m=3, c=2) probability rows
COMPS = np.stack([P23, P23[::-1]])                           # (J=2, m=3, c=2)
PHI = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
PRIOR = np.log([0.5, 0.5])


@functools.cache
def cmodel():
    from numerics.refinement import concept_model
    return concept_model(K=2, d=3, alpha=(0.5, 0.5), sigma=0.5)


@functools.cache
def replica_draws():
    from numerics.misfit import ReplicaConfig, draw
    cfg = ReplicaConfig(n_pre_tasks=1, n_pre=4, n_transfer_tasks=3, n_transfer=4, n_eval=4, epochs=0, batch=2)
    return draw(R(), cfg)


@functools.cache
def sim_cfg():
    from numerics.sgd.sim_common import SimConfig
    return SimConfig(d=6, r=2, rho=(0.3,), m_target=2, m_off=1, n_steps=2)


@functools.cache
def plan():
    from numerics.sgd.sim_common import make_plan
    return make_plan(sim_cfg(), 0)


@functools.cache
def bandit():
    from numerics.wspo import contextual
    return contextual.make_bandit(R(), 3, 2, 2)


@functools.cache
def ar_refs():
    from numerics.wspo import ar
    rows = ar.n_prefixes(2, 2)
    return tuple(R().standard_normal((rows, 2)) for _ in range(3))


Y2 = np.array([[0, 1], [1, 1]])          # two sequences of length T=2 over V=2


def _with_env(name: str, value: str, fn: Callable[[], Any]) -> Any:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        return fn()
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


# ------------------------------------------------------------------ the table

@dataclass(frozen=True)
class Case:
    path: str
    param: str
    call: Callable[[Callable], Any]
    label: str = ""
    marks: tuple = field(default=())


CASES: list[Case] = []


def C(path: str, param: str, *args, call: Callable[[Callable], Any] | None = None, **kwargs) -> None:
    """Register: ``fn(*args, **kwargs)`` (or ``call(fn)``) must raise InvalidParameter(param)."""
    c = call if call is not None else (lambda f: f(*args, **kwargs))
    n = sum(1 for k in CASES if k.path == path)
    reason = _owner(path)
    marks = (pytest.mark.xfail(strict=False, reason=reason),) if reason else ()
    CASES.append(Case(path, param, c, f"{path}[{n}]-{param}", marks))


# numerics (top level) ---------------------------------------------------------------
C("numerics.z_two_sided", "false_alarm", 0.0)
C("numerics.z_two_sided", "false_alarm", 1.5)
C("numerics.z_two_sided", "n_tests", 1e-3, 0)
C("numerics.mean_ci", "false_alarm", [1.0, 2.0, 3.0], false_alarm=0.0)
C("numerics.mean_ci", "n_tests", [1.0, 2.0, 3.0], n_tests=0)
C("numerics.loglog_slope", "confidence", [1, 2, 4], [1, 2, 4], confidence=1.5)
C("numerics.loglog_slope", "confidence", [1, 2, 4], [1, 2, 4], [0.1, 0.1, 0.1], confidence=0.0)
C("numerics.clopper_pearson", "k", -1, 3)
C("numerics.clopper_pearson", "k", 4, 3)
C("numerics.clopper_pearson", "n", 0, 0)
C("numerics.clopper_pearson", "confidence", 1, 3, confidence=1.0)
C("numerics.tost", "margin", [1.0, 2.0, 3.0], margin=0.0)
C("numerics.tost", "false_alarm", [1.0, 2.0, 3.0], margin=1.0, false_alarm=0.7)
C("numerics.tost", "center", [1.0, 2.0, 3.0], margin=1.0, center=NAN)
C("numerics.check_backend", "backend", "jax")
C("numerics.check_device", "device", "tpu")
C("numerics.check_int", "k", "k", -1, 0)
C("numerics.check_int", "k", "k", 2.5, 0)
C("numerics.check_real", "x", "x", NAN)
C("numerics.check_real", "x", "x", 0.0, 0.0, low_open=True)
C("numerics.check_prob_vector", "p", "p", [0.5, 0.6])
C("numerics.check_psd", "cov", "cov", [[1.0, 2.0], [2.0, 1.0]])
C("numerics.check_psd", "cov", "cov", [[1.0, 0.5], [0.0, 1.0]])
C("numerics.check_psd", "cov", "cov", [[INF, 0.0], [0.0, 1.0]])
C("numerics.check_psd", "cov", "cov", [[NAN, 0.0], [0.0, 1.0]])
C("numerics.derive_seed", "seed", -1)
C("numerics.derive_seed", "seed", 1.5)
C("numerics.rng", "seed", -3)
C("numerics.torch_generator", "device", 0, "tpu")
C("numerics.torch_generator", "seed", -1)

# numerics.misfit ----------------------------------------------------------------------
M = "numerics.misfit."
C(M + "inner", "w", V3, V3, -W3)
C(M + "inner", "v", V3, V3[:2], W3)
C(M + "inner", "u", np.array([NAN, 0, 0]), V3, W3)
C(M + "sqdist", "v", V3, V3[:2], W3)
C(M + "sqdist", "w", V3, V3, np.array([1.0, NAN, 0.0]))
C(M + "gap", "fsw", V3, V3, V3[:2], W3)
C(M + "gap", "w", V3, V3, V3, -W3)
C(M + "gap_mp", "w", V3, V3, V3, -W3)
C(M + "gap_mp", "y", V3, V3[:2], V3, W3)
C(M + "gap_mp", "dps", V3, V3, V3, W3, dps=0)
C(M + "random_weights", "m", R(), 0)
C(M + "ball_instance", "p", R(), 5, 5, 1.0)
C(M + "ball_instance", "radius", R(), 5, 2, 0.0)
C(M + "ball_instance", "phi_exp", R(), 5, 2, 1.0, phi_exp=NAN)
C(M + "subspace_instance", "m", R(), 2, 1)
C(M + "subspace_instance", "perturb", R(), 5, 1, realizable=True, perturb=-1.0)
C(M + "hull_instance", "m", R(), 1, 2)
C(M + "hull_instance", "J", R(), 4, 1)
C(M + "mixture_instance", "c", R(), 3, 1, 2)
C(M + "mixture_instance", "scale", R(), 3, 2, 2, scale=NAN)
C(M + "erm_instance", "n", R(), 6, 2, 0)
C(M + "random_softmax", "c", R(), 3, 1)
C(M + "random_softmax", "scale", R(), 3, 2, scale=-1.0)
C(M + "kl", "p", P23 * 2, P23, W3)
C(M + "kl", "q", P23, P23[:2], W3)
C(M + "kl", "w", P23, P23, -W3)
C(M + "bregman_gap", "fstar", -P23, P23, P23, W3)
C(M + "bregman_gap", "fsw", P23, P23, P23[:, :1], W3)
C(M + "bregman_gap", "w", P23, P23, P23, W3[:2])
C(M + "mix", "alpha", np.array([0.7, 0.7]), COMPS)
C(M + "mix", "alpha", np.array([0.5, 0.25, 0.25]), COMPS)
C(M + "mix", "comps", np.array([0.5, 0.5]), P23)
C(M + "reverse_kl_projection", "y", COMPS, P23 + 1, W3)
C(M + "reverse_kl_projection", "w", COMPS, P23, -W3)
C(M + "reverse_kl_projection", "comps", COMPS[:, :2], P23, W3)
C(M + "forward_kl_projection", "comps", COMPS[:, :2], P23, W3)
C(M + "forward_kl_projection", "y", COMPS, P23 * 0, W3)
C(M + "forward_kl_projection", "w", COMPS, P23, np.array([1.0, 1.0, -1.0]))
C(M + "first_order_violation", "a", COMPS, np.array([0.9, 0.9]), P23, W3)
C(M + "first_order_violation", "y", COMPS, np.array([0.5, 0.5]), P23 * 2, W3)
C(M + "expected_gap", "n", 3, 2, 1.0)
C(M + "expected_gap", "s", 10, 2, -1.0)
for _g in ("gap_samples_direct", "gap_samples_numba", "gap_samples_bartlett"):
    C(M + _g, "n", R(), 3, 2, 4, 1.0, np.zeros(2))
    C(M + _g, "delta", R(), 10, 2, 4, 1.0, np.zeros(3))
    C(M + _g, "delta", R(), 10, 2, 4, 1.0, np.array([NAN, 0.0]))
    C(M + _g, "s", R(), 10, 2, 4, INF, np.zeros(2))
    C(M + _g, "reps", R(), 10, 2, 0, 1.0, np.zeros(2))
for _g in ("gap_samples_direct", "gap_samples_numba"):
    C(M + _g, "chunk", R(), 10, 2, 4, 1.0, np.zeros(2), chunk=0)
C(M + "gap_samples_torch", "device", None, 10, 2, 4, 1.0, np.zeros(2), device="tpu")
C(M + "gap_samples_torch", "chunk", None, 10, 2, 4, 1.0, np.zeros(2), chunk=0)
C(M + "gap_samples_torch", "n", None, 3, 2, 4, 1.0, np.zeros(2))
C(M + "ols_coef", "w", PHI, V3, -W3)
C(M + "ols_coef", "y", PHI, V3[:2], W3)
C(M + "ols_coef", "phi", PHI * NAN, V3, W3)
C(M + "ols_coef", "y", PHI, np.array([INF, 0, 0]), W3)
for _b in ("ball_coef", "ball_coef_numba"):
    C(M + _b, "radius", PHI, V3, W3, 0.0)
    C(M + _b, "iters", PHI, V3, W3, 0.1, iters=0)
    C(M + _b, "w", PHI, V3, np.array([0.5, 0.5, NAN]), 1.0)
C(M + "hull_coef", "backend", PHI, V3, W3, backend="torch")
C(M + "hull_coef", "iters", PHI, V3, W3, iters=0)
C(M + "hull_coef", "tol", PHI, V3, W3, tol=-1.0)
C(M + "hull_coef", "vertices", np.full((3, 2), INF), V3, W3)
C(M + "project_simplex", "v", np.array([]))
C(M + "project_simplex", "v", np.array([NAN, 1.0]))
C(M + "project_simplex", "v", np.ones((2, 2)))
C(M + "ReplicaConfig", "n_pre", n_pre=0)
C(M + "ReplicaConfig", "lr", lr=NAN)
C(M + "ReplicaConfig", "dtype", dtype="float16")
C(M + "ReplicaConfig", "n_transfer_tasks", n_transfer_tasks=2)
C(M + "draw", "cfg", R(), None)
C(M + "fit_line", "gain", np.ones(2), np.ones(2), R())
C(M + "fit_line", "misfit", np.arange(4.0), np.arange(3.0), R())
C(M + "fit_line", "misfit", np.arange(4.0), np.array([0, 1, NAN, 2]), R())
C(M + "fit_line", "level", np.arange(4.0), np.arange(4.0), R(), level=1.0)
C(M + "fit_line", "n_boot", np.arange(4.0), np.arange(4.0), R(), n_boot=5)
C(M + "run_numpy", "d", None)
C(M + "run_torch", "d", None)
C(M + "run_torch", "device", call=lambda f: f(replica_draws(), device="tpu"))
C(M + "task_terms", "head_w", call=lambda f: f({"star": [], "weak": [], "strong": []}, np.ones(3), 0.0,
                                                np.ones((4, 8))))
C(M + "task_terms", "head_b", call=lambda f: f({"star": [], "weak": [], "strong": []}, np.ones(16), NAN,
                                                np.ones((4, 8))))
C(M + "task_terms", "X", call=lambda f: f({"star": [], "weak": [], "strong": []}, np.ones(16), 0.0, np.ones((4, 3))))
C(M + "task_terms", "layers", call=lambda f: f({"star": []}, np.ones(16), 0.0, np.ones((4, 8))))
C(M + "fit_softmax_reverse_kl", "y", np.ones((3, 2)), W3, P23 * 3)
C(M + "fit_softmax_reverse_kl", "w", np.ones((3, 2)), W3[:2], P23)
C(M + "fit_softmax_reverse_kl", "h", np.full((3, 2), NAN), W3, P23)
C(M + "kmixture_instance", "c", R(), 3, 2, 1)
C(M + "kmixture_instance", "k_true", R(), 3, 2, 2, k_true=0)
C(M + "kmixture_instance", "scale", R(), 3, 2, 2, scale=INF)

# numerics.refinement -------------------------------------------------------------------
F = "numerics.refinement."
C(F + "concept_model", "K", 1, 3, (1.0,), 1.0)
C(F + "concept_model", "d", 2, 2, (0.5, 0.5), 1.0)
C(F + "concept_model", "alpha", 2, 3, (0.5, 0.6), 1.0)
C(F + "concept_model", "alpha", 2, 3, (1 / 3,) * 3, 1.0)
C(F + "concept_model", "sigma", 2, 3, (0.5, 0.5), 0.0)
C(F + "concept_model", "kappa", 2, 3, (0.5, 0.5), 1.0, kappa=NAN)
C(F + "concept_model", "eta", 2, 3, (0.5, 0.5), 1.0, eta=-1.0)
C(F + "check_m", "n_icl", -1)
C(F + "compare_estimators", "n", call=lambda f: f(cmodel(), 2, 1, [0.1], 2, 0))
C(F + "compare_estimators", "reps", call=lambda f: f(cmodel(), 4, 1, [0.1], 1, 0))
C(F + "compare_estimators", "lams", call=lambda f: f(cmodel(), 4, 1, [-0.1], 2, 0))
C(F + "compare_estimators", "backend", call=lambda f: f(cmodel(), 4, 1, [0.1], 2, 0, backend="jax"))
C(F + "compare_estimators", "model", call=lambda f: f(None, 4, 1, [0.1], 2, 0))
C(F + "compare_estimators", "draws", call=lambda f: f(cmodel(), 4, 1, [0.1], 2, 0, draws={"Phi": np.ones(3)}))
C(F + "draw", "n", call=lambda f: f(cmodel(), 2, 1, 2, 0))
C(F + "draw", "n_icl", call=lambda f: f(cmodel(), 4, -1, 2, 0))
C(F + "draw", "reps", call=lambda f: f(cmodel(), 4, 1, 0, 0))
C(F + "draw", "model", call=lambda f: f("model", 4, 1, 2, 0))
C(F + "exp_slope_fit", "se", [1.0, 2, 3, 4], [0.5, 0.4, 0.3, 0.2], [0.1, -0.1, 0.1, 0.1])
C(F + "exp_slope_fit", "y", [1.0, 2, 3, 4], [0.5, 0.4, 0.0, 0.2], [0.1, 0.1, 0.1, 0.1])
C(F + "exp_slope_fit", "y", [1.0, 2, 3, 4], [0.5, 0.4, 0.3], [0.1, 0.1, 0.1, 0.1])
C(F + "exp_slope_fit", "ms", [1.0, 2, 3], [0.5, 0.4, 0.3], [0.1, 0.1, 0.1])
C(F + "exp_slope_fit", "ms", [1.0, 1, 1, 1], [0.5, 0.4, 0.3, 0.2], [0.1, 0.1, 0.1, 0.1])
C(F + "exp_slope_fit", "confidence", [1.0, 2, 3, 4], [0.5, 0.4, 0.3, 0.2], [0.1] * 4, confidence=1.0)
C(F + "population_risk", "pi", np.array([[0.5, 0.5]]))
C(F + "population_risk", "pi", np.array([[0.5, 0.6], [0.5, 0.5]]))
C(F + "misalignment", "pi", np.array([[0.5, 0.6]]))
C(F + "misalignment", "pi", np.array([[NAN, 1.0]]))
C(F + "posterior", "n_icl", call=lambda f: f(cmodel(), -1, 2, R()))
C(F + "posterior", "reps", call=lambda f: f(cmodel(), 1, 1, R()))
C(F + "posterior", "model", call=lambda f: f(None, 1, 2, R()))
C(F + "posterior_from_draws", "sigma", np.zeros((1, 2, 2)), np.zeros((1, 2)), PRIOR, 0.0)
C(F + "posterior_from_draws", "y", np.zeros((1, 2, 2)), np.zeros((1, 3)), PRIOR, 1.0)
C(F + "posterior_from_draws", "log_alpha", np.zeros((1, 2, 2)), np.zeros((1, 2)), np.log([0.5, 0.6]), 1.0)
C(F + "posterior_from_draws", "phi", np.full((1, 2, 2), NAN), np.zeros((1, 2)), PRIOR, 1.0)
C(F + "project_cone_T", "Z", np.array([]))
C(F + "project_cone_T", "Z", np.array([[NAN, 1.0]]))
C(F + "project_cone_T", "Z", np.array([1.0]))
C(F + "project_simplex", "backend", np.ones((2, 3)), backend="jax")
C(F + "project_simplex", "X", np.array([[NAN, 1.0]]))
C(F + "project_simplex", "device", np.ones((2, 3)), backend="torch", device="tpu")
C(F + "refined_risk", "mode", call=lambda f: f(cmodel(), np.array([[0.5, 0.5]]), "median"))
C(F + "refined_risk", "pi", call=lambda f: f(cmodel(), np.array([[0.5, 0.5, 0.0]])))
C(F + "naive_risks", "design", call=lambda f: f(cmodel(), 4, [0.1], 2, R(), design="sparse"))
C(F + "naive_risks", "sufficient", call=lambda f: f(cmodel(), 6, [0.1], 2, R(), design="gaussian", sufficient=True))
C(F + "naive_risks", "lams", call=lambda f: f(cmodel(), 4, [NAN], 2, R()))
C(F + "naive_risks", "n", call=lambda f: f(cmodel(), 2, [0.1], 2, R()))
C(F + "hull_risks", "n", call=lambda f: f(cmodel(), 2, 2, R()))
C(F + "hull_risks", "reps", call=lambda f: f(cmodel(), 4, 1, R()))
C(F + "fresh_refine_risks", "mode", call=lambda f: f(cmodel(), 1, 6, 2, R(), mode="median"))
C(F + "fresh_refine_risks", "n", call=lambda f: f(cmodel(), 1, 4, 2, R()))
C(F + "fresh_refine_risks", "n_icl", call=lambda f: f(cmodel(), -1, 6, 2, R()))

# numerics.sgd (ode) -------------------------------------------------------------------
S = "numerics.sgd."
TG = np.array([0.0, 1.0])
C(S + "integrate_overlap", "rho0", [0, 1], 1.5, TG)
C(S + "integrate_overlap", "t_grid", [0, 1], 0.5, np.array([1.0, 0.0]))
C(S + "integrate_overlap", "coeffs", [], 0.5, TG)
C(S + "integrate_overlap", "variable", [0, 1], 0.5, TG, variable="psi")
C(S + "integrate_overlap", "C", [0, 1], 0.5, TG, eta_d=0.1)
C(S + "integrate_overlap", "batch", [0, 1], 0.5, TG, eta_d=0.1, C=[1.0], batch=0)
C(S + "integrate_overlap", "eta_d", [0, 1], 0.5, TG, eta_d=-0.1)
C(S + "integrate_overlap", "a", [0, 1], 0.5, TG, a=NAN)
C(S + "integrate_overlap", "rtol", [0, 1], 0.5, TG, rtol=0.0)
C(S + "integrate_overlap", "atol", [0, 1], 0.5, TG, atol=-1.0)
C(S + "integrate_overlap", "method", [0, 1], 0.5, TG, method="Euler")
C(S + "hitting_time", "level", [0, 1], 0.5, level=1.0)
C(S + "hitting_time", "rho0", [0, 1], -1.5)
C(S + "hitting_time", "t_max", [0, 1], 0.5, t_max=0.0)
C(S + "hitting_time", "rtol", [0, 1], 0.5, rtol=-1.0)
C(S + "integrate_overlap_vector", "norm(w0)", [0, 1], np.array([1.0, 1.0]), np.array([1.0, 0.0]), TG)
C(S + "integrate_overlap_vector", "w0.shape", [0, 1], np.array([1.0, 0, 0]), np.array([1.0, 0.0]), TG)
C(S + "integrate_overlap_vector", "t_grid", [0, 1], np.array([0.0, 1.0]), np.array([1.0, 0.0]), [NAN])
C(S + "integrate_overlap_vector", "rtol", [0, 1], np.array([0.0, 1.0]), np.array([1.0, 0.0]), TG, rtol=0.0)
C(S + "plane_metrics", "norm(w0)", np.array([2.0, 0, 0]), np.array([0.0, 1, 0]), np.eye(3))
C(S + "plane_metrics", "W.shape", np.array([1.0, 0, 0]), np.array([0.0, 1, 0]), np.eye(2))
C(S + "plane_metrics", "w0", np.array([1.0, 0, 0]), np.array([1.0, 0, 0]), np.eye(3))
C(S + "plane_metrics", "U_k.shape", np.array([1.0, 0, 0]), np.array([0.0, 1, 0]), np.eye(3), U_k=np.eye(2))
C(S + "plane_metrics", "W", np.array([1.0, 0, 0]), np.array([0.0, 1, 0]), np.full((2, 3), NAN))
C(S + "relu_kernel", "c", 1.5)
C(S + "relu_kernel", "c", NAN)
C(S + "relu_kernel_prime", "c", -1.5)
C(S + "unit_frame", "d", 1, 1, 0.5)
C(S + "unit_frame", "r", 4, 5, 0.5)
C(S + "unit_frame", "rho", 4, 1, 2.0)
C(S + "unit_frame", "c_k", 4, 2, 0.5, c_k=0.1)
C(S + "integrate_mse_ode", "a0.shape", np.zeros(2), np.array([[1.0, 0.0]]), np.array([0.0, 1.0]), TG, [0, 1])
C(S + "integrate_mse_ode", "tau_a", np.zeros(1), np.array([[1.0, 0.0]]), np.array([0.0, 1.0]), TG, [0, 1],
  tau_a=-1.0)
C(S + "integrate_mse_ode", "kernel", np.zeros(1), np.array([[1.0, 0.0]]), np.array([0.0, 1.0]), TG, [0, 1],
  kernel="tanh")
C(S + "integrate_mse_ode", "norm(W0[j])", np.zeros(1), np.array([[2.0, 0.0]]), np.array([0.0, 1.0]), TG, [0, 1])
C(S + "integrate_mse_ode", "frozen.shape", np.zeros(1), np.array([[1.0, 0.0]]), np.array([0.0, 1.0]), TG, [0, 1],
  frozen=[True, False])
C(S + "integrate_mse_ode", "rtol", np.zeros(1), np.array([[1.0, 0.0]]), np.array([0.0, 1.0]), TG, [0, 1], rtol=0.0)
C(S + "forgetting", "rho0", 1.5, 0.5)
C(S + "forgetting", "rho", 0.5, 1.5)                    # silently clipped before
C(S + "forgetting", "rho", 0.5, NAN)

# numerics.sgd.montecarlo -------------------------------------------------------------------
MC = "numerics.sgd.montecarlo."
C(MC + "hermite_h", "i", -1, 0.5)
C(MC + "hermite_h", "z", 2, NAN)
C(MC + "hermite_series", "alpha", [NAN], 0.5)
C(MC + "hermite_series", "alpha", [], 0.5)
C(MC + "mc_hermite_pairs", "c", 2, 1.5, 10, R())
C(MC + "quad_pair_expectation", "cov", 1, 1, np.array([[1.0, 2.0], [2.0, 1.0]]))
C(MC + "quad_pair_expectation", "cov", 1, 1, np.array([[1.0, 1.0 + 1e-13], [1.0 + 1e-13, 1.0]]))
C(MC + "quad_pair_expectation", "cov", 1, 1, np.array([[1.0, 0.5], [0.4, 1.0]]))
C(MC + "quad_pair_expectation", "nodes", 1, 1, np.eye(2), nodes=0)
C(MC + "quad_pair_expectation", "i", -1, 1, np.eye(2))
C(MC + "mc_spherical_gradient", "rho", [0, 1], "relu", 1.5, 10, R())
C(MC + "mc_spherical_gradient", "activation", [0, 1], "tanh", 0.5, 10, R())
C(MC + "mc_spherical_gradient", "alpha", [NAN], "relu", 0.5, 10, R())
C(MC + "mc_relu_coefficients", "imax", -1, 10, R())
C(MC + "mc_relu_coefficients", "bias", 2, 10, R(), bias=NAN)
C(MC + "quad_relu_coefficient", "bias", 1, 100.0)
C(MC + "mc_relu_kernel", "c", 1.5, 10, R())
C(MC + "mc_relu_kernel", "n", 0.5, 1, R())
C(MC + "gh_expectation", "nodes", [1.0], nodes=0)
C(MC + "gh_expectation", "poly", [NAN])
C(MC + "compose", "T", [NAN], [1.0])
C(MC + "compose", "g", [1.0, 1.0], [])
C(MC + "hermite_coefficients_quadrature", "imax", [1.0], -1)
C(MC + "hermite_coefficients_quadrature", "nodes", [1.0], 2, nodes=0)
C(MC + "hermite_coefficients_quadrature", "nodes", [0.0] * 40, 30, nodes=32)   # inexact: deg 69 >= 64
C(MC + "hermite_coefficients_quadrature", "poly", [[1.0]], 2)
C(MC + "hermite_h", "i", 2.5, 0.5)
C(MC + "hermite_stack", "imax", -1, 0.5)
C(MC + "hermite_stack", "z", 2, [0.0, INF])
C(MC + "hermite_series", "alpha", np.ones((2, 2)), 0.5)
C(MC + "hermite_series", "z", [1.0], NAN)
C(MC + "mc_hermite_pairs", "n", 2, 0.5, 1, R())
C(MC + "mc_hermite_pairs", "rng", 2, 0.5, 10, 0)
C(MC + "mc_hermite_pairs_mom", "blocks", 2, 0.5, 10, 0, R())
C(MC + "mc_hermite_pairs_mom", "n", 2, 0.5, 10, 20, R())
C(MC + "mc_hermite_pairs_mom", "c", 2, NAN, 100, 2, R())
C(MC + "mc_hermite_pairs_mom", "imax", 13, 0.5, 100, 2, R())
C(MC + "mom_block_count", "false_alarm", 0.0)
C(MC + "mom_block_count", "false_alarm", 1.0)
C(MC + "mom_block_count", "false_alarm", NAN)
C(MC + "mom_block_count", "n_tests", 0.1, 0)
C(MC + "mom_halfwidth", "n", 1.0, 5, 10)
C(MC + "mom_halfwidth", "blocks", 1.0, 10, 0)
C(MC + "mom_halfwidth", "second_moment", NAN, 10, 2)
C(MC + "mom_halfwidth", "second_moment", [1.0, -0.5], 10, 2)     # silently clipped to 0 before
C(MC + "quad_hermite_pair_second_moments", "imax", -1, 0.5)
C(MC + "quad_hermite_pair_second_moments", "c", 2, 1.5)
C(MC + "quad_hermite_pair_second_moments", "nodes", 3, 0.5, nodes=6)    # 4·imax >= 2·nodes: inexact
C(MC + "quad_pair_expectation", "j", 1, 1.5, np.eye(2))
C(MC + "quad_pair_expectation", "nodes", 6, 6, np.eye(2), nodes=6)      # i + j >= 2·nodes: inexact
C(MC + "quad_pair_expectation", "cov", 1, 1, np.eye(3))
C(MC + "mc_spherical_gradient", "activation", [0, 1], [NAN], 0.5, 10, R())
C(MC + "mc_spherical_gradient", "n", [0, 1], "relu", 0.5, 1, R())
C(MC + "mc_relu_coefficients", "rng", 2, 10, None)
C(MC + "gh_moment", "nodes", lambda z: z, nodes=0)
C(MC + "gh_moment", "f", 3.0)
C(MC + "gh_moment", "f", lambda z: np.full_like(z, NAN))                 # not finite at the nodes
C(MC + "gh_moment", "f", lambda z: z[:3])                                # not vectorised
C(MC + "gh_expectation", "nodes", [0.0] * 10, nodes=4)                 # deg 9 >= 2·nodes: inexact
C(MC + "compose", "g", [1.0], [[1.0]])

# numerics.sgd.sim_* ----------------------------------------------------------------------
SC = "numerics.sgd.sim_common."
C(SC + "check_mechanism", "mechanism", "H9")
C(SC + "hermite_coeffs", "beta", "beta", [0.0] * 8)
C(SC + "hermite_coeffs", "beta", "beta", [NAN])
C(SC + "hermite_eval", "coef", np.zeros(3), 0.5)
C(SC + "hermite_eval", "coef", np.full(7, NAN), 0.5)
C(SC + "hermite_eval", "z", np.zeros(7), NAN)
C(SC + "hermite_derivative", "coef", np.zeros((2, 2)))
C(SC + "hermite_derivative", "coef", np.array([NAN, 1.0]))
C(SC + "SimConfig", "d", d=1)
C(SC + "SimConfig", "eta", d=6, eta=NAN)
# SimConfig.gamma, a dead field, was removed: SimConfig(gamma=...) is a TypeError like any unknown field
C(SC + "check_plan", "plan", object())
C(SC + "make_plan", "cfg", None, 0)
C(SC + "make_plan", "seed", call=lambda f: f(sim_cfg(), -1))
C(SC + "make_plan", "run", call=lambda f: f(sim_cfg(), 0, -1))
C(SC + "input_blocks", "block", call=lambda f: next(f(plan(), block=0)))
C(SC + "input_blocks", "plan", call=lambda f: next(f(None)))
C(SC + "labels", "X", call=lambda f: f(plan(), np.zeros((2, 3))))
C(SC + "labels", "plan", call=lambda f: f(None, np.zeros((2, 7))))
C(SC + "act", "plan", None, np.zeros(3))
C(SC + "act", "z", call=lambda f: f(plan(), np.array([NAN])))
C(SC + "act_prime", "plan", None, np.zeros(3))
C(SC + "act_prime", "z", call=lambda f: f(plan(), np.array([INF])))
C(SC + "phase2", "n2", call=lambda f: f(_sim_result(), 0, 1.0, 0))
C(SC + "phase2", "nu", call=lambda f: f(_sim_result(), 4, 0.0, 0))
C(SC + "phase2", "n_test", call=lambda f: f(_sim_result(), 4, 1.0, 0, n_test=1))
C(SC + "phase2", "res", None, 4, 1.0, 0)
C(SC + "phase2", "seed", call=lambda f: f(_sim_result(), 4, 1.0, -1))


def _sim_result():
    from numerics.sgd.sim_common import SimResult
    p = plan()
    return SimResult(p.W0.copy(), p.a.copy(), p)


for _mod in ("sim_numpy", "sim_numba"):
    SN = f"numerics.sgd.{_mod}."
    C(SN + "run_plan", "plan", None)
    C(SN + "simulate", "cfg", None, 0)
    C(SN + "simulate", "seed", call=lambda f: f(sim_cfg(), -1))
    C(SN + "simulate_runs", "runs", call=lambda f: f(sim_cfg(), 0, 0))
C("numerics.sgd.sim_numpy.run_plan", "record_every", call=lambda f: f(plan(), record_every=-1))
ST = "numerics.sgd.sim_torch."
C(ST + "simulate_runs", "device", call=lambda f: f(sim_cfg(), 0, 1, device="tpu"))
C(ST + "simulate_runs", "runs", call=lambda f: f(sim_cfg(), 0, 0))
C(ST + "simulate", "device", call=lambda f: f(sim_cfg(), 0, device="tpu"))
C(ST + "simulate", "cfg", None, 0)
C(ST + "run_plans", "plans", [])
C(ST + "run_plans", "plans", [None])
C(ST + "run_plans", "device", call=lambda f: f([plan()], device="tpu"))
C(ST + "cpu_threads", "threads", call=lambda f: f(1, 1, 1, threads=0).__enter__())
SO = "numerics.sgd.sim_ode."
C(SO + "label_coeffs", "transform", [0, 1], transform="cube")
C(SO + "label_coeffs", "alpha", [NAN])
C(SO + "phi", "rho", 1.5, np.zeros(15), [0, 1])
C(SO + "phi", "c", 0.5, np.zeros(3), [0, 1])
C(SO + "phi_prime", "rho", NAN, np.zeros(15), [0, 1])
C(SO + "phi_prime", "c", 0.5, np.full(15, NAN), [0, 1])
C(SO + "noise_c", "rho", 1.5, np.zeros(15), [0, 1])
C(SO + "noise_c", "c", 0.5, np.zeros(2), [0, 1])
C(SO + "flow", "rho0", 1.5, [1.0], np.zeros(15), [0, 1])
C(SO + "flow", "times", 0.5, [-1.0], np.zeros(15), [0, 1])
C(SO + "flow", "eta_d", 0.5, [1.0], np.zeros(15), [0, 1], eta_d=-1.0)
C(SO + "flow", "sign", 0.5, [1.0], np.zeros(15), [0, 1], sign=NAN)
C(SO + "forgetting_e5", "rho0", 1.5, 0.5)
C(SO + "forgetting_e5", "rho_t", 0.5, -1.5)
SR = "numerics.sgd.sim_reduced."
C(SR + "hitting_steps", "d", 2, 0.1, 0.1, [0, 1], [0, 1], 0, 1)
C(SR + "hitting_steps", "max_steps", 5, 0.1, 0.1, [0, 1], [0, 1], 0, 1, max_steps=0)
C(SR + "hitting_steps", "block", 5, 0.1, 0.1, [0, 1], [0, 1], 0, 1, block=0)
C(SR + "hitting_steps", "seed", 5, 0.1, 0.1, [0, 1], [0, 1], -1, 1)
C(SR + "hitting_steps", "rho0", 5, 0.1, 1.5, [0, 1], [0, 1], 0, 1)
C(SR + "overlap_at", "runs", 5, 0.1, 0.1, 3, [0, 1], [0, 1], 0, 0)
C(SR + "overlap_at", "n_steps", 5, 0.1, 0.1, -1, [0, 1], [0, 1], 0, 1)
C(SR + "overlap_at", "transform", 5, 0.1, 0.1, 3, [0, 1], [0, 1], 0, 1, transform="cube")

# numerics.sweep --------------------------------------------------------------------------
SW = "numerics.sweep."
C(SW + "canonical_json", "x", {"a": object()})
C(SW + "check_scheduler_address", "scheduler", "tcp://127.0.0.1:99999")
C(SW + "check_scheduler_address", "scheduler", "notaurl")
C(SW + "Job", "target", "", "m:f")
C(SW + "Job", "fn", "t", "nocolon")
C(SW + "Job", "seed", "t", "m:f", seed=-1)
C(SW + "Job", "params", "t", "m:f", params={"a": object()})
C(SW + "resolve", "fn", "numerics:no_such_function")
C(SW + "run_job", "job", None)
C(SW + "run_batch", "jobs", None)
C(SW + "batches", "batch_size", [], 0)
C(SW + "auto_batch_size", "n_jobs", -1, 1)
C(SW + "auto_batch_size", "n_workers", 4, 0)
C(SW + "LocalPool", "workers", 0)
C(SW + "Dask", "workers", n_workers=-1)
C(SW + "connect_timeout", "W2S_DASK_CONNECT_TIMEOUT", call=lambda f: _with_env("W2S_DASK_CONNECT_TIMEOUT", "99", f))
C(SW + "make_executor", "executor", "threads")
C(SW + "make_executor", "scheduler", "inprocess", scheduler="tcp://x:1")
C(SW + "make_executor", "timeout", "inprocess", timeout=-1.0)
C(SW + "sweep", "batch_size", [], batch_size=0)
C(SW + "sweep", "executor", [], executor="inprocess")

# numerics.wspo ------------------------------------------------------------------------------
WS = "numerics.wspo."
A3, B3, C3 = np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.25, 0.25]), np.array([0.3, 0.3, 0.4])
Z3 = np.zeros(3)
C(WS + "check_gamma", "gamma", 0.0)
C(WS + "check_same_vocab", "b", a=A3, b=A3[:2])
C(WS + "check_policies", "pi_ref_w", A3, B3, np.array([0.0, 0.5, 0.5]))
C(WS + "check_policies", "pi_ref_s", A3 * 2, B3, C3)
C(WS + "check_data", "d", A3, 4)
C(WS + "smooth", "eps", A3, 2.0)
C(WS + "smooth", "p", A3 * 2, 0.1)
C(WS + "delta", "pi_r_w", B3 * 2, C3)
C(WS + "delta", "pi_ref_w", B3, np.array([0.0, 0.5, 0.5]))
C(WS + "delta", "pi_ref_w", B3, C3[:2])
C(WS + "tilt", "gamma", A3, Z3, 0.0)
C(WS + "tilt", "pi_ref_s", A3 * 2, Z3, 1.0)
C(WS + "tilt", "dlt", A3, np.zeros(2), 1.0)
C(WS + "tilt", "dlt", A3, np.array([NAN, 0, 0]), 1.0)
C(WS + "tilt_from", "gamma", A3, B3, C3, 0.0)
C(WS + "tilt_from", "pi_ref_w", A3, B3, np.array([0.0, 0.5, 0.5]), 1.0)
C(WS + "log_softmax", "z", np.array([NAN, 0.0]))
C(WS + "log_softmax", "z", np.array([INF, 0.0]))
for _f in ("residual", "loss", "grad", "hessian"):
    args = (Z3, A3, np.log(A3), Z3) if _f != "residual" else (Z3, np.log(A3), Z3)
    C(WS + _f, "gamma", *args, 0.0)
    bad = list(args)
    bad[-1] = np.zeros(2)
    C(WS + _f, "dlt", *bad, 1.0)
    bad = list(args)
    bad[0] = np.array([NAN, 0.0, 0.0])
    C(WS + _f, "z", *bad, 1.0)
C(WS + "loss", "d", Z3, A3 * 2, np.log(A3), Z3, 1.0)
C(WS + "grad", "l_ref", Z3, A3, np.full(3, NAN), Z3, 1.0)
C(WS + "minimise", "gamma", A3, A3, Z3, 0.0)
C(WS + "minimise", "scale", A3, A3, Z3, 1.0, scale=0.0)
C(WS + "minimise", "backend", A3, A3, Z3, 1.0, backend="jax")
C(WS + "minimise", "z0", A3, A3, Z3, 1.0, z0=np.zeros(2))
C(WS + "minimise", "gtol", A3, A3, Z3, 1.0, gtol=0.0)
C(WS + "minimise", "delta", A3, A3, np.zeros(2), 1.0)
C(WS + "minimise", "pi_ref_s", A3, A3 * 2, Z3, 1.0)
C(WS + "minimise", "d", np.array([0.5, 0.5]), A3, Z3, 1.0)
C(WS + "minimise", "device", A3, A3, Z3, 1.0, backend="torch", device="tpu")
C(WS + "minimise_batch", "D", A3, A3, Z3, 1.0, Z3)
C(WS + "minimise_batch", "z0", A3[None], A3, Z3, 1.0, np.zeros(2))
C(WS + "minimise_batch", "max_iter", A3[None], A3, Z3, 1.0, Z3, max_iter=0)
C(WS + "minimise_batch", "gamma", A3[None], A3, Z3, 0.0, Z3)
C(WS + "on_policy", "iters", A3, Z3, 1.0, iters=0)
C(WS + "on_policy", "rng", A3, Z3, 1.0, n=5)
C(WS + "on_policy", "gamma", A3, Z3, -1.0, iters=1)
C(WS + "on_policy", "pi_ref_s", A3 * 2, Z3, 1.0, iters=1)
C(WS + "kl", "p", A3 * 2, B3)
C(WS + "kl", "q", A3, B3[:2])
C(WS + "tv", "q", A3, B3 + 1)
C(WS + "tv", "p", A3[:2], B3)
LP = np.zeros((2, 3))
C(WS + "residuals", "gamma", LP, LP, LP, LP, np.ones((2, 3)), 0.0)
C(WS + "residuals", "lp_ref_w", LP, LP, LP, np.zeros((2, 2)), np.ones((2, 3)), 1.0)
C(WS + "residuals", "lp_theta", LP * NAN, LP, LP, LP, np.ones((2, 3)), 1.0)
C(WS + "seq_loss", "weights", LP, LP, LP, LP, np.ones((2, 3)), 1.0, weights=[1.0])
C(WS + "seq_loss", "weights", LP, LP, LP, LP, np.ones((2, 3)), 1.0, weights=[1.0, -0.5])
C(WS + "seq_loss", "mask", LP[0], LP[0], LP[0], LP[0], np.ones(3), 1.0)
C(WS + "seq_loss", "gamma", LP, LP, LP, LP, np.ones((2, 3)), INF)


def _t(a):
    import torch
    return torch.as_tensor(np.asarray(a, dtype=float))


C(WS + "seq_loss_torch", "gamma", call=lambda f: f(*(_t(LP),) * 4, _t(np.ones((2, 3))), 0.0))
C(WS + "seq_loss_torch", "lp_ref_s", call=lambda f: f(_t(LP), _t(np.zeros((2, 2))), _t(LP), _t(LP),
                                                     _t(np.ones((2, 3))), 1.0))
C(WS + "seq_loss_torch", "weights", call=lambda f: f(*(_t(LP),) * 4, _t(np.ones((2, 3))), 1.0,
                                                    weights=_t([1.0, 1.0, 1.0])))
C(WS + "adam_numpy", "steps", Z3, lambda x: x, -1, 0.1)
C(WS + "adam_numpy", "lr", Z3, lambda x: x, 1, 0.0)
C(WS + "adam_numpy", "betas", Z3, lambda x: x, 1, 0.1, betas=(1.5, 0.999))
C(WS + "adam_numpy", "eps", Z3, lambda x: x, 1, 0.1, eps=-1.0)
C(WS + "adam_numpy", "x0", np.array([NAN]), lambda x: x, 1, 0.1)
C(WS + "adam_torch", "steps", Z3, lambda x: x.sum(), -1, 0.1)
C(WS + "adam_torch", "betas", Z3, lambda x: x.sum(), 1, 0.1, betas=(0.9, 1.0))
C(WS + "adam_torch", "device", Z3, lambda x: x.sum(), 1, 0.1, device="tpu")
C(WS + "adam_torch", "lr", Z3, lambda x: x.sum(), 1, NAN)

AR = "numerics.wspo.ar."
C(AR + "n_prefixes", "V", 1, 2)
C(AR + "n_prefixes", "T", 2, 0)
C(AR + "check_table", "Z0", "Z0", np.zeros((2, 2)), 2, 2)
C(AR + "check_table", "Z0", "Z0", np.full((3, 2), NAN), 2, 2)
C(AR + "prefix_index", "Y", np.array([[0, 2]]), 2)
C(AR + "prefix_index", "Y", np.array([0, 1]), 2)
C(AR + "prefix_index", "V", Y2, 1)
C(AR + "check_sequences", "Y", np.array([[0.5, 1.0]]), 2)
C(AR + "check_sequences", "V", Y2, 0)
C(AR + "enumerate_sequences", "V", 1, 2)
C(AR + "enumerate_sequences", "T", 2, 7)
C(AR + "log_softmax", "Z", np.array([[NAN, 0.0]]))
C(AR + "token_logprobs", "Y", np.zeros((3, 2)), np.array([[0, 5]]), 2)
C(AR + "token_logprobs", "Z", np.zeros((2, 2)), Y2, 2)
C(AR + "seq_logprob", "Y", np.zeros((3, 2)), np.array([[-1, 0]]), 2)
C(AR + "token_tilt", "gamma", np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), 0.0)
C(AR + "token_tilt", "Z_r_w", np.zeros((3, 2)), np.zeros((2, 2)), np.zeros((3, 2)), 1.0)
C(AR + "seq_tilt", "gamma", np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), 0.0, 2, 2)
C(AR + "seq_tilt", "Z_ref_w", np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((2, 2)), 1.0, 2, 2)
C(AR + "seq_probs", "Z", np.zeros((2, 2)), 2, 2)
C(AR + "sample", "n", np.zeros((3, 2)), 0, 2, 2, R())
C(AR + "sample", "Z", np.zeros((2, 2)), 3, 2, 2, R())
C(AR + "loss", "refs", call=lambda f: f(np.zeros((3, 2)), Y2, [0.5, 0.5], ar_refs()[:2], 1.0, 2))
C(AR + "loss", "gamma", call=lambda f: f(np.zeros((3, 2)), Y2, [0.5, 0.5], ar_refs(), 0.0, 2))
C(AR + "loss", "w", call=lambda f: f(np.zeros((3, 2)), Y2, [0.5], ar_refs(), 1.0, 2))
C(AR + "grad", "gamma", call=lambda f: f(np.zeros((3, 2)), Y2, [0.5, 0.5], ar_refs(), 0.0, 2))
C(AR + "grad", "w", call=lambda f: f(np.zeros((3, 2)), Y2, [0.5, 0.5, 0.0], ar_refs(), 1.0, 2))
C(AR + "grad", "Z", call=lambda f: f(np.zeros((2, 2)), Y2, [0.5, 0.5], ar_refs(), 1.0, 2))
C(AR + "torch_loss_fn", "gamma", call=lambda f: f(Y2, [0.5, 0.5], ar_refs(), 0.0, 2))
C(AR + "torch_loss_fn", "Y", call=lambda f: f(np.array([[0, 3]]), [1.0], ar_refs(), 1.0, 2))
C(AR + "fit", "backend", call=lambda f: f(Y2, [0.5, 0.5], ar_refs(), 1.0, np.zeros((3, 2)), 1, V=2, backend="jax"))
C(AR + "fit", "Z0", call=lambda f: f(Y2, [0.5, 0.5], ar_refs(), 1.0, np.zeros((2, 2)), 1, V=2))
C(AR + "fit", "steps", call=lambda f: f(Y2, [0.5, 0.5], ar_refs(), 1.0, np.zeros((3, 2)), -1, V=2))
C(AR + "fit_exact", "Z0", call=lambda f: f(Y2, [0.5, 0.5], ar_refs(), 1.0, np.zeros((2, 2)), 2))
C(AR + "fit_exact", "gamma", call=lambda f: f(Y2, [0.5, 0.5], ar_refs(), 0.0, np.zeros((3, 2)), 2))
C(AR + "fit_exact", "gtol", call=lambda f: f(Y2, [0.5, 0.5], ar_refs(), 1.0, np.zeros((3, 2)), 2, gtol=0.0))
C(AR + "on_policy", "rounds", call=lambda f: f(ar_refs(), 1.0, 2, 2, 0, 4, 1, 0.1, R()))
C(AR + "on_policy", "solver", call=lambda f: f(ar_refs(), 1.0, 2, 2, 1, 4, 1, 0.1, R(), solver="sgd"))
C(AR + "on_policy", "n", call=lambda f: f(ar_refs(), 1.0, 2, 2, 1, 0, 1, 0.1, R()))
C(AR + "on_policy", "gamma", call=lambda f: f(ar_refs(), 0.0, 2, 2, 1, 4, 1, 0.1, R()))

CX = "numerics.wspo.contextual."
C(CX + "make_bandit", "vocab", R(), 1, 2, 2)
C(CX + "make_bandit", "scale", R(), 3, 2, 2, scale=NAN)
C(CX + "logprobs", "W", np.zeros((3, 4)), np.zeros((2, 2)))
C(CX + "logprobs", "X", np.zeros((3, 2)), np.full((2, 2), NAN))
C(CX + "sample_data", "n", call=lambda f: f(bandit(), bandit().A_s, 0, R()))
C(CX + "sample_data", "W", call=lambda f: f(bandit(), np.zeros((2, 2)), 4, R()))
C(CX + "population_data", "W", call=lambda f: f(bandit(), np.zeros((3, 5))))


def _data():
    from numerics.wspo import contextual
    return contextual.population_data(bandit(), bandit().A_s)


for _f in ("loss", "grad"):
    C(CX + _f, "gamma", call=lambda f: f(bandit().A_s, bandit(), _data(), 0.0))
    C(CX + _f, "W", call=lambda f: f(np.zeros((2, 2)), bandit(), _data(), 1.0))
C(CX + "torch_loss_fn", "gamma", call=lambda f: f(bandit(), _data(), 0.0))
C(CX + "torch_loss_fn", "device", call=lambda f: f(bandit(), _data(), 1.0, device="tpu"))
C(CX + "fit", "W0", call=lambda f: f(bandit(), _data(), 1.0, np.zeros((2, 2)), 1))
C(CX + "fit", "backend", call=lambda f: f(bandit(), _data(), 1.0, bandit().A_s, 1, backend="jax"))
C(CX + "fit", "gamma", call=lambda f: f(bandit(), _data(), 0.0, bandit().A_s, 1))
C(CX + "fit_exact", "gamma", call=lambda f: f(bandit(), _data(), 0.0, bandit().A_s))
C(CX + "fit_exact", "W0", call=lambda f: f(bandit(), _data(), 1.0, np.zeros((2, 2))))
C(CX + "fit_exact", "max_iter", call=lambda f: f(bandit(), _data(), 1.0, bandit().A_s, max_iter=0))
C(CX + "on_policy", "rounds", call=lambda f: f(bandit(), 1.0, 0, 1))
C(CX + "on_policy", "solver", call=lambda f: f(bandit(), 1.0, 1, 1, solver="sgd"))
C(CX + "on_policy", "rng", call=lambda f: f(bandit(), 1.0, 1, 1, n=4))
C(CX + "on_policy", "gamma", call=lambda f: f(bandit(), 0.0, 1, 1))
C(CX + "on_policy_gd", "steps", call=lambda f: f(bandit(), 1.0, -1))
C(CX + "on_policy_gd", "lr", call=lambda f: f(bandit(), 1.0, 1, lr=0.0))
C(CX + "on_policy_gd", "W0", call=lambda f: f(bandit(), 1.0, 1, W0=np.zeros((2, 2))))
C(CX + "mean_tv", "W2", np.zeros((3, 2)), np.zeros((3, 4)), np.zeros((2, 2)))
C(CX + "mean_tv", "X", np.zeros((3, 2)), np.zeros((3, 2)), np.full((2, 2), INF))
C(CX + "Bandit", "A_w", np.zeros((2, 2)), np.zeros((3, 2)), np.zeros((4, 2)), np.zeros((3, 2)))
C(CX + "Bandit", "X", np.full((2, 2), NAN), np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)))
C(CX + "Data", "w", np.array([0, 1]), np.array([0, 1]), np.array([0.5, 0.6]))
C(CX + "Data", "act", np.array([0, 1]), np.array([0]), np.array([0.5, 0.5]))

GA = "numerics.wspo.gaussian."
GOOD = (0.0, 1.0, 0.5, 1.0, 0.0, 2.0)
C(GA + "closed_form", "gamma", *GOOD, 0.0)
C(GA + "closed_form", "sigma_r", 0.0, 0.0, 0.5, 1.0, 0.0, 2.0, 1.0)
C(GA + "closed_form", "mu_r", NAN, 1.0, 0.5, 1.0, 0.0, 2.0, 1.0)
C(GA + "log_unnormalised", "sigma_w", 0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 2.0, 1.0)
C(GA + "log_unnormalised", "gamma", 0.0, *GOOD, 0.0)
C(GA + "log_unnormalised", "mu_wr", 0.0, 0.0, 1.0, 0.5, 1.0, INF, 2.0, 1.0)
C(GA + "quadrature_moments", "half_width", *GOOD, 1.0, 0.0)
C(GA + "quadrature_moments", "sigma_wr", 0.0, 1.0, 0.5, 1.0, 0.0, -2.0, 1.0, 5.0)
C(GA + "quadrature_moments", "gamma", *GOOD, NAN, 5.0)

# ------------------------------------------------------------------ reasoned exemptions

_RECORD = "a result record (plain dataclass of outputs); it has no inputs to validate"
EXEMPT: dict[str, str] = {
    "numerics.BinomialCI": _RECORD, "numerics.Equivalence": _RECORD, "numerics.MeanCI": _RECORD,
    "numerics.SlopeFit": _RECORD, "numerics.misfit.LineFit": _RECORD, "numerics.misfit.ReplicaResult": _RECORD,
    "numerics.misfit.HeadInstance": _RECORD + " (built by the validated *_instance constructors)",
    "numerics.sgd.sim_common.SimResult": _RECORD, "numerics.sweep.JobResult": _RECORD, "numerics.wspo.Fit": _RECORD, "numerics.wspo.Tilt": _RECORD,
    "numerics.sgd.sim_common.Plan": "built only by make_plan from a validated SimConfig (the backends' input record)",
    "numerics.refinement.ConceptModel": "construct with concept_model, which validates every field",
    "numerics.InvalidParameter": "the exception itself",
    "numerics.DegenerateSample": "an exception (a sample on which an interval is undefined; see the test below)",
    "numerics.cuda_available": "takes no parameters",
    "numerics.sweep.InProcess": "takes no parameters",
    "numerics.wspo.single_thread": "a context manager without parameters",
    "numerics.misfit.project_simplex_numba": "compiled numba kernel (nopython: no Python-level checks); its one "
                                             "caller hull_coef validates the design",
    "numerics.sgd.sim_numba.run_block": "compiled numba kernel fed by run_plan from a validated Plan",
    "numerics.sgd.sim_numba.run_block_many": "compiled numba kernel fed from validated Plans",
    "numerics.sgd.sim_numpy.step": "the per-step inner loop of run_plan (validated once there); a check per SGD "
                                   "step would dominate the reference loop",
    "numerics.sgd.sim_torch.advance": "the per-block inner loop of run_plans (validated once there)",
}


# ------------------------------------------------------------------ the tests

@pytest.fixture(scope="module")
def surface() -> dict[str, Callable]:
    return public_callables()


def test_every_public_callable_is_covered(surface):
    cased = {c.path for c in CASES}
    missing = sorted(m for m in set(surface) - cased - set(EXEMPT) if not _owner(m))
    assert not missing, f"public numerics callables with neither a bad-input case nor a reasoned exemption: {missing}"
    both = sorted(cased & set(EXEMPT))
    assert not both, f"both cased and exempt: {both}"
    assert all(len(r) > 15 for r in EXEMPT.values())


def test_no_stale_entries(surface):
    stale = sorted(p for p in {c.path for c in CASES} | set(EXEMPT) if p not in surface and not _owner(p))
    assert not stale, f"table entries naming no public callable (renamed or removed?): {stale}"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label, marks=c.marks) for c in CASES])
def test_bad_input_raises_invalid_parameter(case: Case, surface):
    if case.path not in surface:
        pytest.fail(f"{case.path} is not public (renamed?)")
    with pytest.raises(InvalidParameter) as e:
        case.call(surface[case.path])
    assert e.value.name == case.param, f"{case.path}: InvalidParameter names {e.value.name!r}, expected {case.param!r}"
    assert e.value.allowed and "allowed" in str(e.value)


@pytest.mark.parametrize("call", [
    lambda: numerics.mean_ci([1.0]),
    lambda: numerics.mean_ci([1.0, NAN]),
    lambda: numerics.mean_ci([2.0, 2.0, 2.0]),
    lambda: numerics.loglog_slope([1, 2, 4], [1, 2, -4]),
    lambda: numerics.loglog_slope([1, 1, 1], [1, 2, 4]),
    lambda: numerics.tost([1.0, 1.0], 1.0),
], ids=["one", "nan", "zero-var", "nonpositive", "equal-x", "tost-zero-var"])
def test_degenerate_samples_raise_degenerate_sample(call):
    """Data (not parameters) on which an interval is undefined raise DegenerateSample, which the
    engine reports as a failed check (issue 9 §4) — never a nan interval."""
    with pytest.raises(numerics.DegenerateSample):
        call()

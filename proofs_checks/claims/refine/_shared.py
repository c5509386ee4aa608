"""Helpers shared by the REFINE claims (refinement.md §3-4): the canonical toy model of Somerstep, Polo
et al., arXiv 2405.16236, its closed forms (A, B, C) = (ε_P², ε_Q′², C), Hypothesis-drawn points and
Monte-Carlo summaries.  Every statistical tolerance uses the family's false-alarm rate FA."""
from __future__ import annotations

from numerics import CHECK_FALSE_ALARM

import math
from typing import Any, Callable, Iterable, Mapping

import numpy as np

import numerics.refinement as nr
from theory.refinement import icl as ti
from theory.refinement import naive as tn

from ..._claim import Citation
from ..._domain import Domain
from ..._statement import current_claim, statement_part
from .._common import SOMERSTEP

ARXIV = "2405.16236"
BIAS_ID = "refine.bias_quantities"
NAIVE_ID = "refine.naive_risk"
FA = CHECK_FALSE_ALARM  # the suite budget per statistical check (numerics._stats); Bonferroni within a check
# the spec's worked example (REFINE-2/4/11): α = (0.2, 0.5, 0.3), κ = 0.6, Δ = 0.8
SPEC_EXAMPLE: Mapping[str, Any] = dict(K=3, a1=0.2, zeta=math.log(0.5 / 0.3), kappa=0.6, delta=0.8)


def cite(where: str, spec: str) -> Citation:
    return Citation(SOMERSTEP, ARXIV, where, f"refinement.md §4 {spec}")


def alpha_from(p: Mapping[str, Any]) -> list[float]:
    """α from scalars: α_1 = a1, α_k ∝ exp(−ζ(k−2)) for k ≥ 2 (or p['alpha'] if given)."""
    if p.get("alpha") is not None:
        return list(p["alpha"])
    K, a1, z = p["K"], p["a1"], p.get("zeta", 0.0)
    w = np.exp(-z * np.arange(K - 1))
    rest = (1 - a1) * w / w.sum()
    return [a1] + [float(x) for x in rest]


def model_from(p: Mapping[str, Any], d: int | None = None) -> nr.ConceptModel:
    return nr.concept_model(p["K"], d if d is not None else p["d"], alpha_from(p), p.get("sigma", 1.0),
                            kappa=p.get("kappa", 1.0), delta=p.get("delta", 0.0), eta=p.get("eta", 0.0),
                            tau=p.get("tau", 0.0))


def naive_abc(p: Mapping[str, Any]) -> tuple[float, float, float]:
    """(A, B, C) = (ε_P², ε_Q′², C) at a parameter point, read from REFINE-1's statement
    (refine.bias_quantities; its perturbed copy while that claim's battery runs)."""
    al = alpha_from(p)
    k, D = float(p.get("kappa", 1.0)), float(p.get("delta", 0.0))
    fa = stmt_fn(BIAS_ID, ("alpha_1", "sum_{k>=2} alpha_k^2"), index=0, modules="math")
    fb = stmt_fn(BIAS_ID, ("kappa", "Delta"), index=1, modules="math")
    fc = stmt_fn(BIAS_ID, ("alpha_1", "kappa"), index=2, modules="math")
    return float(fa(al[0], sum(a * a for a in al[1:]))), float(fb(k, D)), float(fc(al[0], k))


def naive_variance(p: Mapping[str, Any]) -> float:
    """V = (σ² + η²)·d/n, the label-noise term of the REFINE-2 risk (orthogonal design)."""
    return (p["sigma"] ** 2 + p["eta"] ** 2) * p["d"] / p["n"]


def naive_closed(p: Mapping[str, Any]) -> float:
    """REFINE-2's statement (refine.naive_risk) E R = t²A + (1−t)²(B + s²d/n) + 2t(1−t)C at
    t = λ/(1+λ), s² = σ² + η²."""
    A, B, C = naive_abc(p)
    f = stmt_fn(NAIVE_ID, ("t", "A", "B", "C", "s", "d", "n"), modules="math")
    return float(f(p["lam"] / (1 + p["lam"]), A, B, C, math.sqrt(p["sigma"] ** 2 + p["eta"] ** 2), p["d"], p["n"]))


def risk_in_t(tg: np.ndarray, A: float, B: float, C: float) -> np.ndarray:
    """Population risk t²A + (1−t)²B + 2t(1−t)C of REFINE-2/4 on a grid of t (pass B + V for finite n)."""
    return tg ** 2 * A + (1 - tg) ** 2 * B + 2 * tg * (1 - tg) * C


def gamma_rho_star(kappa: float, delta: float, eta: float) -> tuple[float, float]:
    """(γ*, ρ*) of REFINE-8 for a strong model with σ = 1 and weak noise s² = 1 + η² + Δ²."""
    return ti.gamma_rho_star_f(kappa, 1 + eta ** 2 + delta ** 2, 1.0)


def reference_case(alpha: list[float], kappa: float, delta: float, eta: float) -> tuple[nr.ConceptModel, float, float]:
    """A REFINE-8/10 reference case: the concept model (K = 3, d = 6, σ = 1) and its (γ*, ρ*)."""
    model = nr.concept_model(3, 6, alpha, 1.0, kappa=kappa, delta=delta, eta=eta)
    return (model, *gamma_rho_star(kappa, delta, eta))


def soft_misalignment(model: nr.ConceptModel, m: int, R: int, rng: np.random.Generator) -> np.ndarray:
    """R draws of the soft ICL posterior misalignment M = 1 − π_1 after m examples (REFINE-8)."""
    return nr.misalignment(nr.posterior(model, m, R, rng))["soft"]


def mean_lower(x: np.ndarray, z: float, R: int) -> float:
    """mean − z·se of R draws: the one-sided lower confidence bound at the z given."""
    return x.mean() - z * x.std(ddof=1) / math.sqrt(R)


def mean_upper(x: np.ndarray, z: float, R: int) -> float:
    """mean + z·se of R draws: the one-sided upper confidence bound at the z given."""
    return x.mean() + z * x.std(ddof=1) / math.sqrt(R)


def mean_se_series(xs: Iterable[Any], sample: Callable[[Any], np.ndarray], R: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of the R draws ``sample(x)`` at each x (the points of a Rate fit)."""
    y, se = [], []
    for v in xs:
        x = sample(v)
        y.append(x.mean())
        se.append(x.std(ddof=1) / math.sqrt(R))
    return np.array(y), np.array(se)


def hyp_points(domain: Domain, ctx, tag: str, count: int) -> list[dict[str, Any]]:
    """``count`` parameter points drawn by Hypothesis from ``domain`` (seeded from ctx), for numeric
    checks that compare closed forms with simulation across the domain."""
    from hypothesis import HealthCheck, Phase, given, seed, settings

    pts: list[dict[str, Any]] = []

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @seed(ctx.seed_for(tag, "points"))
    @given(domain.strategy())
    def collect(p):
        if len(pts) < count:
            pts.append(dict(p))

    collect()
    return pts


def fmt_params(p: Mapping[str, Any]) -> str:
    """A parameter point as '{k=v, ...}' for failure details."""
    return "{" + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in p.items()) + "}"


# ------------------------------------------------------------ one source of truth (issue 9 §2)
_FN_CACHE: dict[Any, Callable[..., Any]] = {}


def claim_statement(claim_id: str) -> Any:
    """The statement of ``claim_id``: the running claim's (perhaps perturbed) statement when a check
    of that claim is running, else the registered claim's (tables and helpers called outside a check)."""
    try:
        c = current_claim()
    except RuntimeError:
        c = None
    if c is None or c.id != claim_id:
        from ..._registry import get
        c = get(claim_id)
    return c.statement()


def stmt_expr(claim_id: str, part: str = "rhs", index: int | None = None) -> Any:
    """``part`` (lhs / rhs / margin / expr) of the claim's statement, or of its ``index``-th relation."""
    s = claim_statement(claim_id)
    return statement_part(s if index is None else s[index], part)


def stmt_symbol(expr: Any, name: str) -> Any:
    """The free symbol of ``expr`` named ``name`` (a fresh plain Symbol if it does not occur)."""
    import sympy as sp

    return next((x for x in expr.free_symbols if str(x) == name), sp.Symbol(name))


def stmt_fn(claim_id: str, names: Iterable[str], part: str | Callable[[Any], Any] = "rhs", index: int | None = None,
            modules: str = "numpy") -> Callable[..., Any]:
    """Lambdify a part of the claim's statement over its symbols named ``names`` (cached by the
    statement itself, so a perturbed statement gets its own function).  ``part`` is lhs / rhs /
    margin / expr, or a function of the (indexed) statement giving the expression (e.g. the
    argument of a limit)."""
    import sympy as sp

    s = claim_statement(claim_id)
    names = tuple(names)
    key = (s, names, part, index, modules)
    fn = _FN_CACHE.get(key)
    if fn is None:
        rel = s if index is None else s[index]
        e = part(rel) if callable(part) else statement_part(rel, part)
        fn = sp.lambdify([stmt_symbol(e, nm) for nm in names], e, modules=modules)
        _FN_CACHE[key] = fn
    return fn

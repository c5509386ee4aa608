"""REFINE-1 (refinement.md §4): toy bias quantities eps_P^2, eps_Q'^2 and the cross term C of
the lower bound — Somerstep, Polo et al., arXiv 2405.16236, Thm/Prop 3.2 (toy reconstruction).
"""
from __future__ import annotations

from numerics import mean_ci
from theory.refinement import naive as tn

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._registry import register
from ._params import P_A1, P_DELTA, P_K, P_KAPPA, P_ZETA, dom
from ._shared import BIAS_ID, FA, cite, claim_statement, fmt_params, hyp_points, model_from, naive_abc

D1 = dom(P_K, P_A1, P_ZETA, P_KAPPA, P_DELTA)


def _bias_numeric(ctx) -> Outcome:
    """MC of E[((b − β_1)ᵀφ)²], φ ~ N(0, I_d), for b = β_P and β^w, and of the cross term
    E[((β_P − β_1)ᵀφ)((β^w − β_1)ᵀφ)], at Hypothesis-drawn points, against the statement's right sides."""
    pts = hyp_points(D1, ctx, "refine.bias_quantities", ctx.pick(6, 30))
    N = ctx.pick(20_000, 200_000)
    z_tests = 3 * len(pts)
    worst, lines = 0.0, []
    for i, p in enumerate(pts):
        M = model_from(p, d=p["K"] + 1)
        A, B, C = naive_abc(p)
        phi = ctx.rng("refine.bias_quantities", i).standard_normal((N, M.d))
        a, b_ = phi @ (M.beta_p - M.beta_tgt), phi @ (M.beta_w - M.beta_tgt)
        for name, x, val in (("eps_P^2", a * a, A), ("eps_Q'^2", b_ * b_, B), ("C", a * b_, C)):
            ci = mean_ci(x, FA, z_tests)
            if not ci.contains(val):
                lines.append(f"{name} at {fmt_params(p)}: MC {ci} vs {val:.6g}")
            worst = max(worst, abs(ci.mean - val) / max(ci.high - ci.mean, 1e-300))
    ok = not lines
    return Outcome(ok, (f"{len(pts)} Hypothesis points × 3 quantities, {N} draws each: every Student-t CI "
                        f"(false-alarm {FA:g}, Bonferroni over {z_tests}) contains the statement's value")
                   if ok else "; ".join(lines), ("max |MC − formula|/CI half-width", worst))


def _bias_property(p) -> float:
    """The statement's values (naive_abc) vs the model's vectors (numerics, an independent path):
    margin = 1e-12·scale − error."""
    M = model_from(p, d=p["K"] + 1)
    A, B, C = naive_abc(p)
    a, b = M.beta_p - M.beta_tgt, M.beta_w - M.beta_tgt
    err = max(abs(a @ a - A), abs(b @ b - B), abs(a @ b - C))
    return 1e-12 * (1 + A + B) - err


register(Claim(
    id="refine.bias_quantities", spec_id="REFINE-1", title="Toy bias quantities eps_P^2, eps_Q'^2 and cross term C",
    citation=cite("toy reconstruction of the eps_P^2, eps_Q'^2 of the lower bound (Thm/Prop 3.2)", "REFINE-1"),
    provenance="DERIVED", statement=tn.bias_quantities_statement,
    assumptions=("beta_k = e_k orthonormal, k* = 1", "u ⟂ span{beta_k}", "phi ~ N(0, I_d)"),
    domain=D1,
    checks=(SymbolicCheck("expand-sum-alpha-1", prove=lambda: tn.prove_bias_quantities(4, claim_statement(BIAS_ID))),
            NumericCheck("mc-quadratic-form", run=_bias_numeric),
            PropertyCheck("vectors-vs-closed-form", margin=_bias_property)),
))

"""REFINE-2 (refinement.md §4): closed-form risk of naive ridge-to-prior fine-tuning,
t²A + (1−t)²(B + s²d/n) + 2t(1−t)C with t = λ/(1+λ) — Somerstep, Polo et al., arXiv 2405.16236, Sec. 3.
"""
from __future__ import annotations

import math

import numpy as np

import numerics.refinement as nr
from numerics import mean_ci, z_two_sided
from theory.refinement import naive as tn

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Param
from ..._registry import register
from ._params import P_A1, P_DELTA, P_ETA, P_K, P_KAPPA, P_LAM, P_SIGMA, P_ZETA, dom
from ._shared import FA, NAIVE_ID, cite, fmt_params, hyp_points, model_from, naive_abc, naive_closed, stmt_expr

D2 = dom(P_K, P_A1, P_ZETA, P_KAPPA, P_DELTA, P_ETA, P_SIGMA, Param("d", int, 3, 20), Param("n", int, 5, 2000),
         P_LAM)


def _naive_numeric(ctx) -> Outcome:
    """Orthogonal design: closed form vs MC over Hypothesis-drawn (n, λ, κ, Δ, α, η, σ, d) — the
    sufficient statistic ΦᵀY′/n (exact law) at every point, the explicit Φ = √n·Q at the spec point."""
    pts = hyp_points(D2, ctx, "refine.naive_risk", ctx.pick(10, 60))
    R = ctx.pick(4000, 20000)
    spec = dict(K=3, alpha=[0.2, 0.5, 0.3], kappa=0.6, delta=0.8, eta=0.0, sigma=1.0, d=6, n=60)
    lams = [0.0, 0.3, 1.0, 3.0]
    ntest = len(pts) + len(lams)
    bad, worst = [], 0.0
    for i, p in enumerate(pts):
        M = model_from(p)
        x = nr.naive_risks(M, p["n"], [p["lam"]], R, ctx.rng("refine.naive_risk", i), sufficient=True)[:, 0]
        ci, val = mean_ci(x, FA, ntest), naive_closed(p)
        worst = max(worst, abs(ci.mean - val) / (ci.high - ci.mean))
        if not ci.contains(val):
            bad.append(f"{fmt_params(p)}: MC {ci} vs {val:.6g}")
    Ms = nr.concept_model(3, 6, [0.2, 0.5, 0.3], 1.0, kappa=0.6, delta=0.8)
    X = nr.naive_risks(Ms, 60, lams, ctx.pick(1500, 10000), ctx.rng("refine.naive_risk", "spec"))
    for j, lam in enumerate(lams):
        ci, val = mean_ci(X[:, j], FA, ntest), naive_closed({**spec, "lam": lam})
        worst = max(worst, abs(ci.mean - val) / (ci.high - ci.mean))
        if not ci.contains(val):
            bad.append(f"spec point λ={lam} (explicit Φ): MC {ci} vs {val:.6g}")
    return Outcome(not bad, (f"{len(pts)} Hypothesis points ({R} reps, sufficient statistic) + spec point at λ ∈ "
                             f"{lams} (explicit orthogonal Φ): every CI (false-alarm {FA:g}, Bonferroni over {ntest}) "
                             "contains the statement's right side t²A + (1−t)²(B + s²d/n) + 2t(1−t)C") if not bad else "; ".join(bad),
                   ("max |MC − formula|/CI half-width", worst))


def _random_design_numeric(ctx) -> Outcome:
    """Gaussian random design, λ = 0: E R = ε_Q′² + s_w² d/(n − d − 1) (the cross term has mean 0)."""
    cases = [dict(K=3, a1=0.2, zeta=0.0, kappa=0.6, delta=0.8, eta=0.0, sigma=1.0, d=6, n=n) for n in (12, 30, 120)]
    cases.append(dict(K=4, a1=0.3, zeta=1.0, kappa=1.0, delta=0.0, eta=1.0, sigma=0.5, d=8, n=40))
    R = ctx.pick(3000, 20000)
    bad, figs = [], []
    for i, p in enumerate(cases):
        M = model_from(p)
        x = nr.naive_risks(M, p["n"], [0.0], R, ctx.rng("refine.naive_risk.gauss", i), design="gaussian")[:, 0]
        _, B, _ = naive_abc(p)
        val = B + M.s_w ** 2 * p["d"] / (p["n"] - p["d"] - 1)
        ci = mean_ci(x, FA, len(cases))
        figs.append(ci.mean / val)
        if not ci.contains(val):
            bad.append(f"{fmt_params(p)}: MC {ci} vs {val:.6g}")
    return Outcome(not bad, f"{len(cases)} cases, {R} reps: CIs (false-alarm {FA:g}, Bonferroni) contain "
                   "eps_Q'^2 + s^2 d/(n-d-1)" if not bad else "; ".join(bad), ("max MC/formula", max(figs)))


def two_sample_ok(a: np.ndarray, b: np.ndarray, false_alarm: float, n_tests: int) -> bool:
    """Two-sample z-test of equal means at the stated false-alarm rate (Bonferroni over n_tests)."""
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    if se == 0:
        return bool(a.mean() == b.mean())
    return abs(a.mean() - b.mean()) <= z_two_sided(false_alarm, n_tests) * se


def _backends_numeric(ctx) -> Outcome:
    """Every backend in ctx.others on the numpy draws (float agreement, 1e-9 relative — rounding, not
    sampling), and on its own random stream (two-sample z-test, false-alarm FA)."""
    if not ctx.others:
        return Outcome(True, "no backend besides numpy selected", ("backends", 0))
    M = nr.concept_model(3, 6, [0.2, 0.5, 0.3], 1.0, kappa=0.6, delta=0.8)
    lams = np.array([0.0, 0.3, 1.0, 3.0])
    n, m, R = 60, 8, ctx.pick(400, 2000)
    dr = nr.draw(M, n, m, R, ctx.seed_for("refine.backends"))
    ref = nr.compare_estimators(M, n, m, lams, R, 0, "numpy", draws=dr)
    own_ref = nr.compare_estimators(M, n, m, lams, 4 * R, ctx.seed_for("refine.backends.own", "numpy"), "numpy")
    bad, worst = [], 0.0
    ntest = len(ctx.others) * (len(nr.KEYS) + 3)
    for b in ctx.others:
        dev = ctx.device if b == "torch" else "cpu"
        got = nr.compare_estimators(M, n, m, lams, R, 0, b, device=dev, draws=dr)
        for k in nr.KEYS:
            err = float(np.max(np.abs(got[k] - ref[k]) / (1 + np.abs(ref[k]))))
            worst = max(worst, err)
            if err > 1e-9:
                bad.append(f"{b}.{k}: max rel diff {err:.2e} on shared draws")
        own = nr.compare_estimators(M, n, m, lams, 4 * R, ctx.seed_for("refine.backends.own", b), b, device=dev)
        for k in nr.KEYS:
            a, c = own[k].reshape(own[k].shape[0], -1), own_ref[k].reshape(own_ref[k].shape[0], -1)
            for j in range(a.shape[1]):
                if not two_sample_ok(a[:, j], c[:, j], FA, ntest):
                    bad.append(f"{b}.{k}[{j}]: own-stream mean {a[:, j].mean():.4g} vs numpy {c[:, j].mean():.4g}")
    return Outcome(not bad, (f"backends {', '.join(ctx.others)} (device {ctx.device}): shared draws agree to "
                             f"{worst:.1e} (tol 1e-9, rounding); own streams pass two-sample z-tests "
                             f"(false-alarm {FA:g}, Bonferroni)") if not bad else "; ".join(bad[:6]),
                   ("max rel diff", worst))


def _naive_property(p) -> float:
    """The statement (naive_closed) vs the vector expression ‖t a + (1−t) b‖² + (1−t)² s² d/n (numerics' model)."""
    M = model_from(p)
    t = p["lam"] / (1 + p["lam"])
    v = t * (M.beta_p - M.beta_tgt) + (1 - t) * (M.beta_w - M.beta_tgt)
    direct = v @ v + (1 - t) ** 2 * M.s_w ** 2 * p["d"] / p["n"]
    return 1e-12 * (1 + direct) - abs(direct - naive_closed(p))


register(Claim(
    id="refine.naive_risk", spec_id="REFINE-2", title="Naive (ridge-to-prior) fine-tuning risk in closed form",
    citation=cite("shrinkage fine-tuning toward the pre-trained model (Sec. 3, lower bound)", "REFINE-2"),
    provenance="PAPER estimator family; DERIVED form", statement=tn.naive_risk_statement,
    assumptions=("orthogonal fixed design Phi^T Phi = n I (exact for every n)", "Gaussian design for lambda = 0"),
    domain=D2,
    checks=(SymbolicCheck("expectation-expand", prove=lambda: [tn.prove_naive_risk(3, stmt_expr(NAIVE_ID)),
                                                                tn.prove_t_of_lambda()]),
            NumericCheck("closed-form-vs-mc", run=_naive_numeric),
            NumericCheck("random-design-lambda0", run=_random_design_numeric),
            NumericCheck("backends-agree", run=_backends_numeric),
            PropertyCheck("vectors-vs-closed-form", margin=_naive_property)),
))

"""WSPO-4 (wspo.md §3; Zhu et al., arXiv 2410.18640, the dropped −γ log Z′): off-policy the
tilt is NOT the minimiser; at π_γ, ‖∇L‖₁ = 4γ²|log Z′|·TV(d, π_γ)."""
from __future__ import annotations

import numpy as np

from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._registry import register
from ..._statement import current_statement
from ._shared import (DOMAIN, EPS, GAMMA_GRID, SAME, SMALL, _grad_l1_at_tilt, _instance, _others, _residual_scale,
                      _tilt, _verdict, stmt_fn, zhu)

_ARGS = ("d(b)", "e(b)", "pi(b)", "Sum_a(d(a)e(a))", "gamma")


def _statement_grad(z, d, a, dl, gamma) -> np.ndarray:
    """The statement's ∂L/∂z_b = 2γ(d(b)e(b) − π(b)Σ_a d(a)e(a)) at the logits z (numpy)."""
    e = nw.residual(z, np.log(a), dl, gamma)
    pi = np.exp(nw.log_softmax(z))
    return np.broadcast_to(stmt_fn(_ARGS, "rhs")(d, e, pi, float(np.sum(d * e)), gamma), z.shape)


def _gradient_norm_at_tilt(a, dl, pg, lz, d, gamma) -> tuple[float, float, float]:
    """‖∇L(π_γ; d)‖₁ over the logits (numpy reference), its closed form 4γ²|log Z′|·TV(d, π_γ),
    and ‖reference − statement‖₁ at π_γ."""
    g_ref = nw.grad(np.log(pg), d, np.log(a), dl, gamma)
    dev = float(np.sum(np.abs(g_ref - _statement_grad(np.log(pg), d, a, dl, gamma))))
    return float(np.sum(np.abs(g_ref))), 4 * gamma**2 * abs(lz) * nw.tv(d, pg), dev


def _normalizer_numeric(ctx) -> Outcome:
    """Spec table (V=6, Dirichlet(1), uniform d): BFGS minimiser vs tilt; stationarity
    ≤ 1e-8; DIFFERENT where Z′ ≠ 1 and d ≠ π_γ; EQUAL (< 1e-6) where Z′ = 1 or d = π_γ;
    the numpy gradient is the statement's (rtol 1e-10, at random logits and at π_γ);
    ‖∇L(π_γ)‖₁ = 4γ²|log Z′|TV(d, π_γ) to rtol 1e-10; torch minimiser agrees."""
    used, note = _others(ctx)
    lines, ok, data = [], True, {}
    r = ctx.rng("wspo.normalizer", "numeric")
    V = 6
    d = np.full(V, 1 / V)
    for gamma in GAMMA_GRID:
        a, b, c = (r.dirichlet(np.ones(V)) for _ in range(3))
        dl, pg, lz = _tilt(a, b, c, gamma)
        fit = nw.minimise(d, a, dl, gamma)
        dist = nw.tv(fit.pi, pg)
        norm, pred, dev = _gradient_norm_at_tilt(a, dl, pg, lz, d, gamma)
        z = r.standard_normal(V)
        g_z = nw.grad(z, d, np.log(a), dl, gamma)
        dev_z = float(np.max(np.abs(g_z - _statement_grad(z, d, a, dl, gamma))) / np.max(np.abs(g_z)))
        rel = max(abs(norm - pred) / pred, dev / norm, dev_z)
        agree = max([nw.tv(fit.pi, nw.minimise(d, a, dl, gamma, backend=bk, device=ctx.device).pi) for bk in used],
                    default=0.0)
        ok &= fit.grad_norm <= 1e-8 and dist > SAME and rel <= 1e-10 and agree < 1e-9
        lines.append(f"γ={gamma:g}: Z′={np.exp(lz):.3g}, TV(argmin, π_γ)={dist:.3g} → {_verdict(dist)}; "
                     f"‖∇L‖_∞ at argmin {fit.grad_norm:.1e}; gradient = statement and norm identity, max rel err {rel:.1e}"
                     + (f"; torch TV {agree:.1e}" if used else ""))
        data[f"tv_gamma_{gamma:g}"] = dist
        # coinciding case: d = π_γ — π_γ is stationary; a local refit started there stays there
        g_on = float(np.max(np.abs(nw.grad(np.log(pg), pg, np.log(a), dl, gamma))))
        fit2 = nw.minimise(pg, a, dl, gamma)
        dist2 = nw.tv(fit2.pi, pg)
        ok &= dist2 < SAME and g_on < 1e-12
        lines.append(f"  d = π_γ: ‖∇L(π_γ)‖_∞ {g_on:.1e}, local refit TV {dist2:.1e} → {_verdict(dist2)}")
    a, b = r.dirichlet(np.ones(V)), r.dirichlet(np.ones(V))
    dl, pg, lz = _tilt(a, b, a, 1.0)
    fit = nw.minimise(d, a, dl, 1.0, z0=np.zeros(V))
    dist = nw.tv(fit.pi, pg)
    ok &= dist < SAME and abs(lz) < 1e-12
    lines.append(f"Z′ = 1 (γ=1, equal references), uniform d: |log Z′|={abs(lz):.1e}, TV = {dist:.1e} → {_verdict(dist)}")
    return Outcome(ok, "; ".join(lines) + " (deterministic optimisation tolerances: gtol 1e-12)." + note,
                   ("TV at γ=0.25", data["tv_gamma_0.25"]), data)


def _grad_identity_margin(p) -> float:
    """At π_γ on the instance, the numpy gradient equals the statement's and its ℓ1 norm the
    closed form 4γ²|log Z′|TV, against a rounding bound."""
    a, b, c, d = _instance(p)
    g = p["gamma"]
    dl, pg, lz = _tilt(a, b, c, g)
    norm, pred, dev = _gradient_norm_at_tilt(a, dl, pg, lz, d, g)
    scale = 2 * g * _residual_scale(pg, a, dl, g)
    return 1e3 * int(p["V"]) * EPS * scale - max(abs(norm - pred), dev)


def _trained_equals_tilt_margin(p) -> float:
    """'The trained policy equals the tilt' under off-policy (uniform) data: −TV."""
    a, b, c, _ = _instance(p)
    dl, pg, _ = _tilt(a, b, c, p["gamma"])
    V = int(p["V"])
    return -nw.tv(nw.minimise(np.full(V, 1 / V), a, dl, p["gamma"]).pi, pg)


register(Claim(
    id="wspo.normalizer", spec_id="WSPO-4", title="The normaliser caveat: off-policy, the tilt is NOT the minimiser",
    citation=zhu("the dropped −γ log Z′ (derived; reviews: no optimality theorem)", "wspo.md §3 WSPO-4"),
    provenance="DERIVED", statement=tw.stmt_stationarity,
    assumptions=("interior stationary point over softmax logits", "full-support d"), domain=DOMAIN,
    checks=(
        SymbolicCheck("stationarity-identity-V3", prove=lambda: tw.prove_stationarity_identity(stmt=current_statement())),
        SymbolicCheck("gradient-at-tilt", prove=lambda: tw.prove_gradient_at_tilt(stmt=current_statement())),
        NumericCheck("bfgs-minimiser-vs-tilt", run=_normalizer_numeric),
        PropertyCheck("gradient-norm-identity", margin=_grad_identity_margin),
        CounterexampleCheck("trained-equals-tilt", margin=_trained_equals_tilt_margin, domain=SMALL,
                            dropped="on-policy data (d = π_γ) or Z′ = 1", min_violation=1e-3),
    ),
))

"""WSPO-3 (wspo.md §3; Zhu et al., arXiv 2410.18640, derived from KL-regularised RLHF): the
zero-residual target is the tilt π_γ = π_ref^s·(π_r^w/π_ref^w)^{1/γ}/Z′."""
from __future__ import annotations

import numpy as np

from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._registry import register
from ..._statement import current_statement
from ._shared import DOMAIN, EPS, _instance, _random_params, _residual_scale, _tilt, stmt_fn, zhu

_ARGS = ("pi_ref^s", "pi_r^w", "pi_ref^w", "Z'", "gamma")


def _statement_tilt(a, b, c, gamma, dps: int = 40) -> np.ndarray:
    """π_γ from the running statement's right-hand side, evaluated in mpmath (dps 40) with Z′ its
    definition Σ_a π_ref^s(a)(π_r^w(a)/π_ref^w(a))^{1/γ} (spec §2)."""
    import mpmath

    f = stmt_fn(_ARGS, "rhs", modules="mpmath")
    with mpmath.workdps(dps):
        A, B, C, G = [list(map(mpmath.mpf, x)) for x in (a, b, c)] + [mpmath.mpf(gamma)]
        Z = mpmath.fsum(x * (y / z) ** (1 / G) for x, y, z in zip(A, B, C))
        return np.array([float(f(x, y, z, Z, G)) for x, y, z in zip(A, B, C)])


def _tilt_residual_margin(p) -> float:
    """The float tilt equals the statement's π_γ (mpmath; rel err ≤ 1e-9 above 1e-290) and its
    residual is the constant −γ log Z′ (max deviation against a rounding bound)."""
    a, b, c, _ = _instance(p)
    dl, pg, lz = _tilt(a, b, c, p["gamma"])
    e = nw.residual(np.log(pg), np.log(a), dl, p["gamma"])
    scale = _residual_scale(pg, a, dl, p["gamma"])
    st = _statement_tilt(a, b, c, p["gamma"])
    rel = float(np.max(np.abs(pg - st) / (np.abs(st) + 1e-290)))
    return min(64 * int(p["V"]) * EPS * scale - float(np.max(np.abs(e + p["gamma"] * lz))), 1e-9 - rel)


def _tilt_numeric(ctx) -> Outcome:
    """Float tilt vs an mpmath (dps 40) evaluation of the statement's π_ref^s(π_r^w/π_ref^w)^{1/γ}/Z′;
    at the released γ = 0.1, log(π_γ/π_ref^s) − 10δ is constant (the weak log-ratio ×10)."""
    r = ctx.rng("wspo.tilt", "numeric")
    worst, n = 0.0, ctx.pick(30, 300)
    for _ in range(n):
        a, b, c, _ = _instance(_random_params(r, 20))
        gamma = float(np.exp(r.uniform(np.log(0.05), np.log(5))))
        _, pg, _ = _tilt(a, b, c, gamma)
        exact = _statement_tilt(a, b, c, gamma)
        worst = max(worst, float(np.max(np.abs(pg - exact) / np.abs(exact))))
    a, b, c, _ = _instance({"V": 8, "conc": 1.0, "seed": 1})
    dl, pg, _ = _tilt(a, b, c, 0.1)
    shift = np.log(pg) - np.log(a) - 10 * dl
    spread = float(np.ptp(shift))
    ok = worst < 1e-9 and spread < 1e-9
    return Outcome(ok, f"{n} random instances: max rel err of the float tilt vs mpmath oracle {worst:.2e} (<1e-9, "
                   f"rounding); γ=0.1: log(π_γ/π_ref^s) − 10·δ has spread {spread:.1e} (exponent 1/γ = 10)",
                   ("max rel err", worst))


register(Claim(
    id="wspo.tilt", spec_id="WSPO-3", title="Zero-residual target: the tilt π_ref^s·(π_r^w/π_ref^w)^{1/γ}",
    citation=zhu("abstract: 'amplification'; derivation from KL-regularised RLHF", "wspo.md §3 WSPO-3"),
    provenance="DERIVED", statement=tw.stmt_tilt,
    assumptions=("π_ref^w > 0 wherever π_r^w > 0",), domain=DOMAIN,
    checks=(
        SymbolicCheck("residual-is-minus-gamma-logZ", prove=lambda: tw.prove_tilt_residual(stmt=current_statement())),
        SymbolicCheck("exact-rational-instance", prove=lambda: tw.prove_tilt_exact(stmt=current_statement())),
        NumericCheck("mpmath-oracle-and-gamma-0.1", run=_tilt_numeric),
        PropertyCheck("constant-residual", margin=_tilt_residual_margin),
    ),
))

"""WSPO-6 (wspo.md §3; Zhu et al., arXiv 2410.18640, consistent with the paper; EFT/proxy-tuning
equivalence): γ = 1 with π_ref^s = π_ref^w makes the WSPO minimiser the weak aligned model π_r^w."""
from __future__ import annotations

import numpy as np

from numerics import wspo as nw
from theory import wspo as tw

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._registry import register
from ..._statement import current_statement
from ._shared import DOMAIN, SAME, _instance, _others, _random_params, _verdict, stmt_fn, zhu


def _target(b) -> np.ndarray:
    """The minimiser the running statement predicts (its rhs at π_r^w = b)."""
    return np.broadcast_to(stmt_fn(("pi_r^w",), "rhs")(b), b.shape)


def _recovery_fit(p, backend="numpy", device="cpu"):
    """Minimiser at γ = 1 with equal references (π_ref^s used for both), and π_r^w."""
    a, b, _, d = _instance(p)
    dl = nw.delta(b, a)
    fit = nw.minimise(d, a, dl, 1.0, z0=np.zeros(int(p["V"])), backend=backend, device=device)
    return fit, b


def _recovery_margin(p) -> float:
    """TV(argmin, the statement's rhs) below the EQUAL threshold."""
    fit, b = _recovery_fit(p)
    return SAME - nw.tv(fit.pi, _target(b))


def _recovery_numeric(ctx) -> Outcome:
    """Random instances on every backend: the minimiser is the statement's rhs (π_r^w) with zero loss."""
    used, note = _others(ctx)
    r = ctx.rng("wspo.weak_recovery", "numeric")
    worst_tv, worst_loss, n = 0.0, 0.0, ctx.pick(10, 60)
    for _ in range(n):
        p = _random_params(r, 20)
        for bk in ["numpy"] + used:
            fit, b = _recovery_fit(p, bk, ctx.device)
            worst_tv, worst_loss = max(worst_tv, nw.tv(fit.pi, _target(b))), max(worst_loss, fit.loss)
    ok = worst_tv < SAME and worst_loss < 1e-12
    return Outcome(ok, f"{n} random instances (start: uniform logits; backends {['numpy'] + used}): max TV(argmin, "
                   f"π_r^w) {worst_tv:.1e} → {_verdict(worst_tv)}, max loss {worst_loss:.1e} (< 1e-12)." + note,
                   ("max TV", worst_tv))


register(Claim(
    id="wspo.weak_recovery", spec_id="WSPO-6", title="γ = 1 with equal references recovers the weak aligned model",
    citation=zhu("consistent with the paper; EFT/proxy-tuning equivalence", "wspo.md §3 WSPO-6"),
    provenance="DERIVED; consistent with the paper", statement=tw.stmt_recovery,
    assumptions=("π_ref^s = π_ref^w", "γ = 1", "full-support d"), domain=DOMAIN,
    checks=(
        SymbolicCheck("Z-equals-one-and-EFT", prove=lambda: tw.prove_recovery(stmt=current_statement())),
        NumericCheck("minimiser-is-weak-model", run=_recovery_numeric),
        PropertyCheck("recovery-everywhere", margin=_recovery_margin),
    ),
))

"""WSPO-1 (wspo.md §3; Zhu et al., arXiv 2410.18640, official trainer): the implemented
per-token loss γ(ℓ_θ − ℓ_ref^s) − (ℓ_r^w − ℓ_ref^w), masked and length-normalised [CODE]."""
from __future__ import annotations

import numpy as np

import numerics
from numerics import wspo as nw
from numerics.wspo._torch import tiny
from theory import wspo as tw

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._registry import register
from ..._statement import current_statement
from ._shared import DOMAIN, _others, stmt_fn, zhu

_ARGS = ("ell_theta", "ell_ref^s", "ell_r^w", "ell_ref^w", "gamma")


def _statement_vs_reference(lps, mask, gamma) -> float:
    """Max over positions of |e_t(numpy reference) − e_t(statement)| and of the batch loss built
    from the statement's e_t (mean over sequences of Σ_t e_t²/|y|) against the reference, both
    relative to the largest term; the statement is evaluated on the masked (zeroed) log-probs."""
    f = stmt_fn(_ARGS, "rhs")
    zeroed = [np.where(mask > 0, x, 0.0) for x in lps]
    e_s = np.broadcast_to(f(*zeroed, gamma), mask.shape)
    e = nw.residuals(*lps, mask, gamma)
    per_seq = np.sum(e_s * e_s, axis=1) / np.maximum(mask.sum(axis=1), 1.0)
    ref = nw.seq_loss(*lps, mask, gamma)
    return max(float(np.max(np.abs(e - e_s))) / (1 + float(np.max(np.abs(e)))),
               abs(float(np.mean(per_seq)) - ref) / ref)


def _random_batch(r: np.random.Generator, n: int = 8, T: int = 9, V: int = 7):
    """Log-probs of random tokens under four random models, and a prompt/padding mask."""
    logits = [r.standard_normal((n, T, V)) * 2 for _ in range(4)]
    toks = r.integers(0, V, (n, T))
    lps = [np.take_along_axis(nw.log_softmax(L), toks[..., None], 2)[..., 0] for L in logits]
    mask = np.zeros((n, T))
    for i in range(n):
        start = int(r.integers(0, T // 2))  # prompt
        stop = int(r.integers(start + 1, T + 1))  # padding after
        mask[i, start:stop] = 1.0
    return lps, mask


@tiny  # torch on one thread
def _loss_backends(ctx) -> Outcome:
    """The numpy reference computes the statement's e_t (and its loss) to rtol 1e-12; torch vs
    numpy on random logits with prompt/padding masks (rtol 1e-12, float64), masked positions
    contribute exactly 0, and the initial loss is identical for every γ."""
    import torch

    r = ctx.rng("wspo.loss", "numeric")
    used, note = _others(ctx)
    worst, masked_ok, init_ok, n_inst, stmt_err = 0.0, True, True, ctx.pick(20, 200), 0.0
    for _ in range(n_inst):
        lps, mask = _random_batch(r)
        gamma = float(np.exp(r.uniform(np.log(0.05), np.log(5))))
        stmt_err = max(stmt_err, _statement_vs_reference(lps, mask, gamma))
        ref = nw.seq_loss(*lps, mask, gamma)
        e = nw.residuals(*lps, mask, gamma)
        masked_ok &= bool(np.all(e[mask == 0] == 0.0))
        junk = [np.where(mask > 0, x, r.standard_normal(x.shape) * 50) for x in lps]
        masked_ok &= nw.seq_loss(*junk, mask, gamma) == ref
        for b in used:
            t = [torch.as_tensor(x, dtype=torch.float64, device=ctx.device) for x in lps + [mask]]
            tj = [torch.as_tensor(x, dtype=torch.float64, device=ctx.device) for x in junk]
            val = float(nw.seq_loss_torch(*t[:4], t[4], gamma))
            worst = max(worst, abs(val - ref) / abs(ref))
            masked_ok &= float(nw.seq_loss_torch(*tj, t[4], gamma)) == val
        init = [nw.seq_loss(lps[1], lps[1], lps[2], lps[3], mask, g) for g in (0.05, 0.1, 1.0, 5.0)]
        init_ok &= len(set(init)) == 1
    ok = worst <= 1e-12 and masked_ok and init_ok and stmt_err <= 1e-12
    return Outcome(ok, f"{n_inst} random masked batches (float64): numpy reference vs the statement's e_t and its "
                   f"loss max rel diff {stmt_err:.2e} (rtol 1e-12); torch vs numpy max rel diff {worst:.2e} "
                   f"(rtol 1e-12, a rounding bound, not statistical; backends {['numpy'] + used}); masked "
                   f"positions contribute exactly 0: {masked_ok}; initial loss identical for γ∈{{0.05,0.1,1,5}}: "
                   f"{init_ok}.{note}", ("max rel diff", worst))


def _init_loss_margin(p) -> float:
    """Initial loss at γ minus at γ=1 must be exactly 0 (π_θ = π_ref^s bitwise)."""
    r = numerics.rng(int(p["seed"]), "wspo", "init-loss")
    lps, mask = _random_batch(r, V=int(p["V"]))
    return -abs(nw.seq_loss(lps[1], lps[1], lps[2], lps[3], mask, p["gamma"])
                - nw.seq_loss(lps[1], lps[1], lps[2], lps[3], mask, 1.0))


register(Claim(
    id="wspo.loss", spec_id="WSPO-1", title="The implemented per-token WSPO loss (masked, length-normalised)",
    citation=zhu("official trainer: per-token residual γ(ℓ_θ−ℓ_ref^s)−(ℓ_r^w−ℓ_ref^w), chosen half only",
                 "wspo.md §3 WSPO-1"),
    provenance="CODE", statement=tw.stmt_loss,
    assumptions=("four models share one tokenizer", "prompt and padding positions zeroed in all four log-probs"),
    domain=DOMAIN,
    checks=(
        SymbolicCheck("initial-loss-gamma-free",
                      prove=lambda: tw.prove_initial_loss_gamma_free(stmt=current_statement())),
        NumericCheck("numpy-vs-torch-masked", run=_loss_backends),
        PropertyCheck("initial-loss-identical", margin=_init_loss_margin, tolerance=0.0),
    ),
))

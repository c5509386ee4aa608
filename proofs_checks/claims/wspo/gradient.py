"""WSPO-13 (wspo.md §3; Zhu et al., arXiv 2410.18640, 'the objective and gradient' per the
reviews): the WSPO gradient is SFT with signed per-token weights −e_t."""
from __future__ import annotations

import numpy as np

import numerics
from numerics import wspo as nw
from numerics.wspo._torch import tiny
from theory import wspo as tw

from ..._claim import Claim, NumericCheck, Outcome, PropertyCheck, SymbolicCheck
from ..._domain import Domain, Param
from ..._registry import register
from ..._statement import current_statement
from ._shared import P_CONC, P_GAMMA, P_SEED, _ar_instance, _instance, _others, stmt_fn, zhu


def _statement_grad(z, d, la, dl, gamma) -> np.ndarray:
    """∇_z Σ_a d(a)e_a² from the statement: Σ_a d(a)·2γ e_a (1[b=a] − π_b), over b (numpy)."""
    f = stmt_fn(("e", "pi(b)", "1[b=a]", "gamma"), "rhs")
    e = nw.residual(z, la, dl, gamma)
    pi = np.exp(nw.log_softmax(z))
    eye = np.eye(z.size)
    return np.array([np.sum(d * np.broadcast_to(f(e, pi[b], eye[b], gamma), e.shape)) for b in range(z.size)])


def _categorical_autograd(r, dev) -> float:
    """torch autograd of the one-state loss Σ_a d(a)e_a² vs the statement's gradient, max rel err
    over a few random instances (float64)."""
    import torch

    worst = 0.0
    for V in (2, 5, 9):
        a, b, c, d = (r.dirichlet(np.ones(V)) for _ in range(4))
        la, dl, z, g = np.log(a), nw.delta(b, c), r.standard_normal(V), float(r.uniform(0.1, 2.0))
        zt = torch.tensor(z, dtype=torch.float64, device=dev, requires_grad=True)
        e = g * (torch.log_softmax(zt, 0) - torch.as_tensor(la, device=dev)) - torch.as_tensor(dl, device=dev)
        (gt,) = torch.autograd.grad(torch.sum(torch.as_tensor(d, device=dev) * e * e), zt)
        gs = _statement_grad(z, d, la, dl, g)
        worst = max(worst, float(np.abs(gt.cpu().numpy() - gs).max() / np.abs(gs).max()))
    return worst


@tiny  # torch on one thread
def _gradient_numeric(ctx) -> Outcome:
    """One-state softmax: torch autograd vs the statement's gradient (rtol 1e-10);
    torch.autograd.gradcheck (float64) on the linear-softmax and tiny AR losses; autodiff
    gradients vs the closed forms (rtol 1e-10); numpy vs torch Adam trajectories."""
    import torch

    used, note = _others(ctx)
    r = ctx.rng("wspo.gradient", "numeric")
    dev = ctx.device
    lines, ok = [], True
    b = nw.contextual.make_bandit(r, 4, 3, 6)
    data = nw.contextual.sample_data(b, b.A_s, 40, r)
    W0 = b.A_s + 0.3 * r.standard_normal(b.A_s.shape)
    f = nw.contextual.torch_loss_fn(b, data, 0.5, dev)
    Wt = torch.tensor(W0, dtype=torch.float64, device=dev, requires_grad=True)
    gc1 = torch.autograd.gradcheck(f, (Wt,), eps=1e-6, atol=1e-8, rtol=1e-6)
    (ga,) = torch.autograd.grad(f(Wt), Wt)
    gcl = nw.contextual.grad(W0, b, data, 0.5)
    e1 = float(np.abs(ga.cpu().numpy() - gcl).max() / np.abs(gcl).max())
    V, T = 3, 3
    refs = _ar_instance(r, V, T)
    Y = nw.ar.sample(refs[0], 30, V, T, r)
    w = np.full(30, 1 / 30)
    Z0 = refs[0] + 0.3 * r.standard_normal(refs[0].shape)
    fa = nw.ar.torch_loss_fn(Y, w, refs, 0.5, V, dev)
    Zt = torch.tensor(Z0, dtype=torch.float64, device=dev, requires_grad=True)
    gc2 = torch.autograd.gradcheck(fa, (Zt,), eps=1e-6, atol=1e-8, rtol=1e-6)
    (gz,) = torch.autograd.grad(fa(Zt), Zt)
    gcz = nw.ar.grad(Z0, Y, w, refs, 0.5, V)
    e2 = float(np.abs(gz.cpu().numpy() - gcz).max() / np.abs(gcz).max())
    e0 = _categorical_autograd(r, dev)
    ok &= gc1 and gc2 and e0 < 1e-10 and e1 < 1e-10 and e2 < 1e-10
    lines.append(f"one-state softmax: autograd vs the statement's gradient rel err {e0:.1e}; gradcheck linear-softmax "
                 f"{gc1}, tiny AR {gc2}; autograd vs closed form rel err {e1:.1e} (bandit), {e2:.1e} (AR) "
                 "(<1e-10, rounding)")
    for bk in used:
        Wn = nw.contextual.fit(b, data, 0.5, W0, 60)
        Wq = nw.contextual.fit(b, data, 0.5, W0, 60, backend=bk, device=dev)
        dv = float(np.abs(Wn - Wq).max())
        ok &= dv < 1e-9
        lines.append(f"{bk} vs numpy Adam trajectory (60 steps, bandit) max |ΔW| {dv:.1e}")
    return Outcome(ok, "; ".join(lines) + "." + note, ("rel err", max(e1, e2)))


def _grad_fd_margin(p) -> float:
    """The statement's gradient and the closed-form categorical gradient vs central finite
    differences (h = 1e-6)."""
    a, b, c, d = _instance(p)
    g = p["gamma"]
    dl = nw.delta(b, c)
    r = numerics.rng(int(p["seed"]), "wspo", "z")
    z = r.standard_normal(int(p["V"]))
    la = np.log(a)
    G = nw.grad(z, d, la, dl, g)
    Gs = _statement_grad(z, d, la, dl, g)
    h = 1e-6
    fd = np.array([(nw.loss(z + h * e, d, la, dl, g) - nw.loss(z - h * e, d, la, dl, g)) / (2 * h)
                   for e in np.eye(z.size)])
    L = nw.loss(z, d, la, dl, g)
    return 1e-6 * (1 + L + np.abs(G).max()) - max(float(np.abs(G - fd).max()), float(np.abs(Gs - fd).max()))


register(Claim(
    id="wspo.gradient", spec_id="WSPO-13", title="Gradient: SFT with signed per-token weights −e_t",
    citation=zhu("the paper is said to derive 'the objective and gradient' (reviews)", "wspo.md §3 WSPO-13"),
    provenance="DERIVED; the paper is said to derive the objective and gradient", statement=tw.stmt_gradient,
    assumptions=("softmax head",), domain=Domain((Param("V", int, 2, 20, default=6), P_GAMMA, P_CONC, P_SEED)),
    checks=(
        SymbolicCheck("sympy-diff-V3", prove=lambda: tw.prove_gradient(stmt=current_statement())),
        NumericCheck("gradcheck-and-closed-form", run=_gradient_numeric),
        PropertyCheck("finite-differences", margin=_grad_fd_margin),
    ),
))

"""WSPO claims (spec: ../shared/spec/wspo.md, WSPO-1..14), binding theory.wspo (exact
SymPy) to numerics.wspo (numpy reference, torch on any device).

Provenance follows the spec: WSPO-1 is the [CODE] loss; everything else is [DERIVED]
(WSPO-2 pairs a [PAPER]-shaped objective with the [CODE] γ placement).  The paper's own
statement of the objective is unverified; no DERIVED bound is presented as the paper's.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np

import numerics
from numerics import wspo as nw
from theory import wspo as tw

from .._claim import (Citation, Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck, Rate, RatePoints,
                      SymbolicCheck)
from .._domain import Constraint, Domain, Param
from .._registry import register
from .._tables import Stat, Table, TableData, register_table
from ._common import WSPO

EPS = float(np.finfo(float).eps)
SAME = 1e-6  # below this TV/KL the minimiser and the tilt are reported as equal (issue 5)
GAMMA_GRID = (0.25, 0.5, 1.0, 2.0)


def zhu(where: str, spec: str) -> Citation:
    return Citation(WSPO, "2410.18640", where, spec)


# ------------------------------------------------------------------ domains and instances

P_V = Param("V", int, 2, 50, default=6, doc="vocabulary size")
P_GAMMA = Param("gamma", float, 0.05, 5.0, default=0.5, log_scale=True, doc="WSPO γ (pref_beta)")
P_CONC = Param("conc", float, 0.3, 3.0, default=1.0, log_scale=True, doc="Dirichlet concentration c")
P_SEED = Param("seed", int, 0, 2**32 - 1, default=0, doc="seed of the Dirichlet draws")
DOMAIN = Domain((P_V, P_GAMMA, P_CONC, P_SEED))


def _instance(p: Mapping[str, Any], tag: str = "instance"):
    """(π_ref^s, π_r^w, π_ref^w, d) ~ Dirichlet(conc·1) at one state, from the seed."""
    r = numerics.rng(int(p["seed"]), "wspo", tag)
    a, b, c, d = (r.dirichlet(np.full(int(p["V"]), float(p["conc"]))) for _ in range(4))
    # Dirichlet(0.3) can underflow to exact zeros; keep full support (WSPO-11 handles zeros)
    a, b, c, d = (np.maximum(x, 1e-300) / np.maximum(x, 1e-300).sum() for x in (a, b, c, d))
    return a, b, c, d


def _tilt(a, b, c, gamma):
    dl = nw.delta(b, c)
    pg, lz = nw.tilt(a, dl, gamma)
    return dl, pg, lz


def _others(ctx) -> tuple[list[str], str]:
    """Backends compared with the numpy reference, and a note on the ones not used."""
    used = [b for b in ctx.others if b == "torch"]
    note = " numba: not used by this family (no loop dominates; numpy is the kernel)." if "numba" in ctx.others else ""
    return used, note


def _verdict(dist: float) -> str:
    return f"EQUAL (< {SAME:g})" if dist < SAME else f"DIFFERENT (distance {dist:.3g})"


# ------------------------------------------------------------------ WSPO-1: the implemented loss


def _random_batch(r: np.random.Generator, n: int = 8, T: int = 9, V: int = 7):
    logits = [r.standard_normal((n, T, V)) * 2 for _ in range(4)]
    toks = r.integers(0, V, (n, T))
    lps = [np.take_along_axis(nw.log_softmax(L), toks[..., None], 2)[..., 0] for L in logits]
    mask = np.zeros((n, T))
    for i in range(n):
        start = int(r.integers(0, T // 2))  # prompt
        stop = int(r.integers(start + 1, T + 1))  # padding after
        mask[i, start:stop] = 1.0
    return lps, mask


def _loss_backends(ctx) -> Outcome:
    """numpy reference vs torch on random logits with prompt/padding masks (rtol 1e-12, float64),
    masked positions contribute exactly 0, and the initial loss is identical for every γ."""
    with nw.single_thread():
        return _loss_backends_run(ctx)


def _loss_backends_run(ctx) -> Outcome:
    import torch

    r = ctx.rng("wspo.loss", "numeric")
    used, note = _others(ctx)
    worst, masked_ok, init_ok, n_inst = 0.0, True, True, ctx.pick(20, 200)
    for _ in range(n_inst):
        lps, mask = _random_batch(r)
        gamma = float(np.exp(r.uniform(np.log(0.05), np.log(5))))
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
    ok = worst <= 1e-12 and masked_ok and init_ok
    return Outcome(ok, f"{n_inst} random masked batches (float64): torch vs numpy max rel diff {worst:.2e} "
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
        SymbolicCheck("initial-loss-gamma-free", prove=tw.prove_initial_loss_gamma_free),
        NumericCheck("numpy-vs-torch-masked", run=_loss_backends),
        PropertyCheck("initial-loss-identical", margin=_init_loss_margin, tolerance=0.0),
    ),
))


# ------------------------------------------------------------------ WSPO-2: rescaling


def _rescaling_numeric(ctx) -> Outcome:
    """Same minimiser for L and c·L (c ∈ {1e-3, 1e3}) on random instances."""
    r = ctx.rng("wspo.rescaling", "numeric")
    worst = 0.0
    n = ctx.pick(6, 30)
    for i in range(n):
        a, b, c, d = _instance({"V": int(r.integers(2, 12)), "conc": 1.0, "seed": int(r.integers(2**31))})
        gamma = float(r.choice(GAMMA_GRID))
        dl = nw.delta(b, c)
        base = nw.minimise(d, a, dl, gamma)
        for s in (1e-3, 1e3):
            worst = max(worst, nw.tv(base.pi, nw.minimise(d, a, dl, gamma, scale=s).pi))
    return Outcome(worst < SAME, f"{n} instances × c∈{{1e-3,1e3}}: max TV(argmin L, argmin cL) = {worst:.2e} → "
                   f"{_verdict(worst)} (deterministic; ill-conditioned instances limit the optimiser's precision)",
                   ("max TV", worst))


register(Claim(
    id="wspo.rescaling", spec_id="WSPO-2", title="Paper-level objective = γ²·L2 regression onto an unnormalised teacher",
    citation=zhu("WSPO objective (paper eq. unverified; γ placement from the code)", "wspo.md §3 WSPO-2"),
    provenance="PAPER shape; CODE γ placement; DERIVED rewriting", statement=tw.stmt_rescaling,
    assumptions=("c > 0",), domain=DOMAIN,
    checks=(
        SymbolicCheck("expand-identity", prove=tw.prove_rescaling, provenance="DERIVED"),
        NumericCheck("argmin-invariant", run=_rescaling_numeric, provenance="DERIVED"),
    ),
))


# ------------------------------------------------------------------ WSPO-3: the tilt


def _tilt_residual_margin(p) -> float:
    a, b, c, _ = _instance(p)
    dl, pg, lz = _tilt(a, b, c, p["gamma"])
    e = nw.residual(np.log(pg), np.log(a), dl, p["gamma"])
    scale = p["gamma"] * (np.max(np.abs(np.log(pg))) + np.max(np.abs(np.log(a)))) + np.max(np.abs(dl)) + 1.0
    return 64 * int(p["V"]) * EPS * scale - float(np.max(np.abs(e + p["gamma"] * lz)))


def _tilt_numeric(ctx) -> Outcome:
    """Float tilt vs an mpmath (dps 40) evaluation of π_ref^s(π_r^w/π_ref^w)^{1/γ}/Z′; at the
    released γ = 0.1, log(π_γ/π_ref^s) − 10δ is constant (the weak log-ratio ×10)."""
    import mpmath

    r = ctx.rng("wspo.tilt", "numeric")
    worst, n = 0.0, ctx.pick(30, 300)
    for _ in range(n):
        a, b, c, _ = _instance({"V": int(r.integers(2, 20)), "conc": 1.0, "seed": int(r.integers(2**31))})
        gamma = float(np.exp(r.uniform(np.log(0.05), np.log(5))))
        _, pg, _ = _tilt(a, b, c, gamma)
        with mpmath.workdps(40):
            w = [mpmath.mpf(x) * (mpmath.mpf(y) / mpmath.mpf(z)) ** (1 / mpmath.mpf(gamma)) for x, y, z in zip(a, b, c)]
            Z = mpmath.fsum(w)
            exact = np.array([float(x / Z) for x in w])
        worst = max(worst, float(np.max(np.abs(pg - exact) / exact)))
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
        SymbolicCheck("residual-is-minus-gamma-logZ", prove=tw.prove_tilt_residual),
        SymbolicCheck("exact-rational-instance", prove=tw.prove_tilt_exact),
        NumericCheck("mpmath-oracle-and-gamma-0.1", run=_tilt_numeric),
        PropertyCheck("constant-residual", margin=_tilt_residual_margin),
    ),
))


# ------------------------------------------------------------------ WSPO-4: the normaliser caveat


def _normalizer_numeric(ctx) -> Outcome:
    """Spec table (V=6, Dirichlet(1), uniform d): BFGS minimiser vs tilt; stationarity
    ≤ 1e-8; DIFFERENT where Z′ ≠ 1 and d ≠ π_γ; EQUAL (< 1e-6) where Z′ = 1 or d = π_γ;
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
        gt = nw.grad(np.log(pg), d, np.log(a), dl, gamma)
        pred = 4 * gamma**2 * abs(lz) * nw.tv(d, pg)
        rel = abs(np.sum(np.abs(gt)) - pred) / pred
        agree = max([nw.tv(fit.pi, nw.minimise(d, a, dl, gamma, backend=bk, device=ctx.device).pi) for bk in used],
                    default=0.0)
        ok &= fit.grad_norm <= 1e-8 and dist > SAME and rel <= 1e-10 and agree < 1e-9
        lines.append(f"γ={gamma:g}: Z′={np.exp(lz):.3g}, TV(argmin, π_γ)={dist:.3g} → {_verdict(dist)}; "
                     f"‖∇L‖_∞ at argmin {fit.grad_norm:.1e}; gradient-norm identity rel err {rel:.1e}"
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
    a, b, c, d = _instance(p)
    g = p["gamma"]
    dl, pg, lz = _tilt(a, b, c, g)
    gt = nw.grad(np.log(pg), d, np.log(a), dl, g)
    pred = 4 * g**2 * abs(lz) * nw.tv(d, pg)
    scale = 2 * g * (g * (np.max(np.abs(np.log(pg))) + np.max(np.abs(np.log(a)))) + np.max(np.abs(dl)) + 1)
    return 1e3 * int(p["V"]) * EPS * scale - abs(float(np.sum(np.abs(gt))) - pred)


def _trained_equals_tilt_margin(p) -> float:
    """'The trained policy equals the tilt' under off-policy (uniform) data: −TV."""
    a, b, c, _ = _instance(p)
    dl, pg, _ = _tilt(a, b, c, p["gamma"])
    V = int(p["V"])
    return -nw.tv(nw.minimise(np.full(V, 1 / V), a, dl, p["gamma"]).pi, pg)


SMALL = Domain((Param("V", int, 2, 12, default=6), P_GAMMA, P_CONC, P_SEED))

register(Claim(
    id="wspo.normalizer", spec_id="WSPO-4", title="The normaliser caveat: off-policy, the tilt is NOT the minimiser",
    citation=zhu("the dropped −γ log Z′ (derived; reviews: no optimality theorem)", "wspo.md §3 WSPO-4"),
    provenance="DERIVED", statement=tw.stmt_stationarity,
    assumptions=("interior stationary point over softmax logits", "full-support d"), domain=DOMAIN,
    checks=(
        SymbolicCheck("stationarity-identity-V3", prove=tw.prove_stationarity_identity),
        SymbolicCheck("gradient-at-tilt", prove=tw.prove_gradient_at_tilt),
        NumericCheck("bfgs-minimiser-vs-tilt", run=_normalizer_numeric),
        PropertyCheck("gradient-norm-identity", margin=_grad_identity_margin),
        CounterexampleCheck("trained-equals-tilt", margin=_trained_equals_tilt_margin, domain=SMALL,
                            dropped="on-policy data (d = π_γ) or Z′ = 1", min_violation=1e-3),
    ),
))


# ------------------------------------------------------------------ WSPO-5: on-policy fixed point


def _on_policy_numeric(ctx) -> Outcome:
    """Population on-policy refitting for 200 iterations: TV to π_γ < 1e-6 (γ = 0.25…2);
    linear-softmax contextual bandit: the tilt W* is stationary on-policy, not off-policy;
    sampled on-policy refits end closer to π_γ than the offline fit (t-interval)."""
    used, note = _others(ctx)
    r = ctx.rng("wspo.on_policy", "numeric")
    V, lines, ok, worst = 6, [], True, 0.0
    iters = 200
    for gamma in GAMMA_GRID:
        a, b, c = (r.dirichlet(np.ones(V)) for _ in range(3))
        dl, pg, _ = _tilt(a, b, c, gamma)
        pi, _ = nw.on_policy(a, dl, gamma, iters)
        dist = nw.tv(pi, pg)
        ok &= dist < SAME
        worst = max(worst, dist)
        lines.append(f"γ={gamma:g}: TV after {iters} population iterations {dist:.1e} → {_verdict(dist)}")
        if gamma == 0.5:
            for bk in used:
                pt, _ = nw.on_policy(a, dl, gamma, 40, backend=bk, device=ctx.device)
                p40, _ = nw.on_policy(a, dl, gamma, 40)
                ok &= nw.tv(pt, p40) < 1e-9
                lines.append(f"{bk} on-policy path (40 it.) vs numpy TV {nw.tv(pt, p40):.1e}")
            # sampled on-policy vs the offline fit on data from π_ref^s
            reps, n, rounds = ctx.pick(6, 20), ctx.pick(20_000, 100_000), ctx.pick(15, 40)
            off = nw.tv(nw.minimise(a, a, dl, gamma).pi, pg)
            tvs = [nw.tv(nw.on_policy(a, dl, gamma, rounds, n=n, rng=ctx.rng("wspo.on_policy", "sampled", k))[0], pg)
                   for k in range(reps)]
            ci = numerics.mean_ci(tvs, false_alarm=1e-3)
            ok &= ci.high < off
            lines.append(f"sampled on-policy (n={n}, {rounds} rounds, {reps} seeds): TV to π_γ {ci} < offline "
                         f"fit on π_ref^s data TV {off:.3g}")
    b_ = nw.contextual.make_bandit(r, 5, 3, 10)
    for gamma in (0.5, 2.0):
        Ws = b_.tilt_weights(gamma)
        g_on = np.abs(nw.contextual.grad(Ws, b_, nw.contextual.population_data(b_, Ws), gamma)).max()
        g_off = np.abs(nw.contextual.grad(Ws, b_, nw.contextual.population_data(b_, b_.A_s), gamma)).max()
        ok &= g_on < 1e-12 and g_off > 1e-4
        lines.append(f"linear-softmax bandit γ={gamma:g}: ‖∇L(W*)‖ on-policy {g_on:.1e}, off-policy (d=π_ref^s) {g_off:.2g}")
    # training: on-policy Adam refits (population data) vs an offline fit on π_ref^s data
    g = 0.5
    Ws = b_.tilt_weights(g)
    W_on = nw.contextual.on_policy(b_, g, rounds=ctx.pick(20, 40), steps=80, lr=0.02)
    W_off = nw.contextual.fit(b_, nw.contextual.population_data(b_, b_.A_s), g, b_.A_s.copy(), ctx.pick(1600, 3200))
    tv_on, tv_off = nw.contextual.mean_tv(W_on, Ws, b_.X), nw.contextual.mean_tv(W_off, Ws, b_.X)
    ok &= tv_on < 1e-3 and tv_off > 10 * tv_on  # Adam restarts each round: O(lr) jitter floor
    lines.append(f"linear-softmax bandit trained on-policy (Adam refits): mean TV to the tilt {tv_on:.1e} "
                 f"→ {_verdict(tv_on) if tv_on < SAME else 'converging'}; offline fit on π_ref^s data {tv_off:.3g} "
                 f"→ {_verdict(tv_off)}")
    return Outcome(ok, "; ".join(lines) + " (false-alarm 1e-3 for the sampled interval)." + note,
                   ("max TV after 200 it.", worst), {})


def _on_policy_grad_margin(p) -> float:
    a, b, c, _ = _instance(p)
    g = p["gamma"]
    dl, pg, lz = _tilt(a, b, c, g)
    gt = nw.grad(np.log(pg), pg, np.log(a), dl, g)
    scale = 2 * g * (g * (np.max(np.abs(np.log(pg))) + np.max(np.abs(np.log(a)))) + np.max(np.abs(dl)) + 1)
    return 1e3 * EPS * scale - float(np.sum(np.abs(gt)))


def _global_min_margin(p) -> float:
    """'π_γ is the global minimiser of L(·; d = π_γ)': relative loss gap of the best of two
    cold restarts (uniform logits, π_ref^s logits) against the loss at π_γ."""
    a, b, c, _ = _instance(p)
    g, V = p["gamma"], int(p["V"])
    dl, pg, lz = _tilt(a, b, c, g)
    l_tilt = (g * lz) ** 2  # the residual is the constant −γ log Z′ (WSPO-3)
    best = min(nw.minimise(pg, a, dl, g, z0=z0).loss for z0 in (np.zeros(V), np.log(a)))
    return (best - l_tilt) / max(l_tilt, 1e-300)


def _log_z(p) -> float:
    a, b, c, _ = _instance(p)
    return _tilt(a, b, c, p["gamma"])[2]


Z_BELOW_1 = Domain(SMALL.params, (Constraint("Z′ < 1 (the tilt's normaliser)", lambda d: _log_z(d) < 0,
                                             ("V", "gamma", "conc", "seed")),),
                   description="instances with Z′ < 1")

register(Claim(
    id="wspo.on_policy", spec_id="WSPO-5", title="On-policy fixed point: refitting on the current policy converges to the tilt",
    citation=zhu("on-policy regime of the WSPO loss (derived)", "wspo.md §3 WSPO-5"),
    provenance="DERIVED", statement=tw.stmt_on_policy,
    assumptions=("data drawn from the current policy", "policy class contains π_γ"), domain=DOMAIN,
    checks=(
        SymbolicCheck("on-policy-gradient-zero", prove=tw.prove_on_policy_stationary),
        NumericCheck("fixed-point-iteration", run=_on_policy_numeric),
        PropertyCheck("on-policy-stationary", margin=_on_policy_grad_margin),
        CounterexampleCheck("tilt-is-global-argmin", margin=_global_min_margin, domain=Z_BELOW_1,
                            dropped="warm-started (local) refits: with a global argmin and Z′ < 1 a cold "
                                    "restart finds a lower loss than at π_γ", min_violation=0.5),
    ),
    notes="π_γ is stationary and the warm-started refit iteration converges to it; it is not always the "
          "global argmin of L(·; π_γ) (counterexample check: Z′ < 1 leaves room for near-zero-loss policies).",
))


# ------------------------------------------------------------------ WSPO-6: recovery of π_r^w


def _recovery_fit(p, backend="numpy", device="cpu"):
    a, b, _, d = _instance(p)
    dl = nw.delta(b, a)
    fit = nw.minimise(d, a, dl, 1.0, z0=np.zeros(int(p["V"])), backend=backend, device=device)
    return fit, b


def _recovery_margin(p) -> float:
    fit, b = _recovery_fit(p)
    return SAME - nw.tv(fit.pi, b)


def _recovery_numeric(ctx) -> Outcome:
    used, note = _others(ctx)
    r = ctx.rng("wspo.weak_recovery", "numeric")
    worst_tv, worst_loss, n = 0.0, 0.0, ctx.pick(10, 60)
    for _ in range(n):
        p = {"V": int(r.integers(2, 20)), "conc": 1.0, "seed": int(r.integers(2**31))}
        for bk in ["numpy"] + used:
            fit, b = _recovery_fit(p, bk, ctx.device)
            worst_tv, worst_loss = max(worst_tv, nw.tv(fit.pi, b)), max(worst_loss, fit.loss)
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
        SymbolicCheck("Z-equals-one-and-EFT", prove=tw.prove_recovery),
        NumericCheck("minimiser-is-weak-model", run=_recovery_numeric),
        PropertyCheck("recovery-everywhere", margin=_recovery_margin),
    ),
))


# ------------------------------------------------------------------ WSPO-7: implied reward / BT


def _implied_margin(p) -> float:
    """γ[Δ_s(y1) − Δ_s(y2)] − [δ(y1) − δ(y2)] at π_γ for all pairs, against rounding."""
    a, b, c, _ = _instance(p)
    g = p["gamma"]
    dl, pg, _ = _tilt(a, b, c, g)
    ds = np.log(pg) - np.log(a)
    err = np.abs(g * (ds[:, None] - ds[None, :]) - (dl[:, None] - dl[None, :])).max()
    scale = g * (np.abs(np.log(pg)).max() + np.abs(np.log(a)).max()) + np.abs(dl).max() + 1
    return 64 * EPS * scale - float(err)


def _ar_instance(r: np.random.Generator, V: int, T: int, scale: float = 1.0):
    P = nw.ar.n_prefixes(V, T)
    return tuple(scale * r.standard_normal((P, V)) for _ in range(3))


def _implied_numeric(ctx) -> Outcome:
    """Sequence level (tiny AR tree, enumerated): at the sequence tilt γΔΔ_s = ΔΔ_w and
    σ(β_sΔΔ_s) = σ(β_wΔΔ_w) with β_s = γβ_w (rtol 1e-10); the token-level product breaks it
    when Z′(s) varies across prefixes (reported)."""
    r = ctx.rng("wspo.implied_reward", "numeric")
    worst, worst_bt, tok_gap = 0.0, 0.0, 0.0
    for V, T in ((2, 2), (3, 2), (2, 3), (4, 3)):
        refs = _ar_instance(r, V, T)
        Y = nw.ar.enumerate_sequences(V, T)
        for g in GAMMA_GRID:
            st = nw.ar.seq_tilt(*refs, g, V, T)
            lref = nw.ar.seq_logprob(refs[0], Y, V)
            dseq = nw.ar.seq_logprob(refs[1], Y, V) - nw.ar.seq_logprob(refs[2], Y, V)
            ds = np.log(st) - lref
            lhs = g * (ds[:, None] - ds[None, :])
            rhs = dseq[:, None] - dseq[None, :]
            worst = max(worst, float(np.abs(lhs - rhs).max() / (np.abs(rhs).max() + 1)))
            bw = 0.1
            sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
            worst_bt = max(worst_bt, float(np.abs(sig(g * bw * (lhs / g)) - sig(bw * rhs)).max()))
            tok = nw.ar.seq_probs(nw.ar.token_tilt(*refs, g), V, T)
            dt = np.log(tok) - lref
            tok_gap = max(tok_gap, float(np.abs(g * (dt[:, None] - dt[None, :]) - rhs).max()))
    ok = worst < 1e-10 and worst_bt < 1e-12 and tok_gap > 1e-3
    return Outcome(ok, f"sequence tilt on enumerated trees (V,T)∈{{(2,2),(3,2),(2,3),(4,3)}}, γ∈{GAMMA_GRID}: max rel "
                   f"|γΔΔ_s − ΔΔ_w| {worst:.1e} (<1e-10), max |σ(β_sΔΔ_s) − σ(β_wΔΔ_w)| {worst_bt:.1e}; the "
                   f"token-level product violates it by up to {tok_gap:.3g} (Z′(s) varies) — deterministic rounding "
                   f"tolerances", ("max rel err", worst))


register(Claim(
    id="wspo.implied_reward", spec_id="WSPO-7", title="Implied-reward and Bradley–Terry equivalence at the tilt",
    citation=zhu("weak reward r = β log(π_r^w/π_ref^w) (summary); derived BT consistency", "wspo.md §3 WSPO-7"),
    provenance="DERIVED", statement=tw.stmt_implied_reward,
    assumptions=("β_s = γβ_w",), domain=DOMAIN,
    checks=(
        SymbolicCheck("simplify-to-zero", prove=tw.prove_implied_reward),
        NumericCheck("sequence-level-tree", run=_implied_numeric),
        PropertyCheck("pairwise-identity", margin=_implied_margin),
    ),
))


# ------------------------------------------------------------------ WSPO-8: monotone in 1/γ


def _kl_reward(a, dl, gamma):
    pg, _ = nw.tilt(a, dl, gamma)
    return nw.kl(pg, a), float(np.sum(pg * dl)), pg


def _monotone_numeric(ctx) -> Outcome:
    """200-point γ grid on [0.05, 5]: KL(π_γ‖π_ref^s) and E_{π_γ}[δ] non-increasing in γ
    (finite differences ≥ −rounding); limits γ→∞ (→ π_ref^s) and γ→0⁺ (→ π_ref^s on argmax δ,
    ties weighted by π_ref^s)."""
    r = ctx.rng("wspo.amplification_monotone", "numeric")
    grid = np.geomspace(0.05, 5, 200)
    n, worst = ctx.pick(10, 100), 0.0
    for _ in range(n):
        a, b, c, _ = _instance({"V": int(r.integers(2, 30)), "conc": float(r.choice([0.3, 1, 3])),
                                "seed": int(r.integers(2**31))})
        dl = nw.delta(b, c)
        kr = np.array([_kl_reward(a, dl, g)[:2] for g in grid])
        worst = max(worst, float(np.max(np.diff(kr, axis=0) / (np.abs(kr[:-1]) + 1e-12))))
    a = np.array([0.1, 0.2, 0.3, 0.4])
    dl = np.array([1.0, 1.0, 0.5, -2.0])  # tie on tokens 0,1 at the argmax
    far = nw.tv(_kl_reward(a, dl, 1e6)[2], a)
    near = nw.tv(_kl_reward(a, dl, 1e-3)[2], np.array([1 / 3, 2 / 3, 0, 0]))
    ok = worst <= 1e-9 and far < 1e-5 and near < 1e-9
    return Outcome(ok, f"{n} instances × 200-point γ grid: max relative increase of KL or E[δ] with γ {worst:.1e} "
                   f"(≤1e-9, rounding); γ=1e6: TV(π_γ, π_ref^s) {far:.1e}; γ=1e-3 with a tie: TV to π_ref^s on "
                   f"argmax δ (weights 1/3, 2/3, not uniform) {near:.1e}", ("max increase", worst))


def _monotone_margin(p) -> float:
    """KL and E[δ] at γ minus at γ·k (k = 1.5): ≥ 0 (relative, against rounding)."""
    a, b, c, _ = _instance(p)
    dl = nw.delta(b, c)
    k1, e1, _ = _kl_reward(a, dl, p["gamma"])
    k2, e2, _ = _kl_reward(a, dl, p["gamma"] * 1.5)
    return min(k1 - k2 + 1e-9 * (abs(k1) + 1e-12), e1 - e2 + 1e-9 * (abs(e1) + 1e-12))


register(Claim(
    id="wspo.amplification_monotone", spec_id="WSPO-8", title="Amplification as monotonicity of KL and reward in 1/γ",
    citation=zhu("formalises the paper's empirical 'amplification' (abstract, Fig. 3)", "wspo.md §3 WSPO-8"),
    provenance="DERIVED; formalises the paper's empirical claim", statement=tw.stmt_monotone,
    assumptions=("η = 1/γ > 0",), domain=DOMAIN,
    checks=(
        SymbolicCheck("cumulant-identities-V3", prove=tw.prove_monotone),
        NumericCheck("gamma-grid-and-limits", run=_monotone_numeric),
        PropertyCheck("non-increasing-in-gamma", margin=_monotone_margin),
    ),
))


# ------------------------------------------------------------------ WSPO-9: amplification over the weak model

EQ_REFS = Domain((P_V, Param("gamma", float, 0.05, 1.0, high_open=True, default=0.5, log_scale=True),
                  P_CONC, P_SEED), description="equal references, γ < 1")


def _amp_equal_margin(p) -> float:
    a, b, _, _ = _instance(p)
    dl = nw.delta(b, a)
    pg, _ = nw.tilt(a, dl, p["gamma"])
    e_t, e_w = float(np.sum(pg * dl)), float(np.sum(b * dl))
    return e_t - e_w + 1e-9 * (abs(e_w) + 1)


V2 = Domain((Param("p_ref_s", float, 1e-4, 1 - 1e-4, default=0.001), Param("p_r_w", float, 1e-4, 1 - 1e-4, default=0.9),
             Param("p_ref_w", float, 1e-4, 1 - 1e-4, default=0.5),
             Param("gamma", float, 0.05, 1.0, high_open=True, default=0.5, log_scale=True)),
            description="V = 2, references differ (π_ref^s ≠ π_ref^w), γ < 1")


def _amp_v2_margin(p) -> float:
    a = np.array([p["p_ref_s"], 1 - p["p_ref_s"]])
    b = np.array([p["p_r_w"], 1 - p["p_r_w"]])
    c = np.array([p["p_ref_w"], 1 - p["p_ref_w"]])
    dl = nw.delta(b, c)
    pg, _ = nw.tilt(a, dl, p["gamma"])
    return float(np.sum(pg * dl) - np.sum(b * dl))


def _amp_numeric(ctx) -> Outcome:
    """The spec's counterexample in float, and a toy replica of Figure 3's ordering:
    reward r, π_r^w its β_w-optimal tilt of π_ref^w; compare E_{π_γ}[r] (WSPO) with the weak
    DPO-optimal policy π_r^w over γ < 1, with equal and with different references."""
    a, b, c = np.array([0.001, 0.999]), np.array([0.9, 0.1]), np.array([0.5, 0.5])
    dl = nw.delta(b, c)
    pg, _ = nw.tilt(a, dl, 0.5)
    e_t, e_w = float(pg @ dl), float(b @ dl)
    ok = abs(pg[0] - 0.075) < 5e-4 and abs(e_t + 1.445) < 5e-4 and abs(e_w - 0.368) < 5e-4
    r = ctx.rng("wspo.amplification_equal_refs", "numeric")
    V, bw = 8, 1.0
    rew = r.standard_normal(V)
    ref_w = r.dirichlet(np.ones(V))
    rw, _ = nw.tilt(ref_w, rew * bw, bw)  # β_w-optimal: π_ref^w e^{r/β_w}
    dlr = nw.delta(rw, ref_w)
    rows = []
    for name, ref_s in (("equal refs", ref_w), ("strong ref low on high-r tokens",
                                                nw.tilt(ref_w, -3 * rew, 1.0)[0])):
        wins = [float(nw.tilt(ref_s, dlr, g)[0] @ rew) > float(rw @ rew) for g in (0.1, 0.25, 0.5, 0.9)]
        rows.append(f"{name}: E_π_γ[r] > E_π_r^w[r] at γ∈{{0.1,0.25,0.5,0.9}}: {wins}")
        if name == "equal refs":
            ok &= all(wins)
    return Outcome(ok, f"spec example: π_γ = ({pg[0]:.4f}, {pg[1]:.4f}), E_π_γ[δ] = {e_t:.4f} < E_π_r^w[δ] = "
                   f"{e_w:.4f} (spec: 0.075, −1.445, 0.368; ±5e-4 = rounding of the spec's 3 decimals); toy Figure-3 "
                   "ordering — " + "; ".join(rows), ("E_tilt - E_weak", e_t - e_w))


register(Claim(
    id="wspo.amplification_equal_refs", spec_id="WSPO-9",
    title="Amplification over the weak model is guaranteed only with equal references",
    citation=zhu("abstract/Fig. 3 'amplification' (empirical; reviewer: no theoretical rationale)", "wspo.md §3 WSPO-9"),
    provenance="DERIVED", statement=tw.stmt_amplification,
    assumptions=("π_ref^s = π_ref^w", "γ < 1"), domain=EQ_REFS,
    checks=(
        SymbolicCheck("exact-counterexample", prove=tw.prove_amplification_counterexample),
        NumericCheck("spec-example-and-toy-figure3", run=_amp_numeric),
        PropertyCheck("equal-refs-guarantee", margin=_amp_equal_margin),
        CounterexampleCheck("different-references", margin=_amp_v2_margin, domain=V2,
                            dropped="π_ref^s = π_ref^w", min_violation=0.1),
    ),
))


# ------------------------------------------------------------------ WSPO-10: token vs sequence level

TREE = Domain((Param("V", int, 2, 4, default=2), Param("T", int, 1, 3, default=2), P_GAMMA,
               Param("spread", float, 0.1, 3.0, default=1.0, doc="scale of the random logit tables"), P_SEED),
              description="random trees, depth ≤ 3, V ≤ 4")


def _tree(p):
    r = numerics.rng(int(p["seed"]), "wspo", "tree")
    return _ar_instance(r, int(p["V"]), int(p["T"]), float(p["spread"]))


def _tree_gap(refs, gamma, V, T) -> float:
    st = nw.ar.seq_tilt(*refs, gamma, V, T)
    tok = nw.ar.seq_probs(nw.ar.token_tilt(*refs, gamma), V, T)
    return nw.kl(st, tok)


def _tree_equal_margin(p) -> float:
    Zs, Zr, _ = _tree(p)
    return 1e-12 - _tree_gap((Zs, Zr, Zs), 1.0, int(p["V"]), int(p["T"]))


def _tree_gap_margin(p) -> float:
    """'The token-level target equals the sequence tilt': −KL(seq tilt ‖ token product)."""
    return -_tree_gap(_tree(p), p["gamma"], int(p["V"]), int(p["T"]))


def _token_seq_numeric(ctx) -> Outcome:
    """Exact enumeration: DIFFERENT at γ = 1 (different refs) and γ = 0.5; EQUAL at γ = 1 with
    equal refs and when Z′(s) is constant.  Then the tiny AR policy trained on-policy on
    sampled sequences lands on the token product, not on the sequence tilt (t-intervals)."""
    used, note = _others(ctx)
    r = ctx.rng("wspo.token_vs_sequence", "numeric")
    V, T = 2, 2
    refs = _ar_instance(r, V, T)
    k1, k05 = _tree_gap(refs, 1.0, V, T), _tree_gap(refs, 0.5, V, T)
    k_eq = _tree_gap((refs[0], refs[1], refs[0]), 1.0, V, T)
    # constant Z′(s): every prefix row identical
    row = [np.tile(x[:1], (x.shape[0], 1)) for x in refs]
    k_const = _tree_gap(tuple(row), 0.5, V, T)
    ok = k1 > SAME and k05 > k1 and k_eq < SAME and k_const < SAME
    lines = [f"depth-2 binary tree: KL(seq tilt‖token product) γ=1 different refs {k1:.3g} → {_verdict(k1)}; "
             f"γ=0.5 {k05:.3g} → {_verdict(k05)}; γ=1 equal refs {k_eq:.1e} → {_verdict(k_eq)}; constant Z′(s) "
             f"{k_const:.1e} → {_verdict(k_const)}"]
    # real sequences: on-policy training of the tiny AR policy
    V, T, g = 3, 2, 0.5
    refs = _ar_instance(r, V, T, 1.5)
    st = nw.ar.seq_tilt(*refs, g, V, T)
    tok = nw.ar.seq_probs(nw.ar.token_tilt(*refs, g), V, T)
    reps, n = ctx.pick(4, 12), ctx.pick(4000, 20000)
    d_tok, d_seq = [], []
    for k in range(reps):
        Z = nw.ar.on_policy(refs, g, V, T, rounds=ctx.pick(6, 12), n=n, steps=150, lr=0.1,
                            rng=ctx.rng("wspo.token_vs_sequence", "ar", k))
        fitp = nw.ar.seq_probs(Z, V, T)
        d_tok.append(nw.tv(fitp, tok))
        d_seq.append(nw.tv(fitp, st))
    ct, cs = numerics.mean_ci(d_tok, 1e-3, 2), numerics.mean_ci(d_seq, 1e-3, 2)
    ok &= ct.high < cs.low
    lines.append(f"tiny AR (V=3, T=2, γ=0.5) trained on-policy on sampled sequences (n={n}, {reps} seeds): TV to "
                 f"token product {ct}, TV to sequence tilt {cs} (TV(token, seq) = {nw.tv(tok, st):.3g}; false-alarm "
                 "1e-3, Bonferroni over 2)")
    for bk in used:
        Y = nw.ar.sample(refs[0], 200, V, T, ctx.rng("wspo.token_vs_sequence", "bk"))
        w = np.full(200, 1 / 200)
        Zn = nw.ar.fit(Y, w, refs, g, refs[0], 50, 0.1, V)
        Zt = nw.ar.fit(Y, w, refs, g, refs[0], 50, 0.1, V, backend=bk, device=ctx.device)
        dev = float(np.abs(Zn - Zt).max())
        ok &= dev < 1e-9
        lines.append(f"{bk} Adam (50 steps) vs numpy max |ΔZ| {dev:.1e}")
    return Outcome(ok, "; ".join(lines) + "." + note, ("KL at γ=0.5", k05), {"kl_gamma1": k1, "kl_gamma05": k05})


register(Claim(
    id="wspo.token_vs_sequence", spec_id="WSPO-10", title="The token-level target differs from the sequence-level tilt",
    citation=zhu("per-token loss of the official code vs the sequence-level objective", "wspo.md §3 WSPO-10"),
    provenance="DERIVED", statement=tw.stmt_token_vs_sequence,
    assumptions=("γ = 1 and π_ref^s = π_ref^w, or constant Z′(s), for equality",), domain=TREE,
    checks=(
        SymbolicCheck("normaliser-decomposition", prove=tw.prove_token_vs_sequence),
        NumericCheck("enumerated-trees-and-ar-training", run=_token_seq_numeric),
        PropertyCheck("equal-at-gamma1-equal-refs", margin=_tree_equal_margin),
        CounterexampleCheck("token-equals-sequence", margin=_tree_gap_margin, domain=TREE,
                            dropped="γ = 1 with equal references / constant Z′(s)", min_violation=1e-4),
    ),
))


# ------------------------------------------------------------------ WSPO-11: support


def _support_margin(p) -> float:
    """(a): mass of π_γ off supp π_ref^s must be exactly 0."""
    a, b, c, _ = _instance(p)
    V = int(p["V"])
    k = max(1, V // 3)
    a = a.copy()
    a[:k] = 0.0
    a /= a.sum()
    pg, _ = nw.tilt(a, nw.delta(b, c), p["gamma"])
    return -float(pg[:k].sum())


def _support_numeric(ctx) -> Outcome:
    """(b) δ = +∞ is rejected unless smoothed; ε ∈ {1e-8, 1e-4} sensitivity of the tilt;
    (c) d on A ⊊ V (V=6, |A|=3): S_A < 1 → four restarts give four different zero-loss
    minimisers; S_A > 1 → the mass off A → 0 (infimum not attained)."""
    r = ctx.rng("wspo.support", "numeric")
    lines, ok = [], True
    b = np.array([0.5, 0.3, 0.2, 0.0])
    c = np.array([0.0, 0.5, 0.25, 0.25])
    a = np.array([0.25, 0.25, 0.25, 0.25])
    try:
        nw.tilt_from(a, b, c, 0.5)
        ok = False
        lines.append("(b) zero weak-reference mass was NOT rejected")
    except numerics.InvalidParameter as e:
        lines.append(f"(b) unsmoothed: rejected ({e})")
    tilts = {eps: nw.tilt(a, nw.delta(nw.smooth(b, eps), nw.smooth(c, eps)), 0.5)[0] for eps in (1e-8, 1e-4)}
    sens = nw.tv(tilts[1e-8], tilts[1e-4])
    lines.append(f"ε=1e-8 → π_γ(0)={tilts[1e-8][0]:.6f}, ε=1e-4 → {tilts[1e-4][0]:.6f}; TV between them {sens:.3g} "
                 "(sensitivity reported, δ(0) = log(0.5/ε)-dominated)")
    V, g = 6, 0.5
    a = r.dirichlet(np.ones(V))
    for want in ("S_A<1", "S_A>1"):
        while True:
            bb, cc = r.dirichlet(np.ones(V)), r.dirichlet(np.ones(V))
            dl = nw.delta(bb, cc)
            SA = float(np.sum(a[:3] * np.exp(dl[:3] / g)))
            if (SA < 0.8) if want == "S_A<1" else (SA > 1.25):
                break
        d = np.array([1 / 3] * 3 + [0.0] * 3)
        fits = [nw.minimise(d, a, dl, g, z0=ctx.rng("wspo.support", "restart", k).standard_normal(V) * 2)
                for k in range(4)]
        off = [float(f.pi[3:].sum()) for f in fits]
        splits = [np.round(f.pi[3:] / max(f.pi[3:].sum(), 1e-300), 3).tolist() for f in fits]
        spread = max(nw.tv(f.pi, fits[0].pi) for f in fits)
        if want == "S_A<1":
            ok &= max(f.loss for f in fits) < 1e-12 and spread > 1e-3
            lines.append(f"(c) S_A={SA:.3g} < 1: four restarts, losses ≤ {max(f.loss for f in fits):.1e}, "
                         f"off-A splits {splits} — max TV between minimisers {spread:.3g} (NOT identifiable)")
        else:
            ok &= max(off) < 1e-3
            lines.append(f"(c) S_A={SA:.3g} > 1: mass off A after minimisation ≤ {max(off):.1e} (→ 0, infimum at "
                         "infinite logits)")
    return Outcome(ok, "; ".join(lines), ("TV(ε=1e-8, ε=1e-4)", sens))


def _unique_margin(p) -> float:
    """'The minimiser is unique' with d supported on A ⊊ V: −TV between two restarts."""
    a, b, c, _ = _instance(p)
    V = int(p["V"])
    d = np.zeros(V)
    d[: max(1, V // 2)] = 1.0
    d /= d.sum()
    dl = nw.delta(b, c)
    r = numerics.rng(int(p["seed"]), "wspo", "restarts")
    f1, f2 = (nw.minimise(d, a, dl, p["gamma"], z0=r.standard_normal(V) * 2) for _ in range(2))
    return -nw.tv(f1.pi, f2.pi)


SUPPORT_CX = Domain((Param("V", int, 3, 12, default=6), P_GAMMA, P_CONC, P_SEED),
                    description="d supported on the first ⌊V/2⌋ tokens")

register(Claim(
    id="wspo.support", spec_id="WSPO-11", title="Support and identifiability of the WSPO minimiser",
    citation=zhu("support of π_ref^s; smoothing of π_ref^w zeros; unseen tokens", "wspo.md §3 WSPO-11"),
    provenance="DERIVED", statement=tw.stmt_support,
    assumptions=("π_ref^s(a) = 0 for (a)", "d supported on A ⊊ V for (c)"), domain=DOMAIN,
    checks=(
        SymbolicCheck("support-and-continuum", prove=tw.prove_support),
        NumericCheck("smoothing-and-restarts", run=_support_numeric),
        PropertyCheck("tilt-creates-no-mass", margin=_support_margin, tolerance=0.0),
        CounterexampleCheck("unique-minimiser", margin=_unique_margin, domain=SUPPORT_CX,
                            dropped="full-support data d", min_violation=1e-3),
    ),
))


# ------------------------------------------------------------------ WSPO-12: Gaussian tilt

_SIG = dict(kind=float, low=0.2, high=5.0, log_scale=True)


def _gauss_strategy(broadened: bool):
    """Constructive draws (no filtering): σ_w ≤ σ_wr (narrowed) or σ_w > σ_wr (broadened)."""
    from hypothesis import strategies as st

    def build(s_wr: float):
        lo, hi = (min(s_wr * 1.0001, 5.0), 5.0) if broadened else (0.2, s_wr)
        return st.fixed_dictionaries({"sigma_r": Param("sigma_r", **_SIG).strategy(),
                                      "sigma_w": st.floats(lo, hi, exclude_min=broadened),
                                      "sigma_wr": st.just(s_wr), "gamma": P_GAMMA.strategy()})
    top = 4.9 if broadened else 5.0
    return st.floats(0.2, top).flatmap(build)


def _gauss_domain(broadened: bool) -> Domain:
    rel = (lambda d: d["sigma_w"] > d["sigma_wr"]) if broadened else (lambda d: d["sigma_w"] <= d["sigma_wr"])
    text = ("sigma_w > sigma_wr (alignment broadened the weak model)" if broadened
            else "sigma_w <= sigma_wr (alignment narrowed the weak model)")
    return Domain((Param("sigma_r", default=1.0, **_SIG), Param("sigma_w", default=1.0, **_SIG),
                   Param("sigma_wr", default=1.5, **_SIG), P_GAMMA),
                  (Constraint(text, rel, ("sigma_w", "sigma_wr")),),
                  strategy_override=lambda: _gauss_strategy(broadened), description=text)


GAUSS, GAUSS_BROAD = _gauss_domain(False), _gauss_domain(True)


def _lam_margin(p) -> float:
    lam, _ = nw.gaussian.closed_form(0.0, p["sigma_r"], 0.0, p["sigma_w"], 0.0, p["sigma_wr"], p["gamma"])
    return lam


def _gauss_numeric(ctx) -> Outcome:
    """Quadrature of the unnormalised tilt vs the closed form (proper cases, rtol 1e-7);
    improper case (σ_r=σ_wr=1, σ_w=1.5, γ=0.5 < 5/9): the mass on [−R, R] explodes with R."""
    r = ctx.rng("wspo.gaussian", "numeric")
    worst, n = 0.0, ctx.pick(8, 40)
    for _ in range(n):
        s_r, s_w, s_wr = np.exp(r.uniform(-1, 1, 3))
        gam = float(np.exp(r.uniform(np.log(0.2), np.log(5))))
        mus = r.standard_normal(3)
        lam, mean = nw.gaussian.closed_form(mus[0], s_r, mus[1], s_w, mus[2], s_wr, gam)
        if lam <= 0.05:
            continue
        R = abs(mean) + 40 / np.sqrt(lam)
        _, m, v = nw.gaussian.quadrature_moments(mus[0], s_r, mus[1], s_w, mus[2], s_wr, gam, R)
        worst = max(worst, abs(m - mean) / (1 + abs(mean)), abs(v * lam - 1))
    masses = [nw.gaussian.quadrature_moments(0, 1, 0, 1.5, 0, 1, 0.5, R)[0] for R in (5, 10, 20)]
    lam_ex, _ = nw.gaussian.closed_form(0, 1, 0, 1.5, 0, 1, 0.5)
    ok = worst < 1e-7 and masses[2] > 1e6 * masses[1] > 1e6 * masses[0] and abs(lam_ex + 1 / 9) < 1e-15
    return Outcome(ok, f"{n} proper random cases: max rel err of quadrature mean/variance vs closed form {worst:.1e} "
                   f"(<1e-7, quadrature accuracy); improper example λ*={lam_ex:.6f} (= −1/9): mass on [−R,R] "
                   f"for R=5,10,20: {masses[0]:.3g}, {masses[1]:.3g}, {masses[2]:.3g} (diverges)",
                   ("max rel err", worst))


register(Claim(
    id="wspo.gaussian", spec_id="WSPO-12", title="Gaussian tilt: closed-form precision and the improper regime",
    citation=zhu("derived: Gaussian policies (no paper statement)", "wspo.md §3 WSPO-12"),
    provenance="DERIVED", statement=tw.stmt_gaussian,
    assumptions=("Gaussian π_ref^s, π_r^w, π_ref^w", "λ* > 0 for a proper tilt"), domain=GAUSS,
    checks=(
        SymbolicCheck("complete-the-square", prove=tw.prove_gaussian),
        NumericCheck("quadrature-vs-closed-form", run=_gauss_numeric),
        PropertyCheck("narrowed-alignment-is-proper", margin=_lam_margin),
        CounterexampleCheck("improper-below-bound", margin=_lam_margin, domain=GAUSS_BROAD,
                            dropped="σ_w ≤ σ_wr (alignment narrowed) or γ above the bound", min_violation=0.05),
    ),
))


# ------------------------------------------------------------------ WSPO-13: gradient


def _gradient_numeric(ctx) -> Outcome:
    """torch.autograd.gradcheck (float64) on the linear-softmax and tiny AR losses; autodiff
    gradients vs the closed forms (rtol 1e-10); numpy vs torch Adam trajectories."""
    with nw.single_thread():
        return _gradient_numeric_run(ctx)


def _gradient_numeric_run(ctx) -> Outcome:
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
    ok &= gc1 and gc2 and e1 < 1e-10 and e2 < 1e-10
    lines.append(f"gradcheck linear-softmax {gc1}, tiny AR {gc2}; autograd vs closed form rel err {e1:.1e} "
                 f"(bandit), {e2:.1e} (AR) (<1e-10, rounding)")
    for bk in used:
        Wn = nw.contextual.fit(b, data, 0.5, W0, 60)
        Wq = nw.contextual.fit(b, data, 0.5, W0, 60, backend=bk, device=dev)
        dv = float(np.abs(Wn - Wq).max())
        ok &= dv < 1e-9
        lines.append(f"{bk} vs numpy Adam trajectory (60 steps, bandit) max |ΔW| {dv:.1e}")
    return Outcome(ok, "; ".join(lines) + "." + note, ("rel err", max(e1, e2)))


def _grad_fd_margin(p) -> float:
    """Closed-form categorical gradient vs central finite differences (h = 1e-6)."""
    a, b, c, d = _instance(p)
    g = p["gamma"]
    dl = nw.delta(b, c)
    r = numerics.rng(int(p["seed"]), "wspo", "z")
    z = r.standard_normal(int(p["V"]))
    la = np.log(a)
    G = nw.grad(z, d, la, dl, g)
    h = 1e-6
    fd = np.array([(nw.loss(z + h * e, d, la, dl, g) - nw.loss(z - h * e, d, la, dl, g)) / (2 * h)
                   for e in np.eye(z.size)])
    L = nw.loss(z, d, la, dl, g)
    return 1e-6 * (1 + L + np.abs(G).max()) - float(np.abs(G - fd).max())


register(Claim(
    id="wspo.gradient", spec_id="WSPO-13", title="Gradient: SFT with signed per-token weights −e_t",
    citation=zhu("the paper is said to derive 'the objective and gradient' (reviews)", "wspo.md §3 WSPO-13"),
    provenance="DERIVED; the paper is said to derive the objective and gradient", statement=tw.stmt_gradient,
    assumptions=("softmax head",), domain=Domain((Param("V", int, 2, 20, default=6), P_GAMMA, P_CONC, P_SEED)),
    checks=(
        SymbolicCheck("sympy-diff-V3", prove=tw.prove_gradient),
        NumericCheck("gradcheck-and-closed-form", run=_gradient_numeric),
        PropertyCheck("finite-differences", margin=_grad_fd_margin),
    ),
))


# ------------------------------------------------------------------ WSPO-14: finite-sample rate

N_GRID = (100, 400, 1600, 6400, 25600)


@lru_cache(maxsize=4)
def _rate_runs(seed: int, profile: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """E‖π̂_n − π_pop‖₁ over reps for n ∈ N_GRID (V=6, γ=0.5, one random instance)."""
    r = numerics.rng(seed, "wspo.finite_sample", "instance")
    V, g = 6, 0.5
    a, b, c, d = (r.dirichlet(np.ones(V)) for _ in range(4))
    dl = nw.delta(b, c)
    pop = nw.minimise(d, a, dl, g)
    reps = 400 if profile == "fast" else 4000
    means, ses = [], []
    for n in N_GRID:
        rr = numerics.rng(seed, "wspo.finite_sample", n)
        Dn = rr.multinomial(n, d, size=reps) / n
        errs = np.abs(nw.minimise_batch(Dn, a, dl, g, pop.z) - pop.pi).sum(1)
        means.append(errs.mean())
        ses.append(errs.std(ddof=1) / np.sqrt(reps))
    return np.array(N_GRID, dtype=float), np.array(means), np.array(ses)


def _rate_measure(ctx) -> RatePoints:
    x, y, se = _rate_runs(ctx.seed, ctx.profile)
    return RatePoints(x, y, se)


def _rate_numeric(ctx) -> Outcome:
    """√n·E‖π̂_n − π_pop‖₁ roughly constant: coefficient of variation across n < 0.1 (spec);
    each point's interval is a t-interval at false-alarm 1e-3 (Bonferroni over 5)."""
    x, y, se = _rate_runs(ctx.seed, ctx.profile)
    s = np.sqrt(x) * y
    cv = float(np.std(s, ddof=1) / np.mean(s))
    q = numerics.z_two_sided(1e-3, len(x))
    cells = ", ".join(f"n={int(n)}: {v:.3f}±{q * np.sqrt(n) * e:.3f}" for n, v, e in zip(x, s, se))
    return Outcome(cv < 0.1, f"√n·E‖π̂_n − π_pop‖₁: {cells}; CV across n {cv:.3f} (< 0.1); spec reference ≈ 0.5 "
                   "(instance-dependent, not asserted)", ("CV", cv), {"sqrt_n_err": s.tolist()})


register(Claim(
    id="wspo.finite_sample", spec_id="WSPO-14", title="Finite-sample consistency: E‖π̂_n − π_pop‖₁ ≈ c/√n",
    citation=zhu("derived: M-estimation for the tabular WSPO loss", "wspo.md §3 WSPO-14"),
    provenance="DERIVED", statement=tw.stmt_finite_sample,
    assumptions=("one tabular state", "n iid tokens from a full-support d",
                 "asymptotic regime n·min_a d(a) ≫ 1 (unseen tokens at small n trigger WSPO-11c)"), domain=DOMAIN,
    checks=(
        NumericCheck("sqrt-n-constant", run=_rate_numeric),
        Rate("l1-error-rate", exponent=-0.5, variable="n", quantity="E‖π̂_n − π_pop‖₁", measure=_rate_measure,
             confidence=0.99, max_halfwidth=0.1),
    ),
    notes="Instance-dependent pre-asymptotics: with min_a d(a) ≈ 0.004 (e.g. --seed 1) √n·err still drifts "
          "over n ≤ 25600 and the slope CI excludes −0.5; the default seed's instance has min d ≈ 0.015.",
))


# ------------------------------------------------------------------ tables and figures

HH_LEFT = (("Preferred-FT (7B)", 0.48, 0.39, 0.37), ("DPO (1.5B), weak aligned", 0.52, 0.50, 0.44),
           ("DPO (7B)", 0.52, 0.58, 0.51), ("WSPO (7B)", 0.61, 0.62, 0.59))
HH_STEPS = tuple(range(0, 11))  # ×1k fine-tuning steps
HH_RIGHT = {"T = 0.7": (0.39, 0.62, 0.65, 0.61, 0.61, 0.58, 0.64, 0.61, 0.61, 0.60, 0.62),
            "T = 1.0": (0.37, 0.59, 0.59, 0.59, 0.59, 0.515, 0.57, 0.53, 0.56, 0.58, 0.58)}


def _hh_build(ctx) -> TableData:
    rows = [[m, a, b, c] for m, a, b, c in HH_LEFT]
    wspo_row, dpo_rows = HH_LEFT[3], HH_LEFT[1:3]
    beats = all(wspo_row[i] > r[i] for r in dpo_rows for i in (1, 2, 3))
    jumps = {k: v[1] - v[0] for k, v in HH_RIGHT.items()}
    notes = ["Figure 3 (right), WSPO-7B win rate vs fine-tuning step (0..10k): "
             + "; ".join(f"{k}: " + ", ".join(f"{s}k={v:g}" for s, v in zip(HH_STEPS, vals)) for k, vals in HH_RIGHT.items()),
             f"spec assertions on the transcribed numbers: WSPO > both DPO rows at every temperature: {beats}; "
             "win rate at 1k minus 0: " + ", ".join(f"{k} {v:.2f}" for k, v in jumps.items()) + " (≥ 0.2)",
             "step-0 values equal Preferred-FT: the HH strong reference is presumably the preferred-response SFT model"]
    return TableData(["model (Anthropic-HH, GPT-4o-mini judge)", "T = 0.25", "T = 0.7", "T = 1.0"], rows,
                     caption="Transcribed [PAPER] — not recomputed: visual reading (±0.01) of Figure 3 (left), an image "
                             "in the official repository; the harness does not reproduce LLM training.",
                     notes=notes, series={"left": HH_LEFT, "right": HH_RIGHT, "steps": HH_STEPS})


def _hh_figure(data: TableData, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    temps = [0.25, 0.7, 1.0]
    for m, *vals in data.series["left"]:
        ax1.plot(temps, vals, "o-", label=m)
    ax1.set(xlabel="sampling temperature", ylabel="win rate", title="HH win rates (transcribed, Fig. 3 left)")
    ax1.legend(fontsize=7)
    for k, v in data.series["right"].items():
        ax2.plot([s * 1000 for s in data.series["steps"]], v, "o-", label=k)
    ax2.set(xlabel="fine-tuning step", ylabel="WSPO-7B win rate", title="transcribed, Fig. 3 right")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


register_table(Table("wspo.hh_winrates", "WSPO Figure 3: Anthropic-HH win rates",
                     "transcribed [PAPER] — not recomputed", _hh_build, _hh_figure,
                     claims=("wspo.amplification_monotone", "wspo.amplification_equal_refs")))

SWEEP_GAMMAS = (5.0, 2.0, 1.0, 0.5, 0.25, 0.1, 0.05)


def _sweep_build(ctx) -> TableData:
    """KL(π‖π_ref^s) and E_π[δ] of the tilt (theory) vs the WSPO optimiser trained on-policy
    on sampled tokens (mean over seeds, 95% t-interval) and vs the offline minimiser on
    data from π_ref^s (deterministic population fit), for 1/γ from 0.2 to 20 (V = 6)."""
    r = ctx.rng("wspo.gamma_sweep", "instance")
    V = 6
    a, b, c = (r.dirichlet(np.ones(V)) for _ in range(3))
    dl = nw.delta(b, c)
    reps, n, per = ctx.pick(5, 20), ctx.pick(5000, 50000), ctx.pick(4, 10)
    rows, series = [], {"eta": [], "kl": [], "rw": [], "kl_on": [], "rw_on": [], "kl_off": [], "rw_off": []}
    for g in SWEEP_GAMMAS:
        pg, _ = nw.tilt(a, dl, g)
        kl_t, rw_t = nw.kl(pg, a), float(pg @ dl)
        kls, rws = [], []
        rounds = max(10, int(np.ceil(per / g)))  # the on-policy iteration converges more slowly as γ ↓
        for k in range(reps):
            pi, _ = nw.on_policy(a, dl, g, rounds, n=n, rng=ctx.rng("wspo.gamma_sweep", g, k))
            kls.append(nw.kl(pi, a))
            rws.append(float(pi @ dl))
        ck, cr = numerics.mean_ci(kls, 0.05), numerics.mean_ci(rws, 0.05)
        off = nw.minimise(a, a, dl, g).pi
        rows.append([f"{1 / g:g}", g, kl_t, Stat(ck.mean, ck.low, ck.high, 0.95), nw.kl(off, a),
                     rw_t, Stat(cr.mean, cr.low, cr.high, 0.95), float(off @ dl)])
        for key, v in (("eta", 1 / g), ("kl", kl_t), ("rw", rw_t), ("kl_off", nw.kl(off, a)), ("rw_off", float(off @ dl))):
            series[key].append(v)
        series["kl_on"].append((ck.mean, ck.low, ck.high))
        series["rw_on"].append((cr.mean, cr.low, cr.high))
    grid = np.geomspace(0.2, 20, 200)
    series["curve"] = [(e, nw.kl(nw.tilt(a, dl, 1 / e)[0], a), float(nw.tilt(a, dl, 1 / e)[0] @ dl)) for e in grid]
    return TableData(["1/γ", "γ", "KL theory", "KL on-policy WSPO", "KL offline minimiser", "E[δ] theory",
                      "E[δ] on-policy WSPO", "E[δ] offline minimiser"], rows,
                     caption=f"Simulated (V=6, Dirichlet(1) instance): the tilt π_γ (theory, WSPO-3/8) vs the WSPO "
                             f"optimiser refitted on-policy on n={n} sampled tokens for max(10, ⌈{per}/γ⌉) rounds ({reps} seeds, "
                             "Stat = mean [95% t-interval]) and vs the offline minimiser on data from π_ref^s "
                             "(normaliser caveat, WSPO-4).", series=series)


def _sweep_figure(data: TableData, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = data.series
    cur = np.array(s["curve"])
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for ax, j, key, off, lab in ((axes[0], 1, "kl_on", "kl_off", "KL(π ‖ π_ref^s)"),
                                 (axes[1], 2, "rw_on", "rw_off", "E_π[δ]")):
        ax.plot(cur[:, 0], cur[:, j], "-", color="k", label="theory: tilt π_γ")
        on = np.array(s[key])
        ax.errorbar(s["eta"], on[:, 0], yerr=[on[:, 0] - on[:, 1], on[:, 2] - on[:, 0]], fmt="o", capsize=3,
                    label="WSPO optimiser, on-policy (95% CI)")
        ax.plot(s["eta"], s[off], "x", label="offline minimiser (d = π_ref^s)")
        ax.set_xscale("log")
        ax.set(xlabel="1/γ", ylabel=lab)
        ax.legend(fontsize=7)
    fig.suptitle("WSPO γ sweep (simulated)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


register_table(Table("wspo.gamma_sweep", "WSPO: KL and reward of the tilted policy vs 1/γ (theory vs optimiser)",
                     "simulated", _sweep_build, _sweep_figure,
                     claims=("wspo.amplification_monotone", "wspo.on_policy", "wspo.normalizer")))

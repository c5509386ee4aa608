"""§5.1 reproduction: gain vs misfit on the synthetic wts.ipynb replica, numpy and torch
(Charikar et al. 2024, arXiv:2405.15116, Fig. 2(a–c); spec misfit.md §5.1, regime MISFIT-4)."""
from __future__ import annotations

import numpy as np
from scipy import stats as _stats

from numerics import clopper_pearson, z_two_sided
from numerics import misfit as nm
from numerics.misfit import _replication as _rep
from theory import misfit as tm

from ... import statement_function
from ..._claim import Claim, CounterexampleCheck, NumericCheck, Outcome, PropertyCheck
from ..._domain import Domain, Param
from ..._registry import register
from ..._tables import Stat, TableData
from .._common import charikar
from ._shared import SEED


NOTEBOOK_SEED = 112233445  # wts.ipynb seeds numpy and torch with this value
_REPLICA_CACHE: dict = {}

TARGET_SLOPE = (0.8, 1.2)   # spec §5.1 target for the non-realizable replica [CODE setup]
TARGET_R2 = 0.8
TARGET_FRACTION = 0.5       # the stated fraction: the target holds for at least half of the seeds
NOTEBOOK_LINE = (0.92, 0.031, 0.89)  # digitised from the stored plot (spec §5.1): slope, intercept, R²
NOTEBOOK_FRAC = 0.82                 # misfit > gain for ≈ 82 % of the notebook's tasks
PROTOCOLS = ("cheap", "notebook")


def _protocol(ctx) -> str:
    p = ctx.extra.get("protocol") or ctx.pick("cheap", "notebook")
    if p not in PROTOCOLS:
        raise nm.InvalidParameter("protocol", p, "one of " + ", ".join(PROTOCOLS))
    return p


def _n_seeds(ctx) -> int:
    n = ctx.extra.get("seeds") or ctx.pick(3, 20)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise nm.InvalidParameter("seeds", n, "an integer >= 1")
    return n


def _replica_cfg(ctx) -> "nm.ReplicaConfig":
    """Notebook protocol (spec §5.1): 1000 epochs of AdamW over task-pure batches, float32, 100 tasks.
    Cheap protocol (fast profile): the same loop scaled down; it cannot decide the claim."""
    if _protocol(ctx) == "notebook":
        return nm.ReplicaConfig(epochs=1000, task_pure=True, dtype="float32", pop_factor=10)
    return nm.ReplicaConfig(n_pre=400, epochs=3, n_transfer_tasks=30, task_pure=True, dtype="float32",
                            pop_factor=4)


def _heads(ctx):
    if ctx.extra.get("heads", "lstsq") == "adamw":
        from numerics.misfit._replica_heads import adamw_heads

        return adamw_heads
    return None


def _replicas(ctx, backend: str = "numpy"):
    """R seeds of the replica (cached per seed/profile/protocol/backend).  Pretraining runs in the
    fused kernel batched over seeds (torch); backend "numpy" re-runs the numpy reference per seed
    (the oracle; only sensible for short protocols).  Each seed's draws come from ctx.rng."""
    cfg, R = _replica_cfg(ctx), _n_seeds(ctx)
    key = (ctx.seed, cfg, R, backend, ctx.device, ctx.extra.get("heads"))
    if key not in _REPLICA_CACHE:
        draws = [nm.draw(ctx.rng("misfit.replication", "draws", r), cfg) for r in range(R)]
        hf = _heads(ctx)
        heads = [hf(d.order_seeds) if hf else None for d in draws]
        if backend == "numpy" and cfg.epochs * cfg.steps_per_epoch <= 20000:
            runs = [nm.run_numpy(d, h) for d, h in zip(draws, heads)]
        else:
            from numerics.misfit._replica_batched import pretrain_batched

            dev = ctx.device if backend == "torch" else "cpu"
            runs = [_rep.finish(d, l, L, "torch", h)
                    for d, h, (l, L) in zip(draws, heads, pretrain_batched(draws, dev))]
        fits = [(nm.fit_line(x.gain, x.misfit, ctx.rng("misfit.replication", "boot", r)),
                 nm.fit_line(x.realizable.gain, x.realizable.misfit, ctx.rng("misfit.replication", "bootR", r)))
                for r, x in enumerate(runs)]
        _REPLICA_CACHE[key] = (runs, fits)
    return _REPLICA_CACHE[key]


def _success(f) -> bool:
    return TARGET_SLOPE[0] <= f.slope <= TARGET_SLOPE[1] and f.r2 >= TARGET_R2


def _pooled(ctx, runs, realizable: bool = False):
    """OLS over every (seed, task) pair; CIs by a bootstrap stratified by seed (tasks resampled
    within each seed)."""
    xs = [(x.realizable if realizable else x).gain for x in runs]
    ys = [(x.realizable if realizable else x).misfit for x in runs]
    g = ctx.rng("misfit.replication", "pooled", int(realizable))
    x, y = np.concatenate(xs), np.concatenate(ys)
    b, a, r2 = _rep._ols(x, y)
    boots = []
    for _ in range(1000):
        ii = [rng_i.size and g.integers(0, rng_i.size, rng_i.size) for rng_i in xs]
        bx = np.concatenate([xi[i] for xi, i in zip(xs, ii)])
        by = np.concatenate([yi[i] for yi, i in zip(ys, ii)])
        boots.append(_rep._ols(bx, by))
    boots = np.array(boots)
    ci = lambda k: tuple(float(v) for v in np.percentile(boots[:, k], [2.5, 97.5]))  # noqa: E731
    return {"slope": Stat(float(b), *ci(0), 0.95), "intercept": Stat(float(a), *ci(1), 0.95),
            "r2": Stat(float(r2), *ci(2), 0.95), "frac": float(np.mean(y > x)), "n": int(x.size),
            "k_frac": int(np.sum(y > x))}


def _fit_text(f) -> str:
    return (f"slope {f.slope:.3f} [{f.slope_ci[0]:.3f}, {f.slope_ci[1]:.3f}], intercept {f.intercept:.3g}, "
            f"R² {f.r2:.3f}, misfit > gain {f.frac_misfit_gt_gain:.0%}")


TABLE_COLUMNS = ["replica", "seed", "slope", "intercept", "R²", "frac misfit>gain", "target met"]


def _table_rows(ctx) -> list[list]:
    runs, fits = _replicas(ctx)
    rows = []
    for real, label in ((False, "non-realizable (pretrained h_s)"), (True, "realizable (h_s = h*)")):
        for r, pair in enumerate(fits):
            f = pair[int(real)]
            rows.append([label, r, Stat(f.slope, *f.slope_ci, f.level), Stat(f.intercept, *f.intercept_ci, f.level),
                         Stat(f.r2, *f.r2_ci, f.level), f.frac_misfit_gt_gain, "" if real else _success(f)])
        p = _pooled(ctx, runs, real)
        rows.append([label, "pooled", p["slope"], p["intercept"], p["r2"], p["frac"], ""])
    rows.append(["notebook (digitised, 87/100 markers)", "112233445", NOTEBOOK_LINE[0], NOTEBOOK_LINE[1],
                 NOTEBOOK_LINE[2], NOTEBOOK_FRAC, True])
    return rows


def _rows_json(rows) -> list[dict]:
    return [{c: ({"value": v.value, "low": v.low, "high": v.high, "level": v.level} if isinstance(v, Stat) else v)
             for c, v in zip(TABLE_COLUMNS, r)} for r in rows]


def _last_loss(runs, net: str) -> float:
    """Median over seeds of the last epoch's summed per-batch loss (nan when nothing was trained)."""
    v = [x.pre_loss.get(net, [])[-1] for x in runs if x.pre_loss.get(net)]
    return float(np.median(v)) if v else float("nan")


def _nonrealizable_numeric(ctx) -> Outcome:
    """Spec §5.1 target as a statement about the seed distribution: P(slope ∈ [0.8, 1.2] and R² ≥ 0.8)
    ≥ 1/2.  Exact Clopper–Pearson interval on the fraction k/R of seeds that meet it, at confidence
    1 − α (α = ctx.false_alarm): passes when the whole interval is ≥ 1/2, fails ("not reproduced")
    when it is < 1/2, else inconclusive; the cheap protocol is never a verdict on the notebook."""
    runs, fits = _replicas(ctx)
    proto, R = _protocol(ctx), len(runs)
    k = sum(_success(f) for f, _ in fits)
    alpha = ctx.false_alarm
    cp = clopper_pearson(k, R, 1 - alpha)
    p = _pooled(ctx, runs)
    fcp = clopper_pearson(p["k_frac"], p["n"], 0.95)
    slopes = ", ".join(f"{f.slope:.2f}/{f.r2:.2f}" for f, _ in fits)
    cfg = _replica_cfg(ctx)
    nums = (f"target (slope ∈ [{TARGET_SLOPE[0]}, {TARGET_SLOPE[1]}], R² ≥ {TARGET_R2}) met at {k}/{R} seeds, "
            f"Clopper–Pearson [{cp.low:.3f}, {cp.high:.3f}] at 1 − α, α = {alpha:.1e}, vs the stated fraction "
            f"{TARGET_FRACTION}; per-seed slope/R²: {slopes}; pooled slope {p['slope'].text()} (95% stratified "
            f"bootstrap) vs notebook {NOTEBOOK_LINE[0]}, pooled R² {p['r2'].value:.3f} vs {NOTEBOOK_LINE[2]}; misfit > "
            f"gain for {p['frac']:.0%} of {p['n']} tasks [{fcp.low:.0%}, {fcp.high:.0%}] vs notebook ≈ "
            f"{NOTEBOOK_FRAC:.0%}; protocol {proto} ({cfg.epochs} epochs, {cfg.steps_per_epoch} steps/epoch, "
            f"{cfg.dtype}, {cfg.n_transfer_tasks} tasks); strong/weak per-batch loss "
            f"{_last_loss(runs, 'strong') / cfg.steps_per_epoch:.3g}/"
            f"{_last_loss(runs, 'weak') / cfg.steps_per_epoch:.3g} (median over seeds; "
            f"notebook 0.059/0.41)")
    data = {"table": _rows_json(_table_rows(ctx)), "columns": TABLE_COLUMNS, "k": k, "R": R,
            "cp": [cp.low, cp.high], "pooled_slope": p["slope"].value, "protocol": proto}
    fig = ("pooled slope (non-realizable)", p["slope"].value)
    if proto != "notebook":
        return Outcome(False, "inconclusive: cheap protocol, not the notebook's; no verdict on the notebook's "
                       "result (run --profile full or w2s table misfit.replication --protocol notebook): " + nums,
                       fig, data, inconclusive=True)
    if cp.low >= TARGET_FRACTION:
        return Outcome(True, "reproduced: " + nums, fig, data)
    if cp.high < TARGET_FRACTION:
        return Outcome(False, "not reproduced: " + nums, fig, data)
    need = int(np.ceil(np.log(alpha / 2) / np.log(TARGET_FRACTION)))
    return Outcome(False, f"inconclusive: {R} seeds cannot separate the fraction from {TARGET_FRACTION} at α "
                   f"(a unanimous record decides from {need} seeds): " + nums, fig, data, inconclusive=True)


def _realizable_numeric(ctx) -> Outcome:
    """Realizable replica (h_s = h*), across seeds: with f_sw the population projection Π_V(Y)
    (least squares on pop_factor·n fresh x) and gain, misfit on one common fresh sample, misfit − gain
    is the population gap (= 0, MISFIT-3) plus Monte Carlo error.  Per task z = (misfit − gain)/sd with
    sd² = paired MC se² + 4·misfit·err(f_sw)/n_pop (the MISFIT-6 spread of the fitted head).  Asserts,
    at α/3 each: Σz² within the χ² quantile, |slope − 1| ≤ z·se(slope), and 1 − R² ≤ q·max sd²/SST."""
    runs, _ = _replicas(ctx)
    cfg = _replica_cfg(ctx)
    alpha = ctx.false_alarm / 3
    x = np.concatenate([r.realizable.gain for r in runs])
    y = np.concatenate([r.realizable.misfit for r in runs])
    es = np.concatenate([r.realizable.err_sw for r in runs])
    se = np.concatenate([r.realizable.gap_se for r in runs])
    sd = np.sqrt(se**2 + 4 * np.maximum(y * es, 0) / (cfg.pop_factor * cfg.n_transfer)) + 1e-300
    z = (y - x) / sd
    chi, q = float(np.sum(z**2)), float(_stats.chi2.isf(alpha, z.size))
    line = statement_function([tm_sym("gain"), tm_sym("beta"), tm_sym("alpha")], part="rhs")
    b, a, r2 = _rep._ols(x, y)
    xc = x - x.mean()
    se_b = float(np.sqrt(np.sum(xc**2 * sd**2)) / np.sum(xc**2))
    zb = z_two_sided(alpha)
    sst = float(np.sum((y - y.mean()) ** 2))
    ssr = float(np.sum((y - line(x, b, a)) ** 2))
    r2_bound = q * float(np.max(sd**2)) / sst  # SSR ≤ Σ(y−x)² = Σ sd²z² ≤ max sd²·Σz² ≤ max sd²·q
    ok = chi <= q and abs(b - 1) <= zb * se_b and ssr / sst <= r2_bound
    power = zb * se_b <= 0.2 and r2_bound <= 0.2  # the non-realizable target's own resolution
    det = (f"{len(runs)} seeds × {cfg.n_transfer_tasks} tasks: Σz² = {chi:.1f} ≤ χ² quantile {q:.1f} "
           f"(mean z {float(z.mean()):.2f}); slope {b:.4f}, |slope − 1| = {abs(b - 1):.2e} ≤ {zb:.2f}·se "
           f"{se_b:.2e}; intercept {a:.2e}; 1 − R² = {1 - r2:.2e} ≤ {r2_bound:.2e} (MC bound); α = "
           f"{ctx.false_alarm:.1e} split over 3 tests; f_sw fitted on {cfg.pop_factor}·{cfg.n_transfer} fresh x")
    if ok and not power:
        return Outcome(False, "inconclusive: MC error too large to resolve slope 1 / R² 1 within 0.2: " + det,
                       ("realizable slope", float(b)), inconclusive=True)
    return Outcome(ok, det, ("realizable slope", float(b)),
                   {"chi2": chi, "slope": float(b), "se_slope": se_b, "one_minus_r2": float(1 - r2)})


def tm_sym(name: str):
    import sympy as sp

    return sp.Symbol(name)


def _replica_backends(ctx) -> Outcome:
    """The fused kernel (torch, batched over seeds) against the numpy reference on the same draws
    of a short run of the protocol's loop: final weights must agree to float tolerance (float32:
    2e-4 relative to the largest weight, accumulated over the run); the gains' difference is reported."""
    if not ctx.others or "torch" not in ctx.others:
        return Outcome(True, "torch backend not selected (numpy reference only)")
    import dataclasses

    cfg = dataclasses.replace(_replica_cfg(ctx), epochs=1, n_pre=200, n_transfer_tasks=5)
    d = [nm.draw(ctx.rng("misfit.replication", "backends", r), cfg) for r in range(2)]
    from numerics.misfit._replica_batched import pretrain_batched

    fast = pretrain_batched(d, ctx.device)
    worst, dg = 0.0, 0.0
    for di, (lf, Lf) in zip(d, fast):
        lr_, Lr = _rep.pretrain_reference(di)
        for net in ("strong", "weak"):
            scale = max(float(np.max(np.abs(W))) for W, _ in lr_[net])
            worst = max(worst, max(float(np.max(np.abs(W1 - W2))) for (W1, _), (W2, _) in zip(lr_[net], lf[net]))
                        / scale)
        a, b = _rep.finish(di, lr_, Lr, "numpy"), _rep.finish(di, lf, Lf, "torch")
        dg = max(dg, float(np.max(np.abs(a.gain - b.gain) / np.maximum(a.gain_se, 1e-300))))
    tol = 2e-4 if cfg.dtype == "float32" else 1e-10
    ok = worst <= tol
    return Outcome(ok, f"{cfg.dtype}, {cfg.epochs} epoch × {cfg.steps_per_epoch} steps, 2 seeds batched on "
                   f"{ctx.device}: max |ΔW|/max|W| {worst:.2e} ≤ {tol:.0e}; max |Δgain|/se {dg:.2e} (reported: "
                   "float32 rounding of the features is amplified by the ill-conditioned least-squares heads)",
                   ("max rel |ΔW|", worst))


def _replica_layers():
    """A replica representation for the Hypothesis checks, built once from the notebook's seed
    (notebook sizes for pretraining, 1 epoch)."""
    if "layers" not in _REPLICA_CACHE:
        from numerics import rng as _rng

        d = nm.draw(_rng(NOTEBOOK_SEED, "misfit.replication", "hypothesis"),
                    nm.ReplicaConfig(epochs=1, n_transfer_tasks=3, n_transfer=20, n_eval=10))
        _REPLICA_CACHE["layers"] = nm.run_numpy(d).layers
    return _REPLICA_CACHE["layers"]


HEAD_DOMAIN = Domain(tuple(Param(f"w{i}", float, -0.25, 0.25) for i in range(16))
                     + (Param("b", float, -0.25, 0.25), Param("n", int, 50, 400, doc="transfer sample size"), SEED))


def _replica_task(prm) -> dict[str, float]:
    w = np.array([prm[f"w{i}"] for i in range(16)])
    X = np.random.default_rng(prm["seed"]).standard_normal((prm["n"], 8)) * 500.0
    return nm.task_terms(_replica_layers(), w, prm["b"], X)


def _task_scale(t) -> float:
    """err(Y) + misfit + err(f_sw) + var(labels), floored at 1e-9·mean(labels²): constant heads give
    all-zero errors, whose rounding residue must not count as a violation."""
    return t["errY"] + t["misfit"] + t["errS"] + t["var"] + 1e-9 * t["msq"] + 1e-300


def _replica_bound_margin(prm) -> float:
    t = _replica_task(prm)
    # √ε·√misfit, not √(ε·misfit): the product underflows for heads of scale ~1e-80
    return (t["errY"] - t["misfit"] - t["errS"] + 2 * np.sqrt(t["eps"]) * np.sqrt(t["misfit"])) / _task_scale(t) + 1e-9


def _replica_uncorrected_margin(prm) -> float:
    t = _replica_task(prm)
    return (t["errY"] - t["misfit"] - t["errS"]) / _task_scale(t)


NOTES = (
    "Verdict (check target-across-seeds): the spec §5.1 target — slope ∈ [0.8, 1.2] and R² ≥ 0.8 for the OLS "
    "of misfit on gain over the 100 transfer tasks — must hold for at least half of the seeds; the fraction "
    "k/R gets an exact Clopper–Pearson interval at 1 − α (α = the suite's per-check false alarm, 5e-6), so "
    "the claim passes only if the interval lies above 1/2 and fails ('not reproduced') only if it lies below; "
    "with α = 5e-6 that takes ≥ 19 seeds even for a unanimous record (full profile: 20 seeds; "
    "w2s table misfit.replication --protocol notebook --seeds N).  The fast profile runs a cheap protocol "
    "(3 seeds, 400 points/task, 3 epochs, 30 tasks) and is always inconclusive.  "
    "Notebook protocol (--protocol notebook, the full profile): h* (L=5) random init never trained; h_s (L=8) "
    "and h_w (L=2) trained with the 10 true heads frozen, AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight "
    "decay 0.01), batch 32, 1000 epochs, each epoch looping over the 10 tasks with task-pure batches shuffled "
    "within the task (63 batches of 32,…,32,16 per task, 630 steps/epoch), MSE, float32, x ~ N(0, 500² I_8) "
    "(500 as the std, as in the notebook), 2000 points per task, 100 transfer tasks, weak labels on the same "
    "2000 x, gain and misfit on two fresh samples of 2000.  Remaining deviations: (1) transfer heads are "
    "closed-form least squares (float64) by default instead of 1000 epochs of AdamW; --heads adamw runs the "
    "notebook's AdamW heads (lr 1e-3, wd 0.01, batch 32, 1000 epochs, nn.Linear init U(±1/4)); the distance "
    "between the two is in the table notes of a run with --heads adamw and in the issue report; "
    "(2) seeds derive from the harness root seed (R replicas) instead of numpy/torch seed 112233445, and the "
    "draws are numpy's (torch's init RNG stream is not reproduced); (3) h_s and h_w get independent shuffle "
    "streams (the notebook's global numpy stream interleaves them); (4) the strong-on-true-labels head of the "
    "notebook is not fitted (not plotted there).  Realizable replica (h_s = h*, same weak model and tasks): "
    "the theory's quantity is the population gap, so f_sw is the least-squares projection on pop_factor·2000 "
    "fresh x and gain and misfit share one fresh sample (spec §4); it must give slope 1 and R² 1 up to the "
    "Monte Carlo error (with the notebook's 2000-point heads the fresh-sample slope is ≈ 0.7: the MISFIT-6 "
    "ERM spread, not a property of the population projection).  Pretraining runs in a fused torch kernel "
    "batched over seeds (numerics/misfit/_replica_batched.py), checked against the numpy reference.  "
    "Measured (root seed stream [7, s], 10 seeds, notebook protocol, lstsq heads): target met at 5/10 seeds "
    "(slope/R²: 1.11/0.97, 1.08/0.88, 0.98/0.94, 1.34/0.54, 1.36/0.90, 1.21/0.90, 1.20/0.86, 1.11/0.91, "
    "1.39/0.82, 0.86/0.91); misfit > gain for 51–99% of tasks per seed (≈ 83% overall, notebook ≈ 82%); "
    "realizable slopes 0.92–1.04, R² 0.956–0.997; strong per-batch loss 0.02–0.73 (notebook 0.059).  "
    "10 seeds took 692 s of pretraining + 18 s of transfer on 2 shared cores (load 1–4), before h_s/h_w ran "
    "in two processes.")


register(Claim(
    id="misfit.replication", spec_id="MISFIT-4",
    title="Reproduction: synthetic gain-vs-misfit experiment (wts.ipynb), across seeds",
    citation=charikar("Fig. 2(a–c) synthetic; code chogba/wtsg-regression wts.ipynb @99ec9e1",
                      "misfit.md §5.1 (regime MISFIT-4)"),
    provenance="CODE", statement=tm.replication_statement,
    statement_unchecked=("its checks read the fitted line from the statement, but at the fast profile (the one the "
                         "perturbed-statement battery runs) a ±5 % rescale of the right-hand side is below the "
                         "realizable replica's resolution (inconclusive) and the notebook verdict is reserved for "
                         "--profile full; only the sign flip is caught there"),
    assumptions=("h* (L=5) random init never trained; h_s (L=8), h_w (L=2) pretrained on 10 tasks with frozen "
                 "true heads; width 16, input dim 8, x ~ N(0, 500² I)", "100 transfer tasks, affine heads",
                 "gain and misfit on fresh samples of 2000", "R seeds (fast 3, cheap protocol; full 20, notebook)"),
    domain=HEAD_DOMAIN,
    checks=(
        NumericCheck("target-across-seeds", run=_nonrealizable_numeric),
        NumericCheck("realizable-replica", run=_realizable_numeric),
        NumericCheck("fused-kernel-vs-numpy", run=_replica_backends),
        PropertyCheck("misfit4b-per-task", provenance="DERIVED", margin=_replica_bound_margin),
        CounterexampleCheck("uncorrected-gap<0", margin=_replica_uncorrected_margin, domain=HEAD_DOMAIN,
                            dropped="realizability (h_s ≠ h*)", min_violation=1e-3),
    ),
    notes=NOTES,
))


def _build_table(ctx) -> TableData:
    rows = _table_rows(ctx)
    runs, fits = _replicas(ctx)
    series = {}
    for label, real in (("non-realizable", False), ("realizable", True)):
        rr = [x.realizable if real else x for x in runs]
        p = _pooled(ctx, runs, real)
        x = np.concatenate([r.gain for r in rr])
        y = np.concatenate([r.misfit for r in rr])
        series[label] = {"gain": x.tolist(), "misfit": y.tolist(),
                         "seed": np.concatenate([np.full(r.gain.size, i) for i, r in enumerate(rr)]).tolist(),
                         "slope": p["slope"].value, "intercept": p["intercept"].value}
    series["notebook_line"] = list(NOTEBOOK_LINE)
    cfg = _replica_cfg(ctx)
    return TableData(TABLE_COLUMNS, rows,
                     caption=f"OLS of misfit on gain over {cfg.n_transfer_tasks} transfer tasks per seed, "
                             f"{len(runs)} seeds, protocol {_protocol(ctx)}; 95% bootstrap CIs over tasks "
                             "(pooled: stratified by seed); spec §5.1 target slope ∈ [0.8, 1.2], R² ≥ 0.8",
                     notes=["notebook row: digitised from the stored plot (slope 0.92, intercept 0.031, R² 0.89, "
                            "misfit > gain ≈ 82%), not recomputed",
                            f"heads: {ctx.extra.get('heads', 'lstsq')}; protocol {_protocol(ctx)} "
                            f"({cfg.epochs} epochs, {cfg.dtype}); see w2s show misfit.replication"],
                     series=series)

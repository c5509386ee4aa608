"""A user's own claims, verified with w2s-harness (the public API is ``proofs_checks``).

Claim ``mine.am_gm``: for a, b >= 0, (a + b)/2 >= sqrt(a b) (two-variable AM-GM).
Table ``mine.am_gm_scale``: the mean gap E[(a+b)/2 - sqrt(ab)] for a, b ~ U(0, s) is s/18.

Set ``MY_CLAIMS_PLANT_ERROR=1`` to plant a deliberately false statement
((a + b)/2 >= sqrt(a b) + 1/10): every check of the claim then fails, and so does the
user's CI (``pytest`` with ``--w2s-claims``).
"""
from __future__ import annotations

import os

import numpy as np
import sympy as sp

from numerics import mean_ci
from numerics.sweep import Job
from proofs_checks import (Citation, Claim, Constraint, CounterexampleCheck, Domain, NumericCheck, Outcome, Param,
                           PropertyCheck, Stat, SymbolicCheck, Table, TableData, register, register_table)
from theory import prove_certificate

#: 0 for the true claim; 1/10 when an error is planted on purpose.
SHIFT = sp.Rational(1, 10) if os.environ.get("MY_CLAIMS_PLANT_ERROR") else sp.Integer(0)
a, b = sp.symbols("a b", nonnegative=True)
x, y = sp.symbols("x y", nonnegative=True)


def statement() -> sp.Basic:
    return sp.Ge((a + b) / 2, sp.sqrt(a * b) + SHIFT)


def certificate():
    """With a = x², b = y² (x, y >= 0): slack = (x - y)²/2, a sum of squares."""
    slack = ((x**2 + y**2) / 2 - x * y - SHIFT)
    return prove_certificate(slack, [(x - y) ** 2 / 2], nonneg=[x, y], label="AM-GM, a=x², b=y²")


def margin(p) -> float:
    """Slack of the claim at (a, b); rounding-scaled tolerance is in ``tolerance``.

    sqrt(|a|) sqrt(|b|), not sqrt(a b): the product underflows to subnormals for tiny a, b
    (``w2s explore`` found a = b = 1.6e-156 with a spurious violation)."""
    a, b = p["a"], p["b"]
    geo = float(np.sqrt(abs(a)) * np.sqrt(abs(b)))
    return (a + b) / 2 - geo - float(SHIFT)


def tolerance(p) -> float:
    return 8 * np.finfo(float).eps * (abs(p["a"]) + abs(p["b"]) + 1e-300)


def monte_carlo(ctx) -> Outcome:
    """Uniform draws on [0, 1]²: no negative slack, and the mean slack's CI (false-alarm
    1e-3) contains the exact mean 1/18 - SHIFT (integrated by SymPy)."""
    n = ctx.pick(20_000, 1_000_000)
    g = ctx.rng("mine.am_gm", "monte-carlo")
    u, v = g.uniform(0, 1, n), g.uniform(0, 1, n)
    slack = (u + v) / 2 - np.sqrt(u * v) - float(SHIFT)
    exact = float(sp.integrate(sp.integrate((a + b) / 2 - sp.sqrt(a) * sp.sqrt(b) - SHIFT, (a, 0, 1)), (b, 0, 1)))
    ci = mean_ci(slack, false_alarm=1e-3)
    worst = float(slack.min())
    ok = worst >= -1e-12 and ci.contains(exact)
    return Outcome(ok, f"{n} draws: min slack {worst:.3g} (>= -1e-12); mean {ci} vs exact {exact:.6g}",
                   ("mean slack", ci.mean))


register(Claim(
    id="mine.am_gm", spec_id="MINE-1", title="Two-variable AM-GM inequality",
    citation=Citation("Cauchy, Cours d'analyse", "n/a", "Note II, Theorem 17", "examples/my_claims README"),
    provenance="DERIVED (textbook inequality, example claim)",
    statement=statement,
    assumptions=("a >= 0", "b >= 0"),
    domain=Domain((Param("a", float, 0.0, 1e6), Param("b", float, 0.0, 1e6))),
    checks=(
        SymbolicCheck("sos-certificate", prove=certificate),
        NumericCheck("monte-carlo", run=monte_carlo),
        PropertyCheck("slack", margin=margin, tolerance=tolerance),
        CounterexampleCheck("negative-inputs", margin=margin, tolerance=tolerance, dropped="a, b >= 0",
                            min_violation=0.5,
                            domain=Domain((Param("a", float, -100.0, 100.0), Param("b", float, -100.0, 100.0)),
                                          (Constraint("a b >= 0 (real square root)",
                                                      lambda d: (d["a"] >= 0) == (d["b"] >= 0) or 0 in (d["a"], d["b"]),
                                                      ("a", "b")),))),
    ),
))


# ---------------------------------------------------------------- a sweep table
SCALES = (0.25, 0.5, 1.0, 2.0, 4.0)


def _jobs(ctx) -> list[Job]:
    n = ctx.pick(4_000, 400_000)
    return [Job("mine.am_gm_scale", "my_claims.sweeps:am_gm_gap", {"scale": s, "n": n, "rep": r},
                ctx.seed_for("mine.am_gm_scale", s, r)) for s in SCALES for r in range(ctx.pick(4, 16))]


def _assemble(ctx, results) -> TableData:
    from scipy import stats

    rows, pts = [], []
    level = 0.999
    for s in SCALES:
        parts = [r for j, r in results if j.params["scale"] == s]
        w = np.array([p["n"] for p in parts], float)
        mean = float(np.sum(w * [p["mean"] for p in parts]) / w.sum())
        se = float(np.sqrt(np.sum((w / w.sum()) ** 2 * np.square([p["se"] for p in parts]))))
        z = float(stats.norm.isf((1 - level) / 2))
        rows.append([s, Stat(mean, mean - z * se, mean + z * se, level), s / 18, int(w.sum())])
        pts.append((s, mean, z * se))
    return TableData(["scale s", "simulated E gap", "theory s/18", "draws"], rows,
                     caption=f"Mean AM-GM gap for a, b ~ U(0, s); {level:.1%} CIs.",
                     notes=["simulated: numpy Monte Carlo, one job per (s, replicate), explicit seeds"],
                     series={"points": pts})


def _figure(data: TableData, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = np.array(data.series["points"], float)
    s = np.linspace(0, pts[:, 0].max() * 1.05, 100)
    fig, ax = plt.subplots(figsize=(4.5, 3.2), dpi=120)
    ax.plot(s, s / 18, "-", color="C0", label="theory  s/18")
    ax.errorbar(pts[:, 0], pts[:, 1], yerr=pts[:, 2], fmt="o", color="C3", capsize=3, label="simulation (99.9% CI)")
    ax.set_xlabel("scale s")
    ax.set_ylabel("E[(a+b)/2 - sqrt(ab)]")
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


register_table(Table("mine.am_gm_scale", "AM-GM gap vs scale", "simulated", jobs=_jobs, assemble=_assemble,
                     figure=_figure, claims=("mine.am_gm",)))

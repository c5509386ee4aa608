"""REFINE-15 (refinement.md §4): judge W2S against the unaltered strong model, PGR − 1 =
(FT − strong)/(strong − weak) — Somerstep, Polo et al., arXiv 2405.16236, Sec. 6.
"""
from __future__ import annotations

import sympy as sp

import numerics.refinement as nr
from numerics import mean_ci
from theory import prove_identity
from theory.refinement import scores as ts

from ..._claim import Claim, NumericCheck, Outcome, SymbolicCheck
from ..._registry import register
from ._shared import FA, cite, claim_statement, naive_abc, stmt_fn

ID = "refine.evaluation_criterion"


def _pgr_expr():
    """The statement's right side and its FT, weak, strong symbols."""
    rhs = claim_statement(ID).rhs
    nm = {str(x): x for x in rhs.free_symbols}
    return rhs, [nm.get(k, sp.Symbol(k)) for k in ("FT", "weak", "strong")]


def _pgr(ft, weak, strong):
    """PGR from the statement at (FT, weak, strong): exact for Rationals, float otherwise."""
    rhs, syms = _pgr_expr()
    if all(isinstance(v, sp.Basic) for v in (ft, weak, strong)):
        return rhs.xreplace(dict(zip(syms, (ft, weak, strong))))
    return float(stmt_fn(ID, ("FT", "weak", "strong"), modules="math")(ft, weak, strong))


def _criterion_symbolic():
    """The statement's PGR − 1 = (FT − strong)/(strong − weak): criterion (ii) (FT ≥ unaltered strong) is
    PGR ≥ 1, strictly stronger than (i) PGR > 0.  Exact example: naive FT on 'explanation' (GPT-3.5) has
    PGR = (6.89 − 6.25)/(9.04 − 6.25) = 64/279 > 0 while its content 6.89 < 9.04."""
    rhs, (ft, wk, sg) = _pgr_expr()
    p1 = prove_identity(rhs - 1 - (ft - sg) / (sg - wk), label="PGR - 1 = (FT-strong)/(strong-weak)", simplify=True)
    row = ts.MAIN[("explanation", "GPT-3.5")]
    g = _pgr(ts.R(row["naive"][0]), ts.R(row["weak"][0]), ts.R(row["unaltered"][0]))
    p2 = Outcome(g == sp.Rational(64, 279) and g > 0 and ts.R(row["naive"][0]) < ts.R(row["unaltered"][0]),
                 f"explanation/GPT-3.5 naive FT: PGR = {g} > 0 but content {row['naive'][0]} < strong {row['unaltered'][0]}")
    return [p1, p2]


def _criterion_numeric(ctx) -> Outcome:
    """Both metrics on the transcription and in the toy model (λ = 1, K = 2, α_1 = 0.9, κ = 0.6, Δ = 0.8):
    naive FT improves on the weak teacher (PGR ∈ (0, 1)) yet is worse than the unaltered strong model."""
    cells = []
    for k, row in ts.MAIN.items():
        for cond in ("naive", "icl", "iar"):
            g = float(_pgr(ts.R(row[cond][0]), ts.R(row["weak"][0]), ts.R(row["unaltered"][0])))
            if g > 0 and float(row[cond][0]) < float(row["unaltered"][0]):
                cells.append((k, cond))
    M = nr.concept_model(2, 4, [0.9, 0.1], 1.0, kappa=0.6, delta=0.8)
    R = ctx.pick(4000, 20000)
    x = nr.naive_risks(M, 200, [1.0], R, ctx.rng("refine.criterion"), sufficient=True)[:, 0]
    A, B, _ = naive_abc(dict(K=2, a1=0.9, kappa=0.6, delta=0.8))
    ci = mean_ci(x, FA)
    pg_lo, pg_hi = sorted((_pgr(ci.high, B, A), _pgr(ci.low, B, A)))  # risks: FT, weak B, strong A
    ok = bool(cells) and pg_lo > 0 and pg_hi < 1 and ci.low > A
    return Outcome(ok, f"{len(cells)}/24 transcribed cells improve on the weak teacher (PGR > 0) but fail (ii) "
                   f"(naive FT in all {sum(c[1] == 'naive' for c in cells)} rows); toy: risk {ci} — PGR in "
                   f"[{pg_lo:.3f}, {pg_hi:.3f}] (weak risk {B:.2f}) yet above the strong model's {A:.3f} "
                   f"(false-alarm {FA:g})", ("toy PGR", _pgr(ci.mean, B, A)))


register(Claim(
    id="refine.evaluation_criterion", spec_id="REFINE-15",
    title="Judge W2S against the unaltered strong model, not only the weak teacher",
    citation=cite("Sec. 6 / evaluation: success is judged against the unaltered strong model", "REFINE-15"),
    provenance="PAPER", statement=lambda: sp.Eq(sp.Symbol("PGR"), (sp.Symbol("FT") - sp.Symbol("weak"))
                                                   / (sp.Symbol("strong") - sp.Symbol("weak"))),
    assumptions=("content scores, higher is better; risks, lower is better",),
    checks=(SymbolicCheck("pgr-vs-strong", prove=_criterion_symbolic),
            NumericCheck("both-metrics", run=_criterion_numeric)),
))

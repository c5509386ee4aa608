"""Constants, domains and helpers shared by several WSPO claims (Zhu et al., arXiv 2410.18640;
spec ../shared/spec/wspo.md §3): random instances, the tilt π_γ of WSPO-3, backend selection
and the EQUAL/DIFFERENT wording of issue 5."""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

import numerics
from numerics import wspo as nw

from ..._claim import Citation
from ..._statement import current_statement, statement_part
from ..._domain import Domain, Param
from .._common import WSPO

EPS = float(np.finfo(float).eps)
SAME = 1e-6  # below this TV/KL the minimiser and the tilt are reported as equal (issue 5)
GAMMA_GRID = (0.25, 0.5, 1.0, 2.0)


def zhu(where: str, spec: str) -> Citation:
    """Citation of the WSPO paper (Zhu et al., arXiv 2410.18640) at `where`, traced to `spec`."""
    return Citation(WSPO, "2410.18640", where, spec)


# ------------------------------------------------------------------ domains and instances

P_V = Param("V", int, 2, 50, default=6, doc="vocabulary size")
P_GAMMA = Param("gamma", float, 0.05, 5.0, default=0.5, log_scale=True, doc="WSPO γ (pref_beta)")
P_CONC = Param("conc", float, 0.3, 3.0, default=1.0, log_scale=True, doc="Dirichlet concentration c")
P_SEED = Param("seed", int, 0, 2**32 - 1, default=0, doc="seed of the Dirichlet draws")
DOMAIN = Domain((P_V, P_GAMMA, P_CONC, P_SEED))
SMALL = Domain((Param("V", int, 2, 12, default=6), P_GAMMA, P_CONC, P_SEED))  # V ≤ 12: optimiser searches


def _instance(p: Mapping[str, Any], tag: str = "instance"):
    """(π_ref^s, π_r^w, π_ref^w, d) ~ Dirichlet(conc·1) at one state, from the seed."""
    r = numerics.rng(int(p["seed"]), "wspo", tag)
    a, b, c, d = (r.dirichlet(np.full(int(p["V"]), float(p["conc"]))) for _ in range(4))
    # Dirichlet(0.3) can underflow to exact zeros; keep full support (WSPO-11 handles zeros)
    a, b, c, d = (np.maximum(x, 1e-300) / np.maximum(x, 1e-300).sum() for x in (a, b, c, d))
    return a, b, c, d


def _random_params(r: np.random.Generator, v_high: int) -> dict[str, Any]:
    """Parameters of a random `_instance`: V ∈ [2, v_high), conc = 1, a fresh seed (drawn in that order)."""
    return {"V": int(r.integers(2, v_high)), "conc": 1.0, "seed": int(r.integers(2**31))}


def _tilt(a, b, c, gamma):
    """δ = log π_r^w − log π_ref^w, the tilt π_γ ∝ π_ref^s·e^{δ/γ} and log Z′ (WSPO-3)."""
    dl = nw.delta(b, c)
    t = nw.tilt(a, dl, gamma)
    return dl, t.pi, t.log_Z


def _residual_scale(pg, a, dl, gamma) -> float:
    """Magnitude of the terms of the WSPO residual γ(log π − log π_ref^s) − δ (WSPO-1/3), plus 1:
    the scale that rounding tolerances multiply."""
    return gamma * (np.max(np.abs(np.log(pg))) + np.max(np.abs(np.log(a)))) + np.max(np.abs(dl)) + 1.0


def _grad_l1_at_tilt(pg, d, a, dl, gamma) -> float:
    """‖∇L(π_γ; d)‖₁ over the logits, at the tilt π_γ (WSPO-4/5)."""
    return float(np.sum(np.abs(nw.grad(np.log(pg), d, np.log(a), dl, gamma))))


def _others(ctx) -> tuple[list[str], str]:
    """Backends compared with the numpy reference, and a note on the ones not used."""
    used = [b for b in ctx.others if b == "torch"]
    note = " numba: not used by this family (no loop dominates; numpy is the kernel)." if "numba" in ctx.others else ""
    return used, note


def _verdict(dist: float) -> str:
    return f"EQUAL (< {SAME:g})" if dist < SAME else f"DIFFERENT (distance {dist:.3g})"


def _ar_instance(r: np.random.Generator, V: int, T: int, scale: float = 1.0):
    """Random logit tables (π_ref^s, π_r^w, π_ref^w) of a tiny autoregressive tree, one row per prefix."""
    P = nw.ar.n_prefixes(V, T)
    return tuple(scale * r.standard_normal((P, V)) for _ in range(3))


def _sequence_and_token_targets(refs, gamma, V, T):
    """The sequence-level tilt and the product of per-token tilts over all sequences (WSPO-7/10)."""
    st = nw.ar.seq_tilt(*refs, gamma, V, T)
    tok = nw.ar.seq_probs(nw.ar.token_tilt(*refs, gamma), V, T)
    return st, tok


# ------------------------------------------------------------------ the running claim's statement (issue 9 §2)

_FN_CACHE: dict = {}


def stmt_rel(index: int | None = None):
    """The running claim's statement, or its element ``index`` when the statement is a tuple."""
    stmt = current_statement()
    return stmt if index is None else stmt[index]


def stmt_syms(stmt=None) -> dict[str, Any]:
    """The statement's free symbols by name (every element of a tuple statement)."""
    import sympy as sp

    stmt = current_statement() if stmt is None else stmt
    items = stmt if isinstance(stmt, (tuple, list)) else (stmt,)
    return {str(v): v for it in items for v in sp.Basic.free_symbols.fget(it)}


def stmt_fn(names, part: str = "rhs", index: int | None = None, modules: str = "numpy"):
    """Lambdify ``part`` (lhs/rhs/margin/expr) of the running statement (element ``index`` of a
    tuple) over the statement's symbols named ``names``; cached per statement (structurally, so
    a perturbed statement gets its own function)."""
    import sympy as sp

    rel = stmt_rel(index)
    key = (rel, tuple(names), part, modules)
    fn = _FN_CACHE.get(key)
    if fn is None:
        expr = statement_part(rel, part)  # TypeError when the statement is not a relational
        sym = stmt_syms(rel)
        missing = [n for n in names if n not in sym]
        if missing:
            raise ValueError(f"the statement {rel} has no symbol(s) {missing}")
        fn = sp.lambdify([sym[n] for n in names], expr, modules=modules)
        _FN_CACHE[key] = fn
    return fn

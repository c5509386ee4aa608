"""``w2s eval ID key=value …`` (issue 12 §5): a claim's statement at user parameters.

Parameters are validated through the claim's domain (``claim.validate``), then through the
claim's eval hook (extra parameters such as a noise scale), then, for a statement symbol that
neither names, as a real number meeting the symbol's SymPy assumptions (positive, integer, …).
Every :class:`ParameterError` is a one-line usage error (exit 2).

The statement's two sides and its margin (:func:`proofs_checks.statement_part`) are lambdified
over the given symbols; a side that still has free symbols (e.g. the quantity ``E[gap_n]`` a
law is about) is shown symbolically.  Where an eval hook is registered for the claim id
(:data:`EVAL_HOOKS`), it simulates that quantity with the numpy reference and returns its mean
with a confidence interval at the suite's per-check false-alarm rate, compared with the closed
form read from the statement.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ._claim import Claim
from ._domain import EMPTY, Domain, Param
from ._errors import ParameterError, UsageError


@dataclass(frozen=True)
class EvalHook:
    """Simulation of a claim's quantity for ``w2s eval``.

    ``quantity``: the statement symbol the simulation estimates (the side the closed form
    equals); ``params``: the hook's own parameters (validated, defaults filled);
    ``simulate(values, seed)`` returns ``{"mean", "low", "high", "level", "reps", "method"}``."""

    quantity: str
    simulate: Callable[[Mapping[str, Any], int], dict[str, Any]]
    params: Domain = EMPTY
    doc: str = ""


#: Eval hooks by claim id (a registry here, not a Claim field).
EVAL_HOOKS: dict[str, EvalHook] = {}


def register_eval_hook(claim_id: str, hook: EvalHook) -> EvalHook:
    EVAL_HOOKS[claim_id] = hook
    return hook


def parse_assignments(items: Sequence[str]) -> dict[str, Any]:
    """``["p=5", "s=2.5"]`` → ``{"p": 5, "s": 2.5}`` (int where the text is an integer)."""
    out: dict[str, Any] = {}
    for it in items:
        key, sep, text = it.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or not key or not text:
            raise UsageError(f"parameter {it!r} is invalid: allowed KEY=VALUE, e.g. n=40")
        if key in out:
            raise UsageError(f"parameter {key!r} is given twice")
        try:
            out[key] = int(text)
        except ValueError:
            try:
                out[key] = float(text)
            except ValueError:
                raise ParameterError(key, text, "a number") from None
    return out


def _symbol_value(sym: Any, value: Any) -> float:
    """Check a value against a SymPy symbol's assumptions (real; positive / nonnegative / integer)."""
    name = str(sym)
    rules = [("integer", lambda v: float(v).is_integer(), "an integer"),
             ("positive", lambda v: v > 0, "a number > 0"), ("nonnegative", lambda v: v >= 0, "a number >= 0"),
             ("negative", lambda v: v < 0, "a number < 0")]
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, value, "a real number") from None
    if not math.isfinite(v):
        raise ParameterError(name, value, "a finite real number")
    for attr, ok, allowed in rules:
        if getattr(sym, f"is_{attr}") and not ok(v):
            raise ParameterError(name, value, allowed + f" (symbol {name} is {attr})")
    return int(v) if sym.is_integer else v


def _number(expr: Any) -> float | None:
    try:
        v = complex(expr)
    except (TypeError, ValueError):
        return None
    return v.real if abs(v.imag) <= 1e-12 * max(1.0, abs(v.real)) else None


def evaluate(claim: Claim, params: Mapping[str, Any], seed: int = 20240515) -> dict[str, Any]:
    """The statement's sides and margin at ``params`` and, with an eval hook, the simulation."""
    import sympy as sp

    from ._statement import statement_part

    stmt = claim.statement()
    if isinstance(stmt, (tuple, list)):
        stmt = sp.Tuple(*stmt)
    symbols = {str(s): s for s in stmt.free_symbols}
    hook = EVAL_HOOKS.get(claim.id)
    dom_names = set(claim.domain.names())
    hook_names = set(hook.params.names()) if hook else set()
    unknown = [k for k in params if k not in dom_names | hook_names | set(symbols)]
    if unknown:
        allowed = sorted(dom_names | hook_names | set(symbols))
        raise ParameterError(unknown[0], params[unknown[0]], "one of the parameters " + ", ".join(allowed))
    values = claim.validate(**{k: v for k, v in params.items() if k in dom_names})
    if hook:
        values.update(hook.params.validate({k: v for k, v in params.items() if k in hook_names}))
    for k, v in params.items():
        if k not in values:
            values[k] = _symbol_value(symbols[k], v)
    used = [k for k in values if k in symbols]
    args = [symbols[k] for k in used]
    parts = ("lhs", "rhs", "margin") if isinstance(stmt, sp.core.relational.Relational) else ("expr",)
    sides: dict[str, Any] = {}
    for part in parts:
        try:
            expr = statement_part(stmt, part)
        except TypeError:  # e.g. a margin of tuple-valued sides
            continue
        sides[part] = _evaluate_part(expr, args, [values[k] for k in used])
    result: dict[str, Any] = {
        "claim": claim.id, "spec_id": claim.spec_id, "statement": str(stmt), "relation": type(stmt).__name__,
        "params": values, "substituted": used,
        "not_in_statement": [k for k in values if k not in symbols], "sides": sides, "simulation": None,
    }
    if hook:
        sim = hook.simulate(values, seed)
        closed = _closed_form(stmt, hook.quantity, sides)
        sim.update({"quantity": hook.quantity, "closed_form": closed, "seed": seed,
                    "contains_closed_form": None if closed is None else bool(sim["low"] <= closed <= sim["high"])})
        result["simulation"] = sim
    return result


def _evaluate_part(expr: Any, args: list[Any], vals: list[Any]) -> dict[str, Any]:
    """A statement part at the given symbol values: lambdified (mpmath) when no symbol is left,
    else (or when it has no printer, e.g. a Limit) substituted and ``doit()``; shown symbolically
    when it still has free symbols."""
    import sympy as sp

    names = {str(a) for a in args}
    left = sorted(str(s) for s in expr.free_symbols if str(s) not in names)
    sub = expr.subs(dict(zip(args, vals)))
    if left:
        return {"value": None, "expr": str(sub), "free": left}
    v: Any = None
    try:
        v = _number(sp.lambdify(args, expr, modules="mpmath")(*vals))
    except Exception:  # noqa: BLE001 - no numeric printer for this expression: evaluate symbolically
        v = None
    if v is None:
        try:
            done = sub.doit()
            v = _number(done.evalf()) if not done.free_symbols else None
            sub = done
        except Exception:  # noqa: BLE001
            v = None
    return {"value": v, "expr": str(sub) if v is None else repr(v), "free": []}


def _closed_form(stmt: Any, quantity: str, sides: dict[str, Any]) -> float | None:
    """The value of the side opposite the symbol ``quantity`` (read from the statement)."""
    if str(stmt.lhs) == quantity:
        return sides["rhs"]["value"]
    if str(stmt.rhs) == quantity:
        return sides["lhs"]["value"]
    raise UsageError(f"eval hook: quantity {quantity!r} is not a side of the statement {stmt}")


def _fmt(v: Any) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def render_text(r: dict[str, Any]) -> str:
    """A small table of the evaluation, one line per quantity."""
    lines = [f"{r['claim']} ({r['spec_id']}): {r['statement']}",
             "parameters: " + ", ".join(f"{k}={_fmt(v)}" for k, v in r["params"].items())]
    if r["not_in_statement"]:
        lines.append("not statement symbols (used by the domain or simulation only): "
                     + ", ".join(r["not_in_statement"]))
    rows = []
    for part, s in r["sides"].items():
        why = f"free: {', '.join(s['free'])}" if s["free"] else "not numeric"
        text = _fmt(s["value"]) if s["value"] is not None else f"{s['expr']}  ({why})"
        rows.append((part, text))
    sim = r["simulation"]
    if sim:
        rows.append(("closed form", _fmt(sim["closed_form"])))
        rows.append((f"simulated {sim['quantity']}", f"{_fmt(sim['mean'])}  CI [{_fmt(sim['low'])}, "
                     f"{_fmt(sim['high'])}] at level {sim['level']:.6g}"))
        rows.append(("CI contains closed form", str(sim["contains_closed_form"])))
        rows.append(("simulation", f"{sim['method']}, {sim['reps']} reps, seed {sim['seed']}"))
    w = max(len(a) for a, _ in rows)
    lines += [f"  {a.ljust(w)}  {b}" for a, b in rows]
    return "\n".join(lines)


# ------------------------------------------------------------------------------ hooks

def _erm_gap_simulate(values: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """MISFIT-6 canonical design: the numpy reference OLS simulation of gap_n (φ ~ N(0, I_p),
    ‖b − a*‖ = ``delta``), its mean with a Student-t CI at the per-check false-alarm rate."""
    import numpy as np

    from numerics import CHECK_FALSE_ALARM, derive_seed, mean_ci
    from numerics import misfit as nm

    n, p, s, reps = values["n"], values["p"], values["s"], values["reps"]
    d = np.zeros(p)
    d[0] = values["delta"]
    rng = np.random.default_rng(derive_seed(seed, "eval", "misfit.erm_gap_law", n, p))
    x = nm.gap_samples_direct(rng, n, p, reps, s, d)
    ci = mean_ci(x, CHECK_FALSE_ALARM)
    return {"mean": ci.mean, "low": ci.low, "high": ci.high, "level": 1 - CHECK_FALSE_ALARM, "reps": reps,
            "method": "numpy OLS simulation (numerics.misfit.gap_samples_direct), Student-t CI"}


register_eval_hook("misfit.erm_gap_law", EvalHook(
    quantity="E[gap_n]", simulate=_erm_gap_simulate,
    params=Domain((Param("s", float, 0.0, 100.0, low_open=True, default=1.0, doc="label noise sd"),
                   Param("delta", float, 0.0, 100.0, default=1.0, doc="‖b − a*‖"),
                   Param("reps", int, 100, 1_000_000, default=20000, doc="simulated OLS students"))),
    doc="OLS gap law: closed form −2s²p/(n−p−1) vs the numpy simulation"))

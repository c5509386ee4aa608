"""The claim registry: built-in families, plug-in modules, and id/glob selection.

Claims are registered at import of their family module.  Third-party claims come from
the ``w2s.claims`` entry-point group or the ``W2S_PLUGINS`` environment variable (a
comma-separated list of importable modules).
"""
from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import os
from importlib import metadata
from typing import Callable, Iterable, TypeVar

from ._claim import Claim
from ._errors import UnknownClaimError, UsageError

BUILTIN_FAMILIES: tuple[str, ...] = (
    "proofs_checks.claims.misfit",
    "proofs_checks.claims.sgd",
    "proofs_checks.claims.refine",
    "proofs_checks.claims.wspo",
)

_CLAIMS: dict[str, Claim] = {}
_loaded = False

T = TypeVar("T")


def register(claim: Claim) -> Claim:
    """Add a claim to the registry.  Re-registering the same id replaces it only when the
    new claim comes from the same module (re-import); otherwise it is an error."""
    if not isinstance(claim, Claim):
        raise UsageError(f"register() expects a Claim, got {type(claim).__name__}")
    old = _CLAIMS.get(claim.id)
    if old is not None and old.statement.__module__ != claim.statement.__module__:
        raise UsageError(f"claim id {claim.id!r} is already registered (by {old.statement.__module__})")
    if not claim.statement_unchecked:
        from .claims._unbound import unbound_reason

        reason = unbound_reason(claim.id)
        if reason:
            claim = dataclasses.replace(claim, statement_unchecked=reason)
    _CLAIMS[claim.id] = claim
    return claim


def claim(fn: Callable[[], Claim]) -> Callable[[], Claim]:
    """Decorator form: ``@claim`` on a zero-argument factory registers what it returns."""
    register(fn())
    return fn


def _import_optional(module: str) -> None:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name != module:  # a real missing dependency inside the module
            raise


def _plugin_name_ok(name: str) -> bool:
    """An absolute dotted module name (``pkg.claims``): no empty part, no relative import."""
    return bool(name) and all(part.isidentifier() for part in name.split("."))


def load_plugins(modules: Iterable[str] = ()) -> None:
    """Import claim modules named explicitly (``--plugin``), in ``W2S_PLUGINS``, or by entry
    points.  A bad name, a module that is missing or one that raises while it is imported is a
    :class:`UsageError` naming where it came from (one line, exit 2)."""
    named = [(m, "--plugin") for m in modules]
    named += [(m.strip(), "$W2S_PLUGINS entry") for m in os.environ.get("W2S_PLUGINS", "").split(",") if m.strip()]
    allowed = "allowed an importable absolute module name such as my_package.claims"
    for name, where in named:
        if not _plugin_name_ok(name):
            raise UsageError(f"{where} {name!r} is invalid: {allowed}")
        try:
            importlib.import_module(name)
        except ImportError as e:
            raise UsageError(f"{where} {name!r} could not be imported ({e}): {allowed}") from None
        except UsageError as e:
            raise UsageError(f"{where} {name!r}: {e}") from None
        except Exception as e:  # noqa: BLE001 -- a plug-in's own bug: one line, never a traceback
            raise UsageError(f"{where} {name!r} raised {type(e).__name__} while being imported: {_one_line(e)}") \
                from None
    for ep in metadata.entry_points(group="w2s.claims"):
        try:
            ep.load()
        except Exception as e:  # noqa: BLE001
            raise UsageError(f"entry point {ep.name!r} of group w2s.claims ({ep.value}) could not be loaded: "
                             f"{type(e).__name__}: {_one_line(e)}") from None


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= 300 else text[:297] + "..."


def load_all() -> dict[str, Claim]:
    """Import every built-in family and plug-in once; return the registry."""
    global _loaded
    if not _loaded:
        _loaded = True
        for fam in BUILTIN_FAMILIES:
            _import_optional(fam)
        load_plugins()
    return _CLAIMS


def all_claims() -> list[Claim]:
    return [load_all()[k] for k in sorted(load_all())]


def get(claim_id: str) -> Claim:
    """Look up one claim by id or spec id (e.g. ``MISFIT-1``)."""
    reg = load_all()
    if claim_id in reg:
        return reg[claim_id]
    for c in reg.values():
        if c.spec_id.lower() == claim_id.lower():
            return c
    close = [k for k in reg if claim_id.split(".")[-1] in k][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else "; run `w2s list` to see the registered claims"
    raise UnknownClaimError(f"unknown claim id {claim_id!r}{hint}")


def select(patterns: Iterable[str] = ()) -> list[Claim]:
    """Claims matching ids, spec ids or shell globs (all claims when empty).  A pattern
    that matches nothing is an error, so that a typo cannot silently verify nothing."""
    pats = list(patterns)
    claims = all_claims()
    if not pats:
        return claims
    chosen: dict[str, Claim] = {}
    for p in pats:
        hits = [c for c in claims if fnmatch.fnmatchcase(c.id, p) or fnmatch.fnmatchcase(c.spec_id.lower(), p.lower())]
        if not hits:
            if any(ch in p for ch in "*?["):
                raise UnknownClaimError(f"no claim matches {p!r}; run `w2s list` to see the registered claims")
            hits = [get(p)]
        for c in hits:
            chosen[c.id] = c
    return [chosen[k] for k in sorted(chosen)]

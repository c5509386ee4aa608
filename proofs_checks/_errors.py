"""Errors raised for user mistakes.  The CLI turns every :class:`UsageError` into a
one-line message and exit status 2, never a traceback."""
from __future__ import annotations

from typing import Any

from numerics._validate import InvalidParameter


class W2SError(Exception):
    """Base class of every error the harness raises on purpose."""


class UsageError(W2SError):
    """A mistake in how the harness was called (CLI flag, claim id, parameter)."""


class ParameterError(UsageError, InvalidParameter):
    """A parameter is outside its allowed range.  The message names both.

    Simulators in :mod:`numerics` raise the base :class:`InvalidParameter`; both are
    usage errors for the CLI."""

    def __init__(self, name: str, value: Any, allowed: str) -> None:
        InvalidParameter.__init__(self, name, value, allowed)


class UnknownClaimError(UsageError, LookupError):
    """No registered claim matches an id or glob."""


class BackendError(UsageError):
    """Unknown backend or an unavailable device (e.g. ``cuda`` without a GPU)."""


class Reject(Exception):
    """Raised by a property/counterexample margin for a draw outside the claim's validity.

    The engine discards the draw (Hypothesis ``reject()``), counts it in the check's detail
    and data, and never counts it as a passing example; a search that rejects more than half
    of its draws fails its health check (issue 9 §4).  Returning ``None`` does the same."""

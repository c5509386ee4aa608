"""Input validation for simulators: every bad input names the parameter and its range."""
from __future__ import annotations

import math
from typing import Any

import numpy as np


#: The largest root seed: a signed 64-bit SQLite INTEGER (the run ledger), and below 2**64,
#: beyond which :func:`numerics.derive_seed` (two 32-bit words) would alias seeds.
SEED_MAX = 2**63 - 1


class InvalidParameter(ValueError):
    """A simulator argument is outside its allowed range."""

    def __init__(self, name: str, value: Any, allowed: str) -> None:
        self.name, self.value, self.allowed = name, value, allowed
        shown = value if np.isscalar(value) or value is None else f"<{type(value).__name__}>"
        super().__init__(f"parameter {name}={shown!r} is invalid: allowed {allowed}")


def check_int(name: str, value: Any, low: int, high: int | None = None) -> int:
    """An integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidParameter(name, value, f"integer >= {low}" + (f" and <= {high}" if high is not None else ""))
    if value < low or (high is not None and value > high):
        raise InvalidParameter(name, value, f"integer >= {low}" + (f" and <= {high}" if high is not None else ""))
    return int(value)


def check_real(name: str, value: Any, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> float:
    """A finite real in the (half-)open or closed interval given."""
    lb = "(" if low_open or low is None else "["
    rb = ")" if high_open or high is None else "]"
    allowed = f"real in {lb}{'-inf' if low is None else low}, {'inf' if high is None else high}{rb}"
    if isinstance(value, (str, bytes, bytearray)):  # float("3") would accept a string silently
        raise InvalidParameter(name, value, allowed)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InvalidParameter(name, value, allowed) from None
    if not math.isfinite(v):
        raise InvalidParameter(name, value, allowed)
    if low is not None and (v < low or (low_open and v == low)):
        raise InvalidParameter(name, value, allowed)
    if high is not None and (v > high or (high_open and v == high)):
        raise InvalidParameter(name, value, allowed)
    return v


def check_prob_vector(name: str, p: Any, atol: float = 1e-9) -> np.ndarray:
    """A 1-d non-negative vector summing to 1."""
    a = np.asarray(p, dtype=float)
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)) or np.any(a < 0) or abs(a.sum() - 1) > atol:
        raise InvalidParameter(name, "<array>", "a probability vector: 1-d, entries >= 0, summing to 1")
    return a


def check_psd(name: str, cov: Any, tol: float = 1e-10) -> np.ndarray:
    """A symmetric positive semi-definite matrix."""
    try:
        a = np.asarray(cov, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameter(name, "<matrix>", "a symmetric square matrix") from None
    if a.ndim == 2 and not np.all(np.isfinite(a)):
        raise InvalidParameter(name, "<matrix>", "a finite symmetric square matrix")
    if a.ndim != 2 or a.shape[0] != a.shape[1] or not np.allclose(a, a.T, atol=tol):
        raise InvalidParameter(name, "<matrix>", "a symmetric square matrix")
    if np.linalg.eigvalsh(a).min() < -tol * max(1.0, float(np.abs(a).max())):
        raise InvalidParameter(name, "<matrix>", "a positive semi-definite matrix (min eigenvalue >= 0)")
    return a


def check_array(name: str, x: Any, shape: tuple | None = None, ndim: int | None = None,
                finite: bool = True, min_size: int = 1) -> np.ndarray:
    """A float array with the given shape (None entries are free) or ndim, all entries finite."""
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameter(name, "<array>", "a numeric array") from None
    want = f"an array of shape {tuple('*' if s is None else s for s in shape)}" if shape is not None else (
        f"a {ndim}-d array" if ndim is not None else "an array")
    if shape is not None and (a.ndim != len(shape) or any(s is not None and s != t for s, t in zip(shape, a.shape))):
        raise InvalidParameter(name, f"<shape {a.shape}>", want)
    if ndim is not None and a.ndim != ndim:
        raise InvalidParameter(name, f"<shape {a.shape}>", want)
    if a.size < min_size:
        raise InvalidParameter(name, f"<shape {a.shape}>", f"{want} with at least {min_size} entries")
    if finite and not np.all(np.isfinite(a)):
        raise InvalidParameter(name, "<array>", f"{want} of finite reals")
    return a


def check_weights(name: str, w: Any, m: int | None = None) -> np.ndarray:
    """Finite non-negative atom weights, 1-d (of length m when given)."""
    a = check_array(name, w, shape=(m,))
    if np.any(a < 0):
        raise InvalidParameter(name, "<array>", f"non-negative weights of length {a.size}")
    return a


def check_prob_rows(name: str, p: Any, shape: tuple | None = None, atol: float = 1e-9) -> np.ndarray:
    """Rows (last axis) that are probability vectors: finite, >= 0, summing to 1."""
    a = check_array(name, p, shape=shape) if shape is not None else check_array(name, p)
    if a.ndim < 1 or np.any(a < 0) or np.any(np.abs(a.sum(axis=-1) - 1) > atol):
        raise InvalidParameter(name, "<array>", "probability vectors along the last axis: entries >= 0, summing to 1")
    return a


def check_choice(name: str, value: Any, choices: tuple) -> Any:
    """One of a fixed set of values."""
    if not isinstance(value, (str, int, float)) or value not in choices:
        raise InvalidParameter(name, value, "one of " + ", ".join(map(str, choices)))
    return value


def check_seed(value: Any, name: str = "seed") -> int:
    """A root seed: an integer >= 0."""
    return check_int(name, value, 0)

"""Backend names, device resolution and seeding shared by all simulators.

The numpy backend is the reference (oracle); numba and torch must agree with it.
"""
from __future__ import annotations

import zlib
from typing import Any, Iterable

import numpy as np

from ._validate import InvalidParameter, check_int

BACKENDS = ("numpy", "numba", "torch")
DEVICES = ("cpu", "cuda")


def check_backend(name: str) -> str:
    if name not in BACKENDS:
        raise InvalidParameter("backend", name, "one of " + ", ".join(BACKENDS))
    return name


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a hard dependency
        return False
    return bool(torch.cuda.is_available())


def check_device(device: str) -> str:
    if device not in DEVICES:
        raise InvalidParameter("device", device, "one of " + ", ".join(DEVICES))
    if device == "cuda" and not cuda_available():
        raise InvalidParameter("device", device, "'cpu' (CUDA is not available on this machine)")
    return device


def derive_seed(seed: int, *tags: Any) -> int:
    """A stable 63-bit seed from a root seed and tags (strings or ints)."""
    seed = check_int("seed", seed, 0)
    words = [int(seed) & 0xFFFFFFFF, (int(seed) >> 32) & 0xFFFFFFFF]
    for t in tags:
        words.append(zlib.crc32(str(t).encode()) if not isinstance(t, (int, np.integer)) else int(t) & 0xFFFFFFFF)
    return int(np.random.SeedSequence(words).generate_state(2, dtype=np.uint32).view(np.uint64)[0] >> 1)


def rng(seed: int, *tags: Any) -> np.random.Generator:
    """The numpy Generator for (seed, tags): every random draw flows from here."""
    return np.random.default_rng(derive_seed(seed, *tags))


def torch_generator(seed: int, device: str = "cpu", *tags: Any):
    import torch

    seed = check_int("seed", seed, 0)
    g = torch.Generator(device=check_device(device))
    g.manual_seed(derive_seed(seed, *tags))
    return g


def iter_backends(names: Iterable[str]) -> list[str]:
    return [check_backend(n) for n in names]

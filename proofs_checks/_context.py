"""The run context handed to every check: profile, backends, device, seed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from numerics import BACKENDS, CHECK_FALSE_ALARM, InvalidParameter, check_backend, check_device, derive_seed, rng
from numerics._validate import SEED_MAX

from ._errors import BackendError, UsageError

PROFILES = ("fast", "full")


@dataclass(frozen=True)
class RunContext:
    """Everything a check may depend on.  Every random draw derives from ``seed``.

    ``profile`` picks problem sizes (``fast`` for CI, ``full`` for paper-grade runs);
    ``backends`` always starts with the ``numpy`` reference.
    """

    profile: str = "fast"
    backends: tuple[str, ...] = ("numpy",)
    device: str = "cpu"
    seed: int = 20240515
    property_examples: int = 0  # 0: derived from the profile
    counterexample_examples: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise UsageError(f"--profile {self.profile!r} is invalid: allowed one of {', '.join(PROFILES)}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= SEED_MAX:
            raise UsageError(f"--seed {self.seed!r} is invalid: allowed an integer in [0, 2**63 - 1]")
        try:
            for b in self.backends:
                check_backend(b)
            check_device(self.device)
        except InvalidParameter as e:
            raise BackendError(str(e)) from None
        if "numpy" not in self.backends:
            object.__setattr__(self, "backends", ("numpy",) + tuple(self.backends))

    @classmethod
    def from_cli(cls, profile: str = "fast", backend: str = "all", device: str = "cpu", seed: int = 20240515,
                 **kw: Any) -> "RunContext":
        if backend != "all" and backend not in BACKENDS:
            raise BackendError(f"--backend {backend!r} is invalid: allowed one of {', '.join(BACKENDS)}, all")
        backends = BACKENDS if backend == "all" else ("numpy", backend) if backend != "numpy" else ("numpy",)
        return cls(profile=profile, backends=tuple(dict.fromkeys(backends)), device=device, seed=seed, **kw)

    @property
    def full(self) -> bool:
        return self.profile == "full"

    def pick(self, fast: Any, full: Any) -> Any:
        """Choose a size by profile."""
        return full if self.full else fast

    @property
    def false_alarm(self) -> float:
        """Each statistical check's false-alarm rate: the suite budget split (Bonferroni) over
        at most ``MAX_STATISTICAL_CHECKS`` checks (numerics._stats)."""
        return CHECK_FALSE_ALARM

    @property
    def n_property(self) -> int:
        return self.property_examples or self.pick(60, 400)

    @property
    def n_counterexample(self) -> int:
        return self.counterexample_examples or self.pick(1000, 5000)

    @property
    def others(self) -> tuple[str, ...]:
        """Backends to compare against the numpy reference."""
        return tuple(b for b in self.backends if b != "numpy")

    def seed_for(self, *tags: Any) -> int:
        return derive_seed(self.seed, *tags)

    def rng(self, *tags: Any) -> np.random.Generator:
        return rng(self.seed, *tags)

    def with_(self, **changes: Any) -> "RunContext":
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d.update(changes)
        return RunContext(**d)

"""Table data for the rendering tests: every registered table built once per test session at
the fast profile, with a reduced grid for a table whose fast build is too slow for the suite."""
from __future__ import annotations

import functools
from typing import Any, Callable

#: Tables whose fast build takes over a minute on 2 cores: the test draws them from a reduced
#: grid (same code path, fewer points), as tests/sgd_sim does.
_REDUCED: dict[str, Callable[[Any], None]] = {}


def _reduce_sgd_forgetting(mp: Any) -> None:
    from proofs_checks.claims.sgd.sim import tables as t

    mp.setattr(t, "RHOS", (0.0, 0.5))
    mp.setattr(t, "ETA_D", 0.05)
    mp.setattr(t, "T_SFT", 1.0)


_REDUCED["sgd.forgetting"] = _reduce_sgd_forgetting


def table_names(figures_only: bool = False) -> list[str]:
    from proofs_checks._tables import all_tables

    return [n for n, t in all_tables().items() if t.figure is not None or not figures_only]


@functools.lru_cache(maxsize=None)
def table_data(name: str) -> Any:
    """``build(ctx)`` of the registered table ``name`` (fast profile, numpy, seed 1)."""
    import pytest

    from proofs_checks import RunContext
    from proofs_checks._tables import all_tables

    tbl = all_tables()[name]
    ctx = RunContext.from_cli(profile="fast", backend="numpy", device="cpu", seed=1)
    with pytest.MonkeyPatch.context() as mp:
        if name in _REDUCED:
            _REDUCED[name](mp)
        if tbl.is_sweep:
            from numerics.sweep import run_job

            jobs = list(tbl.jobs(ctx))  # type: ignore[misc]
            return tbl.assemble(ctx, [(j, run_job(j).result) for j in jobs])  # type: ignore[misc]
        return tbl.build(ctx)  # type: ignore[misc]

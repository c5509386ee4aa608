"""torch helpers: these problems are tiny, so intra-op threading only adds overhead (on a
loaded 2-core machine each op paid ~15 ms of thread synchronisation).  ``single_thread``
runs a block with one CPU thread and restores the previous setting."""
from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

F = TypeVar("F", bound=Callable)


@contextmanager
def single_thread() -> Iterator[None]:
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def tiny(fn: F) -> F:
    """Decorator: run ``fn`` under :func:`single_thread`."""
    @functools.wraps(fn)
    def wrapper(*a, **k):
        with single_thread():
            return fn(*a, **k)
    return wrapper  # type: ignore[return-value]

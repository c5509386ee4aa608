"""pytest plugin (entry point ``pytest11: w2s``): ``pytest --w2s-claims`` collects every
registered claim as one test item; a failing claim is a failing test showing each check's
detail (issue 6 item 5).

Without ``--w2s-claims`` the plugin only adds its options: nothing is collected, loaded or
changed, so an ordinary pytest run is unaffected.  Users' claims are found like in
``w2s``: the ``w2s.claims`` entry-point group, ``$W2S_PLUGINS``, or ``--w2s-plugin MODULE``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("w2s", "w2s-harness claims")
    g.addoption("--w2s-claims", action="store_true", default=False,
                help="collect every registered w2s claim as a test item")
    g.addoption("--w2s-select", action="append", default=[], metavar="PATTERN",
                help="only claims matching this id or glob (repeatable)")
    g.addoption("--w2s-plugin", action="append", default=[], metavar="MODULE",
                help="import MODULE to register extra claims (repeatable)")
    g.addoption("--w2s-profile", default="fast", choices=("fast", "full"), help="problem sizes for the claims")
    g.addoption("--w2s-backend", default="all", help="simulation backends (numpy, numba, torch or all)")
    g.addoption("--w2s-seed", type=int, default=20240515, help="root seed")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "w2s_claim(id): a registered w2s-harness claim collected by --w2s-claims")


class ClaimFailed(Exception):
    """A claim's checks did not all pass."""


class ClaimItem(pytest.Item):
    """One registered claim; ``runtest`` runs all its checks."""

    def __init__(self, *, claim_id: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.claim_id = claim_id
        self.add_marker(pytest.mark.w2s_claim(claim_id))

    def runtest(self) -> None:
        from . import get
        from ._checks import PASSED
        from ._context import RunContext
        from ._runner import verify_claim

        opt = self.config.getoption
        ctx = RunContext.from_cli(profile=opt("w2s_profile"), backend=opt("w2s_backend"), seed=opt("w2s_seed"))
        res = verify_claim(get(self.claim_id), ctx)
        self.user_properties.append(("w2s_status", res.status))
        if res.status != PASSED:
            lines = [f"claim {self.claim_id} ({res.claim.spec_id}) {res.status}: {res.claim.title}"]
            lines += [f"  [{x.kind}:{x.name}] {x.status}: {x.detail}" for x in res.checks]
            raise ClaimFailed("\n".join(lines))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ClaimFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        return self.path, None, f"w2s claim {self.claim_id}"


class ClaimCollector(pytest.Collector):
    """The registered claims (built-in and plug-in) as items."""

    def collect(self) -> list[pytest.Item]:
        from ._errors import UsageError
        from ._registry import load_plugins, select

        opt = self.config.getoption
        try:
            if opt("w2s_plugin"):
                load_plugins(opt("w2s_plugin"))
            claims = select(opt("w2s_select"))
        except UsageError as e:
            raise pytest.UsageError(f"--w2s-claims: {e}") from None
        return [ClaimItem.from_parent(self, name=c.id, claim_id=c.id) for c in claims]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Append the claim items before -k/-m selection runs (tryfirst)."""
    if not config.getoption("w2s_claims"):
        return
    col = ClaimCollector.from_parent(session, name="w2s-claims", path=config.rootpath, nodeid="w2s-claims")
    items.extend(col.collect())

"""Shared fixtures of the infra tests (imported by the test modules; no conftest here so
that this package-less directory cannot clash with other families' conftests)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLE = ROOT / "examples" / "my_claims"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for subprocesses: no inherited W2S_*/plant switches; tests/infra importable."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("W2S_", "MY_CLAIMS_", "INFRA_", "DASK_SCHEDULER", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT)])
    env.update(extra)
    return env


def w2s(*args: str, env: dict[str, str] | None = None, timeout: float = 120, cwd: Path | None = None):
    """Run the CLI in a subprocess (``python -m proofs_checks``)."""
    return subprocess.run([sys.executable, "-m", "proofs_checks", *args], capture_output=True, text=True,
                          env=env or clean_env(), timeout=timeout, cwd=cwd or ROOT)


@pytest.fixture
def infra_tables(monkeypatch):
    """Register the test tables infra.demo and infra.slow for one test."""
    import _infra_jobs
    from proofs_checks import _tables

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    saved = dict(_tables._TABLES)
    for t in _infra_jobs.tables():
        _tables.register_table(t)
    yield {t.name: t for t in _infra_jobs.tables()}
    _tables._TABLES.clear()
    _tables._TABLES.update(saved)


@pytest.fixture
def ledger_path(tmp_path, monkeypatch):
    """A fresh ledger file; W2S_LEDGER points at it so nothing touches the user cache."""
    p = tmp_path / "ledger.sqlite"
    monkeypatch.setenv("W2S_LEDGER", str(p))
    return p


@pytest.fixture
def example_loaded(monkeypatch):
    """Import the example package in-process (as `w2s --plugin` does); undo it afterwards."""
    from proofs_checks import _registry, _tables

    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    claims, tables = dict(_registry._CLAIMS), dict(_tables._TABLES)
    yield
    sys.modules.pop("my_claims", None)
    sys.modules.pop("my_claims.sweeps", None)
    _registry._CLAIMS.clear()
    _registry._CLAIMS.update(claims)
    _tables._TABLES.clear()
    _tables._TABLES.update(tables)

"""Users' own claims: the example package outside the built-in tree appears in `w2s list`,
runs in `w2s verify`, and fails the user's CI (pytest --w2s-claims) when its statement is
deliberately made false; the pytest plugin is inert without its flag (issue 6 item 5)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from _infra_fixtures import EXAMPLE, clean_env, example_loaded  # noqa: F401


def _example_env(**extra: str) -> dict[str, str]:
    env = clean_env(W2S_PLUGINS="my_claims", **extra)
    env["PYTHONPATH"] = str(EXAMPLE / "src") + ":" + env["PYTHONPATH"]
    return env


def test_example_claim_is_listed_and_verified(example_loaded, tmp_path, capsys):
    from proofs_checks.cli import main

    assert main(["--plugin", "my_claims", "list", "mine.*"]) == 0
    out = capsys.readouterr().out
    assert "mine.am_gm" in out and "MINE-1" in out
    assert main(["verify", "mine.*", "-q", "--backend", "numpy", "--json", str(tmp_path / "r.json"),
                 "--ledger", str(tmp_path / "l.sqlite")]) == 0
    (c,) = json.loads((tmp_path / "r.json").read_text())["claims"]
    assert c["id"] == "mine.am_gm" and c["status"] == "passed"
    assert set(c["checks"]) == {"symbolic", "numeric", "property", "counterexample"}
    assert "shrunk example" in c["checks"]["counterexample"]["detail"]


def _run_user_ci(project, **env):
    """The user's CI: plain `pytest` in their project (its pyproject adds --w2s-claims)."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project,
                          env=clean_env(**env), capture_output=True, text=True, timeout=180)


def test_user_ci_passes_then_fails_on_a_planted_false_statement(tmp_path):
    project = tmp_path / "my_claims"
    shutil.copytree(EXAMPLE, project)
    ok = _run_user_ci(project)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 passed" in ok.stdout
    bad = _run_user_ci(project, MY_CLAIMS_PLANT_ERROR="1")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "1 failed" in bad.stdout and "mine.am_gm" in bad.stdout
    assert "[symbolic:sos-certificate] failed" in bad.stdout and "[property:slack] failed" in bad.stdout


def test_plugin_collects_claims_only_with_the_flag(tmp_path):
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    env = _example_env()
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "test_x.py"),
            "--rootdir", str(tmp_path)]
    plain = subprocess.run(base, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert plain.returncode == 0 and "1 passed" in plain.stdout and "w2s" not in plain.stdout
    sel = subprocess.run(base + ["--w2s-claims", "--w2s-select", "mine.*", "-m", "w2s_claim", "--co"], env=env,
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert sel.returncode == 0, sel.stdout + sel.stderr
    assert sel.stdout.splitlines()[0] == "w2s-claims::mine.am_gm" and "test_x" not in sel.stdout


def test_plugin_is_registered_as_pytest11_entry_point():
    from importlib import metadata

    eps = [e for e in metadata.entry_points(group="pytest11") if e.name == "w2s"]
    assert eps and eps[0].value == "proofs_checks._plugin"

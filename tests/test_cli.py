"""The ``w2s`` command line: exit codes, one-line errors, the JSON report contract."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from proofs_checks.cli import main

CLAIM = "misfit.pythagorean"


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv, needle", [
    (["verify", "no.such.claim"], "unknown claim id"),
    (["verify", "nomatch.*"], "no claim matches"),
    (["verify", "--backend", "foo"], "--backend"),
    (["verify", "--profile", "huge"], "--profile"),
    (["verify", "--seed", "-3"], "--seed"),
    (["show", "no.such.claim"], "unknown claim id"),
    (["table", "no.such.table"], "unknown table"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_exit_2_with_one_line(capsys, argv, needle):
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_cuda_without_gpu_is_a_usage_error(capsys, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    code, out, err = _run(capsys, "verify", CLAIM, "--device", "cuda")
    assert code == 2 and "cuda" in err.lower() and "not available" in err


def test_show_prints_statement_citation_provenance(capsys):
    code, out, err = _run(capsys, "show", CLAIM)
    assert code == 0
    assert "MISFIT-1" in out and "2405.15116" in out and "DERIVED" in out
    assert "LaTeX" in out and "statement" in out


def test_list_lists_claims(capsys):
    code, out, _ = _run(capsys, "list")
    assert code == 0 and CLAIM in out


def test_verify_json_report_contract(capsys, tmp_path):
    path = tmp_path / "r.json"
    code, out, err = _run(capsys, "verify", CLAIM, "--backend", "numpy", "--seed", "7", "--json", str(path), "-q")
    assert code == 0, out + err
    rep = json.loads(path.read_text())
    assert rep["summary"]["total"] == 1 and rep["summary"]["passed"] == 1
    (c,) = rep["claims"]
    assert {"id", "paper", "provenance", "status", "checks"} <= set(c)
    assert c["id"] == CLAIM and c["status"] == "passed"
    for kind, chk in c["checks"].items():
        assert {"status", "detail", "seconds"} <= set(chk), kind
    env = rep["environment"]
    assert env["seed"] == 7 and env["device"] == "cpu" and "numpy" in env["backends"]
    assert env["packages"]["sympy"] and "git_commit" in env


def test_same_seed_same_numbers(capsys, tmp_path):
    figs = []
    for i in range(2):
        p = tmp_path / f"r{i}.json"
        assert _run(capsys, "verify", CLAIM, "--backend", "numpy", "--seed", "11", "--json", str(p), "-q")[0] == 0
        c = json.loads(p.read_text())["claims"][0]
        figs.append({k: [it.get("figure") for it in v["items"]] for k, v in c["checks"].items()})
    assert figs[0] == figs[1]


def test_json_to_missing_directory_is_usage_error(capsys, tmp_path):
    code, _, err = _run(capsys, "verify", CLAIM, "--json", str(tmp_path / "nope" / "r.json"))
    assert code == 2 and "does not exist" in err


def test_failing_user_claim_exits_1_through_console_script(tmp_path):
    """A false claim registered by a plug-in module makes `w2s verify` exit 1."""
    (tmp_path / "planted_claims.py").write_text(textwrap.dedent('''
        import sympy as sp
        from proofs_checks import Citation, Claim, Domain, Param, PropertyCheck, SymbolicCheck, register
        from theory import prove_identity
        x = sp.Symbol("x")
        register(Claim(
            id="planted.false_square", spec_id="PLANTED-1", title="(x+1)^2 = x^2 + 1 (false)",
            citation=Citation("planted", "0000.00000", "test"), provenance="DERIVED",
            statement=lambda: sp.Eq((x + 1) ** 2, x**2 + 1),
            domain=Domain((Param("x", float, -10, 10),)),
            checks=(SymbolicCheck("expand", prove=lambda: prove_identity((x + 1) ** 2 - x**2 - 1)),
                    PropertyCheck("floats", margin=lambda p: -abs((p["x"] + 1) ** 2 - p["x"] ** 2 - 1))),
        ))
    '''))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "W2S_PLUGINS": "planted_claims"}
    r = subprocess.run([sys.executable, "-m", "proofs_checks", "verify", "planted.*", "--backend", "numpy", "-q"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "failed" in r.stdout and "Traceback" not in r.stderr


def test_unknown_plugin_module_is_usage_error(capsys):
    code, _, err = _run(capsys, "--plugin", "no_such_module_xyz", "list")
    assert code == 2 and "no_such_module_xyz" in err

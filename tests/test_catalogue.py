"""The claims catalogue (issue 12 §4): ``w2s report [RUN] --format md|latex|csv`` over a recorded
verify run, and docs/claims.md generated from the registry."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from proofs_checks import get, select
from proofs_checks.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_docs_claims_md_is_up_to_date():
    from proofs_checks._catalogue import DOCS_PATH, docs_catalogue

    assert (ROOT / DOCS_PATH).read_text() == docs_catalogue(), \
        "docs/claims.md is stale: run `w2s catalogue --out docs/claims.md`"


def test_docs_claims_md_lists_every_registered_claim_once():
    text = (ROOT / "docs" / "claims.md").read_text()
    ids = [ln.split("|")[1].strip() for ln in text.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    assert ids == sorted(c.id for c in select([]))
    for c in select([]):
        row = next(ln for ln in text.splitlines() if ln.startswith(f"| {c.id} |"))
        assert f"| {c.spec_id} |" in row and c.provenance in row


def test_readme_links_the_catalogue_not_the_spec_folder():
    readme = (ROOT / "README.md").read_text()
    assert "(docs/claims.md)" in readme and "../shared/spec" not in readme


def _verify(ledger: Path, claim: str = "wspo.rescaling", seed: int = 3) -> None:
    assert main(["verify", claim, "--profile", "fast", "--backend", "numpy", "--seed", str(seed), "-q",
                 "--ledger", str(ledger)]) == 0


def test_report_csv_of_a_recorded_run(tmp_path, capsys):
    import sympy as sp

    led = tmp_path / "l.sqlite"
    _verify(led)
    capsys.readouterr()
    assert main(["report", "--ledger", str(led), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 1
    r, c = rows[0], get("wspo.rescaling")
    assert (r["id"], r["spec id"], r["provenance"], r["status"], r["seeds"]) == \
        ("wspo.rescaling", c.spec_id, c.provenance, "passed", "3")
    assert r["statement"] == sp.latex(c.statement())
    assert set(r["checks run"].split(", ")) == {f"{ch.kind}:{ch.name}" for ch in c.checks}
    assert r["key figure"]


def test_report_defaults_to_the_newest_verify_run(tmp_path, capsys):
    led = tmp_path / "l.sqlite"
    _verify(led, seed=3)
    _verify(led, seed=4)
    capsys.readouterr()
    assert main(["report", "--ledger", str(led), "--format", "csv"]) == 0
    assert list(csv.DictReader(io.StringIO(capsys.readouterr().out)))[0]["seeds"] == "4"
    assert main(["report", "previous", "--ledger", str(led), "--format", "csv"]) == 0
    assert list(csv.DictReader(io.StringIO(capsys.readouterr().out)))[0]["seeds"] == "3"


@pytest.mark.parametrize("argv, needle", [
    (["report"], "no verify run"),
    (["report", "nosuchrun"], "nosuchrun"),
    (["report", "latest", "--compare", "a", "b"], "not both"),
    (["report", "--format", "md", "--standalone"], "--standalone"),
])
def test_report_usage_errors_are_one_line(argv, needle, tmp_path, capsys):
    assert main(argv + ["--ledger", str(tmp_path / "empty.sqlite")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def _fake_run(ledger_path: Path) -> None:
    """A verify run recording every registered claim (statuses cycle), for the rendering test."""
    from proofs_checks._ledger import Ledger

    statuses = ("passed", "failed", "inconclusive", "error")
    with Ledger(ledger_path) as led:
        run = led.start_run("verify", "*", {"seeds": [20240515, 20240516, 20240517], "profile": "fast"})
        led.record_claims(run, [{"id": c.id, "spec_id": c.spec_id, "status": statuses[i % 4],
                                 "figure_name": "n·E gap (first n) ≤ σ²", "figure_value": -1.2345 * i,
                                 "seconds": 0.1, "checks": {f"{ch.kind}:{ch.name}": statuses[i % 4]
                                                            for ch in c.checks}}
                                for i, c in enumerate(select([]))])
        led.finish_run(run, "failed", {"total": 1})


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("kind", ["run", "registry"])
def test_latex_catalogue_of_every_claim_compiles_within_the_page(kind, tmp_path, capsys):
    from proofs_checks._catalogue import registry_entries, render_catalogue

    if kind == "run":
        led = tmp_path / "l.sqlite"
        _fake_run(led)
        assert main(["report", "--ledger", str(led), "--format", "latex", "--standalone",
                     "--out", str(tmp_path / "cat.tex")]) == 0
        tex = (tmp_path / "cat.tex").read_text()
    else:
        tex = render_catalogue(registry_entries(select([])), "latex", run=False, title="Claims", standalone=True)
        (tmp_path / "cat.tex").write_text(tex)
    assert r"\begin{longtable}" in tex and r"\toprule" in tex and r"{\bfseries ?}" not in tex
    for c in select([]):
        assert c.id.replace("_", r"\_\allowbreak{}").replace(".", r".\allowbreak{}") in tex, c.id
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "cat.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=180)
    log = (tmp_path / "cat.log").read_text(errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    assert "Missing character" not in log

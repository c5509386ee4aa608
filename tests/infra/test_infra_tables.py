"""Tables and figures through the ledger: `w2s table NAME --format md|latex|csv`,
`w2s figure`, the sweep-split Table API, and exit 2 on an unknown table (issue 6 item 3)."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest

from _infra_fixtures import infra_tables, ledger_path  # noqa: F401
from proofs_checks import Stat, Table, TableData, UsageError
from proofs_checks._tables import render
from proofs_checks.cli import main


def _data() -> TableData:
    return TableData(["γ", "risk & loss", "n"], [[0.5, Stat(0.25, 0.2, 0.3, 0.99), 10], [1.0, Stat(0.5, 0.4, 0.6), 20]],
                     caption="50% of ‖x‖² cases", notes=["note_1"], series={"x": [1.0, 2.0]})


def test_tabledata_json_roundtrip_keeps_stats():
    d = _data()
    back = TableData.from_json(d.to_json())
    assert back == d and isinstance(back.rows[0][1], Stat) and back.rows[0][1].level == 0.99


def test_table_needs_build_or_jobs_and_assemble():
    with pytest.raises(UsageError, match="both jobs= and assemble="):
        Table("x.y", "t", "simulated", jobs=lambda ctx: [])
    with pytest.raises(UsageError, match="give build="):
        Table("x.y", "t", "simulated")
    assert not Table("x.y", "t", "simulated", build=lambda ctx: _data()).is_sweep


def test_latex_is_booktabs_and_balanced():
    text = render(_data(), "latex", "Title", "simulated")
    lines = text.splitlines()
    assert lines.index(r"\toprule") < lines.index(r"\midrule") < lines.index(r"\bottomrule")
    assert r"\begin{tabular}{lrr}" in text and text.count(r"\begin{") == text.count(r"\end{")
    body = [ln for ln in lines if ln.endswith(r"\\")]
    assert len(body) == 3 and all(len(re.findall(r"(?<!\\)&", ln)) == 2 for ln in body)
    assert r"\&" in text and r"50\%" in text and r"\ensuremath{\gamma}" in text and "[0.2, 0.3]" in text
    assert all(ord(ch) < 128 for ch in text)  # pdflatex-safe
    doc = render(_data(), "latex", standalone=True)
    assert doc.startswith(r"\documentclass{article}") and r"\usepackage{booktabs}" in doc
    assert doc.rstrip().endswith(r"\end{document}")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_compiles(tmp_path):
    (tmp_path / "t.tex").write_text(render(_data(), "latex", "Title", standalone=True))
    r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:]


def test_csv_splits_ci_columns_and_md_shows_intervals():
    rows = list(csv.reader(io.StringIO(render(_data(), "csv"))))
    assert rows[0] == ["γ", "risk & loss", "risk & loss_ci_low", "risk & loss_ci_high", "n"]
    assert [float(x) for x in rows[1][1:4]] == [0.25, 0.2, 0.3]
    md = render(_data(), "md", "Title")
    assert "| 0.5 | 0.25 [0.2, 0.3] | 10 |" in md and "- note_1" in md


def test_cli_table_formats_from_the_ledger(infra_tables, ledger_path, tmp_path, capsys):
    assert main(["table", "infra.demo", "--format", "latex"]) == 0
    latex = capsys.readouterr().out
    assert r"\toprule" in latex and latex.count(r" \\") == 7
    out = tmp_path / "t.csv"
    assert main(["table", "infra.demo", "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.reader(out.open()))
    assert len(rows) == 7 and rows[0][1:4] == ["simulated mean", "simulated mean_ci_low", "simulated mean_ci_high"]
    for r in rows[1:]:  # every simulated mean's 99.9% CI covers the true mean μ
        assert float(r[2]) <= float(r[0]) <= float(r[3])
    from proofs_checks._ledger import Ledger

    with Ledger() as led:
        assert [r.summary["ran"] for r in led.runs(kind="table")] == [6]  # the second render read the ledger


def test_cli_figure_png_and_pdf(infra_tables, ledger_path, tmp_path, capsys):
    png, pdf = tmp_path / "f.png", tmp_path / "f.pdf"
    assert main(["figure", "infra.demo", "--out", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000
    assert main(["figure", "infra.demo", "--out", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert main(["figure", "infra.slow", "--out", str(png)]) == 2
    assert "has no figure" in capsys.readouterr().err


def test_unknown_table_is_exit_2(ledger_path, capsys):
    assert main(["table", "no.such_table", "--format", "md"]) == 2
    err = capsys.readouterr().err
    assert "unknown table 'no.such_table'" in err and "allowed one of" in err
    assert main(["table", "no.such_table", "--format", "docx"]) == 2


def test_cli_bad_sweep_options_are_exit_2(infra_tables, ledger_path, capsys):
    assert main(["table", "infra.demo", "--scheduler", "tcp://x:1"]) == 2
    assert "--executor dask" in capsys.readouterr().err
    assert main(["table", "infra.demo", "--workers", "0", "--executor", "process"]) == 2
    assert main(["table", "infra.demo", "--standalone"]) == 2

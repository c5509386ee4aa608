"""LaTeX rendering (issue 12 §6): Unicode symbols through pylatexenc, ``<``/``>``/``|`` as text
symbols, and every registered table compiled with pdflatex (where installed) with no unknown
symbol (``?``) and no overfull box."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from proofs_checks._tables import Stat, TableData, _latex_escape, render

from ._tabledata import table_data, table_names


def _math(tex: str) -> str:
    """The LaTeX with ``\\ensuremath{…}`` / ``$…$`` wrappers removed and trailing ``{}`` dropped."""
    tex = tex.strip()
    m = re.fullmatch(r"\\ensuremath\{(.*)\}", tex) or re.fullmatch(r"\$(.*)\$", tex)
    tex = m.group(1) if m else tex
    return tex[:-2] if tex.endswith("{}") else tex


# Expected forms from LaTeX itself (unicode-math names): U+03C6 GREEK SMALL LETTER PHI is the
# curly \varphi (\phi is U+03D5 ϕ); U+03C3 is \sigma, U+03C9 \omega, ∫ \int, ≤ \le or \leq.
_EXPECTED = {
    "σ": {r"\sigma"}, "φ": {r"\varphi"}, "ω": {r"\omega"}, "Σ": {r"\Sigma"}, "Φ": {r"\Phi"},
    "Ω": {r"\Omega"}, "∫": {r"\int"}, "≤": {r"\le", r"\leq"}, "ρ": {r"\rho"}, "τ": {r"\tau"},
    "<": {"<", r"\textless"}, ">": {">", r"\textgreater"}, "|": {r"\textbar", "|", r"\vert"},
}


@pytest.mark.parametrize("char", sorted(_EXPECTED))
def test_symbol_maps_to_its_latex_command(char):
    got = _math(_latex_escape(char))
    assert got in _EXPECTED[char], (char, got)


def test_letters_after_rho_are_not_shifted():
    """The old hand table mapped every letter after ρ one off (σ→τ, φ→χ)."""
    assert r"\tau" not in _latex_escape("σ") and r"\chi" not in _latex_escape("φ")
    assert _math(_latex_escape("ψ")) == r"\psi" and _math(_latex_escape("χ")) == r"\chi"


def test_text_specials_and_accents():
    assert _latex_escape("a_b & 5%") == r"a\_b \& 5\%"
    hat = _latex_escape("f̂")  # f + combining circumflex
    assert r"\hat{f}" in hat and "?" not in hat
    assert "?" not in _latex_escape("ᵀ")


def _compile(tex: str, tmp_path, name: str) -> str:
    (tmp_path / f"{name}.tex").write_text(tex)
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = (tmp_path / f"{name}.log").read_text(errors="replace")
    assert proc.returncode == 0, log[-3000:]
    return log


def _check_log(log: str) -> None:
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    assert "Missing character" not in log, re.findall(r"Missing character.*", log)


_PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(_PDFLATEX is None, reason="pdflatex is not installed")


def _text_of(data: TableData) -> str:
    return " ".join([data.caption, *map(str, data.columns), *data.notes,
                     *(v.text() if isinstance(v, Stat) else str(v) for r in data.rows for v in r)])


@needs_pdflatex
@pytest.mark.parametrize("name", table_names())
def test_registered_table_compiles_within_the_page(name, tmp_path):
    from proofs_checks._tables import all_tables

    t = all_tables()[name]
    data = table_data(name)
    tex = render(data, "latex", t.title, t.provenance, standalone=True)
    assert r"{\bfseries ?}" not in tex, "a character pylatexenc does not know"
    # every '?' in the LaTeX is a '?' of the text (none stands for a lost symbol)
    assert tex.count("?") == (_text_of(data) + t.title + t.provenance).count("?")
    _check_log(_compile(tex, tmp_path, "table"))


@needs_pdflatex
def test_compile_check_catches_a_wide_table(tmp_path):
    """The overfull check can fail: a bare tabular wider than the page is reported."""
    wide = " & ".join(["wide-column-" + "x" * 20] * 12)
    tex = (r"\documentclass{article}\begin{document}\begin{tabular}{" + "l" * 12 + "}" + wide
           + r"\end{tabular}\end{document}")
    with pytest.raises(AssertionError, match="Overfull"):
        _check_log(_compile(tex, tmp_path, "wide"))


@needs_pdflatex
def test_wide_rendered_table_fits(tmp_path):
    data = TableData([f"column σ_{i} ≤ ω" for i in range(14)],
                     [[Stat(0.123456, 0.1, 0.2)] * 14 for _ in range(3)], caption="a|b < c > d")
    tex = render(data, "latex", "Wide", "simulated", standalone=True)
    _check_log(_compile(tex, tmp_path, "fit"))

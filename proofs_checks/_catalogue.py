"""The claims catalogue (issue 12 §4): every claim as a row of an appendix table.

* From a recorded verify run (``w2s report [RUN] --format md|latex|csv``): id, spec id,
  statement (LaTeX from the SymPy statement, ``sympy.latex``), provenance, checks run with their
  status, the claim's status, its key figure and the run's root seed(s).
* From the registry alone (``w2s catalogue --out docs/claims.md``): id, spec id, title,
  statement, provenance, checks and citation, so that a clone documents every claim by itself.

LaTeX output uses booktabs rules in a ``longtable`` (the table breaks across pages) whose
ragged-right ``p`` columns add up to the text width, so nothing runs into the margin.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ._claim import Claim
from ._errors import UsageError
from ._tables import FORMATS, _latex_escape

#: ``docs/claims.md`` relative to the repository root.
DOCS_PATH = "docs/claims.md"


@dataclass
class Entry:
    """One claim of the catalogue; run fields are empty when built from the registry."""

    id: str
    spec_id: str
    title: str
    statement: str  # LaTeX (math mode content), "" when the claim is not registered
    provenance: str
    checks: list[tuple[str, str]] = field(default_factory=list)  # (kind:name, status or "")
    citation: str = ""
    status: str = ""
    statement_lines: list[str] = field(default_factory=list)  # LaTeX lines for a narrow cell
    key_figure: str = ""
    seeds: str = ""


def statement_latex(claim: Claim) -> str:
    """``sympy.latex`` of the claim's statement."""
    import sympy as sp

    return sp.latex(claim.statement())


def statement_lines(claim: Claim, width: int = 70) -> list[str]:
    """The statement's LaTeX in lines for a narrow table cell: the left side, then the relation
    and the right side, a long sum split after every few terms (each line at most ``width``
    characters of LaTeX where the terms allow)."""
    import sympy as sp

    return _lines(claim.statement(), width)


def _lines(stmt: Any, width: int) -> list[str]:
    import sympy as sp

    if isinstance(stmt, (sp.Tuple, tuple, sp.And)) and len(sp.latex(stmt)) > width:  # one part a line
        parts = stmt.args if isinstance(stmt, sp.And) else tuple(stmt)
        sep = r"\wedge" if isinstance(stmt, sp.And) else ","
        out: list[str] = []
        for k, part in enumerate(parts):
            sub = _lines(part, width)
            if k < len(parts) - 1:
                sub[-1] += sep
            out += sub
        return out
    if not isinstance(stmt, sp.core.relational.Relational):
        return [_tidy(sp.latex(stmt))]
    rel = {"==": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne"}[stmt.rel_op]
    return _split_sum(stmt.lhs, "", width) + _split_sum(stmt.rhs, rel, width)


def _split_sum(expr: Any, prefix: str, width: int) -> list[str]:
    """``prefix expr`` as lines of at most ``width`` characters, a long sum broken between terms."""
    import sympy as sp

    whole = _tidy(sp.latex(expr))
    if not isinstance(expr, sp.Add) or len(whole) <= width:
        return [f"{prefix} {whole}".strip()]
    lines, cur = [], prefix
    for k, term in enumerate(expr.as_ordered_terms()):
        t = _tidy(sp.latex(term))
        t = t if (k == 0 or t.startswith("-")) else "+ " + t
        if cur.strip() and cur != prefix and len(cur) + len(t) + 1 > width:
            lines.append(cur.strip())
            cur = t
        else:
            cur = f"{cur} {t}"
    return lines + [cur.strip()]


def _tidy(tex: str) -> str:
    """``\\left``/``\\right`` dropped (a line may then end inside parentheses)."""
    tex = re.sub(r"\\left([(\[|.]|\\\{|\\\|)", r"\1", tex)
    tex = re.sub(r"\\right([)\]|.]|\\\}|\\\|)", r"\1", tex)
    return tex.replace(r"\left.", "").replace(r"\right.", "")


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return "" if v is None else str(v)


def registry_entries(claims: Iterable[Claim]) -> list[Entry]:
    """Catalogue entries of registered claims (no run data)."""
    return [Entry(c.id, c.spec_id, c.title, statement_latex(c),
                  c.provenance + (f" · {c.mechanism}" if c.mechanism else ""),
                  [(f"{ch.kind}:{ch.name}", "") for ch in c.checks], str(c.citation),
                  statement_lines=statement_lines(c)) for c in claims]


def _seeds(env: dict[str, Any]) -> str:
    seeds = env.get("seeds")
    if seeds:
        return f"{seeds[0]}..{seeds[-1]} ({len(seeds)})" if len(seeds) > 1 else str(seeds[0])
    return _fmt(env.get("seed"))


def run_entries(ledger: Any, run_ref: str | None = None) -> tuple[Any, list[Entry]]:
    """``(run, entries)`` of a recorded verify run (default: the newest), statements from the
    registry (a claim no longer registered keeps its recorded fields and an empty statement)."""
    import json

    from ._registry import select

    runs = ledger.runs(kind="verify")
    if run_ref is None:
        if not runs:
            raise UsageError(f"report: the ledger {str(ledger.path)!r} has no verify run; run `w2s verify` first "
                             "or pass --ledger PATH")
        run = runs[0]
    else:
        run = ledger.resolve_run(run_ref, "verify")
    rows = ledger.claim_results(run.run_id)
    registered = {c.id: c for c in select([])}
    seeds = _seeds(run.env)
    out = []
    for cid in sorted(rows):
        r = rows[cid]
        checks = r.get("checks") or {}
        if isinstance(checks, str):
            checks = json.loads(checks or "{}")
        c = registered.get(cid)
        kf = "" if r.get("figure_name") is None else f"{r['figure_name']} = {_fmt(r.get('figure_value'))}"
        out.append(Entry(cid, r.get("spec_id") or (c.spec_id if c else ""), c.title if c else "",
                         statement_latex(c) if c else "",
                         (c.provenance + (f" · {c.mechanism}" if c.mechanism else "")) if c else "",
                         list(checks.items()), str(c.citation) if c else "", status=r["status"], key_figure=kf,
                         seeds=seeds, statement_lines=statement_lines(c) if c else []))
    return run, out


# ------------------------------------------------------------------------------ rendering

_RUN_COLS = ("id", "spec id", "statement", "provenance", "checks run", "status", "key figure", "seeds")
_DOC_COLS = ("id", "spec id", "title", "statement", "provenance", "checks", "citation")
# column widths as fractions of the width left after the column separators (sum 1)
_RUN_WIDTHS = (0.13, 0.09, 0.24, 0.11, 0.18, 0.07, 0.09, 0.09)
_DOC_WIDTHS = (0.12, 0.09, 0.16, 0.21, 0.10, 0.16, 0.16)


def _checks_text(checks: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{k} ({s})" if s and s != "passed" else k for k, s in checks)


def _cells(e: Entry, run: bool) -> list[str]:
    """Plain-text cells (statement as LaTeX source) in column order."""
    if run:
        return [e.id, e.spec_id, e.statement, e.provenance, _checks_text(e.checks), e.status, e.key_figure, e.seeds]
    return [e.id, e.spec_id, e.title, e.statement, e.provenance, _checks_text(e.checks), e.citation]


def _md_cell(s: str) -> str:
    return s.replace("|", r"\|").replace("\n", " ")


def _breakable(tex: str) -> str:
    """Let TeX break identifiers like ``misfit.erm_gap_law`` after ``.``, ``_``, ``:``, ``/``."""
    return re.sub(r"(\\_|\.(?![0-9])|[:/+@]|,(?! ))", r"\1\\allowbreak{}", tex)


def render_catalogue(entries: Sequence[Entry], fmt: str, *, run: bool, title: str = "",
                     standalone: bool = False) -> str:
    """The catalogue as Markdown, LaTeX (booktabs + longtable; a document with ``standalone``)
    or CSV."""
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is invalid: allowed one of {', '.join(FORMATS)}")
    cols = _RUN_COLS if run else _DOC_COLS
    stmt_col = cols.index("statement")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for e in entries:
            w.writerow(_cells(e, run))
        return buf.getvalue()
    if fmt == "md":
        lines = [f"# {title}", ""] if title else []
        lines += ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
        for e in entries:
            cells = _cells(e, run)
            cells[stmt_col] = f"${cells[stmt_col]}$" if cells[stmt_col] else ""
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        return "\n".join(lines) + "\n"
    widths = _RUN_WIDTHS if run else _DOC_WIDTHS
    n = len(cols)
    spec = "".join(rf">{{\raggedright\arraybackslash\hspace{{0pt}}}}p{{{w:.3f}\dimexpr\linewidth-{2 * n}\tabcolsep\relax}}"
                   for w in widths)
    head = " & ".join(rf"\textbf{{{_latex_escape(c)}}}" for c in cols) + r" \\"
    lines = []
    if standalone:
        lines += [r"\documentclass[a4paper]{article}", r"\usepackage[T1]{fontenc}",
                  r"\usepackage[margin=2cm]{geometry}", r"\usepackage{amsmath}", r"\usepackage{amssymb}",
                  r"\usepackage{textcomp}", r"\usepackage{booktabs}", r"\usepackage{longtable}",
                  r"\usepackage{array}", r"\usepackage{graphicx}", r"\begin{document}"]
    else:
        lines.append(r"% requires \usepackage{amsmath,amssymb,textcomp,booktabs,longtable,array,graphicx}")
    # a statement line wider than its cell is scaled down to the cell (never an overfull box)
    lines += [r"\providecommand{\wtsstmt}[1]{\sbox0{$#1$}\ifdim\wd0>\linewidth"
              r"\resizebox{\linewidth}{!}{\usebox0}\else\usebox0\fi}"]
    lines += [r"{\scriptsize", r"\setlength{\tabcolsep}{3pt}", rf"\begin{{longtable}}{{{spec}}}"]
    if title:
        lines.append(rf"\caption{{{_latex_escape(title)}}}\\")
    lines += [r"\toprule", head, r"\midrule", r"\endfirsthead", r"\toprule", head, r"\midrule", r"\endhead",
              r"\bottomrule", r"\endfoot"]
    for e in entries:
        cells = [_breakable(_latex_escape(c)) for c in _cells(e, run)]
        cells[stmt_col] = r"\newline ".join(rf"\wtsstmt{{{ln}}}" for ln in e.statement_lines)
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\end{longtable}", "}"]
    if standalone:
        lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def docs_catalogue(claims: Iterable[Claim] | None = None) -> str:
    """The Markdown of ``docs/claims.md``: every registered claim, generated from the registry."""
    from ._registry import select

    entries = registry_entries(select([]) if claims is None else claims)
    head = ("<!-- generated by `w2s catalogue --out docs/claims.md` from the claim registry; do not edit -->\n\n"
            f"# Claims ({len(entries)})\n\nEvery registered claim: its spec id, statement (LaTeX of the SymPy "
            "statement the checks read), provenance (PAPER / CODE / DERIVED as the spec tags it), checks and "
            "citation. `w2s show ID` prints one claim in full; `w2s report --format latex` renders the claims "
            "of a recorded verify run, with status, key figure and seeds, as a paper appendix.\n\n")
    return head + render_catalogue(entries, "md", run=False)

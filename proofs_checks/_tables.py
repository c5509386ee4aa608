"""Registered tables and figures, rendered as Markdown, LaTeX (booktabs) or CSV.

Every statistic is a :class:`Stat` cell that carries its confidence interval.
Transcribed tables (numbers copied from a paper or an official repository) say so in
their ``provenance`` and caption; they are never presented as recomputed.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ._errors import UsageError

FORMATS = ("md", "latex", "csv")


@dataclass(frozen=True)
class Stat:
    """A statistic with a confidence interval (``low``, ``high``) at ``level``."""

    value: float
    low: float
    high: float
    level: float = 0.95

    def text(self, digits: int = 3) -> str:
        return f"{self.value:.{digits}g} [{self.low:.{digits}g}, {self.high:.{digits}g}]"


@dataclass
class TableData:
    columns: list[str]
    rows: list[list[Any]]
    caption: str = ""
    notes: list[str] = field(default_factory=list)
    series: dict[str, Any] = field(default_factory=dict)  # raw data for figures


@dataclass(frozen=True)
class Table:
    """A named table.  ``build(ctx)`` computes it; ``figure(data, path)`` draws it
    (optional).  ``provenance`` is 'simulated', 'transcribed [CODE]', etc."""

    name: str
    title: str
    provenance: str
    build: Callable[[Any], TableData]
    figure: Callable[[TableData, str], None] | None = None
    claims: tuple[str, ...] = ()


_TABLES: dict[str, Table] = {}


def register_table(table: Table) -> Table:
    _TABLES[table.name] = table
    return table


def all_tables() -> dict[str, Table]:
    from ._registry import load_all

    load_all()
    return dict(sorted(_TABLES.items()))


def get_table(name: str) -> Table:
    tables = all_tables()
    if name not in tables:
        raise UsageError(f"unknown table {name!r}: allowed one of {', '.join(tables) or '(none registered)'}")
    return tables[name]


def _cell(v: Any, digits: int = 4) -> str:
    if isinstance(v, Stat):
        return v.text(digits)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else f"{v:.{digits}g}"
    return str(v)


def _latex_escape(s: str) -> str:
    rep = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
           "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(rep.get(ch, ch) for ch in s)


def render(data: TableData, fmt: str, title: str = "", provenance: str = "") -> str:
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is invalid: allowed one of {', '.join(FORMATS)}")
    cap = " ".join(x for x in (title, f"[{provenance}]" if provenance else "", data.caption) if x)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        cols: list[str] = []
        for i, c in enumerate(data.columns):
            is_stat = any(isinstance(r[i], Stat) for r in data.rows)
            cols += [c, f"{c}_ci_low", f"{c}_ci_high"] if is_stat else [c]
        w.writerow(cols)
        for r in data.rows:
            out: list[Any] = []
            for i, v in enumerate(r):
                is_stat = any(isinstance(rr[i], Stat) for rr in data.rows)
                if is_stat:
                    out += [v.value, v.low, v.high] if isinstance(v, Stat) else [v, "", ""]
                else:
                    out.append(v)
            w.writerow(out)
        return buf.getvalue()
    if fmt == "md":
        lines = [f"**{cap}**", ""] if cap else []
        lines.append("| " + " | ".join(data.columns) + " |")
        lines.append("|" + "|".join("---" for _ in data.columns) + "|")
        lines += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in data.rows]
        lines += [""] + [f"- {n}" for n in data.notes] if data.notes else []
        return "\n".join(lines) + "\n"
    align = "l" + "r" * (len(data.columns) - 1)
    lines = [r"\begin{table}[ht]", r"\centering", rf"\begin{{tabular}}{{{align}}}", r"\toprule",
             " & ".join(_latex_escape(c) for c in data.columns) + r" \\", r"\midrule"]
    lines += [" & ".join(_latex_escape(_cell(v)) for v in r) + r" \\" for r in data.rows]
    lines += [r"\bottomrule", r"\end{tabular}"]
    if cap:
        lines.append(rf"\caption{{{_latex_escape(cap)}}}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"

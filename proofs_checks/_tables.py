"""Registered tables and figures, rendered as Markdown, LaTeX (booktabs) or CSV.

A table is computed either by ``build(ctx)`` in one piece, or as a sweep: ``jobs(ctx)``
lists :class:`numerics.sweep.Job` s (pure functions with explicit seeds) and
``assemble(ctx, results)`` turns their results into :class:`TableData`.  Either way the
result is stored in the run ledger, so that a table is rendered from the ledger and its
sweep runs only when it has not run (issue 6; see :func:`compute`).

Every statistic is a :class:`Stat` cell that carries its confidence interval.
Transcribed tables (numbers copied from a paper or an official repository) say so in
their ``provenance`` and caption; they are never presented as recomputed.
"""
from __future__ import annotations

import csv
import io
import math
import re
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

    def to_json(self) -> dict[str, Any]:
        """JSON form (Stat cells tagged) for the run ledger."""
        from ._checks import _jsonable

        def cell(v: Any) -> Any:
            if isinstance(v, Stat):
                return {"__stat__": [v.value, v.low, v.high, v.level]}
            return _jsonable(v)
        return {"columns": list(self.columns), "rows": [[cell(v) for v in r] for r in self.rows],
                "caption": self.caption, "notes": list(self.notes), "series": _jsonable(self.series)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "TableData":
        def cell(v: Any) -> Any:
            if isinstance(v, dict) and set(v) == {"__stat__"}:
                return Stat(*(float(x) for x in v["__stat__"]))
            return float(v) if v in ("nan", "inf", "-inf") else v
        return cls(list(d["columns"]), [[cell(v) for v in r] for r in d["rows"]], d.get("caption", ""),
                   list(d.get("notes", [])), dict(d.get("series", {})))


@dataclass(frozen=True)
class Table:
    """A named table.  ``build(ctx)`` computes it in one piece, or ``jobs(ctx)`` +
    ``assemble(ctx, [(job, result), ...])`` compute it as a sweep (in job order);
    ``figure(data, path)`` draws it (optional).  ``provenance`` is 'simulated',
    'transcribed [CODE]', etc."""

    name: str
    title: str
    provenance: str
    build: Callable[[Any], TableData] | None = None
    figure: Callable[[TableData, str], None] | None = None
    claims: tuple[str, ...] = ()
    jobs: Callable[[Any], list[Any]] | None = None
    assemble: Callable[[Any, list[tuple[Any, Any]]], TableData] | None = None

    def __post_init__(self) -> None:
        if (self.jobs is None) != (self.assemble is None):
            raise UsageError(f"table {self.name!r}: give both jobs= and assemble=, or neither")
        if self.build is None and self.jobs is None:
            raise UsageError(f"table {self.name!r}: give build= or jobs= and assemble=")

    @property
    def is_sweep(self) -> bool:
        return self.jobs is not None


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


def compute(table: Table, ctx: Any, ledger: Any = None, executor: Any = None, rerun: bool = False,
            batch_size: int | None = None, on_batch: Callable[[int, int], None] | None = None) -> TableData:
    """Compute ``table`` through the run ledger: jobs already recorded are read back, the
    missing ones (all with ``rerun``) run on ``executor`` (default in-process) and each
    finished batch is stored in one transaction.  ``ledger=None`` opens the default one."""
    from numerics.sweep import Job, JobResult, sweep

    from ._ledger import Ledger
    from ._report import environment

    own = ledger is None
    led = Ledger() if own else ledger
    made = None
    try:
        env = environment(ctx)
        env["executor"] = getattr(executor, "executor_name", None) or getattr(executor, "name", None) or "inprocess"
        if table.is_sweep:
            jobs = list(table.jobs(ctx))  # type: ignore[misc]
            bad = [j for j in jobs if not isinstance(j, Job)]
            if bad:
                raise UsageError(f"table {table.name!r}: jobs() must return numerics.sweep.Job objects")
        else:  # one job that runs build(ctx) by table name (on any executor)
            jobs = [Job(table.name, "proofs_checks._tables:build_job",
                        {"table": table.name, "profile": ctx.profile, "backends": list(ctx.backends),
                         "device": ctx.device, "code": _code_fingerprint(table.build),
                         **({"extra": dict(ctx.extra)} if ctx.extra else {})}, ctx.seed)]
        have = set() if rerun else led.done_keys([j.key for j in jobs])
        todo = [j for j in jobs if j.key not in have]
        todo = list({j.key: j for j in todo}.values())
        run_id = led.start_run("table", table.name, env) if todo else None
        done = [0]

        def store(batch: list[JobResult]) -> None:
            led.record_batch(batch, run_id=run_id, env=env)
            done[0] += len(batch)
            if on_batch:
                on_batch(done[0], len(todo))
        try:
            if todo and not table.is_sweep and (executor is None or _is_inprocess(executor)):
                import time  # in-process: build with this process's registry (tables registered at runtime too)

                t0 = time.perf_counter()
                data = table.build(ctx)  # type: ignore[misc]
                store([JobResult(todo[0], data.to_json(), time.perf_counter() - t0, "inprocess")])
            elif todo:
                if callable(executor) and not hasattr(executor, "map_batches"):  # a factory: start when needed
                    executor = made = executor()
                sweep(todo, executor, batch_size=batch_size, on_batch=store)
        except BaseException as e:  # recorded jobs stay; the run says why it stopped
            if run_id:
                import sqlite3

                try:  # best effort: a full disk may refuse this too (the run then stays 'running')
                    led.finish_run(run_id, "interrupted" if isinstance(e, KeyboardInterrupt) else "error",
                                   {"jobs": len(jobs), "ran": done[0], "error": f"{type(e).__name__}: {e}"[:500]})
                except (sqlite3.Error, OSError):
                    pass
            raise
        if run_id:
            led.finish_run(run_id, "finished", {"jobs": len(jobs), "ran": len(todo), "skipped": len(jobs) - len(todo)})
        got = led.results(jobs)
        missing = [j for j in jobs if j.key not in got]
        if missing:
            raise UsageError(f"table {table.name!r}: {len(missing)} jobs have no result in the ledger")
        if not table.is_sweep:
            return TableData.from_json(got[jobs[0].key])
        return table.assemble(ctx, [(j, got[j.key]) for j in jobs])  # type: ignore[misc]
    finally:
        if made is not None:
            made.close()
        if own:
            led.close()


def _code_fingerprint(fn: Any) -> str:
    """Hash of the source file defining ``fn``: an edited table builder is recomputed
    instead of being read back stale from the ledger."""
    import hashlib
    import inspect

    try:
        text = inspect.getsource(inspect.getmodule(fn))  # type: ignore[arg-type]
    except (OSError, TypeError):
        text = getattr(fn, "__qualname__", "")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _is_inprocess(executor: Any) -> bool:
    return getattr(executor, "name", None) == "inprocess" or getattr(executor, "executor_name", None) == "inprocess"


def build_job(params: dict[str, Any], seed: int) -> dict[str, Any]:
    """Sweep job for a table computed in one piece: ``build(ctx)`` of the table named in
    ``params`` (looked up in the worker's registry), as JSON."""
    from ._context import RunContext

    ctx = RunContext(profile=params["profile"], backends=tuple(params["backends"]), device=params["device"],
                     seed=seed, extra=dict(params.get("extra", {})))
    return get_table(params["table"]).build(ctx).to_json()  # type: ignore[misc]


def _cell(v: Any, digits: int = 4) -> str:
    if isinstance(v, Stat):
        return v.text(digits)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else f"{v:.{digits}g}"
    return str(v)


#: LaTeX packages the rendered tables need (a fragment's first line names them).
LATEX_PACKAGES = ("booktabs", "adjustbox", "amssymb", "textcomp")
_LATEX_ASCII = {"|": r"\textbar{}", "<": r"\textless{}", ">": r"\textgreater{}"}  # OT1 would print ¡ ¿ —
_COMBINING = {"\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0305": "bar", "\u0307": "dot",
              "\u0308": "ddot", "\u20d7": "vec"}
_ENCODER: Any = None


def _encoder() -> Any:
    """pylatexenc's unicode→LaTeX encoder (maintained symbol tables) with ``|<>`` as text symbols."""
    global _ENCODER
    if _ENCODER is None:
        from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

        extra = {ord(k): v for k, v in _LATEX_ASCII.items()}
        _ENCODER = UnicodeToLatexEncoder(
            conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, extra), "defaults"],
            unknown_char_policy="replace", unknown_char_warning=False)
    return _ENCODER


def _script_letter(ch: str) -> str | None:
    """Unicode modifier/subscript letters (ᵀ, ᵢ, …) that pylatexenc lacks, as math scripts."""
    import unicodedata

    name = unicodedata.name(ch, "")
    m = re.fullmatch(r"MODIFIER LETTER (SMALL|CAPITAL) (\w)", name)
    if m:
        letter = m.group(2).lower() if m.group(1) == "SMALL" else m.group(2)
        return rf"\ensuremath{{^{{{letter}}}}}"
    m = re.fullmatch(r"LATIN SUBSCRIPT SMALL LETTER (\w)", name)
    if m:
        return rf"\ensuremath{{_{{{m.group(1).lower()}}}}}"
    return None


def _unwrap_math(tex: str) -> str:
    m = re.fullmatch(r"\\ensuremath\{(.*)\}", tex)
    return m.group(1) if m else tex


def _latex_escape(s: str) -> str:
    """Text to pdflatex-safe LaTeX: specials escaped, Unicode symbols through pylatexenc
    (``\\ensuremath`` math where needed), combining accents as ``\\hat`` etc.  A character with no
    known form becomes a bold ``?`` (the compile test fails on it)."""
    import unicodedata

    enc = _encoder()
    s = unicodedata.normalize("NFC", s)
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        tex = _script_letter(ch) or enc.unicode_to_latex(ch)
        while i + 1 < len(s) and s[i + 1] in _COMBINING:  # base + combining accent(s)
            i += 1
            tex = rf"\ensuremath{{\{_COMBINING[s[i]]}{{{_unwrap_math(tex)}}}}}"
        out.append(tex)
        i += 1
    return "".join(out)


def _latex_preamble() -> list[str]:
    return [r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[margin=2.5cm]{geometry}",
            *(rf"\usepackage{{{pkg}}}" for pkg in LATEX_PACKAGES), r"\begin{document}"]


def render(data: TableData, fmt: str, title: str = "", provenance: str = "", standalone: bool = False) -> str:
    """Render as Markdown, LaTeX (booktabs; a full document with ``standalone``) or CSV."""
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
    lines = _latex_preamble() if standalone else ["% requires \\usepackage{" + ",".join(LATEX_PACKAGES) + "}"]
    # adjustbox shrinks a table wider than the text block to \linewidth (never enlarges): no overfull box
    lines += [r"\begin{table}[ht]", r"\centering", r"\begin{adjustbox}{max width=\linewidth}",
              rf"\begin{{tabular}}{{{align}}}", r"\toprule",
              " & ".join(_latex_escape(c) for c in data.columns) + r" \\", r"\midrule"]
    lines += [" & ".join(_latex_escape(_cell(v)) for v in r) + r" \\" for r in data.rows]
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{adjustbox}"]
    if cap:
        lines.append(rf"\caption{{{_latex_escape(cap)}}}")
    lines.append(r"\end{table}")
    if data.notes:
        lines.insert(-1, r"\par\smallskip{\footnotesize " + "; ".join(_latex_escape(n) for n in data.notes) + "}")
    if standalone:
        lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"

"""The ``w2s`` command line: list, show, verify, table, figure.

Exit status: 0 when every selected claim passed, 1 when any failed, 2 on a usage
error (printed as one line, never a traceback).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from numerics import BACKENDS, InvalidParameter

from ._checks import PASSED
from ._context import PROFILES, RunContext
from ._errors import UsageError
from ._registry import get, select
from ._runner import verify

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta"}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _fmt_value(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def cmd_list(args: argparse.Namespace, out: Console) -> int:
    claims = select(args.patterns)
    t = RichTable(title=f"{len(claims)} registered claims", show_lines=False)
    for col in ("id", "spec", "provenance", "checks", "title"):
        t.add_column(col, overflow="fold")
    for c in claims:
        t.add_row(c.id, c.spec_id, c.provenance + (f" · {c.mechanism}" if c.mechanism else ""),
                  ",".join(c.check_kinds()), c.title)
    out.print(t)
    return EXIT_OK


def cmd_show(args: argparse.Namespace, out: Console) -> int:
    import sympy as sp

    c = get(args.claim_id)
    stmt = c.statement()
    out.print(f"[bold]{c.id}[/bold]  ({c.spec_id})  {c.title}")
    out.print(f"provenance: [{c.provenance}]" + (f"   mechanism: {c.mechanism}" if c.mechanism else ""),
              markup=False)
    out.print(f"citation:   {c.citation}" + (f"  — spec {c.citation.spec}" if c.citation.spec else ""), markup=False)
    out.print("\nstatement:", markup=False)
    out.print(sp.pretty(stmt, use_unicode=True), markup=False, highlight=False)
    out.print("\nLaTeX:", markup=False)
    out.print(sp.latex(stmt), markup=False, highlight=False)
    if c.assumptions:
        out.print("\nassumptions:", markup=False)
        for a in c.assumptions:
            out.print(f"  - {a}", markup=False)
    if c.domain.params or c.domain.constraints:
        out.print("\nparameter domain:", markup=False)
        for line in c.domain.describe():
            out.print(f"  - {line}", markup=False)
    out.print("\nchecks:", markup=False)
    for ch in c.checks:
        extra = ""
        if ch.kind == "rate":
            extra = f" (expected exponent {ch.exponent:g} in {ch.variable})"  # type: ignore[attr-defined]
        if ch.kind == "counterexample":
            extra = f" (dropped: {ch.dropped})"  # type: ignore[attr-defined]
        prov = f" [{ch.provenance}]" if ch.provenance else ""
        out.print(f"  - {ch.kind}: {ch.name}{extra}{prov}", markup=False)
    if c.notes:
        out.print(f"\nnotes: {c.notes}", markup=False)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, out: Console) -> int:
    ctx = RunContext.from_cli(profile=args.profile, backend=args.backend, device=args.device, seed=args.seed)
    claims = select(args.patterns)
    if args.json:
        _check_writable(args.json)
    err = Console(stderr=True)
    total = sum(len(c.checks) for c in claims)
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=args.quiet) as prog:
        task = prog.add_task("verifying", total=total)

        def on_check(claim, result):
            prog.update(task, advance=1, description=f"{claim.id}: {result.kind} {result.name}")

        report = verify(claims, ctx, on_check)
    t = RichTable(title=f"w2s verify — profile {ctx.profile}, backends {','.join(ctx.backends)}, "
                        f"device {ctx.device}, seed {ctx.seed}")
    for col in ("claim", "provenance", "checks run", "status", "key figure", "s"):
        t.add_column(col, overflow="fold")
    for r in report.results:
        kinds = " ".join(("✓" if all(x.status == PASSED for x in r.checks if x.kind == k) else "✗") + k
                         for k in dict.fromkeys(x.kind for x in r.checks))
        kf = r.key_figure
        style = _STATUS_STYLE[r.status]
        t.add_row(r.claim.id, r.claim.provenance + (f" · {r.claim.mechanism}" if r.claim.mechanism else ""),
                  kinds, f"[{style}]{r.status}[/{style}]", "" if kf is None else f"{kf[0]}={_fmt_value(kf[1])}",
                  f"{r.seconds:.1f}")
    out.print(t)
    for r in report.results:
        for x in r.checks:
            if x.status != PASSED or args.verbose:
                out.print(f"{r.claim.id} [{x.kind}:{x.name}] {x.status}: {x.detail}", markup=False, highlight=False)
    s = report.summary()
    out.print(f"{s['passed']} passed, {s['failed']} failed, {s['error']} errors in {report.seconds:.1f}s",
              markup=False)
    if args.json:
        report.write(args.json)
        out.print(f"report written to {args.json}", markup=False)
    return EXIT_FAILED if report.failed else EXIT_OK


def _check_writable(path: str) -> None:
    p = Path(path)
    parent = p.resolve().parent
    if not parent.is_dir():
        raise UsageError(f"--json {path!r}: directory {str(parent)!r} does not exist")
    import os

    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UsageError(f"--json {path!r}: not writable")


def cmd_table(args: argparse.Namespace, out: Console) -> int:
    from ._tables import get_table, render

    tbl = get_table(args.name)
    if args.out:
        _check_writable(args.out)
    ctx = RunContext.from_cli(profile=args.profile, backend=args.backend, device=args.device, seed=args.seed)
    data = tbl.build(ctx)
    text = render(data, args.format, tbl.title, tbl.provenance)
    if args.out:
        Path(args.out).write_text(text)
        out.print(f"table {tbl.name} written to {args.out}", markup=False)
    else:
        sys.stdout.write(text)
    if args.figure:
        if tbl.figure is None:
            raise UsageError(f"table {tbl.name!r} has no figure")
        _check_writable(args.figure)
        tbl.figure(data, args.figure)
        out.print(f"figure written to {args.figure}", markup=False)
    return EXIT_OK


def cmd_figure(args: argparse.Namespace, out: Console) -> int:
    from ._tables import get_table

    tbl = get_table(args.name)
    if tbl.figure is None:
        figs = [n for n, t in __import__("proofs_checks._tables", fromlist=["x"]).all_tables().items() if t.figure]
        raise UsageError(f"table {args.name!r} has no figure: allowed one of {', '.join(figs)}")
    if Path(args.out).suffix.lower() not in (".png", ".pdf", ".svg"):
        raise UsageError(f"--out {args.out!r}: allowed a .png, .pdf or .svg path")
    _check_writable(args.out)
    ctx = RunContext.from_cli(profile=args.profile, backend=args.backend, device=args.device, seed=args.seed)
    tbl.figure(tbl.build(ctx), args.out)
    out.print(f"figure {tbl.name} written to {args.out}", markup=False)
    return EXIT_OK


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", choices=PROFILES, default="fast", help="problem sizes: fast (CI) or full (paper-grade)")
    p.add_argument("--backend", choices=(*BACKENDS, "all"), default="all",
                   help="simulation backends; numpy is always run as the reference")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="torch device")
    p.add_argument("--seed", type=_seed, default=20240515, help="root seed for every random draw")


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed {text!r} is invalid: allowed a non-negative integer") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"--seed {v} is invalid: allowed a non-negative integer")
    return v


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="w2s", description="Verify weak-to-strong generalization claims symbolically, "
                                             "numerically and by properties.")
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                        help="import MODULE to register extra claims (repeatable)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("list", help="list registered claims")
    p.add_argument("patterns", nargs="*", help="claim ids or globs")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="statement, assumptions, provenance and citation of a claim")
    p.add_argument("claim_id")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("verify", help="run the checks of every (or the selected) claim")
    p.add_argument("patterns", nargs="*", help="claim ids or globs, e.g. 'misfit.*'")
    _add_run_options(p)
    p.add_argument("--json", metavar="PATH", help="write the JSON report here")
    p.add_argument("-v", "--verbose", action="store_true", help="print every check's detail")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("table", help="render a registered table")
    p.add_argument("name")
    p.add_argument("--format", choices=("md", "latex", "csv"), default="md")
    p.add_argument("--out", metavar="PATH")
    p.add_argument("--figure", metavar="PATH", help="also draw the table's figure here")
    _add_run_options(p)
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("figure", help="draw a registered figure (theory curves, simulation points)")
    p.add_argument("name")
    p.add_argument("--out", required=True, metavar="PATH")
    _add_run_options(p)
    p.set_defaults(func=cmd_figure)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    try:
        args = build_parser().parse_args(argv)
        if args.plugin:
            from ._registry import load_plugins

            load_plugins(args.plugin)
        return int(args.func(args, out))
    except (UsageError, InvalidParameter) as e:
        print(f"w2s: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("w2s: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

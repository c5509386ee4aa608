"""The ``w2s`` command line: list, show, verify, table, figure, runs, report, explore.

Exit status: 0 when every selected claim passed, 1 when any failed, 2 when there is no
verdict: a usage error, or the system failed (a full disk, the ledger), printed as one
line naming the parameter and what is allowed, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from numerics import BACKENDS, InvalidParameter
from numerics._validate import SEED_MAX

from ._checks import PASSED
from ._context import PROFILES, RunContext
from ._errors import UsageError
from ._io import atomic_write, check_output_dir, check_output_path, write_with
from ._registry import get, select
from ._runner import verify, verify_seeds

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
MAX_SEEDS = 10_000  # root seeds of one `verify --seeds/--seed-range` run
MAX_REPLICAS = 10_000  # table replicas (--replicas/--seeds of a table)
MAX_WORKERS = 1024  # --workers: local pool / LocalCluster processes
MAX_BATCH = 1_000_000  # --batch-size
MAX_LIMIT = 1_000_000  # runs --limit
MAX_EXAMPLES = 10_000_000  # explore --examples
_STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "inconclusive": "yellow",
                 "unstable": "red"}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        import re

        m = re.fullmatch(r"argument ([^:]+): (.*)", message, flags=re.S)
        if m and any(m.group(2).startswith(f + " ") for f in (m.group(1), *m.group(1).split("/"))):
            message = m.group(2)  # our own type= message already names the flag
        raise UsageError(message)


class _SubParser(_Parser):
    """A subcommand's parser: options may come between positionals (``w2s verify a --seed 1 b``,
    ``w2s eval ID --seed 3 n=40``), as with :meth:`argparse.ArgumentParser.parse_intermixed_args`."""

    _inner = False

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        if self._inner:  # parse_known_intermixed_args calls back into parse_known_args
            return super().parse_known_args(args, namespace)
        self._inner = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inner = False


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
    if c.statement_unchecked:
        out.print(f"\nstatement unchecked: {c.statement_unchecked}", markup=False)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, out: Console) -> int:
    ctx = RunContext.from_cli(profile=args.profile, backend=args.backend, device=args.device, seed=args.seed)
    seeds = _root_seeds(args)
    _check_verify_executor(args)
    claims = select(args.patterns)
    if args.json is not None:
        check_output_path(args.json, "--json")
    _distinct_outputs(args, {"--json": args.json})
    if args.no_ledger and args.ledger is not None:
        raise UsageError(f"--ledger {_short(args.ledger)} with --no-ledger: allowed one of them")
    ledger = _open_ledger(args, optional=True)
    run_id = _start_verify(ledger, ctx, seeds, " ".join(args.patterns) or "*")
    done: dict = {}
    try:
        return _verify_and_print(args, out, ctx, seeds, claims, ledger, run_id, done)
    except BaseException as e:  # the ledger says why the run stopped; a SIGKILL leaves it 'running'
        if not done.get("finished"):
            _abort_verify(ledger, run_id, e, done.get("summary"))
        raise
    finally:
        if ledger is not None:
            ledger.close()


def _verify_and_print(args: argparse.Namespace, out: Console, ctx: RunContext, seeds: list[int] | None, claims,
                      ledger, run_id: str | None, done: dict) -> int:
    """Run the claims, print the table and details, write ``--json``, finish the ledger run."""
    err = Console(stderr=True)
    total = sum(len(c.checks) for c in claims) * (len(seeds) if seeds else 1)
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=args.quiet) as prog:
        task = prog.add_task("verifying", total=total)

        def on_check(claim, result):
            prog.update(task, advance=1, description=f"{claim.id}: {result.kind} {result.name}")

        executor, costs = _verify_executor(args, claims, ctx, ledger)
        try:
            report = verify_seeds(claims, ctx, seeds, on_check, executor=executor, plugins=args.plugin,
                                  costs=costs) if seeds else \
                verify(claims, ctx, on_check, executor=executor, plugins=args.plugin, costs=costs)
        finally:
            if executor is not None:
                executor.close()
    seed_txt = f"seeds {seeds[0]}..{seeds[-1]} ({len(seeds)})" if seeds else f"seed {ctx.seed}"
    t = RichTable(title=f"w2s verify — profile {ctx.profile}, backends {','.join(ctx.backends)}, "
                        f"device {ctx.device}, {seed_txt}")
    for col in ("claim", "provenance", "checks run", "status", "key figure", "s") + (("seeds failed",) if seeds else ()):
        t.add_column(col, overflow="fold")
    for r in report.results:
        kinds = " ".join(("✓" if all(x.status == PASSED for x in r.checks if x.kind == k) else "✗") + k
                         for k in dict.fromkeys(x.kind for x in r.checks))
        kf = r.key_figure
        status = "unstable" if report.unstable(r.claim.id) else r.status
        style = _STATUS_STYLE[status]
        row = [r.claim.id, r.claim.provenance + (f" · {r.claim.mechanism}" if r.claim.mechanism else ""),
               kinds, f"[{style}]{status}[/{style}]", "" if kf is None else f"{kf[0]}={_fmt_value(kf[1])}",
               f"{r.seconds:.1f}"]
        if seeds:
            sc = report.seeds["claims"][r.claim.id]
            row.append(f"{sc['failures']}/{sc['n']} [{sc['ci95'][0]:.2f}, {sc['ci95'][1]:.2f}]")
        t.add_row(*row)
    out.print(t)
    for r in report.results:
        for x in r.checks:
            if x.status != PASSED or args.verbose:
                out.print(f"{r.claim.id} [{x.kind}:{x.name}] {x.status}: {x.detail}", markup=False, highlight=False)
    if seeds:
        for cid, sc in report.seeds["claims"].items():
            bad = {sd: st for sd, st in sc["statuses"].items() if st != PASSED}
            if bad:
                out.print(f"{cid}: not passed at seeds " + ", ".join(f"{sd} ({st})" for sd, st in bad.items()),
                          markup=False, highlight=False)
    unchecked: dict[str, list[str]] = {}
    for r in report.results:
        if r.claim.statement_unchecked:
            unchecked.setdefault(r.claim.statement_unchecked, []).append(r.claim.id)
    for reason, ids in unchecked.items():
        out.print(f"statement unchecked ({len(ids)} claim{'s' * (len(ids) > 1)}: {', '.join(ids)}): {reason}",
                  markup=False, highlight=False)
    s = report.summary()
    unstable = f", {sum(report.unstable(r.claim.id) for r in report.results)} unstable over {len(seeds)} seeds" \
        if seeds else ""
    out.print(f"{s['passed']} passed, {s['failed']} failed, {s['error']} errors, {s['inconclusive']} inconclusive"
              f"{unstable} in {report.seconds:.1f}s", markup=False)
    done["summary"] = {**report.summary(), "seconds": round(report.seconds, 2)}
    if ledger is not None:
        _record_claims(ledger, run_id, report)
    if args.json is not None:
        report.write(args.json)
        out.print(f"report written to {args.json}", markup=False)
    if ledger is not None:
        ledger.finish_run(run_id, "failed" if report.failed else "passed", done["summary"])
        done["finished"] = True
        if not args.quiet:
            out.print(f"run {run_id} recorded in {ledger.path}", markup=False)
    return EXIT_FAILED if (report.failed_strict if args.strict else report.failed) else EXIT_OK


def _check_verify_executor(args: argparse.Namespace) -> None:
    """``verify --executor/--workers/--scheduler``: one-line errors before anything runs."""
    _check_scheduler(args)
    if args.workers is not None:
        if args.workers < 1:
            raise UsageError(f"--workers {args.workers} is invalid: allowed an integer >= 1")
        if args.executor == "inprocess":
            raise UsageError(f"--workers {args.workers} needs --executor process or dask")
        if args.scheduler:
            raise UsageError(f"--workers {args.workers} is for a local cluster: with --scheduler the "
                             f"scheduler's own workers run the claims")


def _verify_executor(args: argparse.Namespace, claims, ctx: RunContext, ledger):
    """The sweep executor of ``--executor`` (None: in process, one claim after another) and the
    claims' expected seconds (the ledger's previous run at this profile, else the static table)."""
    if args.executor == "inprocess":
        return None, None
    from numerics.sweep import make_executor

    from ._parallel import estimate_costs, worker_env

    history = ledger.claim_seconds(ctx.profile) if ledger is not None else None
    costs = estimate_costs(claims, ctx.profile, history)
    return make_executor(args.executor, scheduler=args.scheduler, workers=args.workers,
                         worker_env=worker_env()), costs


def _root_seeds(args: argparse.Namespace) -> list[int] | None:
    """The root seeds of ``--seeds N`` (seed, seed+1, ..., seed+N-1) or ``--seed-range A:B``
    (A..B inclusive); None for a single-seed run."""
    if args.seeds is not None:
        if not 1 <= args.seeds <= MAX_SEEDS or args.seed + args.seeds - 1 > SEED_MAX:
            raise UsageError(f"--seeds {args.seeds} is invalid: allowed an integer in [1, {MAX_SEEDS:,}] with "
                             f"--seed + N - 1 <= 2**63 - 1")
        return list(range(args.seed, args.seed + args.seeds))
    if args.seed_range is not None:
        a, sep, b = args.seed_range.partition(":")
        lo, hi = _parse_int(a), _parse_int(b)
        if not sep or lo is None or hi is None or not 0 <= lo <= hi <= SEED_MAX or hi - lo + 1 > MAX_SEEDS:
            raise UsageError(f"--seed-range {_short(args.seed_range)} is invalid: allowed A:B with integers "
                             f"0 <= A <= B <= 2**63 - 1 and at most {MAX_SEEDS:,} seeds")
        return list(range(lo, hi + 1))
    return None


def _distinct_outputs(args: argparse.Namespace, paths: dict[str, str | None]) -> None:
    """No two outputs (``paths``: flag -> path, and the ledger) are one file: a report must
    never overwrite the ledger, nor a table its figure."""
    from ._io import _is_special
    from ._ledger import LEDGER_ENV, default_path

    named = {flag: p for flag, p in paths.items() if p is not None}
    if hasattr(args, "ledger") and not getattr(args, "no_ledger", False):
        named["--ledger" if args.ledger is not None else f"${LEDGER_ENV}" if os.environ.get(LEDGER_ENV)
              else "the default ledger"] = args.ledger if args.ledger is not None else str(default_path())
    seen: dict[str, str] = {}
    for flag, p in named.items():
        if _is_special(p):
            continue
        key = os.path.realpath(p)
        if key in seen:
            raise UsageError(f"{flag} {_short(p)} is the same file as {seen[key]}: allowed a different path for each "
                             f"output")
        seen[key] = flag


def _open_ledger(args: argparse.Namespace, optional: bool = False):
    """The ledger named by --ledger / $W2S_LEDGER / the default.  With ``optional`` (verify),
    a failure of the *default* location is a warning; a location the user named is an error."""
    from ._ledger import LEDGER_ENV, Ledger

    if getattr(args, "no_ledger", False):
        return None
    named = args.ledger is not None or bool(os.environ.get(LEDGER_ENV))
    try:
        return Ledger(args.ledger, what="--ledger" if args.ledger is not None else f"${LEDGER_ENV}" if named
                      else "ledger")
    except UsageError as e:
        if optional and not named:
            print(f"w2s: warning: run not recorded: {e}", file=sys.stderr)
            return None
        raise


def _start_verify(ledger, ctx: RunContext, seeds: list[int] | None, target: str) -> str | None:
    """Record the verify run as 'running' before any claim runs (``w2s runs`` shows a killed
    run as unfinished); None without a ledger."""
    if ledger is None:
        return None
    from ._report import environment

    env = environment(ctx)
    if seeds:
        env["seeds"] = list(seeds)
    return ledger.start_run("verify", target, env)


def _abort_verify(ledger, run_id: str | None, e: BaseException, summary: dict | None) -> None:
    """Best effort: mark the run 'interrupted' or 'error' (the disk may be full: then it stays 'running')."""
    import sqlite3

    if ledger is None or run_id is None:
        return
    status = "interrupted" if isinstance(e, KeyboardInterrupt) else "error"
    try:
        ledger.finish_run(run_id, status, {**(summary or {}), "error": f"{type(e).__name__}: {e}"[:500]})
    except (sqlite3.Error, OSError):
        pass


def _record_claims(ledger, run_id: str, report) -> None:
    from ._checks import _jsonable

    rows = []
    for r in report.results:
        kf = r.key_figure
        rows.append({"id": r.claim.id, "spec_id": r.claim.spec_id, "status": r.status,
                     "figure_name": None if kf is None else kf[0],
                     "figure_value": None if kf is None else _jsonable(kf[1]),
                     "seconds": round(r.seconds, 4), "checks": {f"{x.kind}:{x.name}": x.status for x in r.checks}})
    ledger.record_claims(run_id, rows)


_FIGURE_SUFFIXES = (".png", ".pdf", ".svg")


def _figure_path(path: str, flag: str, default_png: bool = False) -> str:
    """The file a figure is written to: ``path`` with a .png/.pdf/.svg suffix (``default_png``:
    a path without a suffix gets ``.png``, as matplotlib's savefig would), checked writable."""
    allowed = "a writable .png, .pdf or .svg file path"
    check_output_path(path, flag, allowed=allowed)  # empty, NUL, too long, trailing slash
    suffix = Path(path).suffix.lower()
    if default_png and not suffix:
        path += ".png"
    elif suffix not in _FIGURE_SUFFIXES:
        raise UsageError(f"{flag} {path!r} has suffix {suffix or '(none)'!r}: allowed {allowed}")
    return check_output_path(path, flag, allowed=allowed)


def _table_data(tbl, args: argparse.Namespace):
    """Compute a table through the ledger (its sweep runs first when not recorded)."""
    from numerics.sweep import make_executor

    from ._tables import compute

    ctx = RunContext.from_cli(profile=args.profile, backend=args.backend, device=args.device, seed=args.seed,
                              extra=_table_extra(args))
    _check_scheduler(args)
    ledger = _open_ledger(args)
    err = Console(stderr=True)
    try:
        with Progress(TextColumn(f"{tbl.name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as prog:
            task = prog.add_task("sweep", total=None)
            def factory():
                return make_executor(args.executor, scheduler=args.scheduler, workers=args.workers)
            factory.executor_name = args.executor  # type: ignore[attr-defined]
            return compute(tbl, ctx, ledger, factory, rerun=args.rerun, batch_size=args.batch_size,
                           on_batch=lambda done, total: prog.update(task, completed=done, total=total))
    finally:
        ledger.close()


def _check_scheduler(args: argparse.Namespace) -> None:
    """``--scheduler`` (or ``$DASK_SCHEDULER_ADDRESS`` for ``--executor dask``): a dask address
    ``[tcp://]host:port``, checked before anything runs instead of after a connect timeout."""
    from numerics.sweep import SCHEDULER_ALLOWED, SCHEDULER_ENV, check_scheduler_address

    if args.scheduler is not None:
        if args.executor != "dask":
            raise UsageError(f"--scheduler {_short(args.scheduler)} needs --executor dask")
        what, address = "--scheduler", args.scheduler
    elif args.executor == "dask" and os.environ.get(SCHEDULER_ENV):
        what, address = f"${SCHEDULER_ENV}", os.environ[SCHEDULER_ENV]
    else:
        return
    try:
        check_scheduler_address(address, what)
    except InvalidParameter:
        raise UsageError(f"{what} {_short(address)} is invalid: allowed {SCHEDULER_ALLOWED}") from None


def cmd_table(args: argparse.Namespace, out: Console) -> int:
    from ._tables import get_table, render

    tbl = get_table(args.name)
    if args.out is not None:
        check_output_path(args.out, "--out")
    figure_path = None
    if args.figure is not None:
        if tbl.figure is None:
            raise UsageError(f"--figure: table {tbl.name!r} has no figure")
        figure_path = _figure_path(args.figure, "--figure", default_png=True)
    _distinct_outputs(args, {"--out": args.out, "--figure": figure_path})
    if args.standalone and args.format != "latex":
        raise UsageError("--standalone is only for --format latex")
    data = _table_data(tbl, args)
    text = render(data, args.format, tbl.title, tbl.provenance, standalone=args.standalone)
    _emit(text, args.out, out, f"table {tbl.name}")
    if figure_path is not None:
        write_with(figure_path, "--figure", lambda tmp: tbl.figure(data, tmp))  # type: ignore[misc]
        out.print(f"figure written to {figure_path}", markup=False)
    return EXIT_OK


def cmd_figure(args: argparse.Namespace, out: Console) -> int:
    from ._tables import all_tables, get_table

    tbl = get_table(args.name)
    if tbl.figure is None:
        figs = [n for n, t in all_tables().items() if t.figure]
        raise UsageError(f"table {args.name!r} has no figure: allowed one of {', '.join(figs)}")
    path = _figure_path(args.out, "--out")
    _distinct_outputs(args, {"--out": path})
    data = _table_data(tbl, args)
    write_with(path, "--out", lambda tmp: tbl.figure(data, tmp))  # type: ignore[misc]
    out.print(f"figure {tbl.name} written to {args.out}", markup=False)
    return EXIT_OK


def cmd_runs(args: argparse.Namespace, out: Console) -> int:
    ledger = _open_ledger(args)
    try:
        runs = ledger.runs(limit=args.limit, kind=args.kind)
    finally:
        ledger.close()
    t = RichTable(title=f"{len(runs)} runs in {ledger.path}")
    for col in ("run", "kind", "target", "started", "status", "summary", "profile", "seed", "commit"):
        t.add_column(col, overflow="fold")
    for r in runs:
        sm = r.summary
        summ = ("" if not sm or set(sm) == {"error"} else
                f"{sm.get('passed', 0)}/{sm.get('total', 0)} passed, {sm.get('seconds', '?')}s" if r.kind == "verify"
                else f"{sm.get('ran', '?')} ran, {sm.get('skipped', '?')} skipped on {r.env.get('executor', '?')}")
        status = r.status if r.finished or r.status != "running" else "unfinished (running or killed)"
        t.add_row(r.run_id, r.kind, r.target, r.started[:19], status, summ, str(r.env.get("profile", "")),
                  str(r.env.get("seed", "")), (r.env.get("git_commit") or "")[:10])
    out.print(t)
    return EXIT_OK


def cmd_report(args: argparse.Namespace, out: Console) -> int:
    from ._ledger import compare

    if args.rtol is not None and not args.rtol >= 0:
        raise UsageError(f"--rtol {args.rtol} is invalid: allowed a non-negative number")
    if not args.compare:
        if args.rtol is not None:
            raise UsageError("--rtol is only for --compare RUN_A RUN_B")
        return cmd_report_catalogue(args, out)
    if args.run is not None:
        raise UsageError(f"--compare: give a RUN ({_short(args.run)}) or --compare RUN_A RUN_B, not both")
    for flag, given in (("--out", args.out is not None), ("--standalone", args.standalone),
                        ("--format", args.format is not None)):
        if given:  # a catalogue option the comparison would silently ignore
            raise UsageError(f"{flag} is for the catalogue (report [RUN]), not --compare: allowed without {flag}")
    ledger = _open_ledger(args)
    try:
        a, b, changes = compare(ledger, args.compare[0], args.compare[1], 1e-9 if args.rtol is None else args.rtol)
    finally:
        ledger.close()
    out.print(f"comparing verify runs {a.run_id} ({a.started[:19]}, commit {(a.env.get('git_commit') or '?')[:10]}) "
              f"and {b.run_id} ({b.started[:19]}, commit {(b.env.get('git_commit') or '?')[:10]})", markup=False)
    if not changes:
        out.print("no claim changed status or key figure", markup=False)
        return EXIT_OK
    t = RichTable(title=f"{len(changes)} claims changed")
    for col in ("claim", "change", "status A", "status B", "key figure", "A", "B"):
        t.add_column(col, overflow="fold")
    for c in changes:
        t.add_row(c["claim"], c["change"], str(c.get("a")), str(c.get("b")), str(c.get("figure") or ""),
                  _fmt_value(c.get("a_value")), _fmt_value(c.get("b_value")))
    out.print(t)
    return EXIT_OK


def cmd_report_catalogue(args: argparse.Namespace, out: Console) -> int:
    """``w2s report [RUN] --format md|latex|csv``: every claim of a verify run as an appendix table."""
    from ._catalogue import render_catalogue, run_entries

    if args.standalone and args.format != "latex":
        raise UsageError("--standalone is only for --format latex")
    if args.out is not None:
        check_output_path(args.out, "--out")
    _distinct_outputs(args, {"--out": args.out})
    ledger = _open_ledger(args)
    try:
        run, entries = run_entries(ledger, args.run)
    finally:
        ledger.close()
    title = (f"Verified claims: run {run.run_id} ({run.started[:19]}, profile {run.env.get('profile', '?')}, "
             f"commit {(run.env.get('git_commit') or '?')[:10]})")
    text = render_catalogue(entries, args.format or "md", run=True, title=title, standalone=args.standalone)
    return _emit(text, args.out, out, f"catalogue of run {run.run_id} ({len(entries)} claims)")


def _emit(text: str, path: str | None, out: Console, what: str, flag: str = "--out") -> int:
    """Write a rendered document to ``path`` atomically (saying so) or to standard output."""
    if path is not None:
        atomic_write(path, text, flag)
        out.print(f"{what} written to {path}", markup=False)
    else:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as e:
            raise UsageError(f"standard output: cannot write {what} ({e.strerror or type(e).__name__}): "
                             f"allowed a writable stdout, or --out PATH") from None
    return EXIT_OK


def cmd_catalogue(args: argparse.Namespace, out: Console) -> int:
    """``w2s catalogue [--out docs/claims.md]``: every registered claim, from the registry."""
    from ._catalogue import docs_catalogue

    if args.out is not None:
        check_output_path(args.out, "--out")
    text = docs_catalogue()
    return _emit(text, args.out, out, "catalogue")


def cmd_eval(args: argparse.Namespace, out: Console) -> int:
    """``w2s eval ID key=value ...``: a claim's statement (and simulation, where hooked) at given parameters."""
    from ._eval import evaluate, parse_assignments, render_text

    c = get(args.claim_id)
    result = evaluate(c, parse_assignments(args.params), seed=args.seed)
    if args.json:
        import json

        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(render_text(result), markup=False, highlight=False)
    return EXIT_OK


def cmd_explore(args: argparse.Namespace, out: Console) -> int:
    from ._explore import explore

    if args.examples < 1:
        raise UsageError(f"--examples {args.examples} is invalid: allowed an integer >= 1")
    if args.seconds is not None and not args.seconds > 0:
        raise UsageError(f"--seconds {args.seconds} is invalid: allowed a positive number")
    if args.db is not None:
        check_output_dir(args.db, "--db", allowed="a writable directory for the Hypothesis example database")
    c = get(args.claim_id)
    ctx = RunContext.from_cli(profile=args.profile, backend="numpy", device="cpu", seed=args.seed)
    results = explore(c, ctx, examples=args.examples, seconds=args.seconds, check=args.check, db_dir=args.db,
                      fresh=args.fresh)
    for r in results:
        out.print(r.text(), markup=False, highlight=False)
    return EXIT_OK


def _add_table_extra_options(p: argparse.ArgumentParser) -> None:
    """Options a table may read from ``ctx.extra`` (e.g. misfit.replication)."""
    p.add_argument("--protocol", metavar="NAME", help="simulation protocol of the table, e.g. notebook (misfit.replication)")
    p.add_argument("--replicas", "--seeds", dest="replicas", type=_int_in("--replicas/--seeds", 1, MAX_REPLICAS),
                   metavar="N",
                   help="replicas (seeds derived from --seed) of a table that runs several, e.g. misfit.replication")
    p.add_argument("--heads", choices=("lstsq", "adamw"), help="misfit.replication: transfer heads")


def _table_extra(args: argparse.Namespace) -> dict:
    if getattr(args, "replicas", None) is not None and args.replicas < 1:
        raise UsageError(f"--seeds {args.replicas} is invalid: allowed an integer >= 1")
    extra = {"protocol": getattr(args, "protocol", None), "seeds": getattr(args, "replicas", None),
             "heads": getattr(args, "heads", None)}
    return {k: v for k, v in extra.items() if v is not None}


def _add_ledger_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ledger", metavar="PATH", help="run ledger (SQLite); default $W2S_LEDGER or the user cache dir")


def _add_sweep_options(p: argparse.ArgumentParser) -> None:
    _add_ledger_option(p)
    p.add_argument("--executor", choices=("inprocess", "process", "dask"), default="inprocess",
                   help="where the table's sweep jobs run (dask: LocalCluster unless --scheduler)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running dask scheduler (default $DASK_SCHEDULER_ADDRESS or a LocalCluster)")
    p.add_argument("--workers", type=_int_in("--workers", 1, MAX_WORKERS), metavar="N",
                   help="local pool / LocalCluster worker processes")
    p.add_argument("--batch-size", type=_int_in("--batch-size", 1, MAX_BATCH), metavar="N",
                   help="jobs per batch (default: about 4 batches a worker)")
    p.add_argument("--rerun", action="store_true", help="rerun jobs already recorded in the ledger")


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", choices=PROFILES, default="fast", help="problem sizes: fast (CI) or full (paper-grade)")
    p.add_argument("--backend", choices=(*BACKENDS, "all"), default="all",
                   help="simulation backends; numpy is always run as the reference")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="torch device")
    p.add_argument("--seed", type=_seed, default=20240515, help="root seed for every random draw")


_SEED_ALLOWED = "allowed an integer in [0, 2**63 - 1]"


def _seed(text: str) -> int:
    """``--seed``: an integer in [0, 2**63 - 1] (a SQLite INTEGER; numerics.derive_seed's range)."""
    v = _parse_int(text)
    if v is None or not 0 <= v <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"--seed {_short(text)} is invalid: {_SEED_ALLOWED}")
    return v


def _parse_int(text: str) -> int | None:
    """A decimal integer (``_`` separators allowed, at most 40 characters), else None."""
    t = text.strip()
    if len(t) > 40:
        return None
    try:
        return int(t)
    except ValueError:
        return None


def _short(text: object) -> str:
    r = repr(text)
    return r if len(r) <= 60 else r[:40] + "..." + r[-12:]


def _int_in(flag: str, low: int, high: int) -> "Callable[[str], int]":
    """An argparse ``type=`` for an integer ``flag`` in [low, high] (one-line error naming it)."""
    def parse(text: str) -> int:
        v = _parse_int(text)
        if v is None or not low <= v <= high:
            raise argparse.ArgumentTypeError(f"{flag} {_short(text)} is invalid: allowed an integer in "
                                             f"[{low}, {high:_}]".replace("_", ","))
        return v
    parse.__name__ = flag.lstrip("-").replace("-", "_")
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="w2s", description="Verify weak-to-strong generalization claims symbolically, "
                                             "numerically and by properties.")
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                        help="import MODULE to register extra claims (repeatable)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_SubParser)

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
    g = p.add_mutually_exclusive_group()
    g.add_argument("--seeds", type=_int_in("--seeds", 1, MAX_SEEDS), metavar="N",
                   help="run at N root seeds (--seed, --seed+1, ...); a claim failing at any seed is unstable")
    g.add_argument("--seed-range", metavar="A:B", help="run at root seeds A..B inclusive")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 also when a claim is inconclusive (its checks lacked the power to decide)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every check's detail")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _add_ledger_option(p)
    p.add_argument("--no-ledger", action="store_true", help="do not record this run in the ledger")
    p.add_argument("--executor", choices=("inprocess", "process", "dask"), default="inprocess",
                   help="where the claims run: one after another here (default), on a local process pool, or on "
                        "dask (LocalCluster unless --scheduler); longest first, same report")
    p.add_argument("--workers", type=_int_in("--workers", 1, MAX_WORKERS), metavar="N",
                   help="worker processes (default: the CPU count for process, 2 for a dask LocalCluster)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --executor dask: a running scheduler (default $DASK_SCHEDULER_ADDRESS or a LocalCluster)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("table", help="render a registered table")
    p.add_argument("name")
    p.add_argument("--format", choices=("md", "latex", "csv"), default="md")
    p.add_argument("--out", metavar="PATH")
    p.add_argument("--figure", metavar="PATH", help="also draw the table's figure here")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a complete compilable document")
    _add_run_options(p)
    _add_sweep_options(p)
    _add_table_extra_options(p)
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("figure", help="draw a registered figure (theory curves, simulation points)")
    p.add_argument("name")
    p.add_argument("--out", required=True, metavar="PATH")
    _add_run_options(p)
    _add_sweep_options(p)
    _add_table_extra_options(p)
    p.set_defaults(func=cmd_figure)

    p = sub.add_parser("runs", help="list past runs recorded in the ledger")
    _add_ledger_option(p)
    p.add_argument("--limit", type=_int_in("--limit", 1, MAX_LIMIT), default=20, metavar="N",
                   help="newest N runs (default 20)")
    p.add_argument("--kind", choices=("verify", "table"), help="only runs of this kind")
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("report", help="a verify run's claims as an appendix table, or compare two runs")
    p.add_argument("run", nargs="?", metavar="RUN",
                   help="verify run (id, unique prefix, 'latest', 'previous'; default the newest) for --format")
    p.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"),
                   help="run ids (or unique prefixes, 'latest', 'previous') from `w2s runs`")
    p.add_argument("--format", choices=("md", "latex", "csv"), default=None, help="catalogue format (default md)")
    p.add_argument("--out", metavar="PATH", help="write the catalogue here")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a complete compilable document")
    p.add_argument("--rtol", type=float, default=None,
                   help="--compare: relative change of a key figure that counts (default 1e-9)")
    _add_ledger_option(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("catalogue", help="every registered claim as a Markdown table (docs/claims.md)")
    p.add_argument("--out", metavar="PATH", help="write it here (e.g. docs/claims.md)")
    p.set_defaults(func=cmd_catalogue)

    p = sub.add_parser("eval", help="a claim's statement sides and margin (and its simulation) at given parameters")
    p.add_argument("claim_id")
    p.add_argument("params", nargs="*", metavar="KEY=VALUE", help="parameter values, e.g. p=5 s=2 n=40")
    p.add_argument("--seed", type=_seed, default=20240515, help="root seed of the simulation")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("explore", help="a longer Hypothesis search on one claim's property/counterexample checks")
    p.add_argument("claim_id")
    p.add_argument("--examples", type=_int_in("--examples", 1, MAX_EXAMPLES), default=2000, metavar="N",
                   help="examples per check (default 2000)")
    p.add_argument("--seconds", type=float, metavar="S", help="time budget per check")
    p.add_argument("--check", metavar="NAME", help="only this check")
    p.add_argument("--db", metavar="DIR", help="Hypothesis example database (default under the user cache dir)")
    p.add_argument("--fresh", action="store_true", help="ignore the saved search state")
    p.add_argument("--profile", choices=PROFILES, default="fast", help=argparse.SUPPRESS)
    p.add_argument("--seed", type=_seed, default=20240515, help="root seed")
    p.set_defaults(func=cmd_explore)
    return parser


def _say(text: str) -> None:
    """One line on stderr (a message's own line breaks become spaces)."""
    line = " ".join(text.replace("\r", "\n").split("\n"))
    enc = getattr(sys.stderr, "encoding", None) or "utf-8"
    try:
        line = line.encode(enc, "backslashreplace").decode(enc, "replace")  # e.g. a surrogate from a bad argv
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed or full: nothing more can be said
        pass


def _os_error_line(e: OSError) -> str:
    where = f" {_short(e.filename)}" if e.filename is not None else ""
    return (f"cannot use{where}: {e.strerror or type(e).__name__}: allowed a readable/writable path "
            f"on a disk with free space")


def main(argv: Sequence[str] | None = None) -> int:
    """The ``w2s`` entry point.  Exit 0 passed, 1 a claim failed, 2 no verdict: a usage error
    or an error of the system (disk, ledger), printed as one line; never a traceback
    (``W2S_TRACEBACK=1`` re-raises an unexpected error, for a bug report)."""
    import sqlite3

    out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        for a in argv:  # argparse turns `--flag=--` into an empty list, skipping type= (CPython argparse)
            if a.startswith("--") and a.endswith("=--") and a.count("=") == 1:
                raise UsageError(f"{a[:-3]} '--' is invalid: allowed a value other than '--' (it ends the options)")
        args = build_parser().parse_args(argv)
        if args.plugin:
            from ._registry import load_plugins

            load_plugins(args.plugin)
        return int(args.func(args, out))
    except (UsageError, InvalidParameter) as e:
        _say(f"w2s: error: {e}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("w2s: interrupted")
        return 130
    except OSError as e:
        _say(f"w2s: error: {_os_error_line(e)}")
        return EXIT_USAGE
    except sqlite3.Error as e:
        _say(f"w2s: error: the run ledger failed ({type(e).__name__}: {e}): allowed a w2s ledger on a disk with "
             f"free space (--ledger PATH, $W2S_LEDGER, or --no-ledger for verify)")
        return EXIT_USAGE
    except Exception as e:  # noqa: BLE001 -- a bug: one line, the traceback only on request
        if os.environ.get("W2S_TRACEBACK"):
            raise
        _say(f"w2s: internal error: {type(e).__name__}: {e} (a bug in w2s; rerun with W2S_TRACEBACK=1 "
             f"for the traceback)")
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

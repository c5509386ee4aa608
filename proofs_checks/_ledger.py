"""The run ledger: an embedded SQLite database of finished jobs and verify runs (issue 6).

* Location: ``--ledger PATH``, else ``$W2S_LEDGER``, else ``ledger.sqlite`` under the
  platformdirs user cache directory of ``w2s-harness``.
* WAL mode, ``synchronous=NORMAL``; one transaction per finished batch, so a run killed
  with SIGKILL loses no finished batch and leaves a readable database.
* ``jobs`` rows: target (claim/table id), fn, params, seed, backend, device, package
  versions, git commit, result (JSON) and timing; keyed by the job's content hash so that
  a rerun skips jobs already recorded (unless ``rerun=True``).
* ``runs`` / ``claim_results``: every ``w2s verify`` and sweep, so that ``w2s runs`` lists
  them and ``w2s report --compare A B`` shows claims whose status or key figure changed.

Bad locations (read-only directory, corrupt file) raise :class:`UsageError` (exit 2).
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import secrets
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from numerics.sweep import Job, JobResult, canonical_json

from ._errors import UsageError

LEDGER_ENV = "W2S_LEDGER"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL, started TEXT NOT NULL,
    finished TEXT, status TEXT NOT NULL, env TEXT NOT NULL, summary TEXT
);
CREATE TABLE IF NOT EXISTS jobs (
    key TEXT PRIMARY KEY, target TEXT NOT NULL, fn TEXT NOT NULL, params TEXT NOT NULL, seed INTEGER NOT NULL,
    backend TEXT, device TEXT, versions TEXT, git_commit TEXT, result TEXT NOT NULL, seconds REAL NOT NULL,
    worker TEXT, run_id TEXT, finished TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_target ON jobs (target);
CREATE TABLE IF NOT EXISTS claim_results (
    run_id TEXT NOT NULL, claim_id TEXT NOT NULL, spec_id TEXT, status TEXT NOT NULL, figure_name TEXT,
    figure_value REAL, seconds REAL, checks TEXT, PRIMARY KEY (run_id, claim_id)
);
"""


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def default_path() -> Path:
    """``$W2S_LEDGER`` or ``<user cache dir>/w2s-harness/ledger.sqlite``."""
    env = os.environ.get(LEDGER_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("w2s-harness")) / "ledger.sqlite"


def _dir_writable(d: Path) -> bool:
    """Writable for us, and not marked read-only (no write bit at all: counts even for root)."""
    try:
        mode = stat.S_IMODE(d.stat().st_mode)
    except OSError:
        return False
    return os.access(d, os.W_OK) and bool(mode & 0o222)


def _check_path(path: str, what: str) -> None:
    """A usable file path for the ledger (the OS can take it; not a directory); else :class:`UsageError`."""
    import errno

    allowed = "allowed a file path for the SQLite ledger"
    if "\0" in path:
        raise UsageError(f"{what} {path!r} contains a NUL byte: {allowed}")
    shown = repr(path) if len(path) <= 120 else repr(path[:60] + "..." + path[-40:])
    if path.endswith(("/", os.sep)):
        raise UsageError(f"{what} {shown} names a directory: {allowed}")
    from ._io import too_long

    if too_long(path):
        raise UsageError(f"{what} {shown} {too_long(path)}: {allowed}")
    for q in (path, os.path.dirname(os.path.abspath(path))):
        try:
            os.stat(q)
        except FileNotFoundError:
            pass
        except NotADirectoryError:
            raise UsageError(f"{what} {shown}: a parent of it is a file, not a directory: {allowed}") from None
        except OSError as e:
            why = "is too long" if e.errno == errno.ENAMETOOLONG else f"cannot be used ({e.strerror})"
            raise UsageError(f"{what} {shown} {why}: {allowed}") from None
    if os.path.isdir(path):
        raise UsageError(f"{what} {shown} is a directory: {allowed}")
    if os.path.exists(path) and not os.path.isfile(path):  # /dev/null, a FIFO: SQLite would put its -wal beside it
        raise UsageError(f"{what} {shown} is not a regular file: {allowed}")


#: The columns of each ledger table (schema 1), from :data:`_SCHEMA`.
_COLUMNS = {"meta": ("key", "value"),
            "runs": ("run_id", "kind", "target", "started", "finished", "status", "env", "summary"),
            "jobs": ("key", "target", "fn", "params", "seed", "backend", "device", "versions", "git_commit", "result",
                     "seconds", "worker", "run_id", "finished"),
            "claim_results": ("run_id", "claim_id", "spec_id", "status", "figure_name", "figure_value", "seconds",
                              "checks")}


def _foreign_schema(conn: sqlite3.Connection) -> str:
    """Why an existing database is not a w2s ledger ('' when it is one, or is empty)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    if not tables:
        return ""  # a new (or empty) file: the ledger is created in it
    if "meta" not in tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        return f"it has tables {shown} and no w2s meta table"
    for name, cols in _COLUMNS.items():
        if name not in tables:
            continue
        have = {r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')}
        lacking = [c for c in cols if c not in have]
        if lacking:
            return f"its table {name} lacks the columns {', '.join(lacking)}"
    if conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone() is None:
        return "its meta table has no w2s schema entry"
    return ""


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    kind: str
    target: str
    started: str
    finished: str | None
    status: str
    env: dict[str, Any]
    summary: dict[str, Any]


class Ledger:
    """An open ledger.  Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, what: str = "--ledger") -> None:
        if path is not None and str(path).strip() == "":
            raise UsageError(f"{what} {str(path)!r} is empty: allowed a file path for the SQLite ledger")
        self.path = Path(path) if path is not None else default_path()
        p = self.path
        _check_path(str(p), what)
        parent = Path(os.path.realpath(p)).parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise UsageError(f"{what} {str(p)!r}: cannot create directory {str(parent)!r} ({e.strerror})") from None
        if not _dir_writable(parent):
            raise UsageError(f"{what} {str(p)!r}: directory {str(parent)!r} is read-only; the ledger needs a "
                             f"writable directory (set --ledger PATH or ${LEDGER_ENV})")
        if p.exists() and not os.access(p, os.W_OK):
            raise UsageError(f"{what} {str(p)!r}: file is read-only")
        try:
            self.conn = sqlite3.connect(str(p), timeout=30.0, isolation_level=None)
            foreign = _foreign_schema(self.conn)  # before anything is written to the file
            if foreign:
                self._close_quietly()
                raise UsageError(f"{what} {str(p)!r} is a SQLite database but not a w2s ledger ({foreign}): allowed "
                                 f"a w2s ledger file or a new path")
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            with self._tx():
                for stmt in filter(str.strip, _SCHEMA.split(";")):
                    self.conn.execute(stmt)
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.Error as e:
            self._close_quietly()
            raise UsageError(f"{what} {str(p)!r} is not a readable w2s ledger ({e}); move it away or pass "
                             f"another --ledger PATH") from None
        if row is None or row[0] != str(SCHEMA_VERSION):
            self._close_quietly()
            raise UsageError(f"{what} {str(p)!r} has ledger schema {row and row[0]!r}; this w2s reads schema "
                             f"{SCHEMA_VERSION}")

    # -- plumbing ---------------------------------------------------------------
    def _tx(self) -> "_Tx":
        return _Tx(self.conn)

    def _close_quietly(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- runs ---------------------------------------------------------------------
    def start_run(self, kind: str, target: str, env: dict[str, Any]) -> str:
        run_id = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        with self._tx():
            self.conn.execute("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?)",
                              (run_id, kind, target, _now(), None, "running", _dumps(env), None))
        return run_id

    def finish_run(self, run_id: str, status: str, summary: dict[str, Any]) -> None:
        with self._tx():
            self.conn.execute("UPDATE runs SET finished=?, status=?, summary=? WHERE run_id=?",
                              (_now(), status, _dumps(summary), run_id))

    def runs(self, limit: int | None = None, kind: str | None = None) -> list[RunInfo]:
        q = "SELECT * FROM runs" + (" WHERE kind=?" if kind else "") + " ORDER BY started DESC, rowid DESC"
        q += f" LIMIT {int(limit)}" if limit else ""
        return [_run(r) for r in self.conn.execute(q, (kind,) if kind else ())]

    def resolve_run(self, ref: str, kind: str | None = None) -> RunInfo:
        """A run by id, unique id prefix, ``latest``/``last`` or ``previous``."""
        runs = self.runs(kind=kind)
        if ref in ("latest", "last", "previous"):
            i = 0 if ref != "previous" else 1
            if len(runs) <= i:
                raise UsageError(f"run {ref!r}: the ledger {str(self.path)!r} has only {len(runs)} "
                                 f"{kind or ''} run(s)".replace("  ", " "))
            return runs[i]
        hits = [r for r in runs if r.run_id == ref] or [r for r in runs if r.run_id.startswith(ref)]
        if not hits and kind is not None and ref:
            other = [r for r in self.runs() if r.run_id == ref] or [r for r in self.runs() if r.run_id.startswith(ref)]
            if len(other) == 1:
                raise UsageError(f"run {ref!r} is a {other[0].kind} run ({other[0].kind} {other[0].target}): allowed "
                                 f"a {kind} run from `w2s runs --kind {kind}`")
        if len(hits) != 1:
            why = "no run" if not hits else f"{len(hits)} runs"
            raise UsageError(f"run {ref!r}: {why} in {str(self.path)!r} match; allowed a run id or unique prefix "
                             f"from `w2s runs`, 'latest' or 'previous'")
        return hits[0]

    # -- jobs ---------------------------------------------------------------------
    def done_keys(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT key FROM jobs WHERE key IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self.conn.execute(q, chunk))
        return found

    def record_batch(self, results: Sequence[JobResult], *, run_id: str | None, env: dict[str, Any]) -> None:
        """Store one finished batch in one transaction."""
        versions = _dumps(env.get("packages", {}))
        rows = [(r.job.key, r.job.target, r.job.fn, canonical_json(r.job.params), r.job.seed, env.get("backend"),
                 env.get("device"), versions, env.get("git_commit"), canonical_json(r.result), r.seconds, r.worker,
                 run_id, _now()) for r in results]
        with self._tx():
            self.conn.executemany("INSERT OR REPLACE INTO jobs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    def results(self, jobs: Sequence[Job]) -> dict[str, Any]:
        """``{key: result}`` for the given jobs that are recorded."""
        keys = [j.key for j in jobs]
        out: dict[str, Any] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT key, result FROM jobs WHERE key IN ({','.join('?' * len(chunk))})"
            out.update((k, json.loads(v)) for k, v in self.conn.execute(q, chunk))
        return out

    def job_rows(self, target: str | None = None) -> list[dict[str, Any]]:
        q = "SELECT * FROM jobs" + (" WHERE target=?" if target else "") + " ORDER BY finished"
        cur = self.conn.execute(q, (target,) if target else ())
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    # -- verify runs ----------------------------------------------------------------
    def record_claims(self, run_id: str, rows: Sequence[dict[str, Any]]) -> None:
        with self._tx():
            self.conn.executemany(
                "INSERT OR REPLACE INTO claim_results VALUES (?,?,?,?,?,?,?,?)",
                [(run_id, r["id"], r.get("spec_id"), r["status"], r.get("figure_name"), _num(r.get("figure_value")),
                  r.get("seconds"), _dumps(r.get("checks", {}))) for r in rows])

    def claim_results(self, run_id: str) -> dict[str, dict[str, Any]]:
        cur = self.conn.execute("SELECT * FROM claim_results WHERE run_id=?", (run_id,))
        names = [d[0] for d in cur.description]
        return {r[1]: dict(zip(names, r)) for r in cur}

    def claim_seconds(self, profile: str) -> dict[str, float]:
        """Per claim, its seconds in the newest finished verify run at ``profile`` that ran it
        (``w2s verify --executor`` schedules the longest claims first)."""
        cur = self.conn.execute(
            "SELECT c.claim_id, c.seconds, r.env FROM claim_results c JOIN runs r ON c.run_id = r.run_id "
            "WHERE r.kind = 'verify' AND r.finished IS NOT NULL AND c.seconds IS NOT NULL "
            "ORDER BY r.started DESC, r.rowid DESC")
        out: dict[str, float] = {}
        for cid, secs, env in cur:
            if cid not in out and json.loads(env or "{}").get("profile") == profile:
                out[cid] = float(secs)
        return out


class _Tx:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (rollback on error)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _dumps(x: Any) -> str:
    from ._checks import _jsonable

    return json.dumps(_jsonable(x), sort_keys=True)


def _run(r: Sequence[Any]) -> RunInfo:
    return RunInfo(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "{}"), json.loads(r[7] or "{}"))


def integrity_ok(path: str | os.PathLike[str]) -> bool:
    """``PRAGMA integrity_check`` of a ledger file (used by tests after a SIGKILL)."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def compare(ledger: Ledger, run_a: str, run_b: str,
            rtol: float = 1e-9) -> tuple[RunInfo, RunInfo, list[dict[str, Any]]]:
    """Claims whose status or key figure differ between two verify runs (or appear in one only)."""
    a, b = ledger.resolve_run(run_a, "verify"), ledger.resolve_run(run_b, "verify")
    ra, rb = ledger.claim_results(a.run_id), ledger.claim_results(b.run_id)
    changes: list[dict[str, Any]] = []
    for cid in sorted(set(ra) | set(rb)):
        x, y = ra.get(cid), rb.get(cid)
        if x is None or y is None:
            changes.append({"claim": cid, "change": "only in " + (b.run_id if x is None else a.run_id),
                            "a": x and x["status"], "b": y and y["status"]})
            continue
        why = []
        if x["status"] != y["status"]:
            why.append("status")
        fa, fb = x["figure_value"], y["figure_value"]
        if (fa is None) != (fb is None) or x["figure_name"] != y["figure_name"]:
            why.append("key figure")
        elif fa is not None and not math.isclose(fa, fb, rel_tol=rtol, abs_tol=0.0):
            why.append("key figure")
        if why:
            changes.append({"claim": cid, "change": " and ".join(why), "a": x["status"], "b": y["status"],
                            "figure": x["figure_name"] or y["figure_name"], "a_value": fa, "b_value": fb})
    return a, b, changes

"""Output files of the CLI: checked before anything runs, written atomically (issue 12 §1).

* :func:`check_output_path` rejects, as one :class:`UsageError` line naming the flag, an
  empty path, a directory, a missing or read-only parent directory, a parent that is a
  file, and a path the OS cannot take (too long, a symlink loop, a NUL byte).
* :func:`atomic_write` writes a regular file through a temporary file in the same directory
  and ``os.replace``, so a failure (disk full, interrupt) never leaves a 0-byte or partial
  file; special files (``/dev/stdout``, ``/dev/null``, a FIFO) are written directly.  Any
  ``OSError`` becomes a one-line :class:`UsageError`.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from ._errors import UsageError

_SPECIAL_ROOTS = ("/dev/", "/proc/")


def _why(e: OSError) -> str:
    return e.strerror or type(e).__name__


def _shown(path: str | None) -> str:
    """``repr(path)``, shortened when very long (a message stays one readable line)."""
    return repr(path) if path is None or len(path) <= 120 else repr(path[:60] + "..." + path[-40:])


def too_long(path: str) -> str:
    """Why the OS would refuse ``path`` as too long ('' if it would not): a component over
    NAME_MAX bytes or the whole over PATH_MAX.  Checked up front, because the kernel reports a
    missing directory before a too-long name below it (and ``mkdir -p`` would half-succeed)."""
    def limit(name: str, default: int) -> int:
        try:
            return int(os.pathconf("/", name))
        except (OSError, ValueError):
            return default
    name_max, path_max = limit("PC_NAME_MAX", 255), limit("PC_PATH_MAX", 4096)
    full = os.fsencode(os.path.abspath(path))
    if len(full) >= path_max:
        return f"is too long ({len(full)} bytes; at most {path_max - 1})"
    longest = max((len(c) for c in full.split(b"/")), default=0)
    if longest > name_max:
        return f"is too long (a name of {longest} bytes; at most {name_max})"
    return ""


def _is_special(path: str) -> bool:
    """An existing device, FIFO or socket, or an existing path under /dev or /proc (``/dev/stdout``
    may lead to a regular file): written in place, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return (not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)) or os.path.abspath(path).startswith(_SPECIAL_ROOTS)


_HELD_FIFOS: dict[str, int] = {}


def _open_fifo(path: str, flag: str, allowed: str) -> int:
    """A blocking write descriptor of the FIFO ``path``, opened without blocking: a FIFO that no
    process reads is :class:`UsageError` (ENXIO), never a hang."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as e:
        if e.errno == errno.ENXIO:
            raise UsageError(f"{flag} {_shown(path)} is a FIFO that no process is reading: allowed {allowed} "
                             "(start the reader first)") from None
        raise UsageError(f"{flag} {_shown(path)} cannot be used ({_why(e)}): allowed {allowed}") from None
    os.set_blocking(fd, True)
    return fd


def check_output_path(path: str | None, flag: str, *, allowed: str = "a writable file path") -> str:
    """``path`` as given, after checking that a file can be written there; else
    :class:`UsageError` ``"{flag} {path!r} ...: allowed ..."``."""
    shown = _shown(path)
    if path is None or path.strip() == "":
        raise UsageError(f"{flag} {shown} is empty: allowed {allowed}")
    if "\0" in path:
        raise UsageError(f"{flag} {shown} contains a NUL byte: allowed {allowed}")
    if path.endswith(("/", os.sep)):
        raise UsageError(f"{flag} {shown} names a directory: allowed {allowed}")
    if too_long(path):
        raise UsageError(f"{flag} {shown} {too_long(path)}: allowed {allowed}")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise UsageError(f"{flag} {shown}: a parent of it is a file, not a directory: allowed {allowed}") from None
    except OSError as e:
        what = "is too long" if e.errno == errno.ENAMETOOLONG else f"cannot be used ({_why(e)})"
        raise UsageError(f"{flag} {shown} {what}: allowed {allowed}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{flag} {shown} is a directory: allowed {allowed}")
    if _is_special(path):
        if not os.access(path, os.W_OK):
            raise UsageError(f"{flag} {shown}: not writable: allowed {allowed}")
        if stat.S_ISFIFO(st.st_mode) and path not in _HELD_FIFOS:
            # a FIFO with no reader would block the write forever (after every claim ran): probe it
            # without blocking, and hold the write end open so that the reader does not see EOF early
            _HELD_FIFOS[path] = _open_fifo(path, flag, allowed)
        return path
    target = os.path.realpath(path)
    parent = os.path.dirname(target) or "."
    try:
        pst = os.stat(parent)
    except FileNotFoundError:
        raise UsageError(f"{flag} {shown}: directory {parent!r} does not exist: allowed {allowed}") from None
    except NotADirectoryError:
        raise UsageError(f"{flag} {shown}: a parent of it is a file, not a directory: allowed {allowed}") from None
    except OSError as e:
        what = "is too long" if e.errno == errno.ENAMETOOLONG else f"cannot be used ({_why(e)})"
        raise UsageError(f"{flag} {shown} {what}: allowed {allowed}") from None
    if not stat.S_ISDIR(pst.st_mode):
        raise UsageError(f"{flag} {shown}: {parent!r} is not a directory: allowed {allowed}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {shown}: directory {parent!r} is not writable: allowed {allowed}")
    if st is not None and not os.access(path, os.W_OK):
        raise UsageError(f"{flag} {shown}: not writable: allowed {allowed}")
    return path


def check_output_dir(path: str | None, flag: str, *, allowed: str = "a writable directory path") -> str:
    """``path`` as given, after checking that it is a directory, or can be created as one,
    where files can be written; else one :class:`UsageError` line naming ``flag``."""
    shown = _shown(path)
    if path is None or path.strip() == "":
        raise UsageError(f"{flag} {shown} is empty: allowed {allowed}")
    if "\0" in path:
        raise UsageError(f"{flag} {shown} contains a NUL byte: allowed {allowed}")
    if too_long(path):
        raise UsageError(f"{flag} {shown} {too_long(path)}: allowed {allowed}")
    p = os.path.abspath(path)
    while True:  # the nearest existing ancestor must be a writable directory
        try:
            st = os.stat(p)
            break
        except FileNotFoundError:
            p = os.path.dirname(p)
        except NotADirectoryError:
            raise UsageError(f"{flag} {shown}: a parent of it is a file, not a directory: allowed {allowed}") from None
        except OSError as e:
            what = "is too long" if e.errno == errno.ENAMETOOLONG else f"cannot be used ({_why(e)})"
            raise UsageError(f"{flag} {shown} {what}: allowed {allowed}") from None
    if not stat.S_ISDIR(st.st_mode):
        what = "is a file" if p == os.path.abspath(path) else f"lies under the file {p!r}"
        raise UsageError(f"{flag} {shown} {what}: allowed {allowed}")
    if not os.access(p, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {shown}: directory {p!r} is not writable: allowed {allowed}")
    return path


def _mode_for(target: str) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: str, flag: str) -> Iterator[str]:
    """Yield a path to write ``path``'s new content to (a temporary file beside it, with the
    same suffix so that e.g. matplotlib picks the format); it replaces ``path`` when the block
    ends without an error, and is removed otherwise.  Special files are yielded as they are."""
    if _is_special(path):
        try:
            yield path
        except OSError as e:
            raise UsageError(f"{flag} {_shown(path)}: cannot write ({_why(e)})") from None
        return
    target = os.path.realpath(path)
    directory, name = os.path.split(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name[:40]}.",
                                   suffix=f".tmp{Path(name).suffix[:20]}", dir=directory or ".")
        os.close(fd)
    except OSError as e:
        raise UsageError(f"{flag} {_shown(path)}: cannot write ({_why(e)})") from None
    try:
        yield tmp
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as e:
        _unlink_quietly(tmp)
        raise UsageError(f"{flag} {_shown(path)}: cannot write ({_why(e)}); the file was left as it was") \
            from None
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _unlink_quietly(p: str) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


def atomic_write(path: str, text: str, flag: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; any ``OSError`` is one :class:`UsageError` line."""
    with atomic_path(path, flag) as tmp:
        special = tmp == path and _is_special(path)
        if special and stat.S_ISFIFO(os.stat(path).st_mode):
            with os.fdopen(_HELD_FIFOS.pop(path, None) or _open_fifo(path, flag, "a FIFO with a reader"), "w",
                           encoding="utf-8") as f:
                f.write(text)
            return
        # a special file is appended to: "w" would truncate a redirected /dev/stdout behind the shell's back
        with open(tmp, "a" if special else "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            if not special:
                os.fsync(f.fileno())


def write_with(path: str, flag: str, writer: Callable[[str], None]) -> None:
    """Call ``writer(tmp)`` (e.g. a figure's ``savefig``) and move its output to ``path`` atomically."""
    with atomic_path(path, flag) as tmp:
        writer(tmp)

"""Atomic output: a report file is only ever replaced by a complete one, and a set of files together.

What is at the output path decides how it is written:

- nothing, or a regular file: a temporary file in the same folder, renamed over it (atomic);
- a symbolic link: the same, next to the file the link points to, so the link stays a link;
- a FIFO or a character device (`-o /dev/stdout`, `-o /dev/null`, `-o >(gzip > x.gz)`): written directly,
  since replacing it would swap a system file or a reader's pipe for a regular file;
- anything else (a folder, a block device, a socket): refused with a one-line error.

Temporary names are short (`.pp` + 8 random characters + `.tmp`) whatever the target's name: a long Chinese
file name is already near the 255-byte limit most file systems put on a name. SIGTERM while writing removes
the temporary files (as an interrupt does) and exits 143; between the first and the last rename of a set,
SIGINT and SIGTERM wait, so a set is never half replaced by a signal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from painpoint.errors import PainpointError
from painpoint.i18n import _

_TEMP_PREFIX, _TEMP_SUFFIX = ".pp", ".tmp"
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def atomic_write(path: str | os.PathLike[str], data: str | bytes | Iterable[str], *, bom: bool = False) -> None:
    """Write `data` to `path`: via a temp file in the same folder and an atomic rename (see module doc).
    `data` may come in pieces (an iterable of text), written as they come: a large output is never whole in
    memory."""
    write_files([(path, data)], bom=bom)


def write_files(files: Sequence[tuple[str | os.PathLike[str], str | bytes | Iterable[str]]], *,
                bom: bool = False) -> None:
    """Write several files as one set: every temporary file is written first, then all are renamed.

    An error or interrupt before the renames leaves every old file in place and no temporary file behind.
    `bom`: start each text with a UTF-8 byte-order mark (CSV for Excel).
    """
    plan = [(_target(Path(path)), _payload(data, bom)) for path, data in files]
    staged: list[tuple[str, Path]] = []
    with _terminate_cleanly():
        try:
            for (kind, target), payload in plan:
                if kind == "file":
                    staged.append((_stage(target, payload), target))
            with _signals_held():
                for tmp, target in staged:
                    try:
                        os.replace(tmp, target)
                    except OSError as exc:
                        raise _cannot_write(target, exc) from exc
            for (kind, target), payload in plan:
                if kind == "stream":
                    _write_stream(target, payload)
        finally:
            for tmp, _target_path in staged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


def _payload(data: str | bytes | Iterable[str], bom: bool) -> bytes | Iterator[bytes]:
    if not isinstance(data, str | bytes):
        return _encoded(data, bom)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return b"\xef\xbb\xbf" + payload if bom else payload


def _encoded(parts: Iterable[str], bom: bool) -> Iterator[bytes]:
    if bom:
        yield b"\xef\xbb\xbf"
    for part in parts:
        yield part.encode("utf-8")


def _write_payload(fh: BinaryIO, payload: bytes | Iterator[bytes]) -> None:
    if isinstance(payload, bytes):
        fh.write(payload)
    else:
        for chunk in payload:
            fh.write(chunk)


def _target(path: Path) -> tuple[str, Path]:
    """("file", where to rename a temp file to) or ("stream", what to open and write); refuses the rest."""
    try:
        info = os.lstat(path)
    except OSError:  # absent, or its folder is not one: making the temporary file reports why
        return "file", path
    if stat.S_ISLNK(info.st_mode):
        # Write through the link, next to the file it names; a dangling link creates that file.
        resolved = Path(os.path.realpath(path))
        if os.path.islink(resolved):  # realpath stops at a loop
            raise PainpointError(_("symbolic link loop"), path=str(path),
                                 hint=_("point the link at a real file, or remove it"))
        return _target(resolved)
    if stat.S_ISREG(info.st_mode):
        return "file", path
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        return "stream", path
    what = (_("is a folder") if stat.S_ISDIR(info.st_mode) else _("is a block device") if stat.S_ISBLK(
        info.st_mode) else _("is a socket") if stat.S_ISSOCK(info.st_mode) else _("is a special file"))
    raise PainpointError(_("{what}, not a file painpoint can write").format(what=what), path=str(path),
                         hint=_("give a file name, a FIFO or a character device"))


def _stage(target: Path, payload: bytes | Iterator[bytes]) -> str:
    """A complete, synced temporary copy of `payload` in `target`'s folder; returns its path."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise PainpointError(_("cannot write here: {reason}").format(reason=exc.strerror), path=str(target),
                             hint=_("choose another output location")) from exc
    try:
        # mkstemp creates 0600; a report is an ordinary file, readable as the user's umask allows
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            _write_payload(fh, payload)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot_write(target, exc) from exc
        raise
    return tmp


def _write_stream(target: Path, payload: bytes | Iterator[bytes]) -> None:
    """Write to a FIFO or a character device as it is: no temporary file, no rename."""
    try:
        # O_WRONLY without O_CREAT or O_TRUNC: the node must stay what it is
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as fh:
            _write_payload(fh, payload)
            fh.flush()
    except OSError as exc:
        raise _cannot_write(target, exc) from exc


def _cannot_write(target: Path, exc: OSError) -> PainpointError:
    return PainpointError(_("cannot write: {reason}").format(reason=exc.strerror or exc), path=str(target),
                          hint=_("check free space and permissions"))


class _Terminated(SystemExit):
    """SIGTERM while writing: unwinds like an exit (so temporary files are removed) with status 143."""


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into an exception while writing, so `finally` blocks run; only the main thread can."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while renaming a set; they take effect right after the last rename.

    Python runs signal handlers in the main thread whichever thread the kernel picked, so recording the
    signal in a handler and raising it again afterwards works with other threads running, as blocking the
    main thread's signal mask would not.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[signal.Signals] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: caught.append(signal.Signals(signum)))
                for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)

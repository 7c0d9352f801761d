"""Atomic output: a report file is only ever replaced by a complete one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from painpoint.errors import PainpointError


def atomic_write(path: str | os.PathLike[str], data: str | bytes, *, bom: bool = False) -> None:
    """Write `data` to `path` via a temp file in the same folder and an atomic rename."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if bom:
        payload = b"\xef\xbb\xbf" + payload
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PainpointError(f"cannot write here: {exc.strerror}", path=str(target),
                             hint="choose another output location") from exc
    try:
        # mkstemp creates 0600; a report is an ordinary file, readable as the user's umask allows
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise PainpointError(f"cannot write: {exc.strerror}", path=str(target),
                             hint="check free space and permissions") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

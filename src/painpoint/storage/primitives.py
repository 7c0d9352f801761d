"""The storage primitives every store shares: atomic file replacement, checksummed payloads, file digests, locks.

The per-document cache (painpoint.cache), the run cache (painpoint.runcache, entries in the same folder) and
the results store (painpoint.storage.results) are built on these, so a checksum, a temporary file or a lock
means the same thing in all three. Nothing here knows a plan, a theme or an organization.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

CHECKSUM_BYTES = 32
"""Length of the SHA-256 digest that follows a payload's magic tag."""
TEMP_PREFIX, TEMP_SUFFIX = ".tmp-", ".part"
"""How a temporary file written by `replace_atomically` is named (a cache sweeps stale ones by this prefix)."""


def sealed(magic: bytes, payload: bytes) -> bytes:
    """`payload` behind a magic tag and its SHA-256: what `unsealed` accepts back."""
    return magic + hashlib.sha256(payload).digest() + payload


def unsealed(magic: bytes, data: bytes) -> bytes | None:
    """The payload `sealed(magic, …)` wrapped, or None when the tag or the checksum is wrong (damage)."""
    head = len(magic) + CHECKSUM_BYTES
    if len(data) < head or not data.startswith(magic):
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(magic):head]:
        return None
    return payload


def replace_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a private temporary file beside `path`, then rename it over `path`.

    Readers see either the old file, no file or the whole new one, never a part; two writers of the same
    path leave one whole file. Raises OSError (the caller decides whether that matters); the temporary file
    never outlives a failed write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def file_digest(path: str) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read (the reader then reports why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class Busy(Exception):
    """Another process holds the lock."""


@contextlib.contextmanager
def exclusive_lock(path: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file `path` (created if needed) for the block.

    `wait`: block until the lock is free; otherwise raise Busy at once. The lock goes with the process, so a
    killed run never leaves a stale one. Where the platform has no flock (Windows) the block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks of this kind; single-writer use is the caller's promise
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise Busy(str(path)) from exc
        yield
    finally:
        os.close(fd)  # closing releases the lock

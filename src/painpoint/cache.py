"""On-disk cache: per-document scan results and compiled dictionaries, keyed by content and versions.

    store = open_store()                       # None when caching is off or the folder is unusable
    key = store_key("plan", sha256_of_file, path, resources_digest(), __version__, "rjieba 0.2.2")
    payload = store.get("plan", key)           # bytes, or None on a miss or a broken entry
    store.put("plan", key, payload)

An entry is one file: a magic tag, the SHA-256 of its payload, then the payload (JSON, zlib-compressed
for plans). Nothing is ever unpickled or executed: an entry whose checksum or structure is wrong is deleted
and rebuilt, never trusted. Writers write a private temporary file and rename it into place, so concurrent
runs see either no entry or a whole one. The folder is kept under a size bound, least recently used first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
import tempfile
import time
import types
import typing
import zlib
from collections import Counter
from collections.abc import Callable
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from painpoint.errors import PainpointError

CACHE_ENV = "PAINPOINT_CACHE_DIR"
"""Environment variable naming the cache folder (overrides the user cache directory)."""
MAX_BYTES_ENV = "PAINPOINT_CACHE_MAX_MB"
"""Environment variable bounding the cache size, in MiB."""
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
"""1 GiB: about 25,000 plans of 55 KB (an entry is ~40% of its plan's size)."""

_MAGIC = b"painpoint-cache/1\n"
_DIGEST = 32
_LAYOUT = "v1"
_STALE_TEMP_SECONDS = 3600


class CacheEntryError(PainpointError):
    """A cache entry that cannot be decoded: it is discarded and its result recomputed."""


def default_cache_dir() -> Path:
    """$PAINPOINT_CACHE_DIR, else the platform's user cache folder + /painpoint."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "painpoint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "painpoint"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "painpoint"


def _max_bytes() -> int:
    raw = os.environ.get(MAX_BYTES_ENV, "")
    try:
        return max(1, int(float(raw) * 1024 * 1024)) if raw else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def store_key(*parts: str) -> str:
    """A key from everything that shapes an entry's content (content hash, path, versions …)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class Store:
    """A folder of checksummed entries, grouped by kind, bounded in size."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        """The cache folder (entries live under root/v1/<kind>/)."""
        self.max_bytes = max_bytes
        """Size bound: after writing, least recently used entries go until the folder is under it."""
        self.hits = 0
        """Entries read successfully in this process."""
        self.misses = 0
        """Lookups that found no usable entry (absent or broken)."""
        self.written = 0
        """Entries written in this process."""

    def _path(self, kind: str, key: str) -> Path:
        return self.root / _LAYOUT / kind / key[:2] / f"{key}.entry"

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under (kind, key), or None; a broken entry is deleted, never returned."""
        path = self._path(kind, key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            self.misses += 1
            return None
        payload = _unwrap(data)
        if payload is None:
            self.discard(kind, key)
            self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recency for the size bound
        self.hits += 1
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store `payload` atomically; a cache that cannot be written is skipped, never an error."""
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError:
            return
        self.written += 1

    def discard(self, kind: str, key: str) -> None:
        """Remove an entry (e.g. one that failed to decode)."""
        with contextlib.suppress(OSError):
            os.unlink(self._path(kind, key))

    def size(self) -> int:
        """Bytes held by entries now."""
        return sum(size for _, size, _ in self._entries())

    def _entries(self) -> list[tuple[float, int, str]]:
        out = []
        now = time.time()
        for folder, _, names in os.walk(self.root / _LAYOUT):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                if name.startswith(".tmp-"):
                    # left by a run that was killed mid-write; a live writer renames within milliseconds
                    if now - info.st_mtime > _STALE_TEMP_SECONDS:
                        with contextlib.suppress(OSError):
                            os.unlink(path)
                    continue
                out.append((info.st_mtime, info.st_size, path))
        return out

    def prune(self) -> int:
        """Delete least recently used entries until the folder holds at most 80% of the bound.

        Returns the number of entries deleted. Runs after a run that wrote entries; another run may be
        reading a deleted entry, which POSIX keeps readable, or may miss it and rebuild it.
        """
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return 0
        target = int(self.max_bytes * 0.8)
        removed = 0
        for _, size, path in sorted(entries):
            if total <= target:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
            removed += 1
        return removed


def _unwrap(data: bytes) -> bytes | None:
    head = len(_MAGIC) + _DIGEST
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(_MAGIC):head]:
        return None
    return payload


def open_store(enabled: bool = True, root: Path | None = None) -> Store | None:
    """The cache at `root` (default: `default_cache_dir()`), or None when disabled or not creatable."""
    if not enabled:
        return None
    root = root or default_cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return Store(root, _max_bytes())


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


# ---- per-document results -------------------------------------------------------------------------------
#
# Values are written as JSON following their dataclass declarations: a dataclass as the list of its fields
# in declaration order, an Enum as its value, tuples and lists as lists. Reading checks every value against
# the declared type, so an entry from other code, or tampered with, fails to decode and is rebuilt. The code
# digest in every key already separates entries written by different code; the checks are the second line.


@cache
def code_digest() -> str:
    """Hash of painpoint's own source files: any code change starts a fresh set of entries."""
    import painpoint

    h = hashlib.sha256(getattr(painpoint, "__version__", "?").encode())
    root = Path(painpoint.__file__).parent
    try:
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    except OSError:  # a packaging without readable sources: the version alone has to do
        pass
    return h.hexdigest()[:16]


def encode_document(plan: Any, signals: Any, terms: Counter[str] | None) -> bytes:
    """A parsed plan, its signals and (for matching) its term counts, as compressed JSON."""
    from painpoint.themes.extract import PlanSignals

    rest = {f.name: getattr(signals, f.name) for f in dataclasses.fields(PlanSignals) if f.name != "plan"}
    data = [_plain(plan), _plain(rest), None if terms is None else dict(terms)]
    # floats survive JSON exactly (repr round-trips); level 1: entries are written on the first run's clock
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def decode_document(payload: bytes, path: str) -> tuple[Any, Any, Counter[str] | None]:
    """(Plan, PlanSignals, term counts or None) from `encode_document`'s bytes, for the file at `path`.

    Raises CacheEntryError when anything is out of shape: the caller rebuilds the entry.
    """
    from painpoint.plans.structure import Plan
    from painpoint.themes.extract import PlanSignals

    try:
        raw_plan, raw_signals, raw_terms = json.loads(zlib.decompress(payload))
        plan = _decoder(Plan)(raw_plan)
        if plan.document.path != path:
            raise CacheEntryError("entry belongs to another path")
        if not isinstance(raw_signals, dict):
            raise CacheEntryError("signals are not a mapping")
        hints = typing.get_type_hints(PlanSignals)
        fields = [f.name for f in dataclasses.fields(PlanSignals) if f.name != "plan"]
        if sorted(raw_signals) != sorted(fields):
            raise CacheEntryError("signals have other fields")
        signals = PlanSignals(plan, **{name: _decoder(hints[name])(raw_signals[name]) for name in fields})
        n = len(plan.sentences)
        for scored in (*signals.theme_sentences.values(), *signals.phrase_sentences.values()):
            if any(not 0 <= index < n for _, index in scored):
                raise CacheEntryError("sentence index out of range")
        terms = None if raw_terms is None else _decoder(Counter[str])(raw_terms)
    except CacheEntryError:
        raise
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError) as exc:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CacheEntryError(f"unreadable cache entry: {type(exc).__name__}: {exc}") from exc
    return plan, signals, terms


def _plain(value: Any) -> Any:
    """JSON-ready form of a value built from dataclasses, enums, tuples, lists, dicts and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _bad(expected: str) -> CacheEntryError:
    return CacheEntryError(f"expected {expected}")


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A function turning `_plain` output back into a value of type `tp`, checking it on the way."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is str or tp is bool:
        def scalar(v: Any) -> Any:
            if type(v) is not tp:
                raise _bad(tp.__name__)
            return v
        return scalar
    if tp is int:
        def integer(v: Any) -> int:
            if type(v) is not int:
                raise _bad("an integer")
            return v
        return integer
    if tp is float:
        def real(v: Any) -> float:
            if type(v) not in (float, int):
                raise _bad("a number")
            return float(v)
        return real
    if tp is type(None):
        def none(v: Any) -> None:
            if v is not None:
                raise _bad("null")
        return none
    if origin in (types.UnionType, typing.Union):
        options = [_decoder(a) for a in args if a is not type(None)]
        nullable = type(None) in args

        def union(v: Any) -> Any:
            if v is None and nullable:
                return None
            for option in options:
                try:
                    return option(v)
                except CacheEntryError:
                    continue
            raise _bad(str(tp))
        return union
    if isinstance(tp, type) and issubclass(tp, Enum):
        def enum(v: Any) -> Any:
            try:
                return tp(v)
            except ValueError as exc:
                raise _bad(tp.__name__) from exc
        return enum
    if origin in (tuple, list):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            items = [_decoder(a) for a in args]

            def fixed(v: Any) -> tuple[Any, ...]:
                if type(v) is not list or len(v) != len(items):
                    raise _bad(str(tp))
                return tuple(f(x) for f, x in zip(items, v, strict=True))
            return fixed
        item = _decoder(args[0])
        build = tuple if origin is tuple else list

        def sequence(v: Any) -> Any:
            if type(v) is not list:
                raise _bad("a list")
            return build(item(x) for x in v)
        return sequence
    if origin in (dict, Counter):
        key, val = _decoder(args[0]), _decoder(args[1] if len(args) > 1 else int)
        build_map = Counter if origin is Counter else dict

        def mapping(v: Any) -> Any:
            if type(v) is not dict:
                raise _bad("a mapping")
            return build_map({key(k): val(x) for k, x in v.items()})
        return mapping
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [f for f in dataclasses.fields(tp) if f.init]
        parts = [_decoder(hints[f.name]) for f in fields]
        names = [f.name for f in fields]

        def record(v: Any) -> Any:
            if type(v) is not list or len(v) != len(parts):
                raise _bad(f"a {tp.__name__}")
            return tp(**{n: f(x) for n, f, x in zip(names, parts, v, strict=True)})
        return record
    raise TypeError(f"painpoint.cache cannot store values of type {tp!r}")  # a programming error

"""On-disk cache: per-document scan results and compiled dictionaries, keyed by content and versions.

    store = open_store()                       # None when caching is off or the folder is unusable
    key = store_key("plan/1", package_digest(), "rjieba 0.2.2", "jieba 0.42.1", path, file_digest(path))
    payload = store.get("plan", key)           # bytes, or None on a miss or a broken entry
    store.put("plan", key, payload)
    value = store.load("plan", key, codec)     # decoded by the caller's Codec, or None (a bad entry is discarded)

The cache knows bytes, dataclasses, enums and builtin types, never a domain type: a module whose type needs its
own layout (a plan's sentences as columns, see painpoint.themes.codec) brings a Codec and builds it from
`encode_value`, `decoder`, `types_in` and `malformed` here. Layers import downward: the cache imports no plan,
theme, match or organization module.

An entry is one file: a magic tag, the SHA-256 of its payload, then the payload (JSON, zlib-compressed
for plans). Nothing is ever unpickled or executed: an entry whose checksum or structure is wrong is deleted
and rebuilt, never trusted. Writers write a private temporary file and rename it into place, so concurrent
runs see either no entry or a whole one. The folder is kept under a size bound, least recently used first.
The checksums, atomic writes, file digests (`file_digest`) and locks are painpoint.storage.primitives', shared
with the results store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
import time
import types
import typing
from collections import Counter
from collections.abc import Callable
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from painpoint.errors import PainpointError
from painpoint.storage.primitives import TEMP_PREFIX, Busy, exclusive_lock, replace_atomically, sealed, unsealed

CACHE_ENV = "PAINPOINT_CACHE_DIR"
"""Environment variable naming the cache folder (overrides the user cache directory)."""
MAX_BYTES_ENV = "PAINPOINT_CACHE_MAX_MB"
"""Environment variable bounding the cache size, in MiB."""
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024
"""2 GiB: about 20,000 plans of 55 KB (an entry takes about twice its plan's size)."""

_MAGIC = b"painpoint-cache/1\n"
_LAYOUT = "v1"
_STALE_TEMP_SECONDS = 3600


class CacheEntryError(PainpointError):
    """A cache entry that cannot be decoded: it is discarded and its result recomputed."""


V = TypeVar("V")


class Codec(Protocol[V]):
    """How one kind of value becomes an entry's payload and back; it lives next to the type it writes."""

    def encode(self, value: V, /) -> bytes:
        """The payload for `value`."""
        ...

    def decode(self, payload: bytes, /) -> V:
        """The value `encode` wrote; raises CacheEntryError when the payload is out of shape."""
        ...


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

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is stored under (kind, key) (not whether it is intact: `get` checks that)."""
        return self._path(kind, key).is_file()

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
        try:
            replace_atomically(self._path(kind, key), sealed(_MAGIC, payload))
        except OSError:
            return
        self.written += 1

    def load(self, kind: str, key: str, codec: Codec[V]) -> V | None:
        """The value stored under (kind, key), decoded by `codec`, or None; an entry it rejects is discarded."""
        payload = self.get(kind, key)
        if payload is None:
            return None
        try:
            return codec.decode(payload)
        except CacheEntryError:
            self.discard(kind, key)
            return None

    def save(self, kind: str, key: str, value: V, codec: Codec[V]) -> None:
        """Store `value` as `codec` encodes it (see `put`)."""
        self.put(kind, key, codec.encode(value))

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
                if name.startswith(TEMP_PREFIX):
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
        reading a deleted entry, which POSIX keeps readable, or may miss it and rebuild it. One run prunes at
        a time: a run that finds another pruning leaves it to that one (both walking the folder is wasted work).
        """
        try:
            with exclusive_lock(self.root / ".prune.lock"):
                return self._prune()
        except (Busy, OSError):
            return 0

    def _prune(self) -> int:
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
    return unsealed(_MAGIC, data)


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


# ---- values in entries: the generic codec ---------------------------------------------------------------
#
# Values are written as JSON following their dataclass declarations: a dataclass as the list of its fields
# in declaration order, an Enum as its value, tuples and lists as lists. Reading checks every value against
# the declared type, so an entry from other code, or tampered with, fails to decode and is rebuilt. The code
# digest in every key already separates entries written by different code; the checks are the second line.


@cache
def package_digest() -> str:
    """Hash of painpoint's version, code and packaged data (lexicon, taxonomy …): a change starts afresh.

    Hashing ~1 MB of files costs ~3 ms per process; a version number alone would miss edits between releases.
    """
    import painpoint

    return tree_digest(Path(painpoint.__file__).parent, getattr(painpoint, "__version__", "?"))


def tree_digest(root: Path, version: str = "") -> str:
    """Hash of the names and bytes of every file under `root` (compiled bytecode aside), and `version`."""
    h = hashlib.sha256(version.encode())
    try:
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file() or path.suffix in (".pyc", ".pyo"):
                continue
            h.update(str(path.relative_to(root)).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
    except OSError:  # a packaging without readable sources: the version alone has to do
        pass
    return h.hexdigest()[:16]


def encode_value(value: Any) -> bytes:
    """A value built from dataclasses, enums, tuples, dicts and scalars, as JSON bytes."""
    # surrogatepass: a lone surrogate that reached a value (an HTML "&#xD800;") round-trips instead of failing
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return text.encode("utf-8", "surrogatepass")


def decode_value(tp: Any, payload: bytes) -> Any:
    """The value of type `tp` that `encode_value` wrote; CacheEntryError when out of shape."""
    try:
        return decoder(tp)(json.loads(payload.decode("utf-8", "surrogatepass")))
    except CacheEntryError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise CacheEntryError(f"unreadable cache entry: {type(exc).__name__}: {exc}") from exc


def types_in(values: Any, allowed: set[type]) -> bool:
    """Every value's exact type is one of `allowed` (one C-level pass: the checks run on every cache hit)."""
    return set(map(type, values)) <= allowed


def _plain(value: Any) -> Any:
    """json's `default` hook: a dataclass as the tuple of its fields, an Enum as its value.

    json's C encoder does the rest (tuples as lists, str-based enums as strings) at C speed.
    """
    if isinstance(value, Enum):
        return value.value
    cls = type(value)
    if dataclasses.is_dataclass(cls):
        return _field_getter(cls)(value)
    raise TypeError(f"painpoint.cache cannot store {cls.__name__}")  # a programming error


@cache
def _field_getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    return lambda obj: tuple(getattr(obj, n) for n in names)


def malformed(expected: str) -> CacheEntryError:
    """The error for a payload that does not hold `expected` (for codecs checking their own layout)."""
    return CacheEntryError(f"expected {expected}")


def _is_scalar_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return (typing.get_origin(tp) is tuple and bool(args) and Ellipsis not in args
            and all(a in (int, float, str) for a in args))


def _scalar_rows(row_type: Any, build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A list of scalar tuples, e.g. (weight, sentence index) pairs, which come by the ten thousand:
    checked column by column rather than with a call per value."""
    args = typing.get_args(row_type)
    width = len(args)
    columns = [(j, (float, int) if a is float else (a,), a is float) for j, a in enumerate(args)]

    def rows(v: Any) -> Any:
        if type(v) is not list or not all(type(r) is list and len(r) == width for r in v):
            raise malformed(f"a list of {row_type}")
        for j, allowed, real in columns:
            if not all(type(r[j]) in allowed for r in v):
                raise malformed(f"a list of {row_type}")
            if real and not all(type(r[j]) is float for r in v):
                for r in v:
                    r[j] = float(r[j])
        return build([tuple(r) for r in v])
    return rows


def _fixed_tuple(tp: Any, args: tuple[Any, ...]) -> Callable[[Any], Any]:
    items = [decoder(a) for a in args]
    if all(a in (int, float, str) for a in args):
        # (weight, sentence index) pairs come by the ten thousand: check types without a call per item
        allowed = [(float, int) if a is float else (a,) for a in args]
        floats = [i for i, a in enumerate(args) if a is float]

        def scalars(v: Any) -> tuple[Any, ...]:
            if type(v) is not list or len(v) != len(allowed) or \
                    not all(type(x) in ok for x, ok in zip(v, allowed, strict=True)):
                raise malformed(str(tp))
            for i in floats:
                v[i] = float(v[i])
            return tuple(v)
        return scalars

    def fixed(v: Any) -> tuple[Any, ...]:
        if type(v) is not list or len(v) != len(items):
            raise malformed(str(tp))
        return tuple([f(x) for f, x in zip(items, v, strict=True)])
    return fixed


@cache
def decoder(tp: Any) -> Callable[[Any], Any]:
    """A function turning `_plain` output (parsed JSON) back into a value of type `tp`, checking it on the way;
    it raises CacheEntryError when the value is out of shape and may reuse the lists it is given."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is str or tp is bool:
        def scalar(v: Any) -> Any:
            if type(v) is not tp:
                raise malformed(tp.__name__)
            return v
        return scalar
    if tp is int:
        def integer(v: Any) -> int:
            if type(v) is not int:
                raise malformed("an integer")
            return v
        return integer
    if tp is float:
        def real(v: Any) -> float:
            if type(v) not in (float, int):
                raise malformed("a number")
            return float(v)
        return real
    if tp is type(None):
        def none(v: Any) -> None:
            if v is not None:
                raise malformed("null")
        return none
    if origin in (types.UnionType, typing.Union):
        options = [decoder(a) for a in args if a is not type(None)]
        nullable = type(None) in args

        def union(v: Any) -> Any:
            if v is None and nullable:
                return None
            for option in options:
                try:
                    return option(v)
                except CacheEntryError:
                    continue
            raise malformed(str(tp))
        return union
    if isinstance(tp, type) and issubclass(tp, Enum):
        def enum(v: Any) -> Any:
            try:
                return tp(v)
            except ValueError as exc:
                raise malformed(tp.__name__) from exc
        return enum
    if origin in (tuple, list):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return _fixed_tuple(tp, args)
        item = decoder(args[0])
        build = tuple if origin is tuple else list
        if _is_scalar_tuple(args[0]):
            return _scalar_rows(args[0], build)
        if args[0] is str:
            def strings(v: Any) -> Any:
                if type(v) is not list or not all(type(x) is str for x in v):
                    raise malformed("a list of strings")
                return build(v)
            return strings

        def sequence(v: Any) -> Any:
            if type(v) is not list:
                raise malformed("a list")
            return build([item(x) for x in v])
        return sequence
    if origin in (dict, Counter):
        key, val = decoder(args[0]), decoder(args[1] if len(args) > 1 else int)
        build_map = Counter if origin is Counter else dict
        value_type = args[1] if len(args) > 1 else int
        if args[0] is str and value_type in (int, float, str):
            allowed = (float, int) if value_type is float else (value_type,)

            def scalar_map(v: Any) -> Any:
                if type(v) is not dict or not types_in(v.values(), set(allowed)):
                    raise malformed(f"a mapping to {value_type.__name__}")
                if value_type is float and not types_in(v.values(), {float}):
                    v = {k: float(x) for k, x in v.items()}
                return build_map(v)  # JSON object keys are always strings
            return scalar_map

        def mapping(v: Any) -> Any:
            if type(v) is not dict:
                raise malformed("a mapping")
            return build_map({key(k): val(x) for k, x in v.items()})
        return mapping
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        cls: Any = tp
        hints = typing.get_type_hints(tp)
        fields = [f for f in dataclasses.fields(tp) if f.init]
        names = [f.name for f in fields]
        positional = not any(f.kw_only for f in fields)
        size = len(fields)
        # scalar fields are checked in place, the rest decoded by their own function: a plan has hundreds of
        # sentences, a cache hit of a large corpus hundreds of thousands
        scalars = [(i, (float, int) if hints[f.name] is float else (hints[f.name],))
                   for i, f in enumerate(fields) if hints[f.name] in (str, int, bool, float)]
        reals = [i for i, f in enumerate(fields) if hints[f.name] is float]
        others = [(i, decoder(hints[f.name])) for i, f in enumerate(fields)
                  if hints[f.name] not in (str, int, bool, float)]

        def record(v: Any) -> Any:
            if type(v) is not list or len(v) != size:
                raise malformed(f"a {cls.__name__}")
            for i, allowed in scalars:
                if type(v[i]) not in allowed:
                    raise malformed(f"a {cls.__name__}")
            for i in reals:
                v[i] = float(v[i])
            for i, decode in others:
                v[i] = decode(v[i])
            return cls(*v) if positional else cls(**dict(zip(names, v, strict=True)))
        return record
    raise TypeError(f"painpoint.cache cannot store values of type {tp!r}")  # a programming error

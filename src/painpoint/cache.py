"""On-disk cache: per-document scan results and compiled dictionaries, keyed by content and versions.

    store = open_store()                       # None when caching is off or the folder is unusable
    key = store_key("plan/1", package_digest(), "rjieba 0.2.2", "jieba 0.42.1", path, file_digest(path))
    payload = store.get("plan", key)           # bytes, or None on a miss or a broken entry
    store.put("plan", key, encode_document(plan, signals, terms))

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
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024
"""2 GiB: about 20,000 plans of 55 KB (an entry takes about twice its plan's size)."""

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
        import tempfile

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
        return _decoder(tp)(json.loads(payload.decode("utf-8", "surrogatepass")))
    except CacheEntryError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise CacheEntryError(f"unreadable cache entry: {type(exc).__name__}: {exc}") from exc


def encode_document(plan: Any, signals: Any, terms: Counter[str] | None) -> bytes:
    """A parsed plan, its signals and (for matching) its term counts, as compressed JSON."""
    from painpoint.themes.extract import PlanSignals

    hints = typing.get_type_hints(PlanSignals)
    rest = {}
    for f in dataclasses.fields(PlanSignals):
        if f.name != "plan":
            value = getattr(signals, f.name)
            rest[f.name] = _columns(value) if hints[f.name] == _SCORED else value
    record = [getattr(plan, f.name) for f in dataclasses.fields(plan)]
    record[_sentences_at()] = _sentence_columns(plan.sentences)
    # floats survive JSON exactly (repr round-trips); level 1: entries are written on the first run's clock
    return zlib.compress(encode_value([record, rest, None if terms is None else dict(terms)]), 1)


# A plan's sentences (hundreds a plan, hundreds of thousands in a large corpus) are kept as columns: one list per
# field, with each distinct heading path and unit list stored once and referred to by index. Entries are a third
# smaller and decode faster than one record per sentence, and sentences of a section share its heading tuple, as
# they do when parsed.
_SENTENCE_FIELDS = ("line", "text", "kind", "section", "level", "intensity", "boilerplate", "units", "original")
_SENTENCE_KEYS = (*_SENTENCE_FIELDS, "sections", "unit_lists")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _sentences_at() -> int:
    """Index of `sentences` among Plan's fields; checks that Sentence still has the fields the columns name."""
    from painpoint.plans.structure import Plan, Sentence

    if tuple(f.name for f in dataclasses.fields(Sentence)) != _SENTENCE_FIELDS:  # a programming error
        raise TypeError("painpoint.cache: Sentence fields changed; update _SENTENCE_FIELDS")
    return [f.name for f in dataclasses.fields(Plan)].index("sentences")


def _sentence_columns(sentences: Any) -> dict[str, list[Any]]:
    sections: dict[tuple[str, ...], int] = {}
    unit_lists: dict[tuple[str, ...], int] = {}
    columns: dict[str, list[Any]] = {
        "line": [s.line for s in sentences], "text": [s.text for s in sentences],
        "kind": [s.kind.value for s in sentences],
        "section": [sections.setdefault(s.section, len(sections)) for s in sentences],
        "level": [s.level for s in sentences], "intensity": [s.intensity for s in sentences],
        "boilerplate": [s.boilerplate for s in sentences],
        "units": [unit_lists.setdefault(s.units, len(unit_lists)) for s in sentences],
        "original": [s.original for s in sentences]}
    columns["sections"] = [list(t) for t in sections]
    columns["unit_lists"] = [list(t) for t in unit_lists]
    return columns


def _sentences_from(v: Any) -> tuple[Any, ...]:
    """The sentences `_sentence_columns` wrote, every column checked; CacheEntryError when out of shape."""
    from painpoint.plans.structure import Sentence, SentenceKind

    if type(v) is not dict or sorted(v) != sorted(_SENTENCE_KEYS) or not all(type(c) is list for c in v.values()):
        raise _bad("sentence columns")
    tables = []
    for name in ("sections", "unit_lists"):
        if not _types_in(v[name], {list}) or not all(_types_in(t, {str}) for t in v[name]):
            raise _bad(f"sentence {name}")
        tables.append([tuple(t) for t in v[name]])
    sections, unit_lists = tables
    n = len(v["line"])
    kinds = {k.value: k for k in SentenceKind}

    def column(name: str, *allowed: type, table: int | None = None) -> list[Any]:
        values = v[name]
        if len(values) != n or not _types_in(values, set(allowed)):
            raise _bad(f"sentence {name}")
        if table is not None and values and (min(values) < 0 or max(values) >= table):
            raise _bad(f"sentence {name}")
        return values  # type: ignore[no-any-return]

    kind_values = column("kind", str)
    if not set(kind_values) <= kinds.keys():
        raise _bad("sentence kind")
    return tuple(map(
        Sentence, column("line", int), column("text", str), [kinds[k] for k in kind_values],
        [sections[i] for i in column("section", int, table=len(sections))], column("level", int),
        [float(x) for x in column("intensity", float, int)], column("boilerplate", bool),
        [unit_lists[i] for i in column("units", int, table=len(unit_lists))],
        column("original", str, type(None))))


_SCORED = dict[str, list[tuple[float, int]]]
"""(weight, sentence index) lists per theme or phrase: tens of thousands of pairs a plan, kept in columns."""


def _columns(scored: dict[str, list[tuple[float, int]]]) -> list[list[Any]]:
    keys = list(scored)
    return [keys, [len(scored[k]) for k in keys], [w for k in keys for w, _ in scored[k]],
            [i for k in keys for _, i in scored[k]]]


def _types_in(values: Any, allowed: set[type]) -> bool:
    """Every value's exact type is one of `allowed` (one C-level pass: the checks run on every cache hit)."""
    return set(map(type, values)) <= allowed


def _from_columns(v: Any, sentences: int) -> dict[str, list[tuple[float, int]]]:
    """The scored lists `_columns` wrote; every index must name one of the plan's `sentences`."""
    if type(v) is not list or len(v) != 4 or not _types_in(v, {list}):
        raise _bad("scored columns")
    keys, sizes, weights, indices = v
    if (not _types_in(keys, {str}) or not _types_in(sizes, {int}) or min(sizes, default=0) < 0
            or len(sizes) != len(keys) or sum(sizes) != len(weights) or len(weights) != len(indices)
            or not _types_in(weights, {float, int}) or not _types_in(indices, {int})):
        raise _bad("scored columns")
    if indices and (min(indices) < 0 or max(indices) >= sentences):
        raise CacheEntryError("sentence index out of range")
    pairs = list(zip(map(float, weights), indices, strict=True))
    out, at = {}, 0
    for key, size in zip(keys, sizes, strict=True):
        out[key] = pairs[at:at + size]
        at += size
    return out


def decode_document(payload: bytes, path: str) -> tuple[Any, Any, Counter[str] | None]:
    """(Plan, PlanSignals, term counts or None) from `encode_document`'s bytes, for the file at `path`.

    Raises CacheEntryError when anything is out of shape: the caller rebuilds the entry.
    """
    from painpoint.plans.structure import Plan
    from painpoint.themes.extract import PlanSignals

    try:
        raw_plan, raw_signals, raw_terms = json.loads(zlib.decompress(payload).decode("utf-8", "surrogatepass"))
        at = _sentences_at()
        if type(raw_plan) is not list or len(raw_plan) != len(dataclasses.fields(Plan)):
            raise _bad("a Plan")
        sentences = _sentences_from(raw_plan[at])
        raw_plan[at] = []
        plan = dataclasses.replace(_decoder(Plan)(raw_plan), sentences=sentences)
        if plan.document.path != path:
            raise CacheEntryError("entry belongs to another path")
        if not isinstance(raw_signals, dict):
            raise CacheEntryError("signals are not a mapping")
        hints = _hints(PlanSignals)
        fields = [f.name for f in dataclasses.fields(PlanSignals) if f.name != "plan"]
        if sorted(raw_signals) != sorted(fields):
            raise CacheEntryError("signals have other fields")
        values: dict[str, Any] = {
            name: _from_columns(raw_signals[name], len(sentences)) if hints[name] == _SCORED
            else _decoder(hints[name])(raw_signals[name]) for name in fields}
        signals = PlanSignals(plan, **values)
        terms = None if raw_terms is None else _decoder(Counter[str])(raw_terms)
    except CacheEntryError:
        raise
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError) as exc:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CacheEntryError(f"unreadable cache entry: {type(exc).__name__}: {exc}") from exc
    return plan, signals, terms


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


def _bad(expected: str) -> CacheEntryError:
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
            raise _bad(f"a list of {row_type}")
        for j, allowed, real in columns:
            if not all(type(r[j]) in allowed for r in v):
                raise _bad(f"a list of {row_type}")
            if real and not all(type(r[j]) is float for r in v):
                for r in v:
                    r[j] = float(r[j])
        return build([tuple(r) for r in v])
    return rows


def _fixed_tuple(tp: Any, args: tuple[Any, ...]) -> Callable[[Any], Any]:
    items = [_decoder(a) for a in args]
    if all(a in (int, float, str) for a in args):
        # (weight, sentence index) pairs come by the ten thousand: check types without a call per item
        allowed = [(float, int) if a is float else (a,) for a in args]
        floats = [i for i, a in enumerate(args) if a is float]

        def scalars(v: Any) -> tuple[Any, ...]:
            if type(v) is not list or len(v) != len(allowed) or \
                    not all(type(x) in ok for x, ok in zip(v, allowed, strict=True)):
                raise _bad(str(tp))
            for i in floats:
                v[i] = float(v[i])
            return tuple(v)
        return scalars

    def fixed(v: Any) -> tuple[Any, ...]:
        if type(v) is not list or len(v) != len(items):
            raise _bad(str(tp))
        return tuple([f(x) for f, x in zip(items, v, strict=True)])
    return fixed


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
            return _fixed_tuple(tp, args)
        item = _decoder(args[0])
        build = tuple if origin is tuple else list
        if _is_scalar_tuple(args[0]):
            return _scalar_rows(args[0], build)
        if args[0] is str:
            def strings(v: Any) -> Any:
                if type(v) is not list or not all(type(x) is str for x in v):
                    raise _bad("a list of strings")
                return build(v)
            return strings

        def sequence(v: Any) -> Any:
            if type(v) is not list:
                raise _bad("a list")
            return build([item(x) for x in v])
        return sequence
    if origin in (dict, Counter):
        key, val = _decoder(args[0]), _decoder(args[1] if len(args) > 1 else int)
        build_map = Counter if origin is Counter else dict
        value_type = args[1] if len(args) > 1 else int
        if args[0] is str and value_type in (int, float, str):
            allowed = (float, int) if value_type is float else (value_type,)

            def scalar_map(v: Any) -> Any:
                if type(v) is not dict or not _types_in(v.values(), set(allowed)):
                    raise _bad(f"a mapping to {value_type.__name__}")
                if value_type is float and not _types_in(v.values(), {float}):
                    v = {k: float(x) for k, x in v.items()}
                return build_map(v)  # JSON object keys are always strings
            return scalar_map

        def mapping(v: Any) -> Any:
            if type(v) is not dict:
                raise _bad("a mapping")
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
        others = [(i, _decoder(hints[f.name])) for i, f in enumerate(fields)
                  if hints[f.name] not in (str, int, bool, float)]

        def record(v: Any) -> Any:
            if type(v) is not list or len(v) != size:
                raise _bad(f"a {cls.__name__}")
            for i, allowed in scalars:
                if type(v[i]) not in allowed:
                    raise _bad(f"a {cls.__name__}")
            for i in reals:
                v[i] = float(v[i])
            for i, decode in others:
                v[i] = decode(v[i])
            return cls(*v) if positional else cls(**dict(zip(names, v, strict=True)))
        return record
    raise TypeError(f"painpoint.cache cannot store values of type {tp!r}")  # a programming error

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
import hashlib
import json
import os
import sys
import tempfile
import time
import zlib
from collections import Counter
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

def encode_document(plan: Any, signals: Any, terms: Counter[str] | None) -> bytes:
    """A parsed plan, its signals and (for matching) its term counts as compressed JSON."""
    doc = plan.document
    data = {
        "document": {"path": doc.path, "lines": list(doc.lines), "line_numbers": list(doc.line_numbers),
                     "format": doc.format, "title": doc.title, "encoding": doc.encoding},
        "plan": {
            "title": plan.title, "department": plan.department, "department_source": plan.department_source,
            "sentences": [[s.line, s.text, s.kind.value, list(s.section), s.level, s.intensity, s.boilerplate,
                           list(s.units)] for s in plan.sentences],
            "targets": [[t.line, t.text, t.year, list(t.values)] for t in plan.targets],
            "responsible_units": list(plan.responsible_units),
        },
        "signals": {
            "theme_mass": signals.theme_mass,
            "theme_terms": {k: dict(v) for k, v in signals.theme_terms.items()},
            "theme_sentences": signals.theme_sentences,
            "phrase_mass": signals.phrase_mass,
            "phrase_sentences": signals.phrase_sentences,
        },
        "terms": dict(terms) if terms is not None else None,
    }
    # floats survive json exactly (repr round-trips); level 1: entries are written on the first run's clock
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def decode_document(payload: bytes, path: str) -> tuple[Any, Any, Counter[str] | None]:
    """(Plan, PlanSignals, term counts or None) from `encode_document`'s bytes, for the file at `path`.

    Raises CacheEntryError when anything is out of shape: the caller rebuilds the entry.
    """
    from painpoint.model import Document
    from painpoint.plans.structure import Plan, Sentence, SentenceKind, Target
    from painpoint.themes.extract import PlanSignals

    try:
        data = json.loads(zlib.decompress(payload))
        d = data["document"]
        if d["path"] != path:
            raise CacheEntryError("entry belongs to another path")
        document = Document(path=d["path"], lines=tuple(_strs(d["lines"])),
                            line_numbers=tuple(_ints(d["line_numbers"])), format=str(d["format"]),
                            title=_opt_str(d["title"]), encoding=_opt_str(d["encoding"]))
        if len(document.lines) != len(document.line_numbers):
            raise CacheEntryError("lines and line numbers differ in length")
        p = data["plan"]
        sentences = tuple(
            Sentence(line=int(line), text=str(text), kind=SentenceKind(kind), section=tuple(_strs(section)),
                     level=int(level), intensity=float(intensity), boilerplate=bool(boilerplate),
                     units=tuple(_strs(units)))
            for line, text, kind, section, level, intensity, boilerplate, units in p["sentences"])
        targets = tuple(Target(int(line), str(text), None if year is None else int(year), tuple(_strs(values)))
                        for line, text, year, values in p["targets"])
        plan = Plan(document, _opt_str(p["title"]), _opt_str(p["department"]), _opt_str(p["department_source"]),
                    sentences, targets, tuple(_strs(p["responsible_units"])))
        s = data["signals"]
        n = len(sentences)
        signals = PlanSignals(
            plan,
            theme_mass={str(k): float(v) for k, v in s["theme_mass"].items()},
            theme_terms={str(k): Counter({str(w): int(c) for w, c in v.items()}) for k, v in s["theme_terms"].items()},
            theme_sentences={str(k): _scored(v, n) for k, v in s["theme_sentences"].items()},
            phrase_mass={str(k): float(v) for k, v in s["phrase_mass"].items()},
            phrase_sentences={str(k): _scored(v, n) for k, v in s["phrase_sentences"].items()},
        )
        raw_terms = data["terms"]
        terms = None if raw_terms is None else Counter({str(w): int(c) for w, c in raw_terms.items()})
    except CacheEntryError:
        raise
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError) as exc:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CacheEntryError(f"unreadable cache entry: {type(exc).__name__}: {exc}") from exc
    return plan, signals, terms


def _strs(values: Any) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise CacheEntryError("expected a list of strings")
    return values


def _ints(values: Any) -> list[int]:
    if not isinstance(values, list) or not all(type(v) is int for v in values):
        raise CacheEntryError("expected a list of integers")
    return values


def _opt_str(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise CacheEntryError("expected a string or null")
    return value


def _scored(values: Any, sentences: int) -> list[tuple[float, int]]:
    out = []
    for weight, index in values:
        if type(index) is not int or not 0 <= index < sentences:
            raise CacheEntryError("sentence index out of range")
        out.append((float(weight), index))
    return out

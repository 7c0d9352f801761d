"""Packaged word lists: the policy lexicon, stop words and intensity words, loaded once per process."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from painpoint.errors import ResourceError
from painpoint.i18n import _


@dataclass(frozen=True)
class LexiconEntry:
    """One policy term for the segmenter."""

    word: str
    """The term, kept whole by segmentation."""
    freq: int | None
    """jieba frequency; None lets the tokenizer suggest one that keeps the word whole."""
    tag: str
    """Part-of-speech tag reported for the word."""


def read_resource(name: str) -> str:
    """Text of a packaged resource file under painpoint/resources/."""
    try:
        return resources.files("painpoint.resources").joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(_("packaged resource {name} cannot be read: {reason}").format(name=name, reason=exc),
                            hint=_("reinstall painpoint")) from exc


def _content_lines(name: str) -> list[tuple[int, str]]:
    out = []
    for number, raw in enumerate(read_resource(name).splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append((number, line))
    return out


@cache
def lexicon() -> tuple[LexiconEntry, ...]:
    """The policy lexicon (`word [freq [tag]]` per line)."""
    entries = []
    for number, line in _content_lines("lexicon.txt"):
        parts = line.split()
        try:
            freq = int(parts[1]) if len(parts) > 1 else None
        except ValueError as exc:
            raise ResourceError(_("frequency is not a number"), path="lexicon.txt", line=number) from exc
        entries.append(LexiconEntry(parts[0], freq, parts[2] if len(parts) > 2 else "nz"))
    return tuple(entries)


@cache
def stopwords() -> frozenset[str]:
    """Bureaucratic verbs, boilerplate and page furniture: never a pain point on their own."""
    return frozenset(line.split()[0] for _, line in _content_lines("stopwords.txt"))


@cache
def intensity_words() -> dict[str, float]:
    """Words that raise the priority of their sentence, with the factor they apply."""
    out: dict[str, float] = {}
    for number, line in _content_lines("intensity.txt"):
        parts = line.split()
        try:
            out[parts[0]] = float(parts[1]) if len(parts) > 1 else 1.3
        except ValueError as exc:
            raise ResourceError(_("weight is not a number"), path="intensity.txt", line=number) from exc
    return out


@cache
def resources_digest() -> str:
    """Hash of every packaged resource: part of cache keys, so a lexicon change invalidates results."""
    h = hashlib.sha256()
    for name in ("lexicon.txt", "stopwords.txt", "intensity.txt", "taxonomy.yaml"):
        h.update(name.encode())
        h.update(read_resource(name).encode("utf-8"))
    return h.hexdigest()[:16]


def jieba_idf_path() -> str | None:
    """Path of jieba's general-language IDF table (jieba/analyse/idf.txt), found without importing jieba.

    `importlib.resources.files("jieba.analyse")` would import jieba.analyse, which loads jieba's
    part-of-speech dictionary (~0.9 s) only to find a file name.
    """
    import importlib.util
    import os

    spec = importlib.util.find_spec("jieba")
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = os.path.join(folder, "analyse", "idf.txt")
        if os.path.isfile(path):
            return path
    return None


def parse_idf(text: str) -> tuple[dict[str, float], float]:
    """(word -> IDF, median IDF) from idf.txt's `word value` lines; unparsable lines are skipped."""
    idf: dict[str, float] = {}
    for line in text.splitlines():
        word, _, value = line.partition(" ")
        try:
            idf[word] = float(value)
        except ValueError:
            continue
    values = sorted(idf.values())
    return idf, values[len(values) // 2] if values else 10.0


def encode_idf(idf: dict[str, float], median: float) -> bytes:
    """A compact form of an IDF table: a JSON header, the words, then the values as raw doubles.

    Loads in ~40 ms where parsing idf.txt takes ~350 ms (270,000 float conversions).
    """
    import json
    from array import array

    words = "\n".join(idf).encode("utf-8")
    values = array("d", idf.values()).tobytes()
    header = json.dumps({"count": len(idf), "median": median, "words": len(words), "values": len(values)})
    return header.encode("ascii") + b"\n" + words + values


def decode_idf(payload: bytes) -> tuple[dict[str, float], float] | None:
    """The table `encode_idf` wrote, or None when the bytes are out of shape."""
    import json
    from array import array

    try:
        end = payload.index(b"\n")
        header = json.loads(payload[:end])
        count, n_words, n_values = int(header["count"]), int(header["words"]), int(header["values"])
        median = float(header["median"])
        start = end + 1
        if len(payload) != start + n_words + n_values or n_values != 8 * count:
            return None
        words = payload[start:start + n_words].decode("utf-8").split("\n") if count else []
        values = array("d")
        values.frombytes(payload[start + n_words:])
    except (ValueError, KeyError, TypeError):
        return None
    if len(words) != count or len(values) != count:
        return None
    return dict(zip(words, values, strict=True)), median


def background_idf() -> tuple[dict[str, float], float]:
    """jieba's general-language IDF table and its median, from the compiled copy in the cache when valid.

    ({}, 10.0) when jieba's table is absent. The compiled copy is keyed by the table's path, size and
    modification time, and checked on load: a broken copy is rebuilt from idf.txt.
    """
    import os
    import sys

    from painpoint.cache import open_store, store_key

    path = jieba_idf_path()
    if path is None:
        return {}, 10.0
    try:
        info = os.stat(path)
    except OSError:
        return {}, 10.0
    store = open_store()
    key = store_key("idf/1", path, str(info.st_size), str(info.st_mtime_ns), sys.byteorder)
    if store is not None:
        payload = store.get("dict", key)
        table = decode_idf(payload) if payload is not None else None
        if table is not None:
            return table
        if payload is not None:
            store.discard("dict", key)
    try:
        with open(path, encoding="utf-8") as handle:
            table = parse_idf(handle.read())
    except (OSError, UnicodeDecodeError):
        return {}, 10.0
    if store is not None:
        store.put("dict", key, encode_idf(*table))
    return table

"""Packaged word lists: the policy lexicon, stop words and intensity words, loaded once per process."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from painpoint.errors import ResourceError


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
        raise ResourceError(f"packaged resource {name} cannot be read: {exc}",
                            hint="reinstall painpoint") from exc


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
            raise ResourceError("frequency is not a number", path="lexicon.txt", line=number) from exc
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
            raise ResourceError("weight is not a number", path="intensity.txt", line=number) from exc
    return out


@cache
def resources_digest() -> str:
    """Hash of every packaged resource: part of cache keys, so a lexicon change invalidates results."""
    h = hashlib.sha256()
    for name in ("lexicon.txt", "stopwords.txt", "intensity.txt", "taxonomy.yaml"):
        h.update(name.encode())
        h.update(read_resource(name).encode("utf-8"))
    return h.hexdigest()[:16]

"""Input files to Documents: find supported files, guess encodings, extract visible text, enforce limits.

    paths, problems = discover(["plans/", "report.pdf"])
    documents = [read_document(path) for path in paths]   # each may raise InputError

Every failure is an `InputError` (path, one-line message, hint); no library exception escapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from painpoint.ingest.discover import discover
from painpoint.ingest.formats import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from painpoint.ingest.reader import read_document, split_overlong_line

__all__ = ["SUPPORTED_SUFFIXES", "discover", "read_document", "split_overlong_line"]


def __getattr__(name: str) -> Any:
    # the readers load on first use: a cached re-run lists and hashes files but reads none
    if name in ("read_document", "split_overlong_line"):
        from painpoint.ingest import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'painpoint.ingest' has no attribute {name!r}")

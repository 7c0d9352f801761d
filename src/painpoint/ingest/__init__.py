"""Input files to Documents: find supported files, guess encodings, extract visible text, enforce limits.

    paths, problems = discover(["plans/", "report.pdf"])
    documents = [read_document(path) for path in paths]   # each may raise InputError

Every failure is an `InputError` (path, one-line message, hint); no library exception escapes.
"""

from __future__ import annotations

from painpoint.ingest.discover import discover
from painpoint.ingest.formats import SUPPORTED_SUFFIXES
from painpoint.ingest.reader import read_document, split_overlong_line

__all__ = ["SUPPORTED_SUFFIXES", "discover", "read_document", "split_overlong_line"]

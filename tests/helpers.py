"""Small builders shared by tests."""

from __future__ import annotations


def make_document(text: str, path: str = "plan.txt", title: str | None = None):  # type: ignore[no-untyped-def]
    """A Document from text, one line per source line (tests only)."""
    from painpoint.model import Document

    lines = text.split("\n")
    return Document(path=path, lines=tuple(line.strip() for line in lines),
                    line_numbers=tuple(range(1, len(lines) + 1)), format="txt", title=title)

"""Value types shared across painpoint: documents as read, and evidence pointing back into them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Document:
    """A document as read from disk, normalised line by line.

    Readers never merge source lines; they split only overlong ones (see ingest.limits), and every piece
    keeps its origin, so `line_numbers[i]` is the 1-based line of the original file (or paragraph number for
    .docx/.html/.pdf) that `lines[i]` came from.
    """

    path: str
    """The path exactly as the user gave it (or as found under a given folder)."""
    lines: tuple[str, ...]
    """Normalised text lines (NFKC for letters/digits/spaces, Chinese punctuation kept)."""
    line_numbers: tuple[int, ...]
    """Original 1-based line (or paragraph) number of each entry in `lines`."""
    format: str
    """Reader that produced it: txt, md, html, docx or pdf."""
    title: str | None = None
    """A title carried by the file's metadata (HTML <title>, docx core properties), if any."""
    encoding: str | None = None
    """Detected text encoding for text formats."""
    digest: str = field(default="", compare=False)
    """SHA-256 of the bytes this document was read from: what caches key it on (empty when built in code)."""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence of a plan that supports a claim."""

    document: str
    """Path of the document, as given."""
    line: int
    """1-based line number in the original file."""
    text: str
    """The sentence (normalised), trimmed to a readable length."""
    review: bool = False
    """True when the sentence reviews past work (过去一年, “十三五”成效) rather than planning what comes next."""

    @property
    def shown(self) -> str:
        """The text as a person reads it: a sentence that reviews past work is marked so, in the language in force
        (the data itself, `text`, stays as the plan wrote it: JSON, CSV and caches never depend on the language)."""
        if not self.review:
            return self.text
        from painpoint.i18n import _

        return _("(review) ") + self.text

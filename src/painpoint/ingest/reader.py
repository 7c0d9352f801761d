"""read_document: one input file to one Document, whatever its format, or one InputError."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable

from painpoint.errors import InputError
from painpoint.i18n import _
from painpoint.ingest import limits
from painpoint.ingest.formats import (
    Extraction,
    kind_of_suffix,
    no_text_found,
    os_error,
    sniff_kind,
    suffix_of,
    too_much_text,
    unsupported_error,
)
from painpoint.model import Document
from painpoint.text.normalize import normalize_line

# Sentence-final punctuation an overlong line is cut after (the last one within the limit).
_SENTENCE_ENDS = "。！？；!?;"
# Softer places to cut a line that has no sentence end within the limit.
_CLAUSE_ENDS = "，、,： "
# Closing quotes and brackets stay with the sentence they close.
_CLOSERS = "”’」』）》】〕)]\"'"


def read_document(path: str) -> Document:
    """Read one .txt/.md/.html/.htm/.docx/.doc/.wps/.pdf file into a Document; raise InputError for any problem.

    `Document.line_numbers` are original line numbers for .txt/.md (blank lines are dropped, their numbers
    skipped) and 1-based numbers of the extracted non-empty paragraphs for .html/.docx/.doc/.wps/.pdf. A line longer
    than `limits.MAX_LINE_CHARS` becomes several entries that share its number.

    A file whose bytes say it is something else than its suffix does (a PDF's, Word's or a web page's own
    signature, see `formats.sniff_kind`) is read as what it is, and `Document.format` names that format.
    """
    # Missing or not-a-file outranks a wrong suffix: it is the first thing the user has to fix.
    size = _regular_file_size(path)
    reader, fmt = _reader_for(path)
    data = _read_bytes(path, size, limits.MAX_HTML_BYTES if fmt == "html" else limits.MAX_FILE_BYTES)
    promised = kind_of_suffix(path)
    kind = sniff_kind(data, promised)
    if kind == "html" and promised in ("pdf", "docx"):
        # a 附件.pdf that is a web page is a failed download (an error or login page), not the plan
        raise InputError(_("a web page, not the {kind} file its name promises: the download failed").format(
            kind=promised.upper() if promised == "pdf" else "Word"), path=path,
            hint=_("open the link in a browser and download the file again"))
    if kind is not None and kind != promised:
        # the bytes say what the file is and its name says otherwise (a Word file saved as 附件.pdf, a web page
        # as .txt): read it as what it is, and record that format
        reader, fmt = _reader_of_kind(kind)
        if kind == "html" and len(data) > limits.MAX_HTML_BYTES:
            raise _too_large(path, len(data), limits.MAX_HTML_BYTES)
    extraction = reader(path, data)
    lines: list[str] = []
    numbers: list[int] = []
    total = 0
    for line, number in zip(extraction.lines, extraction.line_numbers, strict=True):
        for piece in split_overlong_line(line, limits.MAX_LINE_CHARS):
            lines.append(piece)
            numbers.append(number)
            total += len(piece)
    if total > limits.MAX_TEXT_CHARS:
        raise too_much_text(path)
    if not lines:
        raise no_text_found(path)
    title = normalize_line(extraction.title) if extraction.title else ""
    return Document(path=path, lines=tuple(lines), line_numbers=tuple(numbers), format=fmt,
                    title=title or None, encoding=extraction.encoding, digest=hashlib.sha256(data).hexdigest())


def split_overlong_line(line: str, limit: int) -> list[str]:
    """Cut `line` into pieces of at most `limit` characters, after sentence punctuation where possible.

    Lines within the limit come back unchanged (as a one-element list). A piece ends after the last
    sentence end (。！？；) inside the limit, else after the last comma or space, else at the limit itself.
    """
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    start = 0
    while len(line) - start > limit:
        end = start + limit
        cut = _last_of(line, _SENTENCE_ENDS, start, end)
        if cut < 0:
            cut = _last_of(line, _CLAUSE_ENDS, start, end)
        if cut < 0:
            cut = end
        else:
            cut += 1
            while cut < end and line[cut] in _CLOSERS:
                cut += 1
        piece = line[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut
    tail = line[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def _last_of(line: str, marks: str, start: int, end: int) -> int:
    return max(line.rfind(mark, start, end) for mark in marks)


def _reader_for(path: str) -> tuple[Callable[[str, bytes], Extraction], str]:
    """The reader and format name the file's suffix asks for."""
    suffix = suffix_of(path)
    kind = kind_of_suffix(path)
    if kind is None:
        raise unsupported_error(path)
    reader, fmt = _reader_of_kind(kind)
    # .md keeps its name (its # headings are read as headings); .wps is recorded as the WPS file it is
    return reader, suffix[1:] if suffix in (".txt", ".md", ".wps") else fmt


def _reader_of_kind(kind: str) -> tuple[Callable[[str, bytes], Extraction], str]:
    # Imported here so that reading a .txt file never pays for importing pypdf, lxml or python-docx.
    if kind == "html":
        from painpoint.ingest.html import read_html
        return read_html, "html"
    if kind == "docx":
        from painpoint.ingest.docx import read_docx
        return read_docx, "docx"
    if kind == "doc":
        from painpoint.ingest.msdoc import read_doc
        return read_doc, "doc"
    if kind == "pdf":
        from painpoint.ingest.pdf import read_pdf
        return read_pdf, "pdf"
    from painpoint.ingest.text import read_text_file
    return read_text_file, "txt"


def _regular_file_size(path: str) -> int:
    """The size of the regular file at `path`; InputError if it is missing, a folder, a FIFO or a device."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise os_error(path, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(_("is a folder, not a file"), path=path, hint=_("give the files inside it"))
    if not stat.S_ISREG(info.st_mode):
        # Reading a FIFO or device would block or never end.
        raise InputError(_("not a regular file"), path=path, hint=_("give a saved document file"))
    return info.st_size


def _read_bytes(path: str, size: int, max_bytes: int) -> bytes:
    """The file's bytes, refusing files over `max_bytes` before reading them."""
    if size > max_bytes:
        raise _too_large(path, size, max_bytes)
    try:
        with open(path, "rb") as handle:
            # One byte past the limit shows whether the file grew since stat().
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise os_error(path, exc) from exc
    if len(data) > max_bytes:
        raise _too_large(path, len(data), max_bytes)
    return data


def _too_large(path: str, size: int, max_bytes: int) -> InputError:
    return InputError(_("file too large ({size}; limit {limit})").format(size=_megabytes(size),
                                                                       limit=_megabytes(max_bytes)),
                      path=path, hint=_("split it into smaller files"))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size % (1024 * 1024) else f"{size // (1024 * 1024)} MB"

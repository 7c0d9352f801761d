"""Which file types painpoint reads, what a format reader hands back, and the errors they share."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass

from painpoint.errors import InputError
from painpoint.ingest import limits

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
"""File name endings painpoint reads (compared case-insensitively)."""

# Suffixes people try most often, each with the one step that makes them readable.
_CONVERSION_HINTS = {
    ".doc": "save it as .docx in Word/WPS (另存为 .docx)",
    ".wps": "save it as .docx in WPS (另存为 .docx)",
    ".rtf": "save it as .docx in Word/WPS (另存为 .docx)",
    ".odt": "save it as .docx",
    ".xls": "copy the text into a .txt file",
    ".xlsx": "copy the text into a .txt file",
    ".ofd": "export it as PDF",
    ".caj": "export it as PDF",
}


@dataclass(frozen=True)
class Extraction:
    """Normalised, non-empty lines a format reader found, before overlong lines are cut."""

    lines: tuple[str, ...]
    """Text lines, each already passed through `normalize_line` and never empty."""
    line_numbers: tuple[int, ...]
    """1-based source line (or paragraph) number of each entry in `lines`."""
    title: str | None = None
    """Title from the file's metadata, if it carries one."""
    encoding: str | None = None
    """Detected character encoding, for formats that have to guess one."""


def suffix_of(path: str) -> str:
    """The lower-cased suffix of `path` (".pdf"), or "" when it has none."""
    return os.path.splitext(path)[1].lower()


def is_supported(path: str) -> bool:
    return suffix_of(path) in SUPPORTED_SUFFIXES


def unsupported_error(path: str) -> InputError:
    """The error for a file whose suffix painpoint cannot read."""
    suffix = suffix_of(path)
    what = f"unsupported file type '{suffix}'" if suffix else "file name has no suffix"
    hint = _CONVERSION_HINTS.get(suffix, "save or export it in one of these formats")
    return InputError(f"{what} (supported: {' '.join(SUPPORTED_SUFFIXES)})", path=path, hint=hint)


def too_much_text(path: str) -> InputError:
    return InputError(f"too much text (over {limits.MAX_TEXT_CHARS:,} characters)", path=path,
                      hint="split it into smaller files")


def append_normalized(lines: list[str], raws: Iterable[str], path: str) -> None:
    """Append the non-empty normalised form of each raw line, refusing more than MAX_TEXT_CHARS in all."""
    from painpoint.text.normalize import normalize_line

    total = sum(len(line) for line in lines)
    for raw in raws:
        line = normalize_line(raw)
        if line:
            lines.append(line)
            total += len(line)
            if total > limits.MAX_TEXT_CHARS:
                raise too_much_text(path)


def no_text_found(path: str) -> InputError:
    return InputError("no text found", path=path,
                      hint="check that it holds text, not only images")


def os_error(path: str, exc: OSError) -> InputError:
    """The InputError for an operating-system failure on `path`."""
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return InputError("broken symbolic link", path=path, hint="point it at an existing file")
        return InputError("no such file or folder", path=path, hint="check the path")
    if isinstance(exc, PermissionError):
        return InputError("permission denied", path=path, hint="make it readable (chmod +r) or copy it")
    if exc.errno == errno.ELOOP:
        return InputError("symbolic link loop", path=path, hint="point the link at a real file")
    if isinstance(exc, IsADirectoryError):
        return InputError("is a folder, not a file", path=path, hint="give the files inside it")
    reason = exc.strerror or type(exc).__name__
    return InputError(f"cannot read file ({reason})", path=path, hint="check the disk or copy the file")

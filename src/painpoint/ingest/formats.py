"""Which file types painpoint reads, what a format reader hands back, and the errors they share."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass

from painpoint.errors import InputError
from painpoint.i18n import N_, _
from painpoint.ingest import limits

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".doc", ".wps", ".pdf")
"""File name endings painpoint reads (compared case-insensitively)."""

# Suffixes people try most often, each with the one step that makes them readable. A file with one of these
# suffixes inside a scanned folder is a document painpoint could not read: it is reported, never skipped silently.
_SAVE_AS_DOCX = N_("save it as .docx in Word/WPS (另存为 .docx)")
_SHEET = N_("a spreadsheet holds figures, not plan text: copy any text worth reading into a .txt file, or keep it "
           "out of the plans folder")
_SLIDES = N_("copy the slides' text into a .txt file (WPS/PowerPoint: 另存为 大纲/RTF, then as .docx)")
_OCR = N_("it holds a picture, not text: run OCR (e.g. WPS 图片转文字) and save the text as .docx or .txt")
_UNPACK = N_("unpack it first (解压) and scan the folder it makes")
_CONVERSION_HINTS = {
    ".rtf": _SAVE_AS_DOCX, ".odt": _SAVE_AS_DOCX,
    ".wpt": _SAVE_AS_DOCX, ".dot": _SAVE_AS_DOCX, ".docm": _SAVE_AS_DOCX,
    ".xls": _SHEET, ".xlsx": _SHEET, ".et": _SHEET, ".ods": _SHEET,
    ".ppt": _SLIDES, ".pptx": _SLIDES, ".dps": _SLIDES, ".odp": _SLIDES,
    ".ofd": N_("export it as PDF (OFD 阅读器 → 另存为 PDF)"), ".caj": N_("export it as PDF"),
    ".xps": N_("export it as PDF"), ".mht": N_("save the page as .html"), ".mhtml": N_("save the page as .html"),
    ".jpg": _OCR, ".jpeg": _OCR, ".png": _OCR, ".tif": _OCR, ".tiff": _OCR, ".bmp": _OCR, ".gif": _OCR,
    ".webp": _OCR, ".heic": _OCR,
    ".zip": _UNPACK, ".rar": _UNPACK, ".7z": _UNPACK, ".tar": _UNPACK, ".gz": _UNPACK, ".tgz": _UNPACK,
}


def is_document_like(path: str) -> bool:
    """A file a person would call a document (Word, WPS, spreadsheet, slides, image, archive) that painpoint
    cannot read as it is: in a folder, it is reported as not read, with what to do."""
    return suffix_of(path) in _CONVERSION_HINTS


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


# What each supported suffix promises the file holds: the reader's name.
_KIND_OF_SUFFIX = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".docx": "docx",
                   ".doc": "doc", ".wps": "doc", ".pdf": "pdf"}


def kind_of_suffix(path: str) -> str | None:
    """The kind of content `path`'s suffix promises ("text", "html", "docx", "doc", "pdf"), None if unsupported."""
    return _KIND_OF_SUFFIX.get(suffix_of(path))


def signature(data: bytes) -> str | None:
    """The container the first bytes name: "pdf", "zip" (a .docx, or another Office file), "ole" (a Word
    97–2003 or WPS file, or another old Office file), "html"; None for anything else (text, unknown). Only
    signatures no plain text starts with count."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    probe = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "html" if probe.startswith((b"<!doctype html", b"<html")) else None


def sniff_kind(data: bytes, promised: str | None = None) -> str | None:
    """What the bytes are when they say so unmistakably: "pdf", "docx", "doc" (Word 97–2003 or WPS文字),
    "html"; None for anything else (text, a damaged or other Office file, or unknown).

    Downloads are often saved under the wrong name: a 附件.pdf that is a Word file, a page saved as .txt
    (另存为 "文本" in some browsers keeps the HTML). `promised`: the kind the file's name promises; a container
    that fits it is taken at its word, so a .docx or .doc is opened once, by its reader, not also here.
    """
    container = signature(data)
    if container == "zip":
        return "docx" if promised == "docx" or _is_word_package(data) else None
    if container == "ole":
        return "doc" if promised == "doc" or _is_word_binary(data) else None
    return container


def _is_word_package(data: bytes) -> bool:
    """A zip holding a Word document part (word/document.xml; Word sometimes writes word/document2.xml)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except Exception:  # noqa: BLE001 - zipfile raises BadZipFile, ValueError, EOFError… on what is no zip
        return False
    return any(name.startswith("word/document") and name.endswith(".xml") for name in names)


def _is_word_binary(data: bytes) -> bool:
    """An OLE compound file holding a Word document stream: not a spreadsheet, slides, or the encrypted
    container a password-protected .docx is (whose reader's message says to remove the password)."""
    import olefile

    try:
        if not olefile.isOleFile(data=data):
            return False
        with olefile.OleFileIO(data) as ole:
            return bool(ole.exists("WordDocument"))
    except Exception:  # noqa: BLE001 - olefile raises OSError, ValueError, struct.error… on damaged files
        return False


def suffix_of(path: str) -> str:
    """The lower-cased suffix of `path` (".pdf"), or "" when it has none."""
    return os.path.splitext(path)[1].lower()


def is_supported(path: str) -> bool:
    return suffix_of(path) in SUPPORTED_SUFFIXES


def unsupported_error(path: str) -> InputError:
    """The error for a file whose suffix painpoint cannot read."""
    suffix = suffix_of(path)
    what = (_("unsupported file type '{suffix}'").format(suffix=suffix) if suffix
            else _("file name has no suffix"))
    hint = _(_CONVERSION_HINTS.get(suffix, N_("save or export it in one of these formats")))
    supported = _("supported: {suffixes}").format(suffixes=" ".join(SUPPORTED_SUFFIXES))
    return InputError(f"{what} ({supported})", path=path, hint=hint)


def too_much_text(path: str) -> InputError:
    return InputError(_("too much text (over {limit:,} characters)").format(limit=limits.MAX_TEXT_CHARS),
                      path=path, hint=_("split it into smaller files"))


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
    return InputError(_("no text found"), path=path,
                      hint=_("check that it holds text, not only images (a scan needs OCR first)"))


def os_error(path: str, exc: OSError) -> InputError:
    """The InputError for an operating-system failure on `path`."""
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return InputError(_("broken symbolic link"), path=path, hint=_("point it at an existing file"))
        return InputError(_("no such file or folder"), path=path, hint=_("check the path"))
    if isinstance(exc, PermissionError):
        return InputError(_("permission denied"), path=path, hint=_("make it readable (chmod +r) or copy it"))
    if exc.errno == errno.ELOOP:
        return InputError(_("symbolic link loop"), path=path, hint=_("point the link at a real file"))
    if isinstance(exc, IsADirectoryError):
        return InputError(_("is a folder, not a file"), path=path, hint=_("give the files inside it"))
    reason = exc.strerror or type(exc).__name__
    return InputError(_("cannot read file ({reason})").format(reason=reason), path=path,
                      hint=_("check the disk or copy the file"))

"""Word files (.docx): body paragraphs and table cells in document order, after a zip-bomb check."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document as WordDocument
from lxml import etree

from painpoint.errors import InputError
from painpoint.i18n import N_, _
from painpoint.ingest import limits
from painpoint.ingest.formats import Extraction, too_much_text
from painpoint.ingest.text import split_source_lines
from painpoint.text.normalize import normalize_line

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_w(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_TEXT, _TAB, _BR, _CR = (_w(n) for n in ("t", "tab", "br", "cr"))
# Containers whose children are block content (tracked-change and custom-XML wrappers included).
_CONTAINERS = frozenset({_TC, _SDT_CONTENT} | {_w(n) for n in ("customXml", "ins", "moveTo", "txbxContent")})

# Text of a paragraph: text, tabs and breaks of its runs, tracked insertions included (python-docx's
# Paragraph.text drops those). Deleted text is <w:delText> and never matches. Text boxes are written twice,
# once as mc:Fallback for old readers; that copy is skipped.
_RUN_CONTENT = etree.XPath(
    "(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:br | .//w:r/w:cr)[not(ancestor::mc:Fallback)]", namespaces=_NS
)

_NOT_DOCX_HINT = N_("if it is an old .doc, save it as .docx in Word/WPS (另存为 .docx)")


def read_docx(path: str, data: bytes) -> Extraction:
    """Return the body's non-empty paragraphs numbered 1, 2, 3... and the core-properties title.

    Table cells count as paragraphs, row by row. A paragraph holding line breaks gives several lines
    that share its number. Headers, footers, footnotes and comments are left out.
    """
    _check_package(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        paragraphs = _body_paragraphs(body)
    except Exception as exc:  # broad on purpose: python-docx, lxml and zipfile raise many types on bad files
        raise _damaged(path) from exc
    lines: list[str] = []
    numbers: list[int] = []
    number = 0
    total = 0
    for paragraph in paragraphs:
        parts = [normalize_line(raw) for raw in split_source_lines(paragraph)]
        parts = [part for part in parts if part]
        if not parts:
            continue
        number += 1
        for part in parts:
            lines.append(part)
            numbers.append(number)
            total += len(part)
        if total > limits.MAX_TEXT_CHARS:
            raise too_much_text(path)
    return Extraction(tuple(lines), tuple(numbers), title=_title(document))


def _check_package(path: str, data: bytes) -> None:
    """Refuse non-zip files and zip bombs before python-docx unpacks anything."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # The OLE container of old .doc files, and also of password-protected .docx files.
        raise InputError(_("not a Word .docx file"), path=path,
                         hint=_(_NOT_DOCX_HINT) + _("; if it has a password, remove it"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as exc:  # broad on purpose: zipfile raises BadZipFile, ValueError, EOFError...
        if data.startswith(b"PK\x03\x04"):
            # Starts like a zip but its directory at the end is missing: an interrupted download or copy.
            raise InputError(_("damaged Word file (incomplete)"), path=path,
                             hint=_("download or copy it again")) from exc
        raise InputError(_("not a Word .docx file"), path=path, hint=_(_NOT_DOCX_HINT)) from exc
    names = {entry.filename for entry in entries}
    # The main part is usually word/document.xml, but Word sometimes writes word/document2.xml; python-docx
    # finds it through the package relationships, so only the shape of a Word package is checked here.
    if "[Content_Types].xml" not in names or not any(name.startswith("word/") for name in names):
        raise InputError(_("not a Word .docx file"), path=path, hint=_(_NOT_DOCX_HINT))
    if len(entries) > limits.MAX_DOCX_ENTRIES:
        raise InputError(_("too many parts in Word file ({n:,}; limit {limit:,})").format(
            n=len(entries), limit=limits.MAX_DOCX_ENTRIES), path=path, hint=_("open it in Word/WPS and save it again"))
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.MAX_DOCX_UNCOMPRESSED:
        raise InputError(
            _("Word file would unpack to {size:,.0f} MB (limit {limit} MB); refusing a possible zip bomb").format(
                size=unpacked / 2**20, limit=limits.MAX_DOCX_UNCOMPRESSED // 2**20),
            path=path, hint=_("re-save it in Word/WPS, or copy its text into a .txt file"))
    if any(entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries):
        raise _damaged(path)
    _check_elements(path, data, entries)


def _check_elements(path: str, data: bytes, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a package whose XML parts hold more than MAX_DOCX_TAGS tags, before python-docx parses them.

    Well under the size limit, 200 MB of `<w:r/>` is 34 million elements: a tree of several GB. Every element
    starts with a `<` (XML escapes it everywhere else as `&lt;`), so the count of `<` bounds the count of
    elements. The parts are inflated in 1 MB blocks and counted at C speed, stopping at the limit: no tree,
    almost no memory, a few milliseconds for the bomb.
    """
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(entry) as stream:
                    while block := stream.read(1 << 20):
                        count += block.count(b"<")
                        if count > limits.MAX_DOCX_TAGS:
                            raise InputError(_too_many_elements(), path=path, hint=_(
                                "re-save it in Word/WPS, or copy its text into a .txt file"))
            except InputError:
                raise
            except Exception as exc:  # broad on purpose: zipfile raises many types on bad parts
                raise _damaged(path) from exc


def _too_many_elements() -> str:
    return _("Word file holds more than {limit:,} XML tags; refusing a possible decompression bomb").format(
        limit=limits.MAX_DOCX_TAGS)


def _body_paragraphs(body: etree._Element) -> list[str]:
    """Paragraph texts in document order, descending into tables and content controls without recursion."""
    paragraphs: list[str] = []
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag == _P:
            paragraphs.append(_paragraph_text(element))
        elif tag in (_TBL, _TR, _SDT) or tag in _CONTAINERS:
            # Tables hold rows, rows cells, cells and content controls paragraphs and nested tables;
            # property elements among the children are popped and ignored.
            stack.extend(reversed(element))
    return paragraphs


def _paragraph_text(paragraph: etree._Element) -> str:
    pieces: list[str] = []
    for node in _RUN_CONTENT(paragraph):
        tag = node.tag
        if tag == _TEXT:
            pieces.append(node.text or "")
        elif tag == _TAB:
            pieces.append("\t")
        else:
            pieces.append("\n")
    return "".join(pieces)


def _title(document: WordDocument) -> str | None:
    try:
        title = document.core_properties.title
    except Exception:  # broad on purpose: broken metadata should not cost the document its text
        return None
    return title or None


def _damaged(path: str) -> InputError:
    return InputError(_("damaged Word file"), path=path, hint=_("open it in Word/WPS and save it again"))

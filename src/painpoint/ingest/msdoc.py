"""Word 97–2003 (.doc) and WPS文字 (.wps) files: the main document's text, read through its piece table.

Plans saved from county websites are often .doc or .wps. Both are OLE compound files holding a
`WordDocument` stream (WPS文字 writes the same binary layout as Word 97–2003). The text is found as the
MS-DOC specification describes it ([MS-DOC] 2.4.1 "Retrieving Text"): the file information block (FIB)
names the table stream and the offset of the Clx; the Clx's piece table maps character positions to byte
offsets, each piece either UTF-16LE or 8-bit "compressed" text. Only the main document is read (the first
`ccpText` characters): headers, footers, footnotes and comments are left out, as in .docx. Field codes
(the instruction between 0x13 and 0x14) are dropped and their shown result kept.

The compound-file container is read by `olefile` (pure Python, BSD licence, used by oletools and Pillow):
its sector chains and directory are where hand-written parsers go wrong on damaged files.
"""

from __future__ import annotations

import struct

from painpoint.errors import InputError
from painpoint.i18n import _
from painpoint.ingest.formats import Extraction, append_normalized

_WORD_IDENT = 0xA5EC
_FIB_FLAGS = 0x0A
_ENCRYPTED = 0x0100
_WHICH_TABLE = 0x0200
_NFIB = 0x02
_WORD97_NFIB = 0xC1
_CCP_TEXT = 0x4C
_FC_CLX = 0x01A2
_COMPRESSED = 0x40000000
_FC_MASK = 0x3FFFFFFF

_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
# paragraph end, line break, table cell/row end, page/section break: each ends a line
_LINE_ENDS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x07": "\n", "\x0c": "\n", "\x0e": "\n",
                            "\x1e": "-", "\x1f": None, "\xa0": " "})


def _as_what_it_is(path: str, data: bytes) -> Extraction:
    """A .doc or .wps file that is no Word 97–2003 file, read as what its bytes are: county websites publish web
    pages saved from Word (HTML), .docx and plain text under a .doc name. Neither (an older WPS format, junk):
    one line saying so."""
    from painpoint.ingest.stdin import sniff_suffix

    kind = sniff_suffix(data[:4096])
    try:
        if kind == ".html":
            from painpoint.ingest.html import read_html
            return read_html(path, data)
        if kind == ".docx":
            from painpoint.ingest.docx import read_docx
            return read_docx(path, data)
        if kind == ".pdf":
            from painpoint.ingest.pdf import read_pdf
            return read_pdf(path, data)
        from painpoint.ingest.text import read_text_file
        return read_text_file(path, data)
    except InputError:
        raise _unreadable(path, _("not a Word 97–2003 or WPS file (it may be an older WPS format or renamed)")
                          ) from None


def read_doc(path: str, data: bytes) -> Extraction:
    """The main document's non-empty paragraphs numbered 1, 2, 3 … and the file's title property."""
    import olefile

    if not olefile.isOleFile(data=data):
        return _as_what_it_is(path, data)
    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("WordDocument"):
                raise _unreadable(path, _("an Office file without a Word document inside"))
            # no stream, nor the mini stream that holds the small ones (the root entry's size), can be larger
            # than the file: a damaged size over a looping sector chain would otherwise be read to gigabytes
            if any(entry is not None and entry.size > len(data) for entry in ole.direntries):
                raise _unreadable(path, _("a stream claims to be larger than the file (damaged)"))
            word = ole.openstream("WordDocument").read()
            flags, table_name = _fib(path, word)
            if flags & _ENCRYPTED:
                raise InputError(_("the document is password-protected"), path=path,
                                 hint=_("open it in Word/WPS, remove the password and save it as .docx"))
            if not ole.exists(table_name):
                raise _unreadable(path, _("its table stream is missing"))
            table = ole.openstream(table_name).read()
            text = _main_text(path, word, table)
            title = _title(ole)
    except InputError:
        raise
    except (OSError, ValueError, TypeError, struct.error, IndexError) as exc:  # olefile reports damage with these
        raise _unreadable(path, str(exc) or type(exc).__name__) from exc
    lines: list[str] = []
    numbers: list[int] = []
    for number, paragraph in enumerate(_paragraphs(text), start=1):
        before = len(lines)
        append_normalized(lines, [paragraph], path)
        numbers += [number] * (len(lines) - before)
    # number only the paragraphs that hold text, as the .docx reader does
    renumbered = {n: i for i, n in enumerate(dict.fromkeys(numbers), start=1)}
    return Extraction(tuple(lines), tuple(renumbered[n] for n in numbers), title=title)


def _fib(path: str, word: bytes) -> tuple[int, str]:
    """(FIB flags, name of the table stream) after checking the stream is a Word 97 or later document."""
    if len(word) < _FC_CLX + 8 or struct.unpack_from("<H", word, 0)[0] != _WORD_IDENT:
        raise _unreadable(path, _("its Word document stream is damaged"))
    if struct.unpack_from("<H", word, _NFIB)[0] < _WORD97_NFIB:
        raise _unreadable(path, _("written by Word 95 or older"))
    flags = struct.unpack_from("<H", word, _FIB_FLAGS)[0]
    return flags, "1Table" if flags & _WHICH_TABLE else "0Table"


def _main_text(path: str, word: bytes, table: bytes) -> str:
    """The first ccpText characters, assembled from the pieces of the Clx's piece table."""
    ccp_text = struct.unpack_from("<i", word, _CCP_TEXT)[0]
    fc_clx, lcb_clx = struct.unpack_from("<II", word, _FC_CLX)
    clx = table[fc_clx:fc_clx + lcb_clx]
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: property modifiers, skipped
        at += 3 + struct.unpack_from("<h", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 0x02 or ccp_text < 0:
        raise _unreadable(path, _("its piece table is damaged"))
    size = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5:at + 5 + size]
    count = (len(plc) - 4) // 12
    if count <= 0:
        raise _unreadable(path, _("its piece table is damaged"))
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    parts: list[str] = []
    for i in range(count):
        start, end = cps[i], min(cps[i + 1], ccp_text)
        if end <= start:
            break
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * i + 2)[0]
        n = end - start
        if fc & _COMPRESSED:
            offset = (fc & _FC_MASK) // 2
            parts.append(word[offset:offset + n].decode("cp1252", errors="replace"))
        else:
            offset = fc & _FC_MASK
            parts.append(word[offset:offset + 2 * n].decode("utf-16-le", errors="replace"))
    return "".join(parts)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of the text with field instructions dropped and control characters removed."""
    shown: list[str] = []
    fields: list[bool] = []  # per open field: still in its instruction part
    for char in text:
        if char == _FIELD_BEGIN:
            fields.append(True)
        elif char == _FIELD_SEPARATOR and fields:
            fields[-1] = False
        elif char == _FIELD_END and fields:
            fields.pop()
        elif not any(fields):
            shown.append(char)
    plain = "".join(shown).translate(_LINE_ENDS)
    return ["".join(c for c in line if c >= " " or c == "\t") for line in plain.split("\n")]


def _title(ole: object) -> str | None:
    """The title from the SummaryInformation property set, decoded with the set's code page."""
    try:
        meta = ole.get_metadata()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a damaged property set only costs the title
        return None
    raw = getattr(meta, "title", None)
    if not isinstance(raw, bytes) or not raw.strip(b"\x00 "):
        return None
    codepage = getattr(meta, "codepage", None)
    codepage = codepage & 0xFFFF if isinstance(codepage, int) and codepage else 1252  # 65001 (UTF-8) is stored -535
    try:
        return raw.decode("utf-16-le" if codepage == 1200 else f"cp{codepage}").strip("\x00 ") or None
    except (LookupError, UnicodeDecodeError):
        return None


def _unreadable(path: str, reason: str) -> InputError:
    return InputError(_("cannot read this Word 97–2003/WPS file: {reason}").format(reason=reason), path=path,
                      hint=_("open it in Word or WPS and save it as .docx (另存为 .docx)"))

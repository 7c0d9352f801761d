"""Plain-text files (.txt, .md): guess the encoding, split lines exactly as the file has them."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from painpoint.errors import InputError
from painpoint.i18n import N_, _
from painpoint.ingest import limits
from painpoint.ingest.formats import Extraction, too_much_text
from painpoint.text.normalize import normalize_line

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# GB18030 is a superset of GBK and GB2312: characters outside GB2312 (镕, 堃, 喆 in names) are common in
# real files labelled GB2312, and decoding them as GB2312 would fail or lose them.
_GB_FAMILY = {"gb2312", "gbk", "gb18030"}

# Short GBK snippets are sometimes guessed as Korean, Japanese or UTF-16. Korean and Japanese are not
# languages painpoint reads, and UTF-16 text without a single NUL byte would need to hold no ASCII at all,
# not even a line break; so when such a guess also decodes as GB18030, GB18030 wins. Big5 is left alone:
# traditional-Chinese files are plausible input, and Big5 bytes always decode as GB18030 too.
_UNLIKELY_GUESSES = {"cp949", "euc_kr", "johab", "iso2022_kr", "shift_jis", "cp932", "euc_jp",
                     "shift_jis_2004", "shift_jisx0213", "euc_jis_2004", "euc_jisx0213", "iso2022_jp",
                     "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}

# Python codecs that are escapes or placeholders, not character sets; a meta tag naming one is ignored.
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "undefined", "idna", "punycode"}

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Share of characters that may be control characters (other than tab, line and page breaks) or
# replacement characters before the bytes count as binary rather than text.
_MAX_JUNK_SHARE = 0.01
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")

# Characters a Chinese planning document is made of: ASCII, Latin-1, general and CJK punctuation, CJK
# radicals and ideographs, full-width forms.
_PLAUSIBLE = re.compile("[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u2460-\u24ff\u2e80-\u2fdf"
                        "\u3000-\u303f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_MIN_PLAUSIBLE_SHARE = 0.9

# What a damaged file in a text file's name looks like (a sound PDF, .docx or .doc is read as what it is).
_MAGIC = (
    (b"PK\x03\x04", N_("it looks like a .docx or other zip file; rename it to match")),
    (b"\xd0\xcf\x11\xe0", N_("it looks like an old Word .doc; save it as .docx in Word/WPS (另存为 .docx)")),
)


def read_text_file(path: str, data: bytes) -> Extraction:
    """Decode `data` and return its non-blank lines, numbered as in the file (blank lines are dropped)."""
    text, encoding = decode_text(path, data)
    if len(text) > limits.MAX_TEXT_CHARS:
        raise too_much_text(path)
    lines: list[str] = []
    numbers: list[int] = []
    for number, raw in enumerate(split_source_lines(text), start=1):
        line = normalize_line(raw)
        if line:
            lines.append(line)
            numbers.append(number)
    return Extraction(tuple(lines), tuple(numbers), encoding=encoding)


def split_source_lines(text: str) -> list[str]:
    """Split on CRLF, CR and LF only, as editors number lines (str.splitlines also splits on \\f)."""
    return _LINE_BREAK.split(text)


def decode_text(path: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return `data` decoded and the encoding used; raise InputError for empty or binary content.

    Order: byte order mark; UTF-16 without a mark when NUL bytes sit at alternating positions (NUL
    anywhere else means binary); strict UTF-8; the `declared` encoding (an HTML meta charset); UTF-8 with
    a few bad bytes; charset_normalizer's guess, with GB2312/GBK read as GB18030.
    """
    if not data.strip():
        raise InputError(_("empty file"), path=path, hint=_("it holds no text; check it was saved completely"))
    decoded = _decode_with_bom(data)
    if decoded is None and b"\x00" in data:
        # Text never contains NUL; only UTF-16 puts it between ordinary characters.
        decoded = _decode_utf16_without_bom(data)
        if decoded is None:
            raise _not_text(path, data)
    if decoded is None:
        decoded = _try_decode(data, "utf-8")
    if decoded is None and declared:
        decoded = _try_decode(data, _prefer_gb18030(declared), tolerant=True)
    if decoded is None:
        decoded = _decode_damaged_utf8(data) or _decode_guessed(data)
    if decoded is None:
        raise _not_text(path, data)
    text, encoding = decoded
    if _looks_binary(text):
        raise _not_text(path, data)
    if not text.strip():
        raise InputError(_("empty file"), path=path,
                         hint=_("it holds only blanks; check it was saved completely"))
    return text, encoding


def _decode_with_bom(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # A mark followed by undecodable bytes is binary that happens to start like one.
            found = _try_decode(data[len(bom):], encoding.removesuffix("-sig"), tolerant=True)
            return (found[0], encoding) if found else None
    return None


def _decode_damaged_utf8(data: bytes) -> tuple[str, str] | None:
    # A file cut off mid-character (head -c, a failed download) is still UTF-8; a handful of bad bytes
    # among thousands of good multi-byte characters should not send it to a guesser.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    # GBK bytes inside mostly-ASCII text also decode to a few stray UTF-8 characters; demanding many
    # more good multi-byte characters than bad bytes keeps those for the guesser.
    if bad <= len(text) // 1000 and good >= 20 * bad:
        return text, "utf-8"
    return None


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    # ASCII characters (digits, line breaks) put their zero byte on the odd side in little-endian and the
    # even side in big-endian, but so does 一 (U+4E00) the other way round; so both byte orders are tried
    # and the one that reads as Chinese or ASCII wins. Random binary reads as neither.
    best: tuple[str, str] | None = None
    best_share = _MIN_PLAUSIBLE_SHARE
    for encoding in ("utf-16-le", "utf-16-be"):
        found = _try_decode(data, encoding)
        if found and found[0]:
            share = 1 - len(_PLAUSIBLE.sub("", found[0])) / len(found[0])
            # Ties (a file of nothing but 一, 00 4E, reads as "N" backwards) go to little-endian, the
            # byte order Windows writes.
            if share > best_share or best is None and share == best_share:
                best, best_share = found, share
    return best


def _decode_guessed(data: bytes) -> tuple[str, str] | None:
    try:
        best = charset_normalizer.from_bytes(data).best()
    except Exception:  # broad on purpose: a detector failing on odd bytes means "unknown", not a crash
        return None
    if best is None:
        return None
    encoding = _prefer_gb18030(best.encoding)
    if encoding in _UNLIKELY_GUESSES:
        as_gb = _try_decode(data, "gb18030")
        if as_gb and not _looks_binary(as_gb[0]):
            return as_gb
    return _try_decode(data, encoding, tolerant=True)


def _prefer_gb18030(encoding: str) -> str:
    name = _codec_name(encoding)
    return "gb18030" if name in _GB_FAMILY else name


def _codec_name(encoding: str) -> str:
    """Python's canonical name for `encoding` ("GB2312" -> "gb2312", "cp936" -> "gbk"), or it lower-cased."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()


def _try_decode(data: bytes, encoding: str, *, tolerant: bool = False) -> tuple[str, str] | None:
    if _codec_name(encoding) in _NOT_CHARSETS:
        return None
    # Besides UnicodeError and LookupError, odd codecs named by a file's meta tag raise ValueError or
    # TypeError; all of them mean "not this encoding".
    try:
        return data.decode(encoding), encoding
    except (UnicodeError, LookupError, ValueError, TypeError):
        if not tolerant:
            return None
    try:
        text = data.decode(encoding, errors="replace")
    except (UnicodeError, LookupError, ValueError, TypeError):
        return None
    if text.count("\ufffd") > len(text) * _MAX_JUNK_SHARE:
        return None
    return text, encoding


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    junk = sum(1 for _ in _JUNK.finditer(text))
    return junk > len(text) * _MAX_JUNK_SHARE


def _not_text(path: str, data: bytes) -> InputError:
    for magic, hint in _MAGIC:
        if data.startswith(magic):
            return InputError(_("not a text file"), path=path, hint=_(hint))
    return InputError(_("not a text file"), path=path, hint=_("save it as UTF-8 text (.txt) and try again"))

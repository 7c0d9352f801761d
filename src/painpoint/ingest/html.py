"""HTML pages (.html, .htm): the visible text of the page body, one line per block element."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from painpoint.errors import InputError
from painpoint.i18n import _
from painpoint.ingest.formats import Extraction, append_normalized
from painpoint.ingest.text import decode_text, split_source_lines

# Never shown as page text: code, page chrome (navigation, site header and footer, sidebars, forms),
# embedded frames and media. <head> is skipped too; its <title> is read separately.
_SKIPPED = frozenset({
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
    "head", "select", "button", "textarea", "object", "embed", "canvas", "audio", "video", "map",
})
# <header>/<footer> inside an article belong to it (its title, its date and issuing office).
_PAGE_CHROME_ONLY = frozenset({"header", "footer"})
_CONTENT_ROOTS = ("article", "main")

# Elements that start and end a line of text.
_BLOCKS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "section", "article", "main",
    "pre", "table", "caption", "ul", "ol", "dl", "dt", "dd", "blockquote", "address", "center", "figure",
    "figcaption", "details", "summary", "hr", "body", "html", "title",
})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_BLOCK_END = object()
"""Marker pushed on the walk stack so the end of a block element also ends the current line."""


def read_html(path: str, data: bytes) -> Extraction:
    """Return the page's visible lines, numbered 1, 2, 3... in page order, and its <title>."""
    text, encoding = decode_text(path, data, declared=_declared_charset(data))
    try:
        with warnings.catch_warnings():
            # bs4 warns about markup that looks like a file name or URL, or like XML; not the user's concern.
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(text, "lxml")
            title = _title(soup)
            raw_lines = _visible_lines(soup)
    except Exception as exc:  # broad on purpose: bs4 and lxml raise many types on hostile markup
        raise InputError(_("cannot parse HTML"), path=path,
                         hint=_("open it in a browser and save it again (另存为)")) from exc
    lines: list[str] = []
    append_normalized(lines, raw_lines, path)
    return Extraction(tuple(lines), tuple(range(1, len(lines) + 1)), title=title, encoding=encoding)


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return found.group(1).decode("ascii") if found else None


def _title(soup: BeautifulSoup) -> str | None:
    head = soup.head
    tag = head.find("title") if head is not None else None
    if not isinstance(tag, Tag):
        return None
    return tag.get_text(" ") or None


def _visible_lines(soup: BeautifulSoup) -> list[str]:
    """Walk the tree without recursion (pages nest 10,000 levels deep) and collect block texts."""
    lines: list[str] = []
    buffer: list[str] = []

    def end_line() -> None:
        if buffer:
            lines.append("".join(buffer))
            buffer.clear()

    stack: list[object] = [soup]
    while stack:
        node = stack.pop()
        if node is _BLOCK_END:
            end_line()
        elif isinstance(node, NavigableString):
            # Comments, doctypes and processing instructions are NavigableString subclasses too.
            if type(node) is NavigableString or isinstance(node, CData):
                buffer.append(str(node))
        elif isinstance(node, Tag):
            name = node.name
            if _is_skipped(node) or _is_hidden(node):
                continue
            if name == "br":
                end_line()
            elif name == "pre":
                end_line()
                lines.extend(split_source_lines(node.get_text()))
            else:
                if name in _BLOCKS:
                    end_line()
                    stack.append(_BLOCK_END)
                stack.extend(reversed(node.contents))
    end_line()
    return lines


def _is_skipped(tag: Tag) -> bool:
    if tag.name not in _SKIPPED:
        return False
    return tag.name not in _PAGE_CHROME_ONLY or tag.find_parent(_CONTENT_ROOTS) is None


def _is_hidden(tag: Tag) -> bool:
    attrs = tag.attrs
    if not attrs:
        return False
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    style = attrs.get("style")
    return isinstance(style, str) and _HIDDEN_STYLE.search(style) is not None

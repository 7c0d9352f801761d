"""Standard input as a plan: `painpoint scan -` reads one document piped in, of any format scan reads."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from painpoint.errors import InputError
from painpoint.i18n import _
from painpoint.ingest import limits

STDIN_NAME = "stdin"
"""The spooled file's name (its suffix comes from what the bytes are): what results show as the plan's file."""


def sniff_suffix(head: bytes) -> str:
    """The suffix for a document that starts with `head`: .pdf, .docx, .doc, .html or (anything else) .txt."""
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE compound file: Word 97–2003 or WPS
        return ".doc"
    probe = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<div", b"<p")):
        return ".html"
    return ".txt"


@contextmanager
def spooled_stdin(stream: BinaryIO) -> Iterator[str]:
    """`stream` copied (up to the file limit) into a private temporary file; its path while the block runs."""
    data = stream.read(limits.MAX_FILE_BYTES + 1)
    if len(data) > limits.MAX_FILE_BYTES:
        raise InputError(_("standard input is larger than {limit} MB").format(
            limit=limits.MAX_FILE_BYTES // (1024 * 1024)), path="-", hint=_("save it as a file and split it"))
    if not data.strip():
        raise InputError(_("standard input is empty"), path="-",
                         hint=_("pipe a document in (… | painpoint scan -), or give a file"))
    folder = tempfile.mkdtemp(prefix="painpoint-stdin-")
    try:
        path = os.path.join(folder, STDIN_NAME + sniff_suffix(data[:4096]))
        with open(path, "wb") as fh:
            fh.write(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)

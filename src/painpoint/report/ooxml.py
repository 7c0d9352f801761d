"""Office files (xlsx, docx) that come out byte-identical for the same content."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
"""Stands in for "now" in document properties: a report says when its plans were written, not when it ran."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip package with fixed entry times and attributes, keeping entry order and content.

    openpyxl and python-docx stamp every zip entry with the current local time, so two runs a second apart
    differ in bytes even when every document part is identical.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()

"""Spreadsheet cells from untrusted text: a plan or profile that starts with `=` stays text, never a formula.

Excel, WPS and LibreOffice run a CSV cell starting with `=`, `+`, `-` or `@` (and, in some versions, a tab or
carriage return) as a formula: `=HYPERLINK("http://…","点此")` in a plan title would become a live link, and
worse. Following OWASP's CSV-injection advice, such a text cell is written with a leading apostrophe, which
spreadsheets show as text; a cell that is a number ("-0.5") is left as it is, so numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula (and it is not simply a number)."""
    if not text.startswith(FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def csv_cell(value: object) -> object:
    """`value` made safe for a CSV cell: formula-like text gets a leading apostrophe; other values unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV for Excel (CRLF line ends), every cell of the header and of every row passed through `csv_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()

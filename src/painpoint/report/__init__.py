"""Renderers: one per output format, plus atomic writing of report files."""

from __future__ import annotations

from enum import Enum


class OutputFormat(str, Enum):
    """Output formats of scan and match."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"

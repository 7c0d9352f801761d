"""Renderers: one per output format, plus atomic writing of report files."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    """Output formats of scan and match."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class PitchFormat(StrEnum):
    """Output formats of a brief (`painpoint pitch`)."""

    md = "md"
    docx = "docx"


class EvalFormat(StrEnum):
    """Output formats of eval."""

    table = "table"
    json = "json"

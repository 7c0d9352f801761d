"""Excel workbook of a match run: one sheet per view, byte-identical for the same result.

Column headers and the words in cells are in the language in force. Sheet names are the same in every language:
the README names them and scripts open a sheet by its name (`wb["匹配"]`), as the tests do.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from painpoint.i18n import N_, _, ngettext
from painpoint.match.shared import shared_themes
from painpoint.pipeline import MatchResult
from painpoint.report.cells import is_formula_like
from painpoint.report.ooxml import FIXED_TIME, stable_zip

SHEETS = ("部门×痛点", "组织×部门", "匹配", "依据", "共同主题")
"""Sheet names in workbook order; never translated (see the module's docstring)."""


def _cell_value(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # control characters make openpyxl refuse the whole workbook; a plan is untrusted and may carry them
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _sheet(wb, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],  # type: ignore[no-untyped-def]
           widths: Sequence[int], *, number_cols: Sequence[int] = ()):
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(title)
    ws.append(list(header))
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    for row in ws.iter_rows():
        for cell in row:
            # Text from plans and profiles is data, never a formula, headers included (they name departments
            # and organizations): "=HYPERLINK(...)" is stored as a string, and quotePrefix keeps it one when
            # someone edits the cell in Excel.
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if is_formula_like(cell.value):
                    cell.quotePrefix = True
            if isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
    for col in number_cols:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "0.00"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    return ws


# the workbook is read by people: a pain point's kind and source in words, not the JSON's codes
_KIND = {"theme": N_("theme"), "phrase": N_("key phrase")}
_SOURCE = {"text": N_("plan text"), "statutory": N_("statutory duty (not in the text)")}


def to_xlsx(result: MatchResult) -> bytes:
    """The workbook: departments × pain points, organizations × departments (scores), matches, evidence and
    shared themes."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)

    rows: list[list[Any]] = []
    for d in result.departments:
        for rank, p in enumerate(d.pain_points, start=1):
            first = p.evidence[0] if p.evidence else None
            rows.append([d.name, rank, p.theme, p.score, p.weight, _(_KIND.get(p.kind, p.kind)),
                         _(_SOURCE.get(p.source.value, p.source.value)), "、".join(p.terms),
                         "、".join(p.units), first.document if first else "", first.line if first else None,
                         first.text if first else ""])
    header = [_("Department"), _("Rank"), _("Pain point"), _("Score"), _("Share of plan"), _("Kind"), _("Source"),
              _("Plan's words"), _("Responsible units"), _("Evidence file"), _("Line"), _("Plan text")]
    _sheet(wb, SHEETS[0], header, rows, [22, 6, 16, 7, 9, 7, 9, 30, 24, 30, 6, 80], number_cols=(4, 5))

    orgs: dict[str, str] = {}
    for m in result.matches:
        orgs.setdefault(m.org_id, m.org_name)
    order = sorted(orgs)
    depts = [d.name for d in result.departments]
    score = {(m.org_id, m.department): m.score for m in result.matches}
    matrix = [[orgs[o], o, *[score.get((o, d)) for d in depts]] for o in order]
    ws = _sheet(wb, SHEETS[1], [_("Organization"), _("Organization ID"), *depts], matrix, [30, 22, *[12] * len(depts)],
                number_cols=range(3, 3 + len(depts)))
    if matrix and depts:
        cells = f"C2:{get_column_letter(2 + len(depts))}{1 + len(matrix)}"
        scale = ColorScaleRule(start_type="num", start_value=0, start_color="F3F7FB",
                               end_type="num", end_value=1, end_color="0B4F8A")
        ws.conditional_formatting.add(cells, scale)

    rows = [[m.department, m.rank, m.org_id, m.org_name, m.score, "、".join(m.pain_points),
             "、".join(m.plan_terms), "、".join(m.org_terms), "\n".join(m.reasons),
             _("yes") if m.local else (_("no") if m.local is False else _("unknown")),
             m.theme_score, m.similarity] for m in result.matches]
    header = [_("Department"), _("Rank"), _("Organization ID"), _("Organization"), _("Score"),
              _("Pain points served"), _("In the plan's words"), _("In the organization's words"), _("Reasons"),
              _("Local"), _("Theme score"), _("Wording similarity")]
    _sheet(wb, SHEETS[2], header, rows,
           [22, 6, 22, 30, 7, 24, 30, 24, 70, 6, 8, 10], number_cols=(5, 11, 12))

    rows = []
    for m in result.matches:
        for e in m.evidence:
            rows.append([m.department, m.org_id, m.org_name, m.score, "、".join(m.pain_points), e.document,
                         e.line, e.text])
    header = [_("Department"), _("Organization ID"), _("Organization"), _("Score"), _("Pain points served"),
              _("Evidence file"), _("Line"), _("Plan text")]
    _sheet(wb, SHEETS[3], header, rows,
           [22, 22, 30, 7, 24, 30, 6, 90], number_cols=(4,))

    scored = _("{name} ({score:.2f})")
    rows = [[s.theme, len(s.departments), "、".join(scored.format(name=n, score=v) for n, v in s.departments),
             "、".join(ngettext("{name} ({n} department, {mean:.2f})", "{name} ({n} departments, {mean:.2f})", n)
                      .format(name=name, n=n, mean=mean) for _org_id, name, n, mean in s.organizations)]
            for s in shared_themes(result.departments, result.matches)]
    header = [_("Theme"), _("Departments"), _("Departments concerned (pain point score)"),
              _("Organizations that can serve several departments")]
    _sheet(wb, SHEETS[4], header, rows,
           [18, 8, 60, 70])

    wb.properties.creator = "painpoint"
    wb.properties.title = _("painpoint match results")
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    # ExcelWriter rather than Workbook.save: save() stamps the current time into the document properties
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return stable_zip(buf.getvalue())

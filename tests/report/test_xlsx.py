"""The Excel workbook: one sheet per view, cells that match the result, text never a formula, same bytes."""

from __future__ import annotations

import io
import re
import time
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from painpoint import i18n
from painpoint.report.xlsx import SHEETS, to_xlsx


def _book(result):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(to_xlsx(result)))


def test_sheets_and_headers(assets_result) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("zh")
    wb = _book(assets_result)
    assert tuple(wb.sheetnames) == SHEETS
    header = [c.value for c in wb["部门×痛点"][1]]
    assert header[:4] == ["部门", "排名", "痛点", "分数"] and header[-1] == "规划原文"
    assert [c.value for c in wb["依据"][1]][-3:] == ["依据文件", "行", "规划原文"]
    assert wb["匹配"].freeze_panes == "B2"


def test_headers_and_words_in_english_sheet_names_unchanged(assets_result) -> None:  # type: ignore[no-untyped-def]
    """A person reads the headers in their language; the sheet names stay what the README and scripts use."""
    wb = _book(assets_result)
    assert tuple(wb.sheetnames) == SHEETS == ("部门×痛点", "组织×部门", "匹配", "依据", "共同主题")
    headers = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets}
    assert headers["部门×痛点"][:4] == ["Department", "Rank", "Pain point", "Score"]
    assert headers["部门×痛点"][-3:] == ["Evidence file", "Line", "Plan text"]
    assert headers["组织×部门"][:2] == ["Organization", "Organization ID"]
    assert headers["组织×部门"][2:] == [d.name for d in assets_result.departments], "department names are data"
    assert headers["匹配"][8:10] == ["Reasons", "Local"]
    assert headers["共同主题"] == ["Theme", "Departments", "Departments concerned (pain point score)",
                                 "Organizations that can serve several departments"]
    cjk = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
    for title in ("部门×痛点", "匹配", "依据", "共同主题"):
        assert not [h for h in headers[title] if cjk.search(h)], title
    local = {row[9] for row in wb["匹配"].iter_rows(min_row=2, values_only=True)}
    assert local and local <= {"yes", "no", "unknown"}
    shared = next(wb["共同主题"].iter_rows(min_row=2, values_only=True))
    assert re.search(r"（|个部门", shared[2] + shared[3]) is None, shared
    assert re.search(r" \(2 departments, \d\.\d\d\)", shared[3]), shared[3]
    assert wb.properties.title == "painpoint match results"


def test_departments_by_pain_points(assets_result) -> None:  # type: ignore[no-untyped-def]
    ws = _book(assets_result)["部门×痛点"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(d.pain_points) for d in assets_result.departments)
    civil = next(d for d in assets_result.departments if d.name == "示例县民政局")
    first = next(r for r in rows if r[0] == "示例县民政局")
    top = civil.pain_points[0]
    assert first[1:4] == (1, top.theme, top.score)
    assert first[9:12] == (top.evidence[0].document, top.evidence[0].line, top.evidence[0].text)
    i18n.set_language("zh")
    zh = next(r for r in _book(assets_result)["部门×痛点"].iter_rows(min_row=2, values_only=True)
              if r[0] == "示例县民政局")
    assert zh[5:7] == ("主题", "规划原文")  # kind and source in words, not the JSON's codes (theme, text)


def test_organizations_by_departments_holds_every_score(assets_result) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("zh")
    ws = _book(assets_result)["组织×部门"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["组织", "组织ID"]
    assert header[2:] == [d.name for d in assets_result.departments]
    cells = {(row[1], dept): value for row in ws.iter_rows(min_row=2, values_only=True)
             for dept, value in zip(header[2:], row[2:], strict=True)}
    assert len(cells) == len(assets_result.matches)
    for m in assets_result.matches:
        assert cells[(m.org_id, m.department)] == m.score
    assert ws.conditional_formatting, "scores are shaded like the heat map"


def test_matches_and_evidence(assets_result) -> None:  # type: ignore[no-untyped-def]
    wb = _book(assets_result)
    matches = list(wb["匹配"].iter_rows(min_row=2, values_only=True))
    assert len(matches) == len(assets_result.matches)
    m = assets_result.matches[0]
    assert matches[0][:5] == (m.department, m.rank, m.org_id, m.org_name, m.score)
    assert matches[0][8] == "\n".join(m.reasons)
    evidence = list(wb["依据"].iter_rows(min_row=2, values_only=True))
    assert len(evidence) == sum(len(x.evidence) for x in assets_result.matches)
    e = m.evidence[0]
    assert (e.document, e.line, e.text) in {r[5:8] for r in evidence}
    shared = list(wb["共同主题"].iter_rows(min_row=2, values_only=True))
    assert shared and shared[0][0] == "养老服务" and shared[0][1] == 2


def test_text_that_looks_like_a_formula_stays_text(assets_result) -> None:  # type: ignore[no-untyped-def]
    m = assets_result.matches[0]
    evil = replace(assets_result, matches=(replace(m, org_name='=HYPERLINK("http://x","点我")',
                                                   reasons=("-1+2\x07",)), *assets_result.matches[1:]))
    ws = _book(evil)["匹配"]
    name, reasons = ws.cell(row=2, column=4), ws.cell(row=2, column=9)
    assert name.data_type == "s" and name.value == '=HYPERLINK("http://x","点我")'
    assert reasons.data_type == "s" and reasons.value == "-1+2", "control characters are dropped"


def test_byte_identical_across_runs_and_clock(assets_result, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    first = to_xlsx(assets_result)
    # a zip entry's time comes from time.time(): render again "years later"
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    assert to_xlsx(assets_result) == first

"""Pitch briefs: golden Markdown, only facts from plan and profile, what a thin profile should add, docx."""

from __future__ import annotations

import io
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from painpoint import i18n
from painpoint.errors import UsageError
from painpoint.match.pitch import build_pitch, resolve_department
from painpoint.report.pitch import PitchFormat, to_docx, to_markdown

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
ASSETS = Path(__file__).parent / "assets"
UPDATE = os.environ.get("PAINPOINT_UPDATE_GOLDEN") == "1"
"""Set PAINPOINT_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change; review the diff."""


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}: run with PAINPOINT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _chinese() -> None:
    """The golden files are the Chinese brief a user takes into a meeting (the English one: test_pitch_english.py)."""
    i18n.set_language("zh")


@pytest.mark.parametrize(("org_id", "department", "golden"), [
    ("sl-elder", "示例县民政局", "pitch_elder_civil.md"),
    ("sl-thin", "卫生健康局", "pitch_thin_health.md"),
])
def test_markdown_brief_matches_golden_file(assets_result, org_id: str, department: str, golden: str) -> None:  # type: ignore[no-untyped-def]
    _golden(golden, to_markdown(build_pitch(assets_result, org_id, department)))


def test_brief_follows_the_four_steps(assets_result) -> None:  # type: ignore[no-untyped-def]
    md = to_markdown(build_pitch(assets_result, "sl-elder", "民政局"))
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[:4] == ["## 一、部门的痛点（规划原文）", "## 二、我们做过的相关工作（用部门的话说）",
                            "## 三、宗旨如何服务部门的目标", "## 四、我们将报告的成果与宣传方式"]


def test_quotes_are_the_plans_own_sentences_and_targets(assets_result) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-elder", "民政局")
    plan = (ASSETS / "plans" / "civil.txt").read_text(encoding="utf-8").splitlines()
    quoted = [*(e for point in p.points for e in point.evidence),
              *(t for point in p.points for t in point.targets)]
    assert quoted
    for q in quoted:
        assert q.text.strip("…") in plan[q.line - 1], f"line {q.line} does not say {q.text!r}"
    assert [t.line for t in p.targets] == [7, 9], "meal points and care beds are what it reports against"
    assert "第9行（150张、500人）" in to_markdown(p)


def test_experience_is_restated_in_the_departments_words(assets_result) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-elder", "民政局")
    meals = next(pp for pp in p.projects if pp.project.name == "邻里长者饭桌")
    assert "居家社区养老" in meals.themes
    assert "长者饭堂" in meals.org_terms and {"助餐点", "老年人"} & set(meals.plan_terms)
    md = to_markdown(p)
    assert "规划称「" in md and "我们称「" in md
    assert "成效：日均就餐约160人次，其中送餐上门38户。" in md


def test_missing_results_are_asked_for_not_invented(assets_result) -> None:  # type: ignore[no-untyped-def]
    md = to_markdown(build_pitch(assets_result, "sl-elder", "民政局"))
    tea = md.split("项目「照顾者的午后茶」")[1].split("###")[0]
    assert "成效：档案未记录" in tea
    assert "项目「照顾者的午后茶」没有记录成效（results）" in md
    assert "项目「照顾者的午后茶」没有记录合作方（partners）" in md


def test_thin_profile_gets_a_list_of_what_to_add(assets_result) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-thin", "卫生健康局")
    assert p.projects == ()
    assert any("projects" in g for g in p.gaps)
    assert any("region" in g for g in p.gaps)
    assert any("credentials" in g for g in p.gaps)
    md = to_markdown(p)
    assert "档案中没有与这些痛点对应的项目记录" in md
    assert "以往成效" not in md


def test_organization_serving_nothing_still_learns_the_departments_needs(assets_result) -> None:  # type: ignore[no-untyped-def]
    elder = next(x for x in assets_result.profiles if x.id == "sl-elder")
    music = replace(elder, id="music", name="古典音乐推广协会", mission="让更多人听到交响乐。",
                    services=("音乐会",), beneficiaries=(), projects=())
    from painpoint.match.pitch import _points  # the fallback is what a user of an unrelated profile sees
    from painpoint.themes import load_taxonomy

    dept = resolve_department(assets_result.departments, "民政局")
    empty = next(m for m in assets_result.matches if m.department == dept.name)
    empty = replace(empty, org_id=music.id, pain_points=())
    points, targets = _points(dept, empty, assets_result.plans, load_taxonomy())
    assert points and not any(p.served for p in points) and targets == ()
    assert [p.theme for p in points] == [p.theme for p in dept.pain_points[:3]]


def test_department_must_be_unambiguous(assets_result) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    with pytest.raises(UsageError, match="no department matches '交通'"):
        build_pitch(assets_result, "sl-elder", "交通")
    with pytest.raises(UsageError, match="matches 2 departments"):
        build_pitch(assets_result, "sl-elder", "示例县")
    with pytest.raises(UsageError, match="no organization with id 'nobody'"):
        build_pitch(assets_result, "nobody", "民政局")


def test_untrusted_text_stays_literal_in_markdown(assets_result) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-elder", "民政局")
    mission = "<script>alert(1)</script> [点我](javascript:alert(1)) *粗*"
    evil = replace(p, org=replace(p.org, mission=mission))
    md = to_markdown(evil)
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\> \[点我\](javascript:alert(1)) \*粗\*" in md


@pytest.mark.parametrize("fmt", list(PitchFormat))
def test_every_pitch_format_renders(assets_result, fmt: PitchFormat) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-elder", "民政局")
    render = {PitchFormat.md: to_markdown, PitchFormat.docx: to_docx}[fmt]
    out = render(p)
    assert out and (isinstance(out, bytes) or "示例县民政局" in out)


def test_docx_has_the_same_content_and_is_byte_identical(assets_result,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    p = build_pitch(assets_result, "sl-elder", "民政局")
    first = to_docx(p)
    # zip entries carry the current time unless fixed: render again "years later"
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    assert to_docx(p) == first
    document = docx.Document(io.BytesIO(first))
    texts = [para.text for para in document.paragraphs]
    assert texts[0] == "合作建议：示例县安康居家照护服务中心 × 示例县民政局"
    headings = [para.text for para in document.paragraphs if para.style.name == "Heading 2"]
    assert headings[:4] == ["一、部门的痛点（规划原文）", "二、我们做过的相关工作（用部门的话说）",
                            "三、宗旨如何服务部门的目标", "四、我们将报告的成果与宣传方式"]
    assert any("日均就餐约160人次" in t for t in texts)
    assert document.core_properties.author == "示例县安康居家照护服务中心"


def test_docx_drops_characters_xml_cannot_hold(assets_result) -> None:  # type: ignore[no-untyped-def]
    import docx

    p = build_pitch(assets_result, "sl-elder", "民政局")
    bell = replace(p, org=replace(p.org, mission="陪伴\x07长者\x00在家"))
    texts = [para.text for para in docx.Document(io.BytesIO(to_docx(bell))).paragraphs]
    assert "机构宗旨：陪伴长者在家" in texts


def test_a_target_that_sets_only_money_is_none_to_report_against() -> None:
    from types import SimpleNamespace

    from helpers import make_document
    from painpoint.match.pitch import _targets
    from painpoint.plans import parse_plan
    from painpoint.themes import load_taxonomy

    text = ("示例县民政局2025年工作要点\n"
            "农村低保标准提高到每人每月620元，城市低保标准提高到每人每月780元。\n"
            "临时救助资金达到300万元，全年救助困难群众不少于1200人次。\n")
    plan = SimpleNamespace(plan=parse_plan(make_document(text, "civil.txt")))
    targets = _targets("社会救助", ("低保", "临时救助"), [plan], load_taxonomy())  # type: ignore[list-item]
    # a benefit standard is the government's to pay; the people an organization reaches are its to report
    assert [(t.line, t.values) for t in targets] == [(3, ("1200人",))]


def test_targets_from_several_plans_name_their_plan(assets_result) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-elder", "民政局")
    assert "第7行" in to_markdown(p) and "civil.txt 第7行" not in to_markdown(p)  # one plan: the line is enough
    other = replace(p.targets[0], document="plans/民政局2024年工作总结.txt", line=3)
    md = to_markdown(replace(p, targets=(p.targets[0], other)))
    assert "civil.txt 第7行" in md and "民政局2024年工作总结.txt 第3行" in md

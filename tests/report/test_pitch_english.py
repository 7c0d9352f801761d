"""The pitch brief in English: every label, heading and sentence frame is English; plan and profile text stays as
written (the Chinese brief is pinned by the golden files of test_pitch.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from painpoint import i18n
from painpoint.match.pitch import Pitch, build_pitch
from painpoint.pipeline import pitch
from painpoint.report.pitch import to_docx, to_markdown

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
"""Chinese characters and Chinese punctuation (、，：（）「」)."""


@pytest.fixture(autouse=True)
def _english() -> None:
    i18n.set_language("en")


def _data(p: Pitch) -> list[str]:
    """Every piece of text the brief quotes from the plans and the profile, longest first."""
    org = p.org
    items = [org.name, str(org.kind or ""), org.mission, *org.region, *org.credentials, p.department, p.place or ""]
    for point in p.points:
        items += [point.theme, *point.terms, *(e.text for e in point.evidence)]
        items += [x for t in point.targets for x in (t.text, *t.values)]
    items += [x for t in p.targets for x in t.values]
    for pp in p.projects:
        proj = pp.project
        items += [proj.name, proj.years, proj.summary, proj.results, *proj.partners, *pp.themes, *pp.plan_terms,
                  *pp.org_terms]
    for link in p.links:
        items += [link.theme, *link.services, *link.beneficiaries, *link.mission_terms]
    return sorted({x for x in items if x}, key=len, reverse=True)


def _chinese_outside_data(text: str, p: Pitch) -> list[str]:
    """Lines that still hold Chinese once the quoted data (and the 、 that joins its items) is taken out."""
    for item in _data(p):
        text = text.replace(item, "")
    return [line for line in text.replace("、", "").splitlines() if CJK.search(line)]


def test_brief_in_english(assets_result) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-elder", "民政局")
    md = to_markdown(p)
    assert md.startswith("# Proposal: 示例县安康居家照护服务中心 × 示例县民政局\n")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## 1. The department's pain points (in the plan's words)",
                        "## 2. What we have done (in the department's words)",
                        "## 3. How our mission serves the department's goals",
                        "## 4. The results we will report, and how they can be publicised", "## What to add"]
    assert "match 0.86, no. 1 of 2 candidate organizations for the department, works locally in 示例县" in md
    assert "Pain point no. 1 of the department; about 23% of the plan; the plan's words: 老年人、养老服务" in md
    assert "(`civil.txt`, line 6)" in md
    assert "- Answers the plan's “养老服务”, “居家社区养老”: the plan says “" in md
    assert "- Results: 日均就餐约160人次，其中送餐上门38户。" in md
    assert "line 9 (150张、500人)" in md
    assert "Project “照顾者的午后茶” records no results (results)" in md
    assert md.rstrip().endswith("facts from the organization's profile.")
    assert not _chinese_outside_data(md, p)


def test_thin_profile_in_english(assets_result) -> None:  # type: ignore[no-untyped-def]
    p = build_pitch(assets_result, "sl-thin", "卫生健康局")
    md = to_markdown(p)
    assert "The profile records no project that matches these pain points" in md
    assert any(g.startswith("The profile records no project (projects)") for g in p.gaps)
    assert any("(region)" in g for g in p.gaps) and any("(credentials)" in g for g in p.gaps)
    assert not [g for g in p.gaps if CJK.search(g)]
    assert not _chinese_outside_data(md, p)


def test_weak_fit_in_english(tmp_path: Path) -> None:
    (tmp_path / "far.yaml").write_text("id: sl-far-test\nname: 示例县测试天文爱好者协会\nmission: 组织星空观测。\n"
                                       "kind: 社会团体\n", encoding="utf-8")
    plans = [str(ROOT / "data" / "plans" / "shili_civil_affairs_2025.txt")]
    brief, _result = pitch(plans, [str(tmp_path)], org_id="sl-far-test", department="民政局")
    assert brief.weak and brief.weak[0].startswith(f"match {brief.score:.2f}, below the 0.30")
    assert "the profile has no service or project that matches the department's pain points" in brief.weak
    md = to_markdown(brief)
    head = md.split("## 1. ")[0]
    assert "> **Weak fit**: match " in head  # the colon outside: CommonMark renders it bold
    assert "consider the better-fitting departments that `painpoint match --org sl-far-test` lists" in head
    assert "(no other organization was compared)" in head and "no. 1 of 1" not in head
    assert "The profile shows no experience that matches the department's pain points" in md
    assert not _chinese_outside_data(md, brief)


def test_word_brief_in_english(assets_result) -> None:  # type: ignore[no-untyped-def]
    import docx

    p = build_pitch(assets_result, "sl-elder", "民政局")
    document = docx.Document(io.BytesIO(to_docx(p)))
    assert document.paragraphs[0].text == "Proposal: 示例县安康居家照护服务中心 × 示例县民政局"
    assert document.core_properties.title == document.paragraphs[0].text
    headings = [para.text for para in document.paragraphs if para.style.name == "Heading 2"]
    assert headings[0] == "1. The department's pain points (in the plan's words)"
    assert not _chinese_outside_data("\n".join(para.text for para in document.paragraphs), p)


def test_the_same_brief_in_chinese_keeps_its_wording(assets_result) -> None:  # type: ignore[no-untyped-def]
    """Switching the language changes the frames only: the quoted plan and profile text is the same."""
    i18n.set_language("zh")
    p = build_pitch(assets_result, "sl-elder", "民政局")
    zh = to_markdown(p)
    i18n.set_language("en")
    en = to_markdown(build_pitch(assets_result, "sl-elder", "民政局"))
    assert zh.startswith("# 合作建议：") and en.startswith("# Proposal: ")
    for item in _data(p):
        assert (item in zh) == (item in en), item

"""The HTML report: self-contained, charts present, every piece of plan and profile text escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from painpoint.match.shared import shared_themes
from painpoint.report.html import FONT_STACK, to_html

EVIL_PLAN = """示例县民政局<script>alert('plan')</script>2025年工作要点
一、发展居家社区养老服务<img src=x onerror=alert(1)>
新建老年助餐点25个，为失能老年人提供上门照护服务"><script>alert(2)</script>。
着力解决农村留守老年人照护难题</title><style>body{display:none}</style>，到2025年护理型床位占比达到55%。
"""
EVIL_ORG = """id: sl-evil
name: '"><script>alert(3)</script>长者照护中心'
mission: 陪伴长者在家安心变老。<iframe src="https://example.com"></iframe>
services: [长者上门照护, "<b onmouseover=alert(4)>长者饭堂</b>"]
region: [示例县]
projects:
  - name: 助餐</textarea><script>alert(5)</script>
    partners: [示例县民政局]
    summary: 运营长者饭堂。
    results: 日均就餐160人次。
"""


class _Tags(HTMLParser):
    """Collects the tags a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture
def evil_result(tmp_path: Path):  # type: ignore[no-untyped-def]
    from painpoint.pipeline import match

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "evil<script>.txt").write_text(EVIL_PLAN, encoding="utf-8")
    (tmp_path / "orgs").mkdir()
    (tmp_path / "orgs" / "evil.yaml").write_text(EVIL_ORG, encoding="utf-8")
    return match([str(tmp_path / "plans")], [str(tmp_path / "orgs")], top=0)


def test_plan_and_profile_markup_is_escaped(evil_result) -> None:  # type: ignore[no-untyped-def]
    page = to_html(evil_result)
    assert evil_result.matches and evil_result.matches[0].score > 0, "the hostile text is in the report"
    tags = {tag for tag, _ in _tags(page)}
    assert not tags & {"script", "img", "iframe", "textarea"}, tags
    assert [t for t, _ in _tags(page)].count("style") == 1, "only the report's own stylesheet"
    assert not any(k.startswith("on") for _, attrs in _tags(page) for k in attrs)
    assert "evil&lt;script&gt;.txt" in page, "file names are text too"
    assert "养老服务&lt;img src=x onerror=alert(1)&gt;" in page
    assert "上门照护服务&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "&lt;/title&gt;&lt;style&gt;body{display:none}&lt;/style&gt;" in page
    assert "&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;长者照护中心" in page
    assert "https://example.com" not in re.findall(r'(?:src|href)="([^"]*)"', page)


def test_page_is_self_contained_and_forbids_scripts(sample_result) -> None:  # type: ignore[no-untyped-def]
    page = to_html(sample_result)
    tags = _tags(page)
    assert not any(tag == "script" for tag, _ in tags)
    csp = next(a["content"] for t, a in tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp and "script-src" not in csp
    for tag, attrs in tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            assert value is None or value.startswith("#") or value == "data:,", (tag, key, value)
    assert FONT_STACK in page and "Microsoft YaHei" in page and "Noto Sans CJK SC" in page
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


def test_charts_heat_map_and_shared_themes(sample_result) -> None:  # type: ignore[no-untyped-def]
    page = to_html(sample_result)
    depts = sample_result.departments
    assert page.count('<svg class="chart bars"') == sum(1 for d in depts if d.pain_points)
    assert page.count('<section class="dept"') == len(depts)
    heat = page.split('<table class="heatmap">')[1].split("</table>")[0]
    assert heat.count("<tr>") == len(depts) + 1
    orgs = {m.org_id for m in sample_result.matches}
    assert heat.count("<td ") == len(depts) * len(orgs)
    shared = shared_themes(depts, sample_result.matches)
    assert shared and '<svg class="chart shared-chart"' in page
    assert f"<b>{shared[0].theme}</b>" in page
    best = max(sample_result.matches, key=lambda m: m.score)
    assert f"{best.score:.2f}" in page


def test_each_department_lists_fitting_organizations_with_reasons_and_evidence(assets_result) -> None:  # type: ignore[no-untyped-def]
    page = to_html(assets_result)
    civil = page.split("<h2>示例县民政局</h2>")[1].split('<section class="dept"')[0]
    best = next(m for m in assets_result.matches if m.department == "示例县民政局" and m.rank == 1)
    assert best.org_name == "示例县安康居家照护服务中心" and best.org_name in civil
    assert all(f"<li>{html.escape(r)}</li>" in civil for r in best.reasons)
    e = best.evidence[0]
    assert "Evidence from the plans" in civil and f"civil.txt</code> line {e.line}: {html.escape(e.text)}" in civil
    assert "全年建设家庭养老床位150张" in civil, "targets are listed"


def test_same_result_same_bytes(sample_result) -> None:  # type: ignore[no-untyped-def]
    assert to_html(sample_result) == to_html(sample_result)
    assert not re.search(r"20[2-9]\d-\d\d-\d\d[ T]\d\d:", to_html(sample_result)), "no timestamp"


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_report_in_english_labels_its_page_in_english(assets_result) -> None:  # type: ignore[no-untyped-def]
    page = to_html(assets_result)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    body = page.split("</style>")[1]
    names = {d.name for d in assets_result.departments} | {d.place for d in assets_result.departments if d.place}
    for tag in ("h1", "h2", "h3", "summary", "footer", "nav"):
        for text in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", body, flags=re.S):
            for name in sorted(names, key=len, reverse=True):
                text = text.replace(name, "")
            assert not CJK.search(text), (tag, text)
    for start, end in (('<p class="sub">', "</p>"), ('<div class="cards">', "<nav>"), ('<p class="legend">', "</p>"),
                       ('<table class="shared"><thead>', "</thead>")):
        part = body.split(start, 1)[1].split(end, 1)[0]
        part = re.sub(r"<span>Best match: .*?</span>", "", part)  # a department and an organization: data
        assert not CJK.search(part), (start, part)
    assert "<h2>Departments × organizations heat map</h2>" in body and ">Suitable social organizations<" in body
    assert "Pain points (the higher the score, the more prominent)" in body and ">Numeric targets<" in body
    assert 'aria-label="Shared themes: departments per theme"' in body


def test_report_in_chinese_keeps_its_labels(assets_result) -> None:  # type: ignore[no-untyped-def]
    from painpoint import i18n

    i18n.set_language("zh")
    page = to_html(assets_result)
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "<title>painpoint 报告：部门痛点与社会组织匹配</title>" in page
    assert '<a href="#heatmap">热力图</a><a href="#shared">共同主题</a>' in page
    assert "<h2>部门 × 组织 热力图</h2>" in page and "<h3>合适的社会组织</h3>" in page
    civil = page.split("<h2>示例县民政局</h2>")[1].split('<section class="dept"')[0]
    e = next(m for m in assets_result.matches if m.department == "示例县民政局" and m.rank == 1).evidence[0]
    assert "规划原文依据" in civil and f"civil.txt</code> 第{e.line}行：{html.escape(e.text)}" in civil
    assert "仅引用规划原文与机构档案中的事实 · 同一输入总是生成同一文件</footer>" in page

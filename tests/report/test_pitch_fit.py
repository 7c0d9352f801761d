"""The pitch picks each pain point's best-fitting project by what it says, and says plainly when a fit is weak."""

from __future__ import annotations

from pathlib import Path

import pytest

from painpoint import i18n
from painpoint.match.pitch import WEAK_FIT
from painpoint.pipeline import pitch
from painpoint.report.pitch import to_markdown

ROOT = Path(__file__).resolve().parents[2]
PLANS = [str(ROOT / "data" / "plans" / "shili_civil_affairs_2025.txt")]


@pytest.fixture(autouse=True)
def _chinese() -> None:
    """The brief's wording is checked in Chinese, the language of its golden files."""
    i18n.set_language("zh")


# The meal project comes last and names one pain point; the three before it each touch two (社会救助 and
# 养老服务) by a word or two. Ranking projects by how many pain points they touch (or by position) leaves the
# meal project out; it is the one that fits the department's 居家社区养老 (助餐点) pain point.
ORG = """id: sl-fit-test
name: 示例县测试社会工作服务中心
mission: 陪伴社区里的老人。
region: [示例省示例市示例县]
projects:
  - name: 长者生日会
    partners: [示例县城关镇城东社区居民委员会]
    summary: 每月为社区老年人、失能老人和低保老人举办集体生日会。
  - name: 老年人手机课堂
    partners: [示例县民政局]
    summary: 教老年人和特困人员使用智能手机，照顾者也可参加。
  - name: 困境长者探访
    partners: [示例县民政局]
    summary: 探访低保、特困和失能老年人。
  - name: 长者食堂
    years: "2020-"
    partners: [示例县民政局]
    summary: 在城关镇运营老年助餐点，为独居老人送餐上门。
    results: 日均供餐450份。
"""
FAR = """id: sl-far-test
name: 示例县测试天文爱好者协会
mission: 组织星空观测。
kind: 社会团体
"""


def test_each_pain_point_gets_the_project_that_fits_it(tmp_path: Path) -> None:
    (tmp_path / "fit.yaml").write_text(ORG, encoding="utf-8")
    brief, _ = pitch(PLANS, [str(tmp_path)], org_id="sl-fit-test", department="民政局")
    chosen = {pp.project.name: pp.themes for pp in brief.projects}
    assert "居家社区养老" in [p.theme for p in brief.points]
    assert "长者食堂" in chosen, chosen
    assert "居家社区养老" in chosen["长者食堂"]
    served = {t for themes in chosen.values() for t in themes}
    assert served == {p.theme for p in brief.points if p.served}  # every cited pain point has its project
    assert brief.weak == ()
    assert "没有其他机构参与比较" in to_markdown(brief) and "共 1 家" not in to_markdown(brief)


def test_weak_fit_is_stated_at_the_top(tmp_path: Path) -> None:
    (tmp_path / "far.yaml").write_text(FAR, encoding="utf-8")
    (tmp_path / "fit.yaml").write_text(ORG, encoding="utf-8")
    brief, _ = pitch(PLANS, [str(tmp_path)], org_id="sl-far-test", department="民政局")
    assert brief.score < WEAK_FIT
    assert brief.weak and "没有与该部门痛点对应" in "".join(brief.weak)
    head = to_markdown(brief).split("## 一、")[0]
    assert "匹配较弱" in head and "第 2 位 / 共 2 家" in head

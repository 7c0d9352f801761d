"""Openness to social organizations: cues, supervision vs support, merging, and its use in match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import departments_of, make_document
from painpoint import i18n
from painpoint.cli import app
from painpoint.match import capability, match_all
from painpoint.match.score import OPENNESS_TIE
from painpoint.orgs import OrgProfile
from painpoint.pipeline import default_segmenter
from painpoint.plans import parse_plan
from painpoint.plans.openness import (
    NO_OPENNESS,
    Openness,
    OpennessCue,
    OpennessLevel,
    merge_openness,
    openness_reason,
    plan_openness,
    tie_breaker,
)
from painpoint.themes import load_taxonomy

OPEN = """示例县民政局2025年工作要点
一、扩大政府购买服务
通过政府购买服务方式，引入专业社会工作机构为困境儿童提供关爱服务。
举办第三届公益创投大赛，支持社区社会组织开展为老服务项目。
深化五社联动机制，发挥志愿服务作用。
"""
CLOSED = """示例县民政局2025年工作要点
一、兜牢民生底线
农村低保标准提高到每人每月620元，新建老年助餐点25个。
"""
SUPERVISION = """示例县民政局2025年工作要点
一、加强社会组织登记管理
开展社会组织年报年检，依法查处非法社会组织。
"""


def _openness(text: str, path: str = "plan.txt") -> Openness:
    return plan_openness(parse_plan(make_document(text, path)))


def test_purchase_commitment_is_high_with_evidence_and_cues() -> None:
    o = _openness(OPEN)
    assert o.level is OpennessLevel.HIGH and 0.6 <= o.score <= 1.0
    assert o.cues[0] is OpennessCue.PURCHASE
    others = {OpennessCue.VENTURE, OpennessCue.LINKAGE, OpennessCue.SOCIAL_WORK, OpennessCue.VOLUNTEER}
    assert others <= set(o.cues)
    first = o.evidence[0]
    assert first.evidence.document == "plan.txt" and OpennessCue.PURCHASE in first.cues
    assert first.evidence.line in (2, 3) and "政府购买服务" in first.evidence.text


def test_plan_without_social_forces_has_no_openness() -> None:
    o = _openness(CLOSED)
    assert o == NO_OPENNESS and o.level is OpennessLevel.NONE and openness_reason(o) is None


def test_supervising_social_organizations_is_not_openness() -> None:
    supervised = _openness(SUPERVISION)
    supported = _openness("示例县民政局2025年工作要点\n一、培育发展社会组织\n"
                          "培育扶持社区社会组织参与基层治理。\n"
                          "支持社会组织承接公益服务。\n")
    assert supervised.score < 0.3 < supported.score


def test_party_social_work_department_is_not_social_work() -> None:
    o = _openness("示例县2025年工作要点\n一、机构改革\n组建县委社会工作部，统筹基层治理。\n")
    assert OpennessCue.SOCIAL_WORK not in o.cues


def test_firms_buying_cloud_services_is_not_a_purchase_commitment() -> None:
    o = _openness("示例省工业互联网行动计划\n一、上云\n"
                  "鼓励服务商对中小企业购买和使用云计算资源及平台服务给予优惠。\n")
    assert OpennessCue.PURCHASE not in o.cues


def test_merge_adds_evidence_mass_and_keeps_cues() -> None:
    a, b = _openness(OPEN, "a.txt"), _openness(SUPERVISION, "b.txt")
    merged = merge_openness([a, b])
    assert merged.score >= a.score
    assert set(merged.cues) == set(a.cues) | set(b.cues)
    assert merge_openness([]) == NO_OPENNESS == merge_openness([NO_OPENNESS])


def test_reason_quotes_the_purchase_sentence() -> None:
    i18n.set_language("zh")  # the reason line in Chinese, as the department's own plan speaks
    reason = openness_reason(_openness(OPEN))
    assert reason is not None and reason.startswith("规划明确提出向社会组织购买服务：")
    assert "政府购买服务" in reason and "行）" in reason


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_tie_breaker_never_reorders_pairs_further_apart_than_its_weight(s1: float, s2: float,
                                                                        o1: float, o2: float) -> None:
    t1 = tie_breaker(Openness(o1), True, weight=OPENNESS_TIE)
    t2 = tie_breaker(Openness(o2), True, weight=OPENNESS_TIE)
    assert 0 <= t1 <= OPENNESS_TIE and 0 <= t2 <= OPENNESS_TIE
    if s1 - s2 > OPENNESS_TIE:
        assert min(1.0, s1 + t1) >= min(1.0, s2 + t2)
    assert tie_breaker(Openness(o1), False, weight=OPENNESS_TIE) == 0.0


_departments = departments_of


KIDS = OrgProfile(id="kids", name="童伴成长中心", mission="陪伴困境儿童成长。", services=("困境儿童关爱",))


def test_open_department_breaks_a_tie_and_says_why() -> None:
    i18n.set_language("zh")  # the reason line in Chinese, as the department's own plan speaks
    # the same needs in two places, one of them open to buying services
    open_plan = OPEN.replace("示例县", "甲县")
    closed_plan = OPEN.split("一、")[0].replace("示例县", "乙县") + "一、关爱困境儿童\n关爱困境儿童。\n"
    depts = _departments(open_plan, closed_plan)
    by_name = {d.name: d for d in depts}
    assert by_name["甲县民政局"].openness.level is OpennessLevel.HIGH
    assert by_name["乙县民政局"].openness.level is OpennessLevel.NONE
    taxonomy = load_taxonomy()
    matches = {m.department: m for m in match_all(depts, [capability(KIDS, taxonomy)], taxonomy,
                                                  default_segmenter().terms)}
    assert any(r.startswith("规划明确提出向社会组织购买服务") for r in matches["甲县民政局"].reasons)
    assert not any("购买服务" in r for r in matches["乙县民政局"].reasons)


def test_unserved_department_gets_no_bonus() -> None:
    i18n.set_language("zh")  # the reason line in Chinese, as the department's own plan speaks
    depts = _departments(OPEN)
    music = OrgProfile(id="music", name="古典音乐推广协会", mission="让更多人听到交响乐。",
                       services=("音乐会",))
    taxonomy = load_taxonomy()
    (m,) = match_all(depts, [capability(music, taxonomy)], taxonomy, default_segmenter().terms)
    assert not any("购买服务" in r for r in m.reasons)


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    p = tmp_path / "civil.txt"
    p.write_text(OPEN, encoding="utf-8")
    return p


def test_scan_and_match_json_carry_openness(plan_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    scan = json.loads(runner.invoke(app, ["scan", str(plan_file), "--format", "json"]).stdout)
    o = scan["documents"][0]["openness"]
    assert o["level"] == "high" and 0.6 <= o["score"] <= 1 and o["cues"][0] == "政府购买服务"
    assert set(o["evidence"][0]) == {"document", "line", "text", "cues"}
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "kids.yaml").write_text("id: kids\nname: 童伴成长中心\nmission: 陪伴困境儿童成长。\n",
                                    encoding="utf-8")
    match = json.loads(runner.invoke(app, ["match", "--plans", str(plan_file), "--orgs", str(orgs),
                                           "--format", "json"]).stdout)
    assert match["departments"][0]["openness"] == o
    assert match["schema"] == "painpoint.match/1" and "pain_points" in match["departments"][0]

"""Match reason lines and openness labels in English: English frames around quoted plan and profile data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import CIVIL_PLAN as CIVIL
from helpers import departments_of, make_document
from painpoint import i18n
from painpoint.cli import app
from painpoint.match import capability, match_all
from painpoint.match.score import credential_reasons
from painpoint.orgs import OrgProfile, OrgProject, parse_profile
from painpoint.pipeline import default_segmenter
from painpoint.plans import parse_plan
from painpoint.plans.openness import OpennessCue, OpennessLevel, openness_reason, plan_openness
from painpoint.themes import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
OPEN = """示例县民政局2025年工作要点
一、关爱困境儿童
通过政府购买服务方式，委托社会组织为困境儿童提供关爱服务。
推进五社联动，培育社区社会组织，引导社会力量参与。
"""
ELDER = OrgProfile(id="elder", name="安康居家照护中心", mission="陪伴长者有尊严地在家变老。",
                   services=("长者上门照护", "长者饭堂"), beneficiaries=("独居长者",),
                   region=("示例省示例市示例县",),
                   projects=(OrgProject(name="邻里长者饭桌", summary="为独居长者送餐。", partners=("示例县民政局",)),))
KIDS = OrgProfile(id="kids", name="童伴成长中心", mission="陪伴乡村孩子成长，为他们赋能。",
                  services=("乡村儿童陪伴",), region=("远方省远方市",))
# the Chinese frame words of every reason line: none may remain in English output
CHINESE_FRAMES = ("本地组织", "异地组织", "用规划的话说", "机构的说法", "位痛点", "次要痛点", "约占规划", "对应项目",
                  "对应服务", "合作方", "用词相似度", "未发现", "规划要求", "规划提到", "档案未写", "规划明确提出",
                  "规划提出引导", "几乎并列")
QUOTED = re.compile(r"“[^”]*”+|\([^)]*\)")


@pytest.fixture(autouse=True)
def _english() -> None:
    i18n.set_language("en")


def _frames(reason: str) -> str:
    """The reason without quoted data (“…” and parenthesised lists)."""
    return QUOTED.sub("", reason)


def test_match_reasons_are_english_frames_around_quoted_data() -> None:
    taxonomy = load_taxonomy()
    caps = [capability(o, taxonomy) for o in (ELDER, KIDS)]
    matches = {m.org_id: m for m in match_all(departments_of(CIVIL), caps, taxonomy, default_segmenter().terms)}
    elder, kids = matches["elder"].reasons, matches["kids"].reasons
    assert any(re.fullmatch(r"“[^”]+” is (pain point no\. \d+|a minor pain point) of the department "
                            r"\(about \d+% of its plans\): matches .+", r) for r in elder), elder
    assert "Local organization: works in 示例县" in elder
    assert any(r.startswith("Organization from elsewhere (远方省远方市): can bring proven experience") for r in kids)
    assert any(r.startswith("In the plan's words: ") and "(the organization says: " in r for r in kids), kids
    assert any("project “邻里长者饭桌”, partners: 示例县民政局" in r or "service “" in r for r in elder)
    for reason in elder + kids:
        assert not any(word in reason for word in CHINESE_FRAMES), reason


def test_match_reasons_follow_the_language_in_force() -> None:
    taxonomy = load_taxonomy()
    caps = [capability(ELDER, taxonomy)]
    english = match_all(departments_of(CIVIL), caps, taxonomy, default_segmenter().terms)[0].reasons
    i18n.set_language("zh")
    chinese = match_all(departments_of(CIVIL), caps, taxonomy, default_segmenter().terms)[0].reasons
    assert len(english) == len(chinese)
    assert "本地组织：在示例县开展工作" in chinese and "Local organization: works in 示例县" in english
    assert any(r.startswith("「") and "是该部门" in r and "（约占规划" in r for r in chinese)


def test_credential_reasons_in_english() -> None:
    text = "优先向评估等级3A以上社会组织购买服务，支持具有公开募捐资格的慈善组织。"

    def profile(**extra: object) -> OrgProfile:
        p, problems = parse_profile({"id": "sl-t", "name": "示例县测试中心", "mission": "为老人助餐。", **extra},
                                    "t.yaml")
        assert p is not None, problems
        return p

    met = credential_reasons(text, profile(credentials={"grade": "4A", "public_fundraising": True}))
    assert met == ("The plan asks for social organizations rated 3A or above: the organization is rated 4A, "
                   "which meets it",
                   "The plan mentions public fundraising status: the organization has it")
    charity = credential_reasons("支持认定为慈善组织的机构参与。", profile())
    assert charity == ("The plan mentions charitable organizations: the profile does not state recognition as one",)
    low = credential_reasons(text, profile(credentials=["AA级社会组织"]))
    assert low[0].endswith("is rated 2A, which falls short")
    assert credential_reasons(text, profile())[0].endswith("the profile states no rating (credentials.grade)")
    assert not any(re.search(r"[\u4e00-\u9fff]", r) for r in met + low + charity)


def test_openness_reason_and_labels_in_english() -> None:
    openness = plan_openness(parse_plan(make_document(OPEN)))
    reason = openness_reason(openness)
    assert reason is not None
    assert reason.startswith("The plan commits to buying services from social organizations: ")
    assert "政府购买服务" in reason and re.search(r" \(line \d+\)$", reason)
    assert OpennessLevel.HIGH.label == "high" and OpennessLevel.NONE.label == "not mentioned"
    assert OpennessCue.PURCHASE.label == "government purchase of services"
    assert not any(re.search(r"[\u4e00-\u9fff]", c.label) for c in OpennessCue)
    assert not any(re.search(r"[\u4e00-\u9fff]", lv.label) for lv in OpennessLevel)
    # without a purchase commitment the line names the cues in English
    invite = plan_openness(parse_plan(make_document(OPEN.replace("通过政府购买服务方式，委托社会组织为", "为"))))
    line = openness_reason(invite)
    assert line is not None and line.startswith("The plan invites social forces to take part (")
    assert "joint community and social-work action" in line


def test_openness_labels_in_chinese_are_the_values() -> None:
    i18n.set_language("zh")
    assert all(c.label == c.value for c in OpennessCue)
    assert all(lv.label == lv.value for lv in OpennessLevel)


def test_match_command_reasons_in_english() -> None:
    result = CliRunner().invoke(app, ["match", "--plans", str(ROOT / "data" / "plans"), "--orgs",
                                      str(ROOT / "data" / "orgs"), "--top", "3", "-f", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    reasons = [r for m in data["matches"] for r in m["reasons"]]
    assert reasons
    for reason in reasons:
        assert not any(word in _frames(reason) for word in CHINESE_FRAMES), reason
    assert any(r.startswith("Wording similarity ") for r in reasons)

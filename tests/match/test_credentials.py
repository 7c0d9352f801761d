"""Credentials a plan asks for (3A以上, 公开募捐资格, 慈善组织) become match reason lines, met or not stated."""

from __future__ import annotations

from pathlib import Path

import pytest

from painpoint import i18n
from painpoint.match.score import credential_reasons
from painpoint.orgs import parse_profile
from painpoint.pipeline import match

PLAN = ("示例县民政局2025年工作要点\n一、发展居家社区养老服务\n新建老年助餐点25个。\n"
        "优先向评估等级3A以上社会组织购买居家养老服务，支持具有公开募捐资格的慈善组织参与。\n")


@pytest.fixture(autouse=True)
def _chinese() -> None:
    """The reason lines are checked in Chinese here (tests/match/test_reasons_en.py checks them in English)."""
    i18n.set_language("zh")


def profile(**extra: object):  # type: ignore[no-untyped-def]
    p, problems = parse_profile({"id": "sl-t", "name": "示例县测试中心", "mission": "为老人助餐。", **extra}, "t.yaml")
    assert p is not None, problems
    return p


def test_reasons_say_whether_the_profile_meets_what_the_plan_asks() -> None:
    text = "优先向评估等级3A以上社会组织购买服务，支持具有公开募捐资格的慈善组织。"
    met = credential_reasons(text, profile(credentials={"grade": "4A", "public_fundraising": True}))
    assert met == ("规划要求3A以上社会组织：机构评估等级4A，符合", "规划提到公开募捐资格：机构具有公开募捐资格")
    low = credential_reasons(text, profile(credentials=["AA级社会组织"]))
    assert low[0] == "规划要求3A以上社会组织：机构评估等级2A，不符合"
    assert credential_reasons(text, profile())[0].endswith("档案未写评估等级（credentials.grade）")
    assert credential_reasons("新建老年助餐点25个。", profile(credentials={"grade": "5A"})) == ()


def test_match_shows_the_reason_line(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "t.yaml").write_text("id: sl-t\nname: 示例县测试中心\nmission: 为老人助餐。\nservices: [长者助餐]\n"
                                 "credentials: {grade: 4A}\n", encoding="utf-8")
    result = match([str(tmp_path / "plan.txt")], [str(orgs)], top=0, cache=False)
    [m] = result.matches
    assert "规划要求3A以上社会组织：机构评估等级4A，符合" in m.reasons

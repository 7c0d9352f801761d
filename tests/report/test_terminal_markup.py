"""Terminal tables show plan and profile text literally: '[/x]' is text, not rich markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.cli import app

HOSTILE = "[/注1][bold red]"


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "civil.txt").write_text(
        f"示例县民政局2025年工作要点\n一、补齐养老服务短板{HOSTILE}\n全县失能老年人照护{HOSTILE}问题突出，养老服务是最大短板。\n"
        f"二、加强农村留守儿童关爱保护\n农村留守儿童关爱保护{HOSTILE}是重点。\n",
        encoding="utf-8")
    (plans / "women.txt").write_text(
        f"示例县妇联2025年工作要点\n一、关爱农村留守儿童{HOSTILE}\n农村留守儿童关爱保护{HOSTILE}是重点。\n",
        encoding="utf-8")
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "a.yaml").write_text(f'id: a\nname: "{HOSTILE}安康照护"\nmission: 陪伴长者在家变老{HOSTILE}。\n'
                                 "services: [长者上门照护, 留守儿童陪伴]\nregion: [示例县]\n", encoding="utf-8")
    return plans, orgs


@pytest.mark.parametrize("args", [["scan", "{plans}"], ["match", "--plans", "{plans}", "--orgs", "{orgs}"],
                                  ["match", "--plans", "{plans}", "--orgs", "{orgs}", "--org", "a"],
                                  ["links", "--plans", "{plans}", "--orgs", "{orgs}"]])
def test_tables_show_brackets_literally(args: list[str], hostile: tuple[Path, Path]) -> None:
    plans, orgs = hostile
    argv = [a.format(plans=plans, orgs=orgs) for a in args]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert "[/注1]" in result.stdout

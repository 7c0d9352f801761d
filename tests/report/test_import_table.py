"""The `orgs import` terminal table in both languages: labels and how sure each value is follow the interface;
field names (YAML keys), values and source lines are shown as they are."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from painpoint import i18n
from painpoint.orgs.importer import import_profiles
from painpoint.report.draft import import_table

INTRO = ("示例县长青社会工作服务中心简介\n"
         "示例县长青社会工作服务中心成立于2016年，是在示例县民政局登记的民办非企业单位。\n"
         "我们的工作包括长者助餐、上门探访和社区养老服务站运营。\n")


def _table(tmp_path: Path, lang: str) -> str:
    i18n.set_language(lang)
    intro = tmp_path / "intro.txt"
    intro.write_text(INTRO, encoding="utf-8")
    results = import_profiles([str(intro)], str(tmp_path / "orgs"), force=True)
    console = Console(width=120, record=True, file=io.StringIO(), color_system=None)
    import_table(results, console)
    return console.export_text()


def _header(text: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith("┃"))
    return [cell.strip() for cell in line.strip("┃").split("┃")]


def test_import_table_in_english(tmp_path: Path) -> None:
    text = _table(tmp_path, "en")
    assert _header(text) == ["field", "value", "source line", "sure"]
    sure = {line.rstrip("│ ").rsplit("│", 1)[-1].strip() for line in text.splitlines()
            if line.startswith("│ ") and line.split("│")[1].strip()}
    assert sure and sure <= {"high", "medium", "low", "—"}, sure
    assert "high" in sure
    assert "│ medium │" in text or "medium" not in sure, "the column is wide enough for the longest word"
    assert "Next: review the draft in an editor" in text


def test_import_table_in_chinese(tmp_path: Path) -> None:
    text = _table(tmp_path, "zh")
    assert _header(text) == ["字段", "值", "原文（行号）", "把握"]
    assert "│ 高   │" in text, "four cells wide, as before"
    assert not any(word in text for word in ("high", "medium", "sure"))

"""`painpoint themes list|show` and `--themes FILE`: the taxonomy in use, extendable by the user."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from painpoint.cli import app

runner = CliRunner()

EXTRA = """themes:
  - name: 社区书院
    category: 基本公共服务
    departments: [文化馆]
    social: 0.8
    terms: [社区书院, 百姓书院]
    ngo_terms: [共读会]
    related: [养老服务]
"""


def test_list_names_every_theme_with_its_departments() -> None:
    result = runner.invoke(app, ["themes", "list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith("养老服务\t") and "民政局" in line for line in lines)
    assert lines[-1].endswith("themes")


def test_show_prints_terms_departments_and_links() -> None:
    result = runner.invoke(app, ["themes", "show", "留守儿童关爱保护"])
    assert result.exit_code == 0, result.output
    assert "broader themes: 儿童福利" in result.stdout
    assert "plan terms: " in result.stdout and "农村留守儿童" in result.stdout


def test_show_of_an_unknown_theme_is_a_usage_error_with_suggestions() -> None:
    result = runner.invoke(app, ["themes", "show", "养老"])
    assert result.exit_code == 2
    assert "no theme named '养老'" in result.stderr and "养老服务" in result.stderr


def test_themes_file_extends_list_show_and_scan(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    shown = runner.invoke(app, ["--themes", str(extra), "themes", "show", "社区书院"])
    assert shown.exit_code == 0, shown.output
    assert "NGO terms: 共读会" in shown.stdout
    assert "社区书院" in runner.invoke(app, ["--themes", str(extra), "themes", "show", "养老服务"]).stdout
    plan = tmp_path / "plan.txt"
    plan.write_text("示例县文化馆2025年工作要点\n一、建设社区书院\n新建社区书院12个，百姓书院覆盖全部乡镇。\n",
                    encoding="utf-8")
    scanned = runner.invoke(app, ["--themes", str(extra), "scan", str(plan), "--format", "json"])
    assert scanned.exit_code == 0, scanned.output
    assert '"theme": "社区书院"' in scanned.stdout
    # the next run without the option uses the packaged taxonomy again
    assert runner.invoke(app, ["themes", "show", "社区书院"]).exit_code == 2


def test_a_broken_themes_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - {name: 甲, related: [没有这个主题]}\n", encoding="utf-8")
    result = runner.invoke(app, ["--themes", str(bad), "themes", "list"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "unknown theme" in result.stderr

"""What a tester met in the first hour: the same plan downloaded twice counts once, and a mistyped plans path
is a usage error, never an empty result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.cli import app

ORGS = str(Path(__file__).resolve().parents[2] / "data" / "orgs")

CIVIL = ("示例县民政局2025年工作要点\n一、兜牢民生底线\n农村低保标准提高到每人每月620元，加强低收入人口动态监测。\n"
         "二、发展居家社区养老服务\n新建老年助餐点25个，为失能老人提供上门照护。\n")
HEALTH = ("示例县卫生健康局2025年工作要点\n一、提升基层医疗服务能力\n推进家庭医生签约服务，重点人群签约率达到75%。\n"
          "二、加强心理健康服务\n为留守儿童开展心理健康筛查。\n")

runner = CliRunner()


def _plans(tmp_path: Path) -> Path:
    """A folder holding one plan twice (as .txt, and as .md in another encoding with other line breaks) and
    one other plan."""
    folder = tmp_path / "规划"
    folder.mkdir()
    (folder / "a民政局工作要点.txt").write_text(CIVIL, encoding="utf-8")
    (folder / "b民政局工作要点.md").write_bytes(CIVIL.replace("\n", "\r\n\r\n").encode("gb18030"))
    (folder / "c卫健局工作要点.txt").write_text(HEALTH, encoding="utf-8")
    return folder


def test_a_plan_saved_twice_is_scanned_once_and_the_copy_named(tmp_path: Path) -> None:
    folder = _plans(tmp_path)
    result = runner.invoke(app, ["scan", str(folder), "-f", "json", "--no-cache"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in doc["documents"]] == ["a民政局工作要点.txt", "c卫健局工作要点.txt"]
    first, copy = folder / "a民政局工作要点.txt", folder / "b民政局工作要点.md"
    assert doc["skipped"] == [{"path": str(copy), "reason": "duplicate", "duplicate_of": str(first)}]
    assert f"skipped {copy}: same text as {first}, counted once" in result.stderr  # named without --verbose


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_match_counts_a_copy_once(tmp_path: Path, jobs: str) -> None:
    folder = _plans(tmp_path)
    twice = json.loads(runner.invoke(app, ["match", "--plans", str(folder), "--orgs", ORGS, "-f", "json",
                                           "--no-cache", "--jobs", jobs]).stdout)
    (folder / "b民政局工作要点.md").unlink()
    once = json.loads(runner.invoke(app, ["match", "--plans", str(folder), "--orgs", ORGS, "-f", "json",
                                          "--no-cache"]).stdout)
    assert [s["reason"] for s in twice.pop("skipped")] == ["duplicate"] and once.pop("skipped") == []
    assert twice == once  # the same departments, documents and scores as with the plan given once


def test_links_pitch_and_diff_name_the_copy(tmp_path: Path) -> None:
    folder = _plans(tmp_path)
    links = runner.invoke(app, ["links", "--plans", str(folder), "--orgs", ORGS, "-f", "json"])
    assert links.exit_code == 0 and "same text as" in links.stderr
    pitch = runner.invoke(app, ["pitch", "--plans", str(folder), "--orgs", ORGS, "--org", "sl-anyang-zhaohu",
                                "-d", "民政"])
    assert pitch.exit_code == 0 and "same text as" in pitch.stderr
    # within each side only: OLD and NEW with the same text are a plan that did not change, not a copy
    diff = runner.invoke(app, ["diff", str(folder), str(folder), "-f", "json"])
    assert diff.exit_code == 0 and diff.stderr.count("same text as") == 2
    assert {d["name"] for d in json.loads(diff.stdout)["departments"]} == {"示例县民政局", "示例县卫生健康局"}


def test_the_copy_message_in_chinese(tmp_path: Path) -> None:
    folder = _plans(tmp_path)
    result = runner.invoke(app, ["--lang", "zh", "scan", str(folder), "-f", "json", "--no-cache"])
    assert f"与 {folder / 'a民政局工作要点.txt'} 内容相同，只计一次" in result.stderr


@pytest.mark.parametrize("args", [
    ["scan", "不存在/"], ["match", "--plans", "不存在/", "--orgs", ORGS], ["report", "--plans", "不存在/"],
    ["links", "--plans", "不存在/"], ["pitch", "--plans", "不存在/", "--org", "sl-anyang-zhaohu", "-d", "民政"],
], ids=lambda a: a[0])
def test_a_plans_path_that_does_not_exist_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--lang", "zh", *args])
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "不存在/" in line and "文件或文件夹不存在" in line and "检查路径" in line
    assert not (tmp_path / "out").exists()  # report wrote nothing


def test_one_missing_among_readable_plans_is_reported_and_the_rest_processed(tmp_path: Path) -> None:
    folder = _plans(tmp_path)
    result = runner.invoke(app, ["match", "--plans", str(tmp_path / "gone"), "--plans", str(folder),
                                 "--orgs", ORGS, "-f", "json", "--no-cache"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["departments"] and "gone: no such file or folder" in result.stderr


def test_links_of_a_folder_with_no_plan_prints_no_empty_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["links", "--plans", str(tmp_path), "--orgs", ORGS])
    assert result.exit_code == 1 and result.stdout == "" and "no supported files" in result.stderr


def test_one_body_filed_under_two_departments_is_two_plans(tmp_path: Path) -> None:
    # a joint notice saved under each bureau's name: the department comes from the file name, and both keep it
    body = "\n".join(CIVIL.splitlines()[1:]) + "\n"
    folder = tmp_path / "联合通知"
    folder.mkdir()
    (folder / "安阳县民政局.txt").write_text(body, encoding="utf-8")
    (folder / "安阳县卫生健康委员会.txt").write_text(body, encoding="utf-8")
    result = runner.invoke(app, ["scan", str(folder), "-f", "json", "--no-cache"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["skipped"] == []
    assert len({d["department"] for d in doc["documents"]}) == 2


def test_a_web_page_saved_under_a_pdf_or_word_name_is_a_failed_download(tmp_path: Path) -> None:
    folder = tmp_path / "下载"
    folder.mkdir()
    page = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n"
    for name in ("规划.pdf", "要点.docx"):
        (folder / name).write_bytes(page)
    (folder / "c卫健局工作要点.txt").write_text(HEALTH, encoding="utf-8")
    result = runner.invoke(app, ["scan", str(folder), "-f", "json", "--no-cache"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and [Path(d["path"]).name for d in doc["documents"]] == ["c卫健局工作要点.txt"]
    assert sorted(Path(e["path"]).name for e in doc["errors"]) == ["要点.docx", "规划.pdf"]
    assert all("download" in e["message"] for e in doc["errors"])


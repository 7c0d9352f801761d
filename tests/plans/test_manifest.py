"""The manifest beside the plans wins over inference; `scan --write-manifest` writes one to correct."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from painpoint.cli import app

PLAN = "甲乙县民政局2025年工作要点\n一、兜牢民生底线\n全面落实临时救助制度，做到应救尽救。\n"


def _scan(folder: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    run = CliRunner().invoke(app, ["scan", str(folder), "--format", "json", "--no-cache", *extra])
    return run.exit_code, json.loads(run.stdout) if run.stdout.strip().startswith("{") else {}


def test_inferred_department_carries_its_evidence(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    code, out = _scan(tmp_path)
    doc = out["documents"][0]
    assert code == 0
    assert doc["department"] == "甲乙县民政局"
    assert doc["department_source"] == "title"
    assert doc["department_evidence"] == {"line": 1, "text": "甲乙县民政局2025年工作要点"}
    assert (doc["place"], doc["level"], doc["kind"], doc["year"]) == ("甲乙县", "县", "工作要点", 2025)
    assert doc["department_guess"] is False


def test_yaml_manifest_wins_over_inference(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "plans.yaml").write_text("a.txt: {department: 甲乙县社会救助局, year: 2024, url: https://x.cn/1}\n",
                                         encoding="utf-8")
    code, out = _scan(tmp_path)
    doc = out["documents"][0]
    assert code == 0
    assert (doc["department"], doc["department_source"], doc["year"], doc["url"]) == (
        "甲乙县社会救助局", "manifest", 2024, "https://x.cn/1")


def test_csv_manifest_in_a_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "plans.csv").write_text("file,department,place\nsub/a.txt,丙县民政局,丙县\n", encoding="utf-8")
    _, out = _scan(tmp_path / "sub")
    assert (out["documents"][0]["department"], out["documents"][0]["place"]) == ("丙县民政局", "丙县")


def test_a_broken_manifest_is_one_error_and_the_plans_are_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "plans.yaml").write_text("a.txt: {departmnt: x}\n", encoding="utf-8")
    code, out = _scan(tmp_path)
    assert code == 1
    assert out["documents"][0]["department"] == "甲乙县民政局"
    assert "unknown field 'departmnt'" in out["errors"][0]["message"]


def test_write_manifest_round_trips(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    target = tmp_path / "plans.yaml"
    code, _ = _scan(tmp_path, "--write-manifest", str(target))
    assert code == 0
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written["a.txt"]["department"] == "甲乙县民政局"
    assert written["a.txt"]["source"] == "title" and written["a.txt"]["confidence"] > 0.9
    assert written["a.txt"]["evidence"] == "1: 甲乙县民政局2025年工作要点"
    written["a.txt"]["department"] = "甲乙县民政局办公室"
    target.write_text(yaml.safe_dump(written, allow_unicode=True), encoding="utf-8")
    _, out = _scan(tmp_path)
    assert out["documents"][0]["department"] == "甲乙县民政局办公室"
    assert out["documents"][0]["department_source"] == "manifest"


def test_write_manifest_as_csv(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    target = tmp_path / "review.csv"
    _scan(tmp_path, "--write-manifest", str(target))
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("file,department,place,level,kind,year")
    assert lines[1].startswith("a.txt,甲乙县民政局,甲乙县,县,工作要点,2025")


def test_a_new_manifest_is_not_hidden_by_a_replayed_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    first = CliRunner().invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert json.loads(first.stdout)["documents"][0]["department"] == "甲乙县民政局"
    (tmp_path / "plans.csv").write_text("file,department\na.txt,甲乙县社会救助局\n", encoding="utf-8")
    second = CliRunner().invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert json.loads(second.stdout)["documents"][0]["department"] == "甲乙县社会救助局"

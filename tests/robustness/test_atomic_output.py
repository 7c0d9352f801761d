"""Outputs are written atomically: an interrupted run never leaves a half-written report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.cli import app
from painpoint.errors import PainpointError
from painpoint.report.write import atomic_write


def test_replaces_only_with_a_complete_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    atomic_write(target, "old")
    atomic_write(target, "新的内容")
    assert target.read_text(encoding="utf-8") == "新的内容"
    assert os.listdir(tmp_path) == ["report.json"]


def test_interrupted_write_keeps_the_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("complete old report", encoding="utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "x" * 1_000_000)
    assert target.read_text(encoding="utf-8") == "complete old report"
    assert os.listdir(tmp_path) == ["report.json"], "no temporary file is left behind"


def test_unwritable_location_is_a_painpoint_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(PainpointError, match="choose another output location"):
        atomic_write(blocker / "sub" / "out.json", "data")


def test_cli_output_error_is_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "p.txt"
    plan.write_text("示例县民政局工作要点\n做好低保工作。\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(plan), "--format", "json", "--output",
                                      str(blocker / "out.json")])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    plan = tmp_path / "p.txt"
    data = "示例县民政局工作要点\r\n做好低保工作。\r\n".encode("gb18030")
    plan.write_bytes(data)
    before = os.stat(plan)
    CliRunner().invoke(app, ["scan", str(plan), "--format", "json"])
    assert plan.read_bytes() == data
    assert os.stat(plan).st_mtime_ns == before.st_mtime_ns

"""Bad input at the command line: one line per failure, the rest still processed, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from painpoint.cli import app

runner = CliRunner()
GOOD = "示例县民政局2025年工作要点\n一、兜牢民生底线\n农村低保标准提高到每人每月620元。\n"


def _scan(*paths: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["scan", *map(str, paths), "--format", "json"])


def test_folder_with_bad_files_among_good(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00" * 64)
    (tmp_path / "fake.docx").write_bytes(b"\xd0\xcf\x11\xe0 old word file")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")  # truncated
    result = _scan(tmp_path)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in doc["documents"]] == ["good.txt"]
    failed = sorted(Path(e["path"]).name for e in doc["errors"])
    assert failed == ["empty.txt", "fake.docx", "junk.txt", "scan.pdf"]
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("painpoint: ") for line in lines)
    assert sum(str(tmp_path) in line for line in lines) == 4  # one line per unreadable file, then the summary
    assert lines[-1] == "painpoint: 4 input(s) could not be read; the rest were processed (exit code 1)"
    assert "Traceback" not in result.stderr


def test_missing_path_is_named(tmp_path: Path) -> None:
    result = _scan(tmp_path / "nope.txt")
    assert result.exit_code == 2  # the only plan given is missing: a usage error, never an empty result
    assert "nope.txt" in result.stderr and "no such file" in result.stderr


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    result = _scan(tmp_path)
    assert json.loads(result.stdout)["documents"]


def test_single_six_megabyte_line(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("示例县民政局工作要点" + "做好低保和养老服务工作。" * 170_000, encoding="utf-8")
    result = _scan(big)
    assert result.exit_code == 0, result.stderr
    (d,) = json.loads(result.stdout)["documents"]
    assert d["pain_points"]


def test_debug_shows_traceback_only_when_asked(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import painpoint.pipeline as pipeline

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("unexpected")

    monkeypatch.setattr(pipeline, "scan", boom)
    from painpoint.cli import main

    (tmp_path / "x.txt").write_text(GOOD, encoding="utf-8")  # a plan that exists: the run reaches the core
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["painpoint", "scan", "x.txt"])
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    monkeypatch.setattr("sys.argv", ["painpoint", "--debug", "scan", "x.txt"])
    with pytest.raises(RuntimeError):
        main()


def test_profile_with_python_tag_executes_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "evil.yaml").write_text(f"id: evil\nname: !!python/object/apply:os.system ['touch {marker}']\n"
                                    "mission: x\n", encoding="utf-8")
    plan = tmp_path / "p.txt"
    plan.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["match", "--plans", str(plan), "--orgs", str(orgs), "--format", "json"])
    assert result.exit_code == 2  # no profile could be loaded: nothing to match
    assert not marker.exists()
    assert "unsupported YAML tag" in result.stderr

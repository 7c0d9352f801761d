"""The report folder: four files, written atomically, byte-identical across runs."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

from painpoint.report.bundle import REPORT_FILES, write_report


def test_writes_the_four_files(assets_result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = write_report(assets_result, tmp_path / "new" / "folder")
    assert [p.name for p in paths] == list(REPORT_FILES)
    folder = tmp_path / "new" / "folder"
    assert sorted(p.name for p in folder.iterdir()) == sorted(REPORT_FILES), "no temp files left behind"
    doc = json.loads((folder / "matches.json").read_text(encoding="utf-8"))
    assert doc["schema"] == "painpoint.match/1"
    assert len(doc["matches"]) == len(assets_result.matches), "the report keeps every pair"
    raw = (folder / "matches.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel opens Chinese correctly"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "department" and len(rows) == len(assets_result.matches) + 1
    assert (folder / "matches.xlsx").read_bytes().startswith(b"PK")
    assert (folder / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_files_are_byte_identical_across_runs(assets_result, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write_report(assets_result, tmp_path / "a")
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    write_report(assets_result, tmp_path / "b")
    for name in REPORT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name

"""--jobs: worker processes give the same results, in the same order, as one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint import pipeline
from painpoint.cli import app
from painpoint.report.match import to_json as match_json
from painpoint.report.scan import to_json as scan_json

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
ORGS = ROOT / "data" / "orgs"


@pytest.mark.parametrize("cache", [False, True])
def test_scan_in_processes_equals_one_process(cache: bool, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    paths = [str(PLANS), str(broken)]
    one = pipeline.scan(paths, cache=False, jobs=1)
    assert one.errors and one.errors[-1].path == str(broken)
    many = pipeline.scan(paths, cache=cache, jobs=3)
    assert scan_json(many) == scan_json(one)
    if cache:  # workers wrote the entries: a second run reads them
        assert scan_json(pipeline.scan(paths, jobs=3)) == scan_json(one)


def test_auto_jobs_equal_one_process() -> None:
    assert scan_json(pipeline.scan([str(PLANS)], jobs=0)) == scan_json(pipeline.scan([str(PLANS)], jobs=1))


def test_match_in_processes_equals_one_process() -> None:
    one = pipeline.match([str(PLANS)], [str(ORGS)], top=0, cache=False, jobs=1)
    many = pipeline.match([str(PLANS)], [str(ORGS)], top=0, cache=True, jobs=2)
    assert match_json(many) == match_json(one)
    # a match after a scan filled the cache: the entries gain their department terms
    pipeline.scan([str(PLANS)])
    assert match_json(pipeline.match([str(PLANS)], [str(ORGS)], top=0)) == match_json(one)


def test_progress_reaches_the_end() -> None:
    seen: list[tuple[int, int]] = []
    pipeline.scan([str(PLANS)], jobs=2, progress=lambda done, total, item: seen.append((done, total)))
    assert seen[-1] == (9, 9)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cli_options() -> None:
    runner = CliRunner()
    base = runner.invoke(app, ["scan", str(PLANS), "--format", "json", "--no-cache", "--segmenter", "jieba",
                               "--jobs", "1"])
    assert base.exit_code == 0, base.output
    fast = runner.invoke(app, ["scan", str(PLANS), "--format", "json", "--segmenter", "rjieba", "-j", "2"])
    assert fast.exit_code == 0, fast.output
    assert fast.stdout == base.stdout
    bad = runner.invoke(app, ["scan", str(PLANS), "--segmenter", "thulac"])
    assert bad.exit_code == 2
    matched = runner.invoke(app, ["match", "--plans", str(PLANS), "--orgs", str(ORGS), "--format", "json",
                                  "--no-cache", "--jobs", "2", "--segmenter", "auto"])
    assert matched.exit_code == 0, matched.output

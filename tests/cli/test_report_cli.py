"""`painpoint report` and `painpoint pitch` at the command line: files, exit codes, stdout and stderr."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.cli import app

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "tests" / "report" / "assets"
PLANS = str(ASSETS / "plans")
ORGS = str(ASSETS / "orgs")

runner = CliRunner()


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def _report(out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return _invoke("report", "--plans", PLANS, "--orgs", ORGS, "--out", str(out), *extra)


def test_report_writes_files_and_one_summary_line(tmp_path: Path) -> None:
    result = _report(tmp_path / "rep")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "rep").iterdir()) == ["matches.csv", "matches.json",
                                                                    "matches.xlsx", "report.html"]
    assert result.stdout == "", "data goes to the files; nothing on stdout"
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"report: {tmp_path / 'rep' / 'report.html'} (+ matches.xlsx, matches.json, "
                           "matches.csv): 2 departments × 2 organizations; best ")


def test_report_is_byte_identical_across_runs(tmp_path: Path) -> None:
    assert _report(tmp_path / "a").exit_code == 0
    assert _report(tmp_path / "b").exit_code == 0
    for name in ("report.html", "matches.xlsx", "matches.json", "matches.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _best(org: str | None = None) -> float:
    args = ["match", "--plans", PLANS, "--orgs", ORGS, "--top", "0", "--format", "json"]
    doc = json.loads(_invoke(*args, *(["--org", org] if org else [])).stdout)
    return max(m["score"] for m in doc["matches"])


# thresholds sit just above or below the best score, so the test follows tuning of the scores
@pytest.mark.parametrize(("org", "offset", "code"), [(None, -0.05, 0), (None, 0.01, 3), ("sl-thin", -0.05, 0),
                                                     ("sl-thin", 0.01, 3)])
def test_fail_under_sets_the_exit_code(tmp_path: Path, org: str | None, offset: float, code: int) -> None:
    threshold = round(_best(org) + offset, 2)
    extra = ["--fail-under", f"{threshold:.2f}", *(["--org", org] if org else [])]
    result = _report(tmp_path / "rep", *extra)
    assert result.exit_code == code, result.output
    assert f"--fail-under {threshold:.2f}: {'FAIL' if code else 'pass'}" in result.stderr
    assert (tmp_path / "rep" / "report.html").is_file(), "files are written either way, for the CI artefact"
    if code:
        who = f"for {org} " if org else ""
        assert f"painpoint: no department has a match {who}at or above {threshold:.2f}" in result.stderr


def test_fail_under_outside_zero_to_one_is_a_usage_error(tmp_path: Path) -> None:
    assert _report(tmp_path / "rep", "--fail-under", "1.5").exit_code == 2


def test_quiet_report_says_nothing_unless_it_fails(tmp_path: Path) -> None:
    ok = _invoke("--quiet", "report", "--plans", PLANS, "--orgs", ORGS, "--out", str(tmp_path / "a"))
    assert ok.exit_code == 0 and ok.stderr == ""
    bad = _invoke("-q", "report", "--plans", PLANS, "--orgs", ORGS, "--out", str(tmp_path / "b"),
                  "--fail-under", "0.99")
    assert bad.exit_code == 3 and bad.stderr.startswith("painpoint: no department has a match")


def test_report_unknown_org_is_usage_error(tmp_path: Path) -> None:
    result = _report(tmp_path / "rep", "--org", "nobody")
    assert result.exit_code == 2
    assert "nobody" in result.stderr and "sl-elder" in result.stderr


def test_report_into_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    assert _report(tmp_path / "taken").exit_code == 2


def test_report_keeps_going_past_a_bad_profile(tmp_path: Path) -> None:
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "elder.yaml").write_text((ASSETS / "orgs" / "elder.yaml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (orgs / "bad.yaml").write_text("id: Bad_Id\nname: x\n", encoding="utf-8")
    result = _invoke("report", "--plans", PLANS, "--orgs", str(orgs), "--out", str(tmp_path / "rep"))
    assert result.exit_code == 1
    assert "bad.yaml" in result.stderr
    assert "示例县安康居家照护服务中心" in (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")


def _pitch(*extra: str):  # type: ignore[no-untyped-def]
    return _invoke("pitch", "--plans", PLANS, "--orgs", ORGS, *extra)


def test_pitch_markdown_to_stdout_and_file(tmp_path: Path) -> None:
    result = _pitch("--org", "sl-elder", "--department", "民政局", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 合作建议：示例县安康居家照护服务中心 × 示例县民政局\n")
    assert result.stderr == ""
    out = tmp_path / "brief.md"
    assert _pitch("--org", "sl-elder", "-d", "民政局", "--output", str(out), "--lang", "zh").exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout
    english = _pitch("--org", "sl-elder", "-d", "民政局", "--lang", "en")
    assert english.stdout.startswith("# Proposal: 示例县安康居家照护服务中心 × 示例县民政局\n")


def test_pitch_docx_needs_output_and_opens_in_word(tmp_path: Path) -> None:
    import docx

    refused = _pitch("--org", "sl-elder", "-d", "民政局", "--format", "docx")
    assert refused.exit_code == 2 and "--output" in refused.stderr and refused.stdout == ""
    out = tmp_path / "brief.docx"
    result = _pitch("--org", "sl-elder", "-d", "民政局", "--format", "docx", "--output", str(out), "--lang", "zh")
    assert result.exit_code == 0, result.output
    document = docx.Document(io.BytesIO(out.read_bytes()))
    assert document.paragraphs[0].text == "合作建议：示例县安康居家照护服务中心 × 示例县民政局"


@pytest.mark.parametrize(("args", "message"), [
    (("--org", "sl-elder", "-d", "示例县"), "'示例县' matches 2 departments"),
    (("--org", "sl-elder", "-d", "交通运输局"), "no department matches '交通运输局'"),
    (("--org", "nobody", "-d", "民政局"), "no organization with id 'nobody'"),
])
def test_pitch_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    result = _pitch(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("painpoint: ") and message in result.stderr
    assert result.stdout == ""


def test_pitch_requires_org_and_department() -> None:
    assert _invoke("pitch", "--org", "sl-elder").exit_code == 2
    assert _invoke("pitch", "--department", "民政局").exit_code == 2

"""The command line: help everywhere, exit codes, data on stdout and talk on stderr, JSON contracts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint import __version__
from painpoint.cli import app
from painpoint.report import OutputFormat

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"
ORGS = ROOT / "data" / "orgs"

runner = CliRunner()

PLAN = ("示例县民政局2025年工作要点\n一、兜牢民生底线\n农村低保标准提高到每人每月620元。\n"
        "二、发展居家社区养老服务\n新建老年助餐点25个。\n")
ORG = """id: sl-test
name: 测试居家照护中心
mission: 陪伴长者在家安心变老。
services: [长者上门照护, 长者饭堂]
region: [示例县]
"""


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def _command_paths() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    out = [[]]
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        out.append([name])
        for sub in getattr(cmd, "commands", {}):
            out.append([name, sub])
    return out


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "painpoint")
def test_every_command_has_help(path: list[str]) -> None:
    result = _invoke(*path, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_version() -> None:
    result = _invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    p = tmp_path / "civil.txt"
    p.write_text(PLAN, encoding="utf-8")
    return p


@pytest.fixture
def org_dir(tmp_path: Path) -> Path:
    d = tmp_path / "orgs"
    d.mkdir()
    (d / "sl-test.yaml").write_text(ORG, encoding="utf-8")
    return d


def test_scan_json_contract(plan_file: Path) -> None:
    result = _invoke("scan", str(plan_file), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "painpoint.scan/1"
    assert doc["errors"] == []
    (d,) = doc["documents"]
    assert d["path"] == str(plan_file)
    assert d["title"] == "示例县民政局2025年工作要点"
    assert d["department"] == "示例县民政局"
    p = d["pain_points"][0]
    assert set(p) >= {"theme", "score", "terms", "evidence"}
    assert isinstance(p["score"], float) and p["terms"] and p["evidence"][0]["line"] >= 1
    assert {"line", "text"} <= set(d["targets"][0])
    assert isinstance(d["responsible_units"], list)


def test_scan_keeps_going_past_a_bad_file(plan_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = _invoke("scan", str(plan_file), str(missing), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert len(doc["documents"]) == 1
    assert doc["errors"][0]["path"] == str(missing)
    assert str(missing) in result.stderr and "Traceback" not in result.stderr


def test_usage_error_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _invoke("scan", "x.txt", "--format", "yaml").exit_code == 2
    monkeypatch.chdir(tmp_path)  # no PATH, no painpoint.toml and no ./data/plans: nothing to scan
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert _invoke("scan").exit_code == 2


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_renders(fmt: OutputFormat, plan_file: Path, org_dir: Path, tmp_path: Path) -> None:
    for command in (["scan", str(plan_file)], ["match", "--plans", str(plan_file), "--orgs", str(org_dir)]):
        out = tmp_path / f"out.{fmt.value}"
        result = _invoke(*command, "--format", fmt.value, "--output", str(out))
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        assert "示例县民政局".encode() in data
        if fmt is OutputFormat.csv:
            assert data.startswith(b"\xef\xbb\xbf"), "CSV for Excel carries a UTF-8 BOM"
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            assert len(rows) >= 2


def test_match_json_contract(plan_file: Path, org_dir: Path) -> None:
    result = _invoke("match", "--plans", str(plan_file), "--orgs", str(org_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "painpoint.match/1"
    (dept,) = doc["departments"]
    assert dept["name"] == "示例县民政局" and dept["documents"] == [str(plan_file)]
    assert dept["pain_points"][0]["evidence"][0]["document"] == str(plan_file)
    (m,) = doc["matches"]
    assert set(m) >= {"department", "org_id", "org_name", "score", "rank", "pain_points", "reasons", "evidence"}
    assert m["org_id"] == "sl-test" and m["rank"] == 1 and 0 <= m["score"] <= 1
    assert m["evidence"] and set(m["evidence"][0]) == {"document", "line", "text"}


def test_match_unknown_org_is_usage_error(plan_file: Path, org_dir: Path) -> None:
    result = _invoke("match", "--plans", str(plan_file), "--orgs", str(org_dir), "--org", "nobody")
    assert result.exit_code == 2
    assert "nobody" in result.stderr and "sl-test" in result.stderr


def test_match_bad_profile_reported_rest_processed(plan_file: Path, org_dir: Path) -> None:
    (org_dir / "bad.yaml").write_text("id: Bad_Id\nname: x\n", encoding="utf-8")
    result = _invoke("match", "--plans", str(plan_file), "--orgs", str(org_dir), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [m["org_id"] for m in doc["matches"]] == ["sl-test"]
    assert [e["path"] for e in doc["errors"]] == [str(org_dir / "bad.yaml")]


def test_unknown_department_becomes_its_title_or_file(tmp_path: Path, org_dir: Path) -> None:
    titled = tmp_path / "a.txt"
    titled.write_text("关于社区为老服务的工作计划\n发展居家社区养老服务，新建老年助餐点。\n", encoding="utf-8")
    untitled = tmp_path / "notes.txt"
    untitled.write_text("发展居家社区养老服务，新建老年助餐点。\n", encoding="utf-8")
    doc = json.loads(_invoke("match", "--plans", str(titled), "--plans", str(untitled), "--orgs", str(org_dir),
                             "--format", "json").stdout)
    assert sorted(d["name"] for d in doc["departments"]) == ["notes.txt", "关于社区为老服务的工作计划"]


def test_orgs_check(org_dir: Path) -> None:
    assert _invoke("orgs", "check", str(org_dir)).exit_code == 0
    (org_dir / "typo.yaml").write_text("id: t\nname: x\nmission: y\nservces: [a]\n", encoding="utf-8")
    result = _invoke("orgs", "check", str(org_dir))
    assert result.exit_code == 1
    assert "typo.yaml:4: servces: unknown key 'servces' — did you mean 'services'?" in result.stderr


def test_bundled_samples_validate() -> None:
    assert _invoke("orgs", "check", str(ORGS)).exit_code == 0


def test_json_output_is_deterministic(plan_file: Path, org_dir: Path) -> None:
    args = ("match", "--plans", str(plan_file), "--orgs", str(org_dir), "--format", "json")
    assert _invoke(*args).stdout == _invoke(*args).stdout


def test_department_filter_that_matches_nothing_is_a_usage_error(plan_file: Path, org_dir: Path) -> None:
    result = _invoke("match", "--plans", str(plan_file), "--orgs", str(org_dir), "--department", "不存在")
    assert result.exit_code == 2
    assert "no department matches '不存在'" in result.stderr and "示例县民政局" in result.stderr


def test_department_filter_does_not_confuse_people_s_government(tmp_path: Path, org_dir: Path) -> None:
    (tmp_path / "civil.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "report.txt").write_text("2025年示例县人民政府工作报告\n发展居家社区养老服务。\n", encoding="utf-8")
    doc = json.loads(_invoke("match", "--plans", str(tmp_path), "--orgs", str(org_dir), "-d", "民政",
                             "--format", "json").stdout)
    assert [d["name"] for d in doc["departments"]] == ["示例县民政局"]


def test_csv_on_stdout_carries_the_bom(plan_file: Path) -> None:
    result = _invoke("scan", str(plan_file), "--format", "csv")
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("command", ["scan", "match", "diff", "pitch", "links"])
def test_output_that_is_an_input_is_refused(command: str, plan_file: Path, org_dir: Path) -> None:
    """painpoint never modifies what it reads: `-o plan.txt` must not overwrite the plan."""
    profile = org_dir / "sl-test.yaml"
    before = plan_file.read_bytes(), profile.read_bytes()
    args = {
        "scan": ["scan", str(plan_file), "--format", "md", "--output", str(plan_file)],
        "match": ["match", "--plans", str(plan_file), "--orgs", str(org_dir), "--format", "md",
                  "--output", str(profile)],
        "diff": ["diff", str(plan_file), str(plan_file), "--format", "md", "--output", str(plan_file)],
        "pitch": ["pitch", "--org", "sl-test", "-d", "民政局", "--plans", str(plan_file), "--orgs", str(org_dir),
                  "--output", str(plan_file)],
        "links": ["links", "--plans", str(plan_file), "--orgs", str(org_dir), "--format", "md",
                  "--output", str(profile)],
    }[command]
    result = _invoke(*args)
    assert result.exit_code == 2, result.output
    assert "is also an input" in result.stderr and "Traceback" not in result.stderr
    assert (plan_file.read_bytes(), profile.read_bytes()) == before


def test_report_refuses_to_overwrite_an_input(plan_file: Path, org_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    profile_as_json = out / "matches.json"
    profile_as_json.write_text((org_dir / "sl-test.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = _invoke("report", "--plans", str(plan_file), "--orgs", str(profile_as_json), "--out", str(out))
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert profile_as_json.read_text(encoding="utf-8").startswith("id: sl-test")


def test_output_next_to_the_inputs_is_fine(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "scan.md"
    out.write_text("an older report\n", encoding="utf-8")
    assert _invoke("scan", str(plan_file), "--format", "md", "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# painpoint scan")


def test_match_org_markdown_lists_its_departments_best_first() -> None:
    """`match --org -f md` is the organization's view, like its table: departments by its score, not by name."""
    result = _invoke("match", "--plans", str(PLANS), "--orgs", str(ORGS), "--org", "sl-xinyu-xinli",
                     "--top", "0", "--format", "md", "--no-cache")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# ") and "sl-xinyu-xinli" not in lines[0]
    rows = [line.split(" | ") for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) >= 3
    scores = [float(row[2]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert [int(row[0].strip("| ")) for row in rows] == list(range(1, len(rows) + 1))
    assert len({row[1] for row in rows}) == len(rows)  # one row per department


def test_department_filter_does_not_change_scores() -> None:
    """--department picks departments after matching: the same scores and ranks as the unfiltered run."""
    from painpoint.pipeline import match

    everything = match([str(PLANS)], [str(ORGS)], top=0, cache=False)
    one = match([str(PLANS)], [str(ORGS)], department="卫健", top=0, cache=False)
    assert [d.name for d in one.departments] == ["示例县卫生健康局"]
    want = [(m.org_id, m.score, m.rank) for m in everything.matches if m.department == "示例县卫生健康局"]
    assert [(m.org_id, m.score, m.rank) for m in one.matches] == want


# A profile file a newcomer gets wrong on the first day: a contact key the schema does not have.
EXTRA_KEY = ("id: hemiao-extra\nname: 禾苗乡村儿童社会工作服务中心\nmission: 陪伴乡村儿童成长。\n"
             "联系电话: 0851-1234567\n")


@pytest.mark.parametrize("command", [["match"], ["pitch", "-d", "民政局"], ["report", "--out", "rep"]])
def test_unknown_org_id_names_the_profiles_that_were_rejected(command: list[str], plan_file: Path, org_dir: Path,
                                                               tmp_path: Path) -> None:
    (org_dir / "hemiao.yaml").write_text(EXTRA_KEY, encoding="utf-8")
    (org_dir / "broken.yaml").write_text("id: broken\nname: [未闭合\nmission: m\n", encoding="utf-8")
    args = [a if a != "rep" else str(tmp_path / "rep") for a in command]
    result = _invoke(*args, "--plans", str(plan_file), "--orgs", str(org_dir), "--org", "hemiao-extra")
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("painpoint: no organization with id 'hemiao-extra'")
    assert "2 profile file(s) could not be loaded" in line
    assert f"{org_dir / 'hemiao.yaml'}:4: 联系电话: unknown key '联系电话'" in line
    assert f"{org_dir / 'broken.yaml'}:3: YAML syntax error" in line
    assert "known ids: sl-test;" in line  # a typo in --org beside a broken file still shows the valid ids
    assert line.endswith(f"painpoint orgs check {org_dir} lists every problem")


def test_unknown_org_id_without_rejected_files_lists_the_known_ids(plan_file: Path, org_dir: Path) -> None:
    result = _invoke("match", "--plans", str(plan_file), "--orgs", str(org_dir), "--org", "nobody")
    assert result.exit_code == 2
    assert result.stderr == f"painpoint: no organization with id 'nobody' in {org_dir} — known ids: sl-test\n"


@pytest.mark.parametrize(("name", "content"), [
    ("机构介绍.docx", b"PK\x03\x04\x14\x00\x06\x00\xbb\xbb"),
    ("机构介绍.pdf", b"%PDF-1.7\n\xbb\xbb"),
    ("机构介绍.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xbb"),
    ("机构介绍.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xbb"),
    ("机构介绍.html", "<html><body>禾苗中心简介</body></html>".encode()),
    ("renamed.yaml", b"PK\x03\x04\x14\x00\x06\x00\xbb\xbb"),  # a Word file is one whatever its name
])
def test_a_document_given_as_orgs_gets_the_orgs_import_hint(name: str, content: bytes, plan_file: Path,
                                                             tmp_path: Path) -> None:
    document = tmp_path / name
    document.write_bytes(content)
    hint = "这是机构自己写的介绍吗？请用 painpoint orgs import 文件 从中起草档案"
    check = _invoke("--lang", "zh", "orgs", "check", str(document))
    assert check.exit_code == 1
    assert check.stderr.startswith(f"{document}: ") and hint in check.stderr
    assert "UTF-8" not in check.stderr
    match = _invoke("--lang", "zh", "match", "--plans", str(plan_file), "--orgs", str(document))
    assert match.exit_code == 2 and match.stdout == ""  # no table of departments without organizations
    assert hint in match.stderr and f"painpoint orgs check {document}" in match.stderr


def test_match_stops_when_no_profile_could_be_loaded(plan_file: Path, tmp_path: Path) -> None:
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "hemiao.yaml").write_text(EXTRA_KEY, encoding="utf-8")
    result = _invoke("match", "--plans", str(plan_file), "--orgs", str(orgs), "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"painpoint: no organization profile could be loaded from {orgs}: "
                                    f"{orgs / 'hemiao.yaml'}:4: 联系电话: unknown key")


def test_orgs_check_of_a_missing_path_says_it_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "不存在"
    result = _invoke("--lang", "zh", "orgs", "check", str(missing))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{missing}: 文件或文件夹不存在 — 请检查路径"
    assert "没有档案" not in result.stderr


def test_orgs_check_gives_the_line_of_an_unknown_key(org_dir: Path) -> None:
    (org_dir / "hemiao.yaml").write_text(EXTRA_KEY, encoding="utf-8")
    (org_dir / "project.yaml").write_text("id: p\nname: n\nmission: m\nprojects:\n  - name: 伴读\n    年份: 2020\n"
                                          "  - summary: 没有名称\n", encoding="utf-8")
    result = _invoke("orgs", "check", str(org_dir))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        f"{org_dir / 'hemiao.yaml'}:4: 联系电话: unknown key '联系电话' — valid keys are id, name, mission, kind, "
        "region, founded, staff, services, beneficiaries, projects, credentials",
        f"{org_dir / 'project.yaml'}:6: projects[0].年份: unknown key '年份' — valid keys are name, years, partners, "
        "summary, results",
        f"{org_dir / 'project.yaml'}:7: projects[1].name: missing required field",  # the entry it is missing from
    ]
    doc = json.loads(_invoke("orgs", "check", str(org_dir), "--format", "json").stdout)
    assert doc["problems"][0] == {"file": str(org_dir / "hemiao.yaml"), "line": 4, "field": "联系电话",
                                  "message": "unknown key '联系电话' — valid keys are id, name, mission, kind, "
                                             "region, founded, staff, services, beneficiaries, projects, "
                                             "credentials"}

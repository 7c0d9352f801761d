"""What changed between two versions of a sample plan, and between two folders of plans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painpoint.analysis.diff import (
    MOVE_POINTS,
    NOTABLE,
    PRESENT,
    ChangeKind,
    TargetStatus,
    classify,
    diff_plans,
)
from painpoint.cli import AnalysisFormat, app
from painpoint.plans.openness import OpennessLevel

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "diff"
OLD = str(ASSETS / "civil_2024.txt")
NEW = str(ASSETS / "civil_2025.txt")
runner = CliRunner()


@pytest.mark.parametrize(("old", "new", "kind"), [
    (0.0, 0.05, ChangeKind.NEW),
    (0.0, NOTABLE / 2, ChangeKind.STEADY),          # a passing mention is no new priority
    (0.05, 0.0, ChangeKind.DROPPED),
    (0.01, 0.04, ChangeKind.RISING),
    (0.20, 0.23, ChangeKind.STEADY),                 # +3 points on a big theme is not half again
    (0.06, 0.02, ChangeKind.FALLING),
    (0.03, 0.03 + MOVE_POINTS / 2, ChangeKind.STEADY),
    (PRESENT / 2, PRESENT / 2, ChangeKind.STEADY),
])
def test_classify_thresholds(old: float, new: float, kind: ChangeKind) -> None:
    assert classify(old, new) is kind


def test_new_priority_and_dropped_theme_with_evidence_from_both_sides() -> None:
    result = diff_plans([OLD], [NEW])
    assert result.errors == () and result.only_old == () == result.only_new
    (d,) = result.departments
    assert d.name == "示例县民政局" and d.old_documents == (OLD,) and d.new_documents == (NEW,)
    changes = {c.theme: c for c in d.themes}
    kids = changes["留守儿童关爱保护"]
    assert kids.change is ChangeKind.NEW and kids.old_weight == 0.0 and kids.new_weight > 0.1
    assert kids.new_rank == 1 and kids.old_rank is None and kids.delta == kids.new_weight
    assert kids.new_evidence and all(e.document == NEW for e in kids.new_evidence) and not kids.old_evidence
    funeral = changes["殡葬改革"]
    assert funeral.change is ChangeKind.DROPPED and funeral.new_weight == 0.0
    assert funeral.old_evidence and all(e.document == OLD for e in funeral.old_evidence)
    assert "社会救助" not in changes, "a theme both plans give the same room is steady"
    assert d.steady >= 1
    kinds = [c.change for c in d.themes]
    assert kinds == sorted(kinds, key=list(ChangeKind).index), "new first, then rising, falling, dropped"


def test_changed_target_is_paired_by_its_words() -> None:
    (d,) = diff_plans([OLD], [NEW]).departments
    changed = [t for t in d.targets if t.status is TargetStatus.RAISED]
    t = next(t for t in changed if t.old and "低保" in t.old.text)
    assert t.old is not None and t.new is not None
    assert "580元" in t.old.values and "620元" in t.new.values and t.similarity > 0.5
    assert t.old_document == OLD and t.new_document == NEW
    assert any(x.status is TargetStatus.NEW and x.new and "探访率" in x.new.text for x in d.targets)


def test_openness_moves_with_the_new_purchase_commitment() -> None:
    (d,) = diff_plans([OLD], [NEW]).departments
    assert d.old_openness.level is OpennessLevel.NONE
    assert d.new_openness.score > d.old_openness.score


def _folder(root: Path, name: str, files: dict[str, str]) -> str:
    folder = root / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return str(folder)


def test_folders_are_paired_by_department(tmp_path: Path) -> None:
    edu_old = "示例县教育局2024年工作要点\n一、义务教育\n推进义务教育优质均衡发展。\n"
    edu_new = ("示例县教育局2025年工作要点\n一、义务教育\n推进义务教育优质均衡发展。\n"
               "二、心理健康\n加强学生心理健康教育。\n")
    old = _folder(tmp_path, "2024", {"civil.txt": Path(OLD).read_text(encoding="utf-8"), "edu.txt": edu_old,
                                     "env.txt": "示例县生态环境局2024年工作要点\n一、治水\n水污染防治。\n"})
    new = _folder(tmp_path, "2025", {"civil.txt": Path(NEW).read_text(encoding="utf-8"), "edu.txt": edu_new,
                                     "women.txt": "示例县妇联2025年工作要点\n一、维权\n反家庭暴力。\n"})
    result = diff_plans([old], [new])
    assert [d.name for d in result.departments] == ["示例县教育局", "示例县民政局"]
    assert result.only_old == ("示例县生态环境局",) and result.only_new == ("示例县妇女联合会",)
    edu = result.departments[0]
    assert any(c.theme == "心理健康" and c.change is ChangeKind.NEW for c in edu.themes)


def test_plans_without_a_department_pair_by_title_without_years(tmp_path: Path) -> None:
    old = _folder(tmp_path, "a", {"x.txt": "社区为老服务工作计划（2024年）\n发展居家社区养老服务。\n",
                                  "y.txt": "社区儿童服务工作计划（2024年）\n关爱困境儿童。\n"})
    new = _folder(tmp_path, "b", {"x.txt": "社区为老服务工作计划（2025年）\n发展居家社区养老服务和助餐。\n",
                                  "y.txt": "社区儿童服务工作计划（2025年）\n关爱困境儿童。\n"})
    result = diff_plans([old], [new])
    assert len(result.departments) == 2 and not result.only_old and not result.only_new


@pytest.mark.parametrize("fmt", list(AnalysisFormat))
def test_every_format_renders(fmt: AnalysisFormat, tmp_path: Path) -> None:
    out = tmp_path / f"diff.{fmt.value}"
    result = runner.invoke(app, ["diff", OLD, NEW, "--format", fmt.value, "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "留守儿童关爱保护" in text and "殡葬改革" in text


def test_json_contract() -> None:
    result = runner.invoke(app, ["diff", OLD, NEW, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "painpoint.diff/2" and doc["errors"] == []
    (d,) = doc["departments"]
    assert set(d) >= {"name", "old_documents", "new_documents", "themes", "steady", "targets", "openness"}
    theme = d["themes"][0]
    assert theme["change"] == "new" and theme["theme"] == "留守儿童关爱保护"
    assert set(theme) >= {"old_weight", "new_weight", "delta", "old_rank", "new_rank", "old_evidence",
                          "new_evidence", "terms", "old_score", "new_score"}
    assert theme["old_score"] == 0.0 and theme["new_score"] == 1.0
    assert set(theme["new_evidence"][0]) == {"document", "line", "text"}
    changed = next(t for t in d["targets"] if t["status"] == "raised")
    assert changed["old"]["values"] != changed["new"]["values"] and changed["old"]["document"] == OLD
    assert d["openness"]["delta"] > 0 and d["openness"]["old"]["level"] == "none"


def test_a_missing_side_is_a_usage_error(tmp_path: Path) -> None:
    # a mistyped OLD or NEW is no diff against nothing: exit 2, as for every command's missing plans path
    for old, new in ((OLD, str(tmp_path / "nope.txt")), (str(tmp_path / "nope.txt"), OLD)):
        result = runner.invoke(app, ["diff", old, new])
        assert result.exit_code == 2 and result.stdout == "", result.stderr
        assert "nope.txt" in result.stderr and "Traceback" not in result.stderr


def test_empty_folder_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["diff", OLD, str(empty)])
    assert result.exit_code == 1 and "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["diff", OLD]).exit_code == 2
    assert runner.invoke(app, ["diff", OLD, NEW, "--format", "csv"]).exit_code == 2


def test_same_plan_twice_changes_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(NEW, copy)
    (d,) = diff_plans([NEW], [str(copy)]).departments
    assert d.themes == () and d.targets == () and d.empty


def test_targets_pair_on_their_first_clause_and_not_across_subjects() -> None:
    from painpoint.analysis.diff import target_changes
    from painpoint.plans.structure import Target

    gdp_old = Target(1, "国内生产总值达到114万亿元，增长8.1%。", None, ("114万亿元", "8.1%"))
    gdp_new = Target(2, "国内生产总值增加到121万亿元，五年年均增长5.2%，十年增加近70万亿元。", None,
                     ("121万亿元", "5.2%", "70万亿元"))
    forest = Target(3, "森林覆盖率达到24%。", None, ("24%",))
    (pair,) = target_changes([("a", gdp_old)], [("b", gdp_new)])
    assert pair.status is TargetStatus.RAISED and pair.similarity >= 0.5 and pair.measure == "国内生产总值"
    statuses = [c.status for c in target_changes([("a", gdp_old)], [("b", forest)])]
    assert statuses == [TargetStatus.NEW, TargetStatus.DROPPED]


def test_achievements_in_a_review_section_are_not_targets(tmp_path: Path) -> None:
    """过去一年 … 达到95% reports what was done; only the parts that plan ahead set targets."""
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("甲县民政局2024年工作要点\n一、重点任务\n到2024年底，养老机构护理型床位占比达到50%。\n",
                   encoding="utf-8")
    new.write_text("甲县民政局2025年工作要点\n一、2024年工作回顾\n全县老年助餐点覆盖率达到90%以上。\n"
                   "二、2025年重点任务\n到2025年底，养老机构护理型床位占比达到60%。\n", encoding="utf-8")
    (d,) = diff_plans([str(old)], [str(new)]).departments
    texts = [t.new.text for t in d.targets if t.new is not None]
    assert any("60%" in text for text in texts)
    assert not any("助餐点覆盖率" in text for text in texts)

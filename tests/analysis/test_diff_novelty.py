"""What is new in a plan: aligned sections and sentences, target moves, new terms, organizations that fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from painpoint.analysis.align import SectionStatus, SentenceStatus, align, word_spans
from painpoint.analysis.diff import TargetStatus, compare, diff_plans, direction
from painpoint.cli import DiffFormat, app
from painpoint.model import Document
from painpoint.plans.structure import Plan, parse_plan

runner = CliRunner()

HEAD_2024 = "示例县民政局2024年工作要点\n"
HEAD_2025 = "示例县民政局2025年工作要点\n"
OLD_BODY = """一、社会救助
坚持和完善社会救助制度。农村低保标准提高到每人每月580元。
二、养老服务
推进居家社区养老服务。新建老年助餐点15个。城市社区养老服务设施覆盖率达到90%。
三、加强儿童福利工作
健全困境儿童分类保障制度。
四、殡葬管理
推进殡葬改革，整治散埋乱葬。
"""
NEW_BODY = """一、社会救助
坚持和完善社会救助制度。农村低保标准提高到每人每月620元。
二、养老服务
推进居家社区养老服务。新建老年助餐点10个。城市社区养老服务设施覆盖率达到90%。
三、大力发展银发经济
发展银发经济，扩大老年助餐、助浴服务供给。推进银发经济与适老化改造相结合，建设认知障碍照护专区。
到2025年，银发经济示范社区达到20个。
四、加强儿童福利和未成年人保护工作
健全困境儿童分类保障制度。
"""


def _plan(text: str, path: str = "x.txt") -> Plan:
    lines = tuple(text.splitlines())
    return parse_plan(Document(path, lines, tuple(range(1, len(lines) + 1)), "txt"))


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    return _write(tmp_path, "old.txt", HEAD_2024 + OLD_BODY), _write(tmp_path, "new.txt", HEAD_2025 + NEW_BODY)


def test_renumbered_heading_is_the_same_section_and_the_others_are_classified() -> None:
    a = align([_plan(HEAD_2024 + OLD_BODY)], [_plan(HEAD_2025 + NEW_BODY)])
    kinds = {(c.status, (c.old or c.new).text if c.old or c.new else "") for c in a.sections}  # type: ignore[union-attr]
    assert (SectionStatus.ADDED, "三、大力发展银发经济") in kinds
    assert (SectionStatus.REMOVED, "四、殡葬管理") in kinds
    assert (SectionStatus.RENAMED, "三、加强儿童福利工作") in kinds, "三、→四、 and reworded: renamed"
    assert a.same_sections == 2, "社会救助, 养老服务 unchanged"
    assert len(a.sections) == 3


def test_renumbering_alone_changes_nothing() -> None:
    old = "一、社会救助\n完善低保。\n二、养老服务\n发展助餐。\n"
    new = "一、社会救助\n完善低保。\n二、儿童福利\n关爱儿童。\n三、养老服务\n发展助餐。\n"
    a = align([_plan(old)], [_plan(new)])
    assert [(c.status, c.new.text if c.new else None) for c in a.sections] == [(SectionStatus.ADDED, "二、儿童福利")]
    assert a.same_sections == 2


def test_a_section_out_of_order_moved() -> None:
    old = "一、甲项工作\n甲。\n二、乙项工作\n乙。\n三、丙项工作\n丙。\n四、丁项工作\n丁。\n"
    new = "一、丁项工作\n丁。\n二、甲项工作\n甲。\n三、乙项工作\n乙。\n四、丙项工作\n丙。\n"
    (moved,) = align([_plan(old)], [_plan(new)]).sections
    assert moved.status is SectionStatus.MOVED and moved.new and moved.new.text == "一、丁项工作"


def test_sentences_added_removed_and_changed_with_the_changed_words_marked() -> None:
    a = align([_plan(HEAD_2024 + OLD_BODY)], [_plan(HEAD_2025 + NEW_BODY)])
    by = {s: [c for c in a.sentences if c.status is s] for s in SentenceStatus}
    assert any(c.new and "适老化改造" in c.new.text for c in by[SentenceStatus.ADDED])
    assert any(c.old and "散埋乱葬" in c.old.text for c in by[SentenceStatus.REMOVED])
    low = next(c for c in by[SentenceStatus.CHANGED] if c.old and "低保" in c.old.text)
    assert low.removed_words == ("580",) and low.added_words == ("620",) and low.section == "一、社会救助"
    assert not any(c.new and "困境儿童分类保障" in c.new.text for c in a.sentences), "verbatim: unchanged"


def test_word_spans_keep_numbers_whole() -> None:
    assert word_spans("覆盖率达到85%。", "覆盖率提高到90%。") == (
        ("same", "覆盖率"), ("removed", "达"), ("added", "提高"), ("same", "到"), ("removed", "85%"),
        ("added", "90%"), ("same", "。"))


def test_targets_raised_lowered_new_and_dropped_with_both_values(pair: tuple[str, str]) -> None:
    (d,) = diff_plans([pair[0]], [pair[1]]).departments
    by = {t.status: t for t in d.targets}
    raised = by[TargetStatus.RAISED]
    assert raised.old and raised.new and "580元" in raised.old.values and "620元" in raised.new.values
    assert "低保" in raised.measure
    lowered = by[TargetStatus.LOWERED]
    assert lowered.old and lowered.new and lowered.old.values == ("15个",) and lowered.new.values == ("10个",)
    new = by[TargetStatus.NEW]
    assert new.new and new.new.year == 2025 and "银发经济示范社区" in new.measure
    assert not any(t.old and "覆盖率" in t.old.text for t in d.targets), "an unchanged target is not listed"


def test_direction_compares_the_same_unit() -> None:
    assert direction(("85%",), ("90%",)) is TargetStatus.RAISED
    assert direction(("5.5%", "1100万人"), ("1200万人", "5.5%")) is TargetStatus.RAISED
    assert direction(("3个",), ("3个",)) is TargetStatus.CHANGED
    assert direction(("30%",), ("20个",)) is TargetStatus.CHANGED


def test_new_terms_rank_the_new_slogan_first_and_skip_shared_wording(pair: tuple[str, str]) -> None:
    (d,) = diff_plans([pair[0]], [pair[1]]).departments
    terms = [t.term for t in d.new_terms]
    assert terms[0] == "银发经济"
    top = d.new_terms[0]
    assert top.in_heading and top.old_uses == 0 and top.new_uses == 4 and top.evidence.text == "三、大力发展银发经济"
    assert {"助浴", "适老化改造"} <= set(terms) or {"助浴", "适老化"} <= set(terms)
    assert not {"坚持", "推进", "社会救助", "养老服务"} & set(terms), "words both plans use are not new"


def test_orgs_that_fit_the_new_items_with_evidence(pair: tuple[str, str], tmp_path: Path) -> None:
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    (orgs / "a.yaml").write_text("id: t-zhuyu\nname: 示例助浴服务社\nmission: 为失能老人提供上门助浴服务。\n"
                                 "services: [上门助浴, 老年助餐]\n", encoding="utf-8")
    (orgs / "b.yaml").write_text("id: t-river\nname: 示例护河志愿队\nmission: 巡河护河，保护水环境。\n"
                                 "services: [河道巡查]\n", encoding="utf-8")
    (d,) = diff_plans([pair[0]], [pair[1]], org_paths=[str(orgs)]).departments
    assert [f.org_id for f in d.fits] == ["t-zhuyu"], "the river patrol fits nothing new"
    via = {(i.item.label, i.via) for i in d.fits[0].items}
    assert ("助浴", "助浴") in via
    item = next(i for i in d.fits[0].items if i.item.label == "助浴")
    assert "助浴" in item.item.evidence.text and "助浴" in item.org_text


def test_identical_plans_give_an_empty_quiet_diff(pair: tuple[str, str]) -> None:
    (d,) = diff_plans([pair[1]], [pair[1]]).departments
    assert d.empty and d.sentences == () and d.sections == () and d.new_terms == () and d.targets == ()
    result = runner.invoke(app, ["diff", pair[1], pair[1]])
    assert result.exit_code == 0 and "nothing changed" in result.stdout and result.stderr == ""


def test_another_departments_plan_says_so(tmp_path: Path, pair: tuple[str, str]) -> None:
    env = _write(tmp_path, "env.txt", "示例县生态环境局2025年工作要点\n一、治水\n推进水污染防治。\n")
    (d,) = diff_plans([pair[0]], [env]).departments
    assert d.old_department == "示例县民政局" and d.name == "示例县生态环境局"
    result = runner.invoke(app, ["diff", pair[0], env, "--format", "md"])
    assert result.exit_code == 0 and "not the same department" in result.stdout
    assert "示例县民政局" in result.stderr and "示例县生态环境局" in result.stderr


@pytest.mark.parametrize("fmt", list(DiffFormat))
def test_every_format_shows_the_new_term_and_target(fmt: DiffFormat, pair: tuple[str, str], tmp_path: Path
                                                    ) -> None:
    out = tmp_path / f"diff.{fmt.value}"
    result = runner.invoke(app, ["diff", *pair, "--format", fmt.value, "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "银发经济" in text and "620" in text


def test_json_schema_of_the_new_parts(pair: tuple[str, str]) -> None:
    doc = json.loads(runner.invoke(app, ["diff", *pair, "--format", "json"]).stdout)
    (d,) = doc["departments"]
    assert doc["schema"] == "painpoint.diff/2" and d["empty"] is False and d["old_department"] is None
    assert set(d["new_terms"][0]) == {"term", "prominence", "new_uses", "old_uses", "in_heading", "themes",
                                      "evidence"}
    assert {s["status"] for s in d["sections"]} == {"added", "removed", "renamed"}
    changed = next(s for s in d["sentences"] if s["status"] == "changed")
    assert set(changed) == {"status", "section", "similarity", "old", "new", "removed_words", "added_words",
                            "spans"}
    assert {t["status"] for t in d["targets"]} >= {"raised", "lowered", "new"}
    assert all("measure" in t for t in d["targets"])


def test_html_escapes_plan_text(tmp_path: Path) -> None:
    old = _write(tmp_path, "o.txt", "示例县民政局2024年工作要点\n一、救助\n完善低保。\n")
    new = _write(tmp_path, "n.txt", "示例县民政局2025年工作要点\n一、救助\n完善低保。\n"
                 "二、<script>银发经济</script>\n发展<b>银发经济</b>。\n")
    result = runner.invoke(app, ["diff", old, new, "--format", "html"])
    assert result.exit_code == 0 and "<script>" not in result.stdout and "&lt;script&gt;" in result.stdout


# ---- properties ------------------------------------------------------------------------------------------

_HEADINGS = ["社会救助", "养老服务", "儿童福利", "殡葬管理", "社区治理", "慈善事业"]
_SENTENCES = ["完善低保制度。", "新建老年助餐点15个。", "新建老年助餐点25个。", "发展银发经济。",
              "到2025年，养老机构护理型床位占比达到55%。", "到2025年，养老机构护理型床位占比达到60%。",
              "儿童督导员配备率达到100%。",
              "推进殡葬改革。", "培育社区社会组织。", "关爱困境儿童。", "关爱留守儿童和困境儿童。",
              "开展慈善募捐。", "完善低保制度和临时救助。"]
_NUMERALS = "一二三四五六七八九十"


@st.composite
def plans(draw: st.DrawFn) -> str:
    sections = draw(st.lists(st.sampled_from(_HEADINGS), min_size=1, max_size=4, unique=True))
    lines = ["示例县民政局工作要点"]
    for n, heading in enumerate(sections):
        lines.append(f"{_NUMERALS[n]}、{heading}")
        lines += draw(st.lists(st.sampled_from(_SENTENCES), min_size=0, max_size=3))
    return "\n".join(lines) + "\n"


def _changes(old: str, new: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]], set[str], set[str]]:
    a = align([_plan(old, "a")], [_plan(new, "b")])
    added = {(c.new.text, c.new.line) for c in a.sentences if c.status is SentenceStatus.ADDED and c.new}
    removed = {(c.old.text, c.old.line) for c in a.sentences if c.status is SentenceStatus.REMOVED and c.old}
    heads_added = {c.new.text for c in a.sections if c.status is SectionStatus.ADDED and c.new}
    heads_removed = {c.old.text for c in a.sections if c.status is SectionStatus.REMOVED and c.old}
    return added, removed, heads_added, heads_removed


@settings(max_examples=60, deadline=None)
@given(plans())
def test_a_plan_against_itself_changes_nothing(text: str) -> None:
    a = align([_plan(text, "a")], [_plan(text, "b")])
    assert a.sections == () and a.sentences == ()


@settings(max_examples=80, deadline=None)
@given(plans(), plans())
def test_what_a_to_b_adds_b_to_a_removes(a: str, b: str) -> None:
    added, removed, heads_added, heads_removed = _changes(a, b)
    back_added, back_removed, back_heads_added, back_heads_removed = _changes(b, a)
    assert added == back_removed and removed == back_added
    assert heads_added == back_heads_removed and heads_removed == back_heads_added


# ---- the corpus: consecutive national government work reports ------------------------------------------------

@pytest.mark.corpus
def test_consecutive_work_reports_list_real_novelties_first(corpus: Path) -> None:
    """Checked against the texts: 留抵退税 (large VAT credit refunds) first appears in the 2022 report, four times;
    现代化产业体系 (a 2023 heading) and 企稳 (three times) in neither earlier report."""
    report = [str(corpus / "plans" / f"national_gov_report_{year}.txt") for year in (2021, 2022, 2023)]
    if not all(Path(p).is_file() for p in report):
        pytest.skip("the national work reports are not in the corpus")
    (d22,) = diff_plans([report[0]], [report[1]]).departments
    (d23,) = diff_plans([report[1]], [report[2]]).departments
    first22 = [t.term for t in d22.new_terms[:5]]
    first23 = [t.term for t in d23.new_terms[:10]]
    assert "留抵退税" in first22
    assert "现代化产业体系" in first23 and "企稳" in first23
    for d in (d22, d23):
        assert d.old_department is None and not d.empty
        assert not {"坚持", "推进", "发展", "加强", "深入贯彻"} & {t.term for t in d.new_terms}
    # the terminal summary of a 55,000-character report fits a screen
    import io

    from rich.console import Console

    from painpoint.analysis.diff import DiffResult
    from painpoint.report.terminal import diff_table

    console = Console(file=io.StringIO(), width=100, record=True)
    diff_table(DiffResult((d23,), (), (), ()), console)
    assert len(console.export_text().splitlines()) <= 45


def test_report_with_previous_plans_adds_the_diff_section(pair: tuple[str, str], tmp_path: Path) -> None:
    orgs = str(Path(__file__).resolve().parents[2] / "data" / "orgs")
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "--plans", pair[1], "--orgs", orgs, "--out", str(out),
                                 "--previous", pair[0], "--no-cache"])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="diff"' in page and "银发经济" in page and "New terms" in page
    plain = tmp_path / "plain"
    assert runner.invoke(app, ["report", "--plans", pair[1], "--orgs", orgs, "--out", str(plain),
                               "--no-cache"]).exit_code == 0
    assert 'id="diff"' not in (plain / "report.html").read_text(encoding="utf-8")


@settings(max_examples=25, deadline=None)
@given(plans(), plans())
def test_the_whole_diff_is_empty_against_itself_and_mirrored_when_swapped(a: str, b: str) -> None:
    pa, pb = _plan(a, "a"), _plan(b, "b")
    assert compare([pa], [_plan(a, "a2")]).empty
    forward, backward = compare([pa], [pb]), compare([pb], [pa])

    def targets(d, status: TargetStatus) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
        return {(t.text, t.line) for c in d.targets if c.status is status for t in (c.new or c.old,) if t}

    assert targets(forward, TargetStatus.NEW) == targets(backward, TargetStatus.DROPPED)
    assert targets(forward, TargetStatus.DROPPED) == targets(backward, TargetStatus.NEW)
    moved = {(c.old.text, c.new.text) for c in forward.targets if c.old and c.new}
    assert moved == {(c.new.text, c.old.text) for c in backward.targets if c.old and c.new}

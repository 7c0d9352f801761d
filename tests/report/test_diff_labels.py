"""`painpoint diff` in both languages: English labels and sentence frames around the plans' Chinese, and the
Chinese labels as they always were (the Chinese Markdown is also pinned by tests/analysis/golden/diff.md)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from painpoint import i18n
from painpoint.analysis.diff import ChangeKind, DiffResult, TargetStatus, diff_plans
from painpoint.report import diff as render
from painpoint.report.terminal import diff_table

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "tests" / "assets" / "diff"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
"""Han characters and Chinese punctuation (、，：；（）「」…): in English output they may only quote data."""


@pytest.fixture(scope="module")
def civil() -> DiffResult:
    """The sample civil-affairs plans of 2024 and 2025, with the sample county's organizations fitted."""
    return diff_plans([str(ASSETS / "civil_2024.txt")], [str(ASSETS / "civil_2025.txt")],
                      org_paths=[str(ROOT / "data" / "orgs")])


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> DiffResult:
    """Two folders: one department on both sides, one only in OLD, one only in NEW."""
    root = tmp_path_factory.mktemp("folders")
    sides = {"2024": {"civil.txt": (ASSETS / "civil_2024.txt").read_text(encoding="utf-8"),
                      "env.txt": "示例县生态环境局2024年工作要点\n一、治水\n水污染防治。\n"},
             "2025": {"civil.txt": (ASSETS / "civil_2025.txt").read_text(encoding="utf-8"),
                      "women.txt": "示例县妇联2025年工作要点\n一、维权\n反家庭暴力。\n"}}
    for side, files in sides.items():
        (root / side).mkdir()
        for name, text in files.items():
            (root / side / name).write_text(text, encoding="utf-8")
    return diff_plans([str(root / "2024")], [str(root / "2025")])


def _data(result: DiffResult) -> list[str]:
    """Every piece of Chinese the result quotes: plan text, department, theme and organization names, terms."""
    texts = [Path(p).read_text(encoding="utf-8") for d in result.departments
             for p in (*d.old_documents, *d.new_documents)]
    texts += [*result.only_old, *result.only_new]
    for d in result.departments:
        texts.append(d.name)
        texts += [c.theme for c in d.themes] + [t for c in d.themes for t in c.terms]
        texts += [t.term for t in d.new_terms] + [t.measure for t in d.targets]
        texts += [v for t in d.targets for side in (t.old, t.new) if side for v in side.values]
        texts += [f.org_name for f in d.fits] + [x for f in d.fits for i in f.items for x in (i.item.label, i.via)]
    return texts


def _foreign(text: str, result: DiffResult) -> list[str]:
    """Chinese in `text` that quotes no data: a label or frame left untranslated."""
    data = _data(result)
    runs = [piece for run in CJK.findall(text) for piece in run.split("、") if piece]
    return sorted({r for r in runs if not any(r in d for d in data)})


def test_change_and_status_labels_follow_the_language() -> None:
    assert [k.label for k in ChangeKind] == ["new", "rising", "falling", "dropped", "steady"]
    assert [s.label for s in TargetStatus] == ["raised", "lowered", "changed", "new", "dropped"]
    i18n.set_language("zh")
    assert [k.label for k in ChangeKind] == ["新增", "上升", "下降", "删除", "持平"]
    assert [s.label for s in TargetStatus] == ["提高", "降低", "调整", "新增", "删除"]
    assert ChangeKind.NEW.value == "new" and TargetStatus.RAISED.value == "raised", "JSON values never change"


@pytest.mark.parametrize("name", ["civil", "folders"])
def test_markdown_in_english(name: str, request: pytest.FixtureRequest) -> None:
    result = request.getfixturevalue(name)
    md = render.to_markdown(result)
    assert md.startswith("# painpoint diff: old and new plans compared\n")
    assert "- Openness to buying services from social organizations: " in md and "Overview: " in md
    assert "### Target changes" in md and "### Sentence changes" in md and "### Theme changes" in md
    assert "| Change | Theme | Weight | Rank | Plan wording | Evidence |" in md
    assert _foreign(md, result) == []
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert all(not CJK.search(h) for h in headings if not h.startswith("## ")), headings


def test_markdown_in_english_names_every_kind_of_change(civil: DiffResult, folders: DiffResult) -> None:
    md = render.to_markdown(civil)
    assert "| New term | In the new plan | In the old plan | First seen |" in md
    assert "| 农村留守儿童关爱保护 | heading | 0 time(s) | line 7: 三、加强农村留守儿童关爱保护 |" in md
    assert "- raised: 新建老年助餐点: 15个 → 25个 — line 6 “新建老年助餐点15个" in md
    assert "- added: line 7 “三、加强农村留守儿童关爱保护”" in md
    assert "- reworded (old line 6 → new line 6): 新建老年助餐点~~15~~**25**个" in md
    assert "| new | 留守儿童关爱保护 | 0.0% → 27.1% (+27.1 points) | none → #1 |" in md
    assert "### Organizations that fit" in md and "(via 困境儿童, line 8)" in md
    assert "not mentioned (0.00) → medium (0.39)" in md
    assert "sentences: 3 added, 2 removed, 2 reworded (1 unchanged)" in md
    assert "Departments only in the old plans: 示例县生态环境局" in render.to_markdown(folders)
    assert "Departments only in the new plans: 示例县妇女联合会" in render.to_markdown(folders)


def test_html_page_in_english(civil: DiffResult) -> None:
    page = render.to_html(civil)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h1>painpoint diff: old and new plans compared</h1>" in page
    assert "<h2>示例县民政局: old and new plans compared</h2>" in page
    for heading in re.findall(r"<h3>(.*?)</h3>", page):
        assert not CJK.search(heading), heading
    assert "<th>New term</th><th>New plan</th><th>Old plan</th><th>First seen</th>" in page
    text = re.sub(r"<[^>]+>", " ", page.split("</style>")[1])
    assert _foreign(text, civil) == []


def test_html_page_in_chinese(civil: DiffResult) -> None:
    i18n.set_language("zh")
    page = render.to_html(civil)
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "<h2>示例县民政局：新旧规划对比</h2>" in page and "<h3>新提法</h3>" in page
    assert "<th>新提法</th><th>新版</th><th>旧版</th><th>首次出现</th>" in page
    assert "提高：新建老年助餐点：15个 → 25个——第6行「新建老年助餐点15个" in page


def _terminal(result: DiffResult) -> str:
    console = Console(record=True, width=400, file=io.StringIO())
    diff_table(result, console)
    return console.export_text()


@pytest.mark.parametrize("name", ["civil", "folders"])
def test_terminal_summary_in_english(name: str, request: pytest.FixtureRequest) -> None:
    result = request.getfixturevalue(name)
    out = _terminal(result)
    assert "Old: " in out and "New terms: " in out and "Target raised: " in out and "Section added: " in out
    assert "Openness to buying services: not mentioned (0.00) → medium (0.39)" in out
    assert _foreign(out, result) == []


def test_terminal_summary_in_chinese(civil: DiffResult, folders: DiffResult) -> None:
    i18n.set_language("zh")
    out = _terminal(civil)
    assert "旧: " in out and "新提法: 农村留守儿童关爱保护（标题）、留守儿童（2句）" in out
    assert "目标提高: " in out and "章节新增: 第7行「三、加强农村留守儿童关爱保护」" in out
    assert "购买服务开放度: 未提及（0.00）→ 中（0.39）" in out
    assert "仅旧版有的部门: 示例县生态环境局" in _terminal(folders)

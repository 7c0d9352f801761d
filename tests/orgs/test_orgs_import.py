"""`orgs import` / `orgs new` / `orgs template`: drafts from prose pass the check, cite their lines, leave gaps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from painpoint.cli import app
from painpoint.model import Document
from painpoint.orgs import load_profile, load_profiles
from painpoint.orgs.draft import Draft, draft_profile
from painpoint.orgs.importer import import_profiles, slug

runner = CliRunner()

# A fictional organization of the sample county, written for these tests.
INTRO = """示例县长青社会工作服务中心简介

示例县长青社会工作服务中心成立于2016年，是在示例县民政局登记的民办非企业单位，2021年获评4A级社会组织。
中心的宗旨是“让社区里的老人吃得上热饭、有人常来看”。
我们的工作包括长者助餐、上门探访和社区养老服务站运营。
2019年起，中心承接示例县民政局购买的“邻里长者食堂”项目，在城关镇运营两家长者食堂，日均供餐450份，累计服务3.2万人次。
2021年，中心与示例县城关镇人民政府合作开展“守望相助”探访行动，结对独居老人136户。
目前中心有专职社工8名、志愿者120余名。
"""
# Says nothing of its legal form, founding, staff or projects.
SPARSE = "本会致力于推动社区阅读。\n我们为社区居民提供阅读推广服务，每年开展读书会。\n"


def write_intro(folder: Path, text: str = INTRO, name: str = "intro.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_txt_intro_gives_a_valid_draft_with_the_fields_a_reader_would_fill(tmp_path: Path) -> None:
    intro = write_intro(tmp_path)
    [result] = import_profiles([str(intro)], str(tmp_path / "orgs"))
    assert result.problem == ""
    profile = load_profile(result.output)
    assert profile.name == "示例县长青社会工作服务中心"
    assert str(profile.kind) == "社会服务机构"  # from 民办非企业单位
    assert profile.region == ("示例县",)
    assert profile.founded == "2016"
    assert profile.staff == "专职社工8名、志愿者120余名"
    assert "吃得上热饭" in profile.mission
    assert {"长者助餐", "上门探访", "社区养老服务站运营"} <= set(profile.services)
    assert "独居老人" in profile.beneficiaries
    names = [p.name for p in profile.projects]
    assert "“邻里长者食堂”项目" in names and "“守望相助”探访行动" in names
    meal = profile.projects[names.index("“邻里长者食堂”项目")]
    assert meal.years == "2019-" and meal.partners == ("示例县民政局",)
    assert "日均供餐450份" in meal.results and "3.2万人次" in meal.results
    visit = profile.projects[names.index("“守望相助”探访行动")]
    assert visit.partners == ("示例县城关镇人民政府",) and "136户" in visit.results
    assert profile.accreditation is not None and profile.accreditation.grade == 4
    assert profile.accreditation.registered_with == "示例县民政局"
    assert result.profile_id == "changqing-shehui-gongzuo-fuwu" or result.profile_id.isascii()


# How county intros often write it: the groups listed after 服务对象, the funder named with a one-character place.
SHORT_FORMS = """示例县暖阳社会工作服务中心机构介绍
示例县暖阳社会工作服务中心成立于2019年，是在示例县民政局登记的民办非企业单位。
服务对象：困境儿童、留守儿童及其家长。
1. “护苗成长”困境儿童关爱项目（2021—2024年），县民政局购买服务，服务困境儿童320名。
2. “家长学堂”家庭教育指导项目（2023年），县妇联资助，开展家庭教育讲座48场。
3. “周末课堂”项目（2024年），中心承接了示例县民政局购买的服务，开展课业辅导60次。
"""


def test_declared_groups_and_funders_written_short_are_drafted(tmp_path: Path) -> None:
    [result] = import_profiles([str(write_intro(tmp_path, SHORT_FORMS))], str(tmp_path / "orgs"))
    profile = load_profile(result.output)
    assert {"困境儿童", "留守儿童", "留守儿童家长"} <= set(profile.beneficiaries)
    partners = {p.name: p.partners for p in profile.projects}
    assert partners["“护苗成长”困境儿童关爱项目"] == ("县民政局",)
    assert partners["“家长学堂”家庭教育指导项目"] == ("县妇联",)
    # the clause before the body is not part of its name, and one body is listed once
    assert partners["“周末课堂”项目"] == ("示例县民政局",)


def test_every_value_cites_its_source_line_and_gaps_are_placeholders(tmp_path: Path) -> None:
    intro = write_intro(tmp_path, SPARSE, "sparse.txt")
    [result] = import_profiles([str(intro)], str(tmp_path))
    text = Path(result.output).read_text(encoding="utf-8")
    mission = next(line for line in text.splitlines() if line.startswith("mission:"))
    assert "# 第1行: 本会致力于推动社区阅读。" in mission
    for field in ("kind", "founded", "staff", "projects", "credentials"):
        assert f"# 待补充: {field}:" in text, field
    data = yaml.safe_load(text)
    assert "kind" not in data and "founded" not in data  # never guessed
    assert data["name"].startswith("待补充")  # the text never states its name
    assert load_profiles([result.output])[1] == []


def test_docx_pdf_and_html_intros_draft_like_the_text(tmp_path: Path) -> None:
    import docx

    from ingest.builders import make_pdf

    document = docx.Document()
    for line in INTRO.splitlines():
        if line.strip():
            document.add_paragraph(line)
    document.save(str(tmp_path / "intro.docx"))
    (tmp_path / "intro.pdf").write_bytes(make_pdf([[line for line in INTRO.splitlines() if line.strip()]]))
    html = "".join(f"<p>{line}</p>" for line in INTRO.splitlines() if line.strip())
    (tmp_path / "intro.html").write_text(f"<html><body><nav>首页</nav>{html}</body></html>", encoding="utf-8")
    txt = import_profiles([str(write_intro(tmp_path))], str(tmp_path / "a"))[0]
    for name in ("intro.docx", "intro.pdf", "intro.html"):
        [result] = import_profiles([str(tmp_path / name)], str(tmp_path / name.replace(".", "-")))
        assert result.problem == "", result.problem
        got, want = load_profile(result.output), load_profile(txt.output)
        assert (got.name, got.kind, got.region, got.founded) == (want.name, want.kind, want.region, want.founded)
        assert [p.name for p in got.projects] == [p.name for p in want.projects]


ANNUAL = """示例县长青社会工作服务中心2024年度工作报告

2024年，示例县长青社会工作服务中心承接示例县卫生健康局购买的“长者健康驿站”项目，为260名老人建立健康档案。
中心的服务对象包括空巢老人和失能老人。
"""


def test_two_documents_of_one_organization_give_one_draft_citing_both(tmp_path: Path) -> None:
    intro = write_intro(tmp_path)
    annual = write_intro(tmp_path, ANNUAL, "annual.txt")
    other = write_intro(tmp_path, SPARSE, "other.txt")
    results = import_profiles([str(intro), str(annual), str(other)], str(tmp_path / "orgs"))
    assert [r.problem for r in results] == ["", ""]
    merged = results[0]
    assert merged.path == f"{intro}、{annual}"
    profile = load_profile(merged.output)
    assert profile.name == "示例县长青社会工作服务中心"
    assert "吃得上热饭" in profile.mission  # single values: the first input that states them
    names = [p.name for p in profile.projects]
    assert "“邻里长者食堂”项目" in names and "“长者健康驿站”项目" in names  # lists: united
    assert len(names) == len(set(names))
    # groups of people written as words: not 家长 across 两家|长者, not the organization's own 4A级社会组织
    assert "独居老人" in profile.beneficiaries
    assert "家长" not in profile.beneficiaries and "社会组织" not in profile.beneficiaries
    text = Path(merged.output).read_text(encoding="utf-8")
    assert "从 intro.txt、annual.txt 生成" in text
    assert "# annual.txt 第3行" in text and "# intro.txt 第3行" in text  # every value names its file
    assert len(list((tmp_path / "orgs").glob("*.yaml"))) == 2


def test_existing_draft_is_kept_unless_force(tmp_path: Path) -> None:
    intro = write_intro(tmp_path)
    out = tmp_path / "orgs"
    first = runner.invoke(app, ["orgs", "import", str(intro), "--output", str(out)])
    assert first.exit_code == 0, first.output
    [draft] = out.glob("*.yaml")
    draft.write_text(draft.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    again = runner.invoke(app, ["orgs", "import", str(intro), "--output", str(out)])
    assert again.exit_code == 1
    assert "already exists" in again.output and "--force" in again.output
    assert draft.read_text(encoding="utf-8").endswith("# reviewed\n")
    forced = runner.invoke(app, ["orgs", "import", str(intro), "--output", str(out), "--force"])
    assert forced.exit_code == 0
    assert not draft.read_text(encoding="utf-8").endswith("# reviewed\n")


def test_import_terminal_table_and_bad_inputs(tmp_path: Path) -> None:
    intro = write_intro(tmp_path)
    result = runner.invoke(app, ["orgs", "import", str(intro), str(tmp_path / "missing.txt"), str(tmp_path / "x.doc"),
                                 "--output", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "示例县长青社会工作服务中心" in result.output and "painpoint orgs check" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("painpoint: ")]
    assert len(errors) == 2 and "missing.txt" in errors[0] and ".doc" in errors[1]
    assert len(list((tmp_path / "o").glob("*.yaml"))) == 1


def test_slug_is_readable_ascii() -> None:
    assert slug("厦门市“温馨夕阳”咨询服务中心") == "xiamen-wenxin-xiyang-zixun"
    assert slug("中心") == "zhongxin" or slug("中心").isascii()


def test_template_is_a_valid_profile(tmp_path: Path) -> None:
    result = runner.invoke(app, ["orgs", "template"])
    assert result.exit_code == 0
    (tmp_path / "t.yaml").write_text(result.stdout, encoding="utf-8")
    profile = load_profile(str(tmp_path / "t.yaml"))
    assert profile.founded == "2016" and profile.accreditation is not None and profile.accreditation.grade == 4


def test_check_json_lists_problems(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: x\nname: n\nmission: m\nservces: [a]\nfounded: soon\n", encoding="utf-8")
    result = runner.invoke(app, ["orgs", "check", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    fields = {p["field"]: p["message"] for p in data["problems"]}
    assert "did you mean 'services'" in fields["servces"] and "year" in fields["founded"]
    assert data["valid"] == []


def test_new_without_a_terminal_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["orgs", "new", "--output", str(tmp_path)], input="x\n")
    assert result.exit_code == 2
    assert "orgs template" in result.output and "orgs import" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_new_in_a_pseudo_terminal_writes_a_valid_profile(tmp_path: Path) -> None:
    import pty

    master, slave = pty.openpty()
    answers = ["示例县长青社会工作服务中心", "示例县", "为社区老人提供助餐和探访。", "独居老人、失能老人",
               "长者食堂", "示例县民政局", "日均供餐450份", ""]
    env = {**os.environ, "PAINPOINT_LANG": "zh"}
    proc = subprocess.Popen([sys.executable, "-m", "painpoint", "orgs", "new", "--output", str(tmp_path)],
                            stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    for answer in answers:
        time.sleep(0.3)
        os.write(master, (answer + "\n").encode("utf-8"))
    _, err = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0, err.decode()
    [path] = tmp_path.glob("*.yaml")
    profile = load_profile(str(path))
    assert profile.name == "示例县长青社会工作服务中心" and profile.region == ("示例县",)
    assert profile.beneficiaries == ("独居老人", "失能老人")
    assert profile.projects[0].name == "长者食堂" and profile.projects[0].partners == ("示例县民政局",)


@pytest.mark.corpus
def test_corpus_intros_draft_valid_profiles_that_rank_plans_like_the_hand_written(corpus: Path,
                                                                                  tmp_path: Path) -> None:
    import docx

    from painpoint.evaluate import import_overlap

    intros = sorted((corpus / "intros").glob("*.txt"))
    docx_files = []
    for intro in intros:  # the .docx variant is generated here, never stored
        document = docx.Document()
        for line in intro.read_text(encoding="utf-8").splitlines():
            if line.strip():
                document.add_paragraph(line)
        document.save(str(tmp_path / f"{intro.stem}.docx"))
        docx_files.append(str(tmp_path / f"{intro.stem}.docx"))
    for paths in ([str(p) for p in intros], docx_files):
        result = import_overlap(corpus, paths)
        assert result["mean_overlap"] >= 0.85, result
    for path in [*intros, *map(Path, docx_files)]:
        [imported] = import_profiles([str(path)], str(tmp_path / "drafts" / path.suffix[1:]))
        assert imported.problem == "" and load_profiles([imported.output])[1] == []
        profile = load_profile(imported.output)
        hand = yaml.safe_load((corpus / "orgs" / f"{path.stem}.yaml").read_text(encoding="utf-8"))
        assert profile.name in hand["name"] or hand["name"] in profile.name
        assert profile.region and profile.services and profile.projects


def test_directory_copy_fields_and_traditional_script(tmp_path: Path) -> None:
    text = ("機構名稱：示例縣青禾社區發展協會\n成立時間：2012年5月\n登記機關：示例縣民政局\n"
            "本會是經示例縣民政局批准登記的社會團體，評估等級為4A。\n"
            "2018年至2020年承接示例縣民政局購買的“青禾助學”項目，資助學生300名。\n")
    [result] = import_profiles([str(write_intro(tmp_path, text, "directory.txt"))], str(tmp_path / "o"))
    profile = load_profile(result.output)
    assert profile.name == "示例縣青禾社區發展協會"  # as written
    assert (str(profile.kind), profile.founded, profile.region) == ("社会团体", "2012", ("示例县",))
    assert [p.name for p in profile.projects] == ["“青禾助學”項目"]
    assert profile.projects[0].years == "2018-2020" and "300名" in profile.projects[0].results
    assert profile.accreditation is not None and profile.accreditation.grade == 4
    assert result.profile_id.isascii() and result.profile_id


_PIECES = ["示例县", "民政局", "成立于2016年", "“", "”", "项目", "基金会", "服务中心", "民办非企业单位", "社会团体",
           "宗旨是", "。", "，", "、", "：", "4A级", "公开募捐资格", "专职社工5名", "承接", "举办了", "论坛", "与",
           "合作", "——", "（", "）", "\u2028", "\x85", "#", "'", '"', ": ", "- ", "{", "}", "[", "]", "&a", "*b",
           "!!python/object", "老人", "留守儿童", "2019年至2021年", "服务3000人次", "\t", "名称：", "A", "1"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join), min_size=1, max_size=6))
def test_any_text_gives_a_draft_that_passes_the_check(lines: list[str]) -> None:
    from painpoint.model import Document
    from painpoint.orgs.draft import draft_profile
    from painpoint.orgs.importer import render_draft, slug
    from painpoint.orgs.load import _parse_yaml
    from painpoint.orgs.profile import parse_profile

    kept = [line for line in lines if line.strip()] or ["x"]
    document = Document("t.txt", tuple(kept), tuple(range(1, len(kept) + 1)), "txt")
    draft = draft_profile(document, ["老人", "留守儿童"])
    profile_id = slug(draft.name.value) if draft.name else "t"
    data, problems = _parse_yaml(render_draft(draft, profile_id), "t.yaml")
    assert problems == []
    profile, problems = parse_profile(data, "t.yaml")
    assert problems == [] and profile is not None


def draft_of(text: str) -> Draft:
    """The draft of `text`, one line per line, without the CLI."""
    lines = [line for line in text.splitlines() if line.strip()]
    return draft_profile(Document("t.txt", tuple(lines), tuple(range(1, len(lines) + 1)), "txt"))


# Credentials written with a negation: never drafted as held.
DENIED = """示例县禾苗社会工作服务中心简介
示例县禾苗社会工作服务中心成立于2018年，是在示例县民政局登记的民办非企业单位。
中心具有慈善组织认定，暂未取得公开募捐资格。
"""


@pytest.mark.parametrize(("sentence", "key"), [
    ("中心尚未取得公开募捐资格。", "public_fundraising"), ("中心不具备公开募捐资格。", "public_fundraising"),
    ("中心无公开募捐资格。", "public_fundraising"), ("中心没有公开募捐资格。", "public_fundraising"),
    ("公开募捐资格尚未取得。", "public_fundraising"), ("中心暂未被认定为慈善组织。", "charity"),
    ("中心正在申请慈善组织认定。", "charity"), ("中心未参加评估，尚无3A级社会组织等级。", "grade"),
])
def test_a_credential_written_with_a_negation_is_never_true(sentence: str, key: str) -> None:
    assert key not in draft_of(sentence).credentials


def test_negated_fundraising_beside_a_held_credential(tmp_path: Path) -> None:
    [result] = import_profiles([str(write_intro(tmp_path, DENIED))], str(tmp_path / "orgs"))
    data = yaml.safe_load(Path(result.output).read_text(encoding="utf-8"))
    assert data["credentials"]["charity"] is True
    assert "public_fundraising" not in data["credentials"]


# Words before a place or a body (位于, 受, 经) are not part of it; a street is not a region level.
PLACES = """示例县禾苗社会工作服务中心简介
示例县禾苗社会工作服务中心成立于2018年，是经示例县民政局登记的民办非企业单位。
中心现有专职社工6名，办公地点位于示例省示例市示例县城关镇建设路18号。
1. “邻里守望”探访项目（2020年）。受示例县民政局委托，为独居老人提供探访服务。
"""


def test_leading_verbs_are_not_part_of_a_place_or_a_partner() -> None:
    draft = draft_of(PLACES)
    assert [(f.value, f.source.line) for f in draft.region] == [("示例省示例市示例县城关镇", 3)]
    [project] = draft.projects
    assert [p.value for p in project.partners] == ["示例县民政局"]


# A result is a counted outcome, a number with a thousands separator one number.
RESULTS = """示例县禾苗社会工作服务中心简介
1. “邻里守望”探访项目（2020年）。在城关镇、青山镇8个社区开展探访，建立独居老人档案1,260人，累计探访1.5万人次。
"""


def test_results_keep_numbers_whole_and_leave_out_where_the_work_was_done() -> None:
    [project] = draft_of(RESULTS).projects
    assert project.results is not None
    assert project.results.value == "建立独居老人档案1,260人，累计探访1.5万人次"


@pytest.mark.parametrize(("sentence", "staff"), [
    ("中心现有专职社工12名，其中持证社工9名，常年服务志愿者230余名，办公地点在城关镇。",
     "专职社工12名，其中持证社工9名，常年服务志愿者230余名"),
    ("目前中心有专职社工8名、志愿者120余名。", "专职社工8名、志愿者120余名"),
    ("中心有工作人员5人。", "工作人员5人"),
])
def test_staff_keeps_the_counted_staff_and_volunteers(sentence: str, staff: str) -> None:
    found = draft_of(sentence).staff
    assert found is not None and found.value == staff


# Numbered items under 主要项目 whose titles end otherwise than 项目; an honour of a listed project.
LISTED = """示例县禾苗社会工作服务中心简介
主要项目：
一、“邻里守望”独居老人探访项目（2019年至今）。为独居老人提供探访服务。
二、“一户一策”困境家庭救助试点（2022-2023年）。为86户困境家庭制定个案计划。
三、“喘息时光”残疾人家庭照护服务（2021年起）。共服务家庭40户。
所获荣誉：2020年获示例市“优秀社会组织”称号；2023年“邻里守望”项目获示例省社会工作优秀案例。
"""


def test_numbered_projects_open_years_and_honours_of_a_listed_project() -> None:
    draft = draft_of(LISTED)
    assert [(p.name.value, p.years.value if p.years else None) for p in draft.projects] == [
        ("“邻里守望”独居老人探访项目", "2019-"), ("“一户一策”困境家庭救助试点", "2022-2023"),
        ("“喘息时光”残疾人家庭照护服务", "2021-")]
    assert draft.credentials["other"].value == "优秀社会组织；示例省社会工作优秀案例（“邻里守望”项目）"


def test_beneficiaries_come_in_the_same_order_in_every_run() -> None:
    code = ("from painpoint.model import Document; from painpoint.orgs.draft import draft_profile; "
            "d = draft_profile(Document('t.txt', ('示例县禾苗基金会关爱妇女儿童家庭老人',), (1,), 'txt'), "
            "['妇女', '儿童', '家庭', '老人', '青年', '学生']); print([f.value for f in d.beneficiaries])")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**env, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(outputs) == 1, outputs


def test_a_partner_named_联合会_is_kept_whole() -> None:
    [project] = draft_of("1. “喘息时光”照护项目（2021年）。与示例县残疾人联合会合作，服务家庭40户。").projects
    assert [p.value for p in project.partners] == ["示例县残疾人联合会"]


# An annual report opening with its title; the intro states the mission after a cue.
REPORT = """示例县禾苗社会工作服务中心2024年度工作报告
示例县禾苗社会工作服务中心成立于2018年，登记管理机关为示例县民政局。
"""
REPORT_INTRO = """示例县禾苗社会工作服务中心简介
示例县禾苗社会工作服务中心成立于2018年，是在示例县民政局登记的民办非企业单位。
我们的宗旨：陪伴困境家庭走出困境。
"""


def test_a_document_title_is_never_the_mission() -> None:
    mission = draft_of(REPORT).mission
    assert mission is None or "工作报告" not in mission.value


def test_a_value_read_after_a_cue_wins_over_a_guess_of_another_file(tmp_path: Path) -> None:
    report = write_intro(tmp_path, REPORT, "report.txt")
    intro = write_intro(tmp_path, REPORT_INTRO, "intro.txt")
    [result] = import_profiles([str(report), str(intro)], str(tmp_path / "orgs"))
    assert load_profile(result.output).mission == "陪伴困境家庭走出困境"
    assert "mission: \"陪伴困境家庭走出困境\"  # intro.txt 第3行" in Path(result.output).read_text(encoding="utf-8")


def test_a_word_table_of_projects_gives_projects_that_meet_the_intro_s(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("示例县禾苗社会工作服务中心2024年度工作报告")
    document.add_paragraph("2024年主要项目一览：")
    rows = [("项目名称", "时间", "合作单位", "成效"),
            ("邻里守望独居老人探访项目", "2024年", "示例县民政局", "探访独居老人1200人次"),
            ("喘息时光残疾人家庭照护服务", "2023-2024年", "示例县残疾人联合会、青山镇人民政府", "服务家庭40户")]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.save(str(tmp_path / "report.docx"))
    [result] = import_profiles([str(tmp_path / "report.docx")], str(tmp_path / "a"))
    projects = load_profile(result.output).projects
    assert [(p.name, p.years, p.partners, p.results) for p in projects] == [
        ("邻里守望独居老人探访项目", "2024", ("示例县民政局",), "探访独居老人1200人次"),
        ("喘息时光残疾人家庭照护服务", "2023-2024", ("示例县残疾人联合会", "青山镇人民政府"), "服务家庭40户")]
    # the intro names the first with quotes: one project, led by the intro's reading
    intro = write_intro(tmp_path, "示例县禾苗社会工作服务中心简介\n主要项目：\n"
                        "一、“邻里守望”独居老人探访项目（2019年至今）。为独居老人提供探访服务。\n", "intro.txt")
    [merged] = import_profiles([str(tmp_path / "report.docx"), str(intro)], str(tmp_path / "b"))
    names = [p.name for p in load_profile(merged.output).projects]
    assert names == ["“邻里守望”独居老人探访项目", "喘息时光残疾人家庭照护服务"]


def test_a_written_draft_ends_with_one_newline(tmp_path: Path) -> None:
    [result] = import_profiles([str(write_intro(tmp_path, LISTED))], str(tmp_path / "orgs"))
    text = Path(result.output).read_bytes()
    assert text.endswith(b"\n") and not text.endswith(b"\n\n")


# A county bureau's work plan, as people download it from the government website and take for "our text".
WORK_PLAN = """示例县民政局2025年工作要点
发布日期：2025-02-10
字号：示民发〔2025〕3号
第一章 总体要求
坚持以人民为中心，兜牢民生底线。
第二章 重点任务
发展居家社区养老服务，新建老年助餐点25个，支持社会组织参与留守儿童关爱服务。
"""
# An organization's own project plan: a 实施方案 by its title, but no organ issues it.
PROJECT_PLAN = """“禾苗伴读”乡村儿童阅读项目实施方案
一、项目背景
示例县有留守儿童1200名。禾苗乡村儿童社会工作服务中心是在示例县民政局登记的民办非企业单位。
二、项目内容
2024年起在12所乡村学校开设阅读角，服务儿童1500名。
禾苗乡村儿童社会工作服务中心
2024年3月1日
"""


def test_a_government_plan_is_refused_and_the_other_files_still_imported(tmp_path: Path) -> None:
    plan = write_intro(tmp_path, WORK_PLAN, "民政局工作要点.txt")
    intro = write_intro(tmp_path)
    out = tmp_path / "orgs"
    result = runner.invoke(app, ["--lang", "zh", "orgs", "import", str(plan), str(intro), "-o", str(out)])
    assert result.exit_code == 2
    [line] = [x for x in result.stderr.splitlines() if x.startswith("painpoint: ")]
    assert line.startswith(f"painpoint: {plan}: 看起来是政府文件") and "示例县民政局2025年工作要点" in line
    assert "painpoint scan" in line and "painpoint match --plans" in line and "--force" in line
    assert [p.name for p in out.glob("*.yaml")] == ["shili-changqing-shehui-gongzuo.yaml"]  # the intro's draft


def test_force_drafts_from_a_government_plan_anyway(tmp_path: Path) -> None:
    plan = write_intro(tmp_path, WORK_PLAN, "plan.txt")
    [refused] = import_profiles([str(plan)], str(tmp_path / "a"))
    assert refused.wrong_input and refused.output == ""
    [forced] = import_profiles([str(plan)], str(tmp_path / "b"), force=True)
    assert forced.problem == "" and os.path.exists(forced.output)


def test_an_organizations_own_project_plan_is_not_taken_for_a_government_one(tmp_path: Path) -> None:
    [result] = import_profiles([str(write_intro(tmp_path, PROJECT_PLAN, "方案.txt"))], str(tmp_path / "orgs"))
    assert result.problem == "" and not result.wrong_input


# an organization's own texts with two of the signs a government document has: a plan-type title with chapters,
# and a year report copied from its WeChat page with a 发布时间 line; no government body issues either
OWN_TEXTS = {
    "项目方案.txt": "同心社工中心“护苗”困境儿童关爱项目实施方案\n第一章 项目背景\n我县困境儿童约500名。\n"
                  "第二章 服务内容\n开展个案管理、小组活动和社区宣传。\n",
    "年度总结.txt": "安阳县同心社会工作服务中心2024年度工作总结\n发布时间：2025-01-10\n第一章 机构概况\n"
                  "本中心成立于2016年，是在县民政局登记的民办非企业单位。\n第二章 项目成效\n"
                  "1. 困境儿童关爱项目：为全县120名困境儿童提供个案管理。\n",
}


def test_a_date_line_is_never_the_mission() -> None:
    # a year report copied from a web page: 发布时间：2025-01-10 reads like "label：value", and is no mission
    draft = draft_of(OWN_TEXTS["年度总结.txt"])
    assert draft.mission is not None and "2025-01-10" not in draft.mission.value
    assert "民办非企业单位" in draft.mission.value


@pytest.mark.parametrize("name", sorted(OWN_TEXTS))
def test_an_organizations_text_with_two_government_signs_is_still_imported(tmp_path: Path, name: str) -> None:
    [result] = import_profiles([str(write_intro(tmp_path, OWN_TEXTS[name], name))], str(tmp_path / "orgs"))
    assert result.problem == "" and not result.wrong_input


# The first hour of a children's centre: its name holds 乡村, its sections are numbered, its groups listed.
HEMIAO = """禾苗乡村儿童社会工作服务中心简介
一、机构概况
禾苗乡村儿童社会工作服务中心成立于2018年，是在示例县民政局登记的民办非企业单位。
我们陪伴孩子读书，也走进家庭，帮助儿童和家庭一起成长。
服务对象：留守儿童、事实无人抚养儿童及其照料人、乡村学校教师。
二、主要项目
1. “禾苗伴读”乡村阅读项目（2019—2023年），示例县教育局资助，覆盖12所乡村学校，服务儿童1500名。
2. “护苗”困境儿童个案服务（2021年起），示例县民政局购买服务，跟进个案86个。
六、荣誉与资质
2022年获评3A级社会组织。
"""


def test_a_place_is_not_read_out_of_a_word_in_the_name() -> None:
    draft = draft_of(HEMIAO)
    assert [f.value for f in draft.region] == ["示例县"]  # not 禾苗乡 out of 禾苗 + 乡村
    assert slug("禾苗乡村儿童社会工作服务中心") == "hemiao-xiangcun-ertong-shehui"
    assert slug("示例县禾苗乡村儿童社会工作服务中心").startswith("shili-hemiao")


def test_the_next_section_heading_ends_the_list_of_projects() -> None:
    names = [p.name.value for p in draft_of(HEMIAO).projects]
    assert names[0] == "“禾苗伴读”乡村阅读项目"
    assert "荣誉与资质" not in names and not any("荣誉" in n for n in names)
    # an unnumbered heading of projects: a bare heading line of another part ends it too
    text = "主要项目：\n1. “护苗”困境儿童个案服务项目（2021年）\n2. 荣誉资质\n2022年获评3A级社会组织。\n"
    assert [p.name.value for p in draft_of(text).projects] == ["“护苗”困境儿童个案服务项目"]


def test_every_declared_group_is_kept_and_nothing_generic_added() -> None:
    from painpoint.orgs.importer import beneficiary_words

    lines = tuple(HEMIAO.splitlines())
    document = Document("t.txt", lines, tuple(range(1, len(lines) + 1)), "txt")
    draft = draft_profile(document, beneficiary_words())
    assert [f.value for f in draft.beneficiaries] == ["留守儿童", "事实无人抚养儿童", "事实无人抚养儿童照料人",
                                                      "乡村学校教师"]


def test_a_numeric_id_is_written_so_that_it_reads_back_as_text(tmp_path: Path) -> None:
    from painpoint.orgs.importer import render_draft

    path = tmp_path / "1.yaml"
    path.write_text(render_draft(Draft("t.txt"), "1"), encoding="utf-8")
    assert load_profile(str(path)).id == "1"

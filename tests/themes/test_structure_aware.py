"""Time-aware sections, law chapters, pooling, umbrellas and ties in pain-point ranking (issue 16)."""

from __future__ import annotations

import textwrap

import pytest

from helpers import make_document
from painpoint.pipeline import default_segmenter
from painpoint.plans import parse_plan
from painpoint.themes import extract_pain_points, load_taxonomy
from painpoint.themes.extract import PainPoint, in_review
from painpoint.themes.taxonomy import parse_taxonomy


def _points(text: str, taxonomy=None, path: str = "plan.txt") -> list[PainPoint]:  # type: ignore[no-untyped-def]
    plan = parse_plan(make_document(textwrap.dedent(text), path))
    return extract_pain_points([plan], taxonomy or load_taxonomy(), default_segmenter())[0]


REVIEW_THEN_PLAN = """\
示例县民政局2025年工作要点
一、2024年工作回顾
过去一年，殡葬改革深入推进，殡仪馆完成改造，公益性公墓建成3处，节地生态安葬比例提高。
殡葬服务实现全覆盖，惠民殡葬政策落实到位。
二、2025年重点任务
（一）发展居家社区养老服务，新建老年助餐点25个，为失能老年人提供上门服务。
"""


def test_review_sections_count_less_and_their_evidence_is_marked() -> None:
    points = {p.theme: p for p in _points(REVIEW_THEN_PLAN)}
    # the review mentions funerals more often than the tasks mention elderly care; what comes next leads
    assert points["居家社区养老"].score > points["殡葬改革"].score
    review = points["殡葬改革"].evidence[0]
    # the data stays as the plan wrote it; what a person reads is marked, in the language in force
    assert review.review and not review.text.startswith("(review)") and review.shown.startswith("(review) ")
    assert not any(e.review for e in points["居家社区养老"].evidence)


def test_the_nearest_heading_decides_review_or_plan() -> None:
    plan = parse_plan(make_document(REVIEW_THEN_PLAN, "p.txt"))
    by_line = {s.line: s for s in plan.sentences}
    assert in_review(by_line[3]) and not in_review(by_line[6])


LAW = """\
示例省社区服务条例
第一章 总　　则
第一条 为了规范社区服务，制定本条例。
第二章 邻里互助与居民自治
第五条 鼓励居民开展邻里互助。
第三章 睦邻文化
第六条 支持开展睦邻节。
第七条 支持编写睦邻公约。
第八条 支持设立睦邻议事会。
第四章 法律责任
第九条 违反本条例规定的，依法处理。
"""


def test_a_laws_chapter_headings_are_candidate_pain_points_except_the_standard_ones() -> None:
    names = [p.theme for p in _points(LAW)]
    assert {"邻里互助与居民自治", "睦邻文化"} <= set(names)
    assert not {"总则", "法律责任"} & set(names)
    # a chapter stands for its articles: the longer one ranks first
    assert names.index("睦邻文化") < names.index("邻里互助与居民自治")


COMPREHENSIVE = parse_taxonomy(textwrap.dedent("""\
    themes:
      - {name: 就业, departments: [人社局], social: 0.5, terms: [就业, 稳就业]}
      - {name: 社会保险, departments: [人社局], social: 0.3, terms: [社会保险, 养老保险]}
      - {name: 科技创新, departments: [科技局], social: 0.2, terms: [科技创新, 研发]}
      - {name: 粮食安全, departments: [农业局], social: 0.2, terms: [粮食安全, 耕地]}
      - {name: 污染防治, departments: [环保局], social: 0.4, terms: [污染防治, 蓝天]}
    """), "test")

REPORT = """\
示例县政府工作报告
稳就业，就业形势稳定，就业优先。社会保险扩面，养老保险全覆盖。
科技创新加快，研发投入增长。粮食安全守住，耕地保护有力。污染防治深入，蓝天保卫战见效。
"""


def test_a_comprehensive_plan_shows_one_departments_area_once_with_its_members() -> None:
    points = _points(REPORT, COMPREHENSIVE)
    by_name = {p.theme: p for p in points}
    assert "社会保险" not in by_name
    assert by_name["就业"].members == ("社会保险",)
    assert "社会保险" in by_name["就业"].terms
    assert points[0].theme == "就业"  # the pooled area adds up


def test_a_departmental_plan_is_not_pooled() -> None:
    text = "示例县人社局2025年工作要点\n稳就业，就业优先。社会保险扩面，养老保险全覆盖。\n"
    names = [p.theme for p in _points(text, COMPREHENSIVE)]
    assert {"就业", "社会保险"} <= set(names)


TIES = parse_taxonomy(textwrap.dedent("""\
    themes:
      - {name: 甲工程, departments: [甲局], social: 0.1, terms: [甲工程]}
      - {name: 乙服务, departments: [乙局], social: 0.9, terms: [乙服务]}
      - {name: 丙项目, departments: [丙局], social: 0.5, terms: [丙项目, 丙项目建设]}
    """), "test")


def test_near_equal_scores_are_ties_ordered_by_social_delivery_with_the_reason() -> None:
    points = _points("示例\n推进甲工程。推进乙服务。丙项目建设和丙项目。\n", TIES)
    assert [p.theme for p in points[:3]] == ["丙项目", "乙服务", "甲工程"]
    assert points[0].tie == ""
    assert points[1].tie and "甲工程" in points[1].tie and points[2].tie == points[1].tie


UMBRELLA = parse_taxonomy(textwrap.dedent("""\
    themes:
      - {name: 民政事业, umbrella: true, departments: [民政局], social: 0.8, terms: [民政事业, 民政工作, 民政局]}
      - {name: 社会救助, departments: [民政局], social: 0.9, terms: [社会救助, 低保]}
      - {name: 妇女发展, umbrella: true, population: true, departments: [妇联], social: 0.8, terms: [妇女发展, 妇女]}
    """), "test")


def test_the_plans_own_field_ranks_below_its_parts_but_groups_of_people_do_not() -> None:
    text = ("示例县民政局2025年工作要点\n民政事业稳步发展，民政工作扎实。民政局推进社会救助，低保扩面。\n"
            "妇女发展，妇女权益。\n")
    points = [p.theme for p in _points(text, UMBRELLA)]
    assert points.index("社会救助") < points.index("民政事业")
    assert UMBRELLA.by_name["民政事业"].field_wide and not UMBRELLA.by_name["妇女发展"].field_wide


def test_acronyms_are_candidates_and_short_excerpts_fill_their_slots() -> None:
    text = "示例县财政局通知\n规范推广PPP模式，PPP项目入库审核。\n探索碳普惠机制。\n"
    points = _points(text, TIES)
    names = [p.theme for p in points]
    assert "PPP" in names
    # one mention, but specific: a short text shows it rather than leave the slot empty
    assert "碳普惠" in names
    assert not {"探索", "机制", "规范"} & set(names)


def test_hmm_guesses_and_offices_are_not_key_phrases() -> None:
    text = ("示例县人民政府办公室关于压茬推进重点工作的通知\n"
            "在全县压茬推进重点工作，压茬推进项目建设，示例县街道办事处、县政协和县人民政府办公室参与督办。\n"
            "探索碳普惠机制，建立碳普惠平台。\n")
    segmenter = default_segmenter()
    assert not segmenter.knows("压茬") and not segmenter.knows("碳普惠") and segmenter.knows("街道办事处")
    names = {p.theme for p in _points(text, TIES)}
    # two characters no dictionary knows are the segmenter's guess; a longer unknown word may be new policy
    # language; an office names who acts, not what is needed
    assert "碳普惠" in names
    assert not {"压茬", "人民政府办公室", "街道办事处", "县政协"} & names


# an excerpt whose review heading is an unnumbered line the parser reads as text: the openers still tell
LOOKING_BACK = """\
示例县政府工作报告
2024年工作回顾
过去一年，我们推进殡葬改革，殡仪馆完成改造，公益性公墓建成3处。
五年来，节地生态安葬比例持续提高。
2024年是极不平凡的一年。
"""


def test_a_sentence_that_opens_by_looking_back_is_review_whatever_its_heading() -> None:
    plan = parse_plan(make_document(LOOKING_BACK, "p.txt"))
    by_line = {s.line: s for s in plan.sentences}
    assert in_review(by_line[3]) and in_review(by_line[4])
    assert not in_review(by_line[5])  # a year named is no looking back
    plan2 = parse_plan(make_document("示例县规划\n我们将推进殡葬改革，过去一年的经验要坚持。\n", "q.txt"))
    assert not any(in_review(s) for s in plan2.sentences)  # only the opening of a sentence counts


def test_look_ahead_is_the_share_of_theme_mass_that_is_not_review() -> None:
    from painpoint.themes.extract import collect_signals, look_ahead

    taxonomy = load_taxonomy()
    back = collect_signals(parse_plan(make_document(LOOKING_BACK, "p.txt")), taxonomy, None)
    mixed = collect_signals(parse_plan(make_document(REVIEW_THEN_PLAN, "q.txt")), taxonomy, None)
    ahead = collect_signals(parse_plan(make_document(REVIEW_THEN_PLAN.split("二、")[0].replace(
        "一、2024年工作回顾\n过去一年，", "一、殡葬改革\n"), "r.txt")), taxonomy, None)
    assert look_ahead(back) == pytest.approx(0.35)  # every mention reviews past work
    assert 0.35 < look_ahead(mixed) < 1.0
    assert look_ahead(ahead) == 1.0

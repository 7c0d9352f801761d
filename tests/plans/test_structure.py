"""Plan structure: headings, responsible units, targets, boilerplate and furniture."""

from __future__ import annotations

from helpers import make_document
from painpoint.plans import SentenceKind, parse_plan
from painpoint.plans.structure import heading_level

PLAN = """示例县“十四五”民政事业发展规划
发布时间：2025-01-01 浏览量：123 【字体：大 中 小】 打印
第一章 发展基础
坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党中央决策部署。
第二章 主要任务
第一节 兜牢民生底线
一、健全社会救助体系
（一）提高低保标准
到2025年，农村低保标准提高到每人每月620元。
牵头单位：县民政局；配合单位：县财政局、各乡镇人民政府
(二)加强特困供养
1.重点提升特困人员失能照护能力。着力补齐农村敬老院短板。
【重点任务1】居家社区养老服务提升工程
到2025年，全县养老机构护理型床位占比达到55%以上。（责任单位：县民政局、县卫生健康局）
"""


def test_heading_levels() -> None:
    assert heading_level("第一章 发展基础") == 2
    assert heading_level("第一节 兜牢民生底线") == 3
    assert heading_level("一、健全社会救助体系") == 4
    assert heading_level("（一）提高低保标准") == 5
    assert heading_level("(二)加强特困供养") == 5
    assert heading_level("1.重点提升") == 6
    assert heading_level("【重点任务1】居家社区养老") == 6
    assert heading_level("2025年全县") is None
    assert heading_level("3.5%的增长") is None


def test_sections_know_their_path() -> None:
    plan = parse_plan(make_document(PLAN))
    sentence = next(s for s in plan.sentences if "620元" in s.text)
    assert sentence.section == ("第二章 主要任务", "第一节 兜牢民生底线", "一、健全社会救助体系", "（一）提高低保标准")
    later = next(s for s in plan.sentences if "短板" in s.text)
    assert later.section[-2:] == ("(二)加强特困供养", "1.重点提升特困人员失能照护能力")


def test_title_department_and_furniture() -> None:
    plan = parse_plan(make_document(PLAN))
    assert plan.title == "示例县“十四五”民政事业发展规划"
    assert plan.department == "示例县民政局"
    assert plan.sentences[0].kind is SentenceKind.TITLE
    assert plan.sentences[1].kind is SentenceKind.FURNITURE


def test_responsible_units_attach_to_preceding_tasks() -> None:
    plan = parse_plan(make_document(PLAN))
    task = next(s for s in plan.sentences if "620元" in s.text)
    assert task.units == ("县民政局", "县财政局", "各乡镇人民政府")
    inline = next(s for s in plan.sentences if "护理型床位" in s.text)
    assert inline.units == ("县民政局", "县卫生健康局")
    assert plan.responsible_units == ("县民政局", "县财政局", "各乡镇人民政府", "县卫生健康局")


def test_targets_are_structured() -> None:
    plan = parse_plan(make_document(PLAN))
    by_line = {t.line: t for t in plan.targets}
    assert by_line[9].year == 2025 and by_line[9].values == ("620元",)
    assert by_line[14].values == ("55%",)
    assert all(t.text for t in plan.targets)


def test_boilerplate_and_intensity() -> None:
    plan = parse_plan(make_document(PLAN))
    boiler = next(s for s in plan.sentences if "习近平" in s.text)
    assert boiler.boilerplate
    strong = next(s for s in plan.sentences if "短板" in s.text)
    assert strong.intensity > 1.0
    plain = next(s for s in plan.sentences if "620元" in s.text)
    assert plain.intensity == 1.0


def test_line_numbers_point_at_source() -> None:
    plan = parse_plan(make_document(PLAN))
    assert next(s for s in plan.sentences if "620元" in s.text).line == 9


def test_table_of_contents_on_one_line_becomes_headings() -> None:
    toc = "目 录第一章 总体要求第一节 发展基础第二节 改革完善社会救助制度第二章 养老服务"
    plan = parse_plan(make_document(toc))
    headings = [s.text for s in plan.sentences if s.kind is SentenceKind.HEADING]
    assert headings == ["第一章 总体要求", "第一节 发展基础", "第二节 改革完善社会救助制度", "第二章 养老服务"]
    assert plan.sentences[-1].section == ()
    assert next(s for s in plan.sentences if "社会救助" in s.text).section == ("第一章 总体要求",)


def test_status_reports_are_not_targets() -> None:
    plan = parse_plan(make_document("示例县民政局工作要点\n全县老年人口已达8.6万人，占总人口的23.4%。\n"
                                    "2024年累计救助低保对象6万人次。\n新建老年食堂（助餐点）25个。\n"
                                    "到2025年，累计建成助餐点90个。\n"))
    assert [t.line for t in plan.targets] == [4, 5]


def test_intensity_is_the_heaviest_word_present() -> None:
    """The one-scan _intensity equals the plain definition: max weight of every intensity word in the text."""
    from pathlib import Path

    from painpoint.plans.structure import _intensity
    from painpoint.text import resources

    weights = resources.intensity_words()

    def plain(text: str) -> float:
        return max([1.0, *(w for word, w in weights.items() if word in text)])

    plans = Path(__file__).resolve().parents[2] / "data" / "plans"
    lines = [line for p in sorted(plans.iterdir()) for line in p.read_text(encoding="utf-8").splitlines()]
    crafted = ["补短板", "短板", "补齐短板弱项", "重中之重点", "薄弱环节", "仍然不足，亟待补齐", "", "无"]
    assert sum(plain(t) > 1.0 for t in lines) > 50
    for text in lines + crafted:
        assert _intensity(text) == plain(text), text

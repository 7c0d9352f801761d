"""Pain points: ranked themes with evidence; generic words never lead."""

from __future__ import annotations

from helpers import make_document
from painpoint.pipeline import default_segmenter
from painpoint.plans import parse_plan
from painpoint.themes import PainPointSource, extract_pain_points, load_taxonomy

CIVIL = """示例县民政局2025年工作要点
一、兜牢兜准民生底线
（一）健全分层分类社会救助体系。农村低保标准提高到每人每月620元，特困人员基本生活标准不低于低保标准的1.3倍。
着力解决低保对象和特困人员的急难问题，全面落实临时救助制度。
二、补齐农村养老服务短板
（一）发展居家社区养老服务，新建老年助餐点25个。
三、加强困境儿童和农村留守儿童关爱保护
坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻落实党中央决策部署。
"""

GENERIC = {"推进", "加强", "完善", "健全", "推动", "建设", "发展", "提升", "服务", "工作", "体系", "机制"}


def _points(text: str, path: str = "civil.txt"):  # type: ignore[no-untyped-def]
    plan = parse_plan(make_document(text, path))
    return extract_pain_points([plan], load_taxonomy(), default_segmenter())[0]


def test_top_themes_with_terms_and_evidence() -> None:
    points = _points(CIVIL)
    names = [p.theme for p in points]
    assert names[0] == "社会救助"
    assert "养老服务" in names[:5] or "居家社区养老" in names[:5]
    top = points[0]
    assert {"低保", "特困人员"} <= set(top.terms)
    assert 1 <= len(top.evidence) <= 3
    assert all(e.line in (2, 3, 4) for e in top.evidence)
    assert top.score == 1.0 and all(0 <= p.score <= 1 for p in points)


def test_generic_words_are_never_pain_points() -> None:
    assert not {p.theme for p in _points(CIVIL)} & GENERIC


def test_boilerplate_is_not_evidence() -> None:
    for p in _points(CIVIL):
        assert all("习近平" not in e.text for e in p.evidence)


def test_heading_outweighs_a_passing_mention() -> None:
    base = "示例县工作要点\n一、做好防汛抗旱工作\n防汛物资储备到位。\n另外，做好殡葬服务。\n"
    names = [p.theme for p in _points(base)]
    assert names.index("防汛抗旱") < names.index("殡葬改革")


def test_thin_text_gets_statutory_duties_marked() -> None:
    points = _points("示例县民政局工作要点\n浏览量：12 打印\n", "thin.txt")
    statutory = [p for p in points if p.source is PainPointSource.STATUTORY]
    assert statutory, "a thin plan of a known department should be informed by its duties"
    assert all(not p.evidence for p in statutory)


def test_cross_plan_frequency_discounts_shared_themes() -> None:
    shared = "一、加强党的建设\n加强党的建设，发挥党组织战斗堡垒作用。\n"
    docs = [shared + "二、做好低保工作\n低保应保尽保。\n",
            shared + "二、做好养老服务\n发展居家社区养老服务。\n",
            shared + "二、做好防汛抗旱\n防汛物资储备到位。\n"]
    plans = [parse_plan(make_document(t, f"{i}.txt")) for i, t in enumerate(docs)]
    together = extract_pain_points(plans, load_taxonomy(), default_segmenter())
    alone = extract_pain_points(plans[:1], load_taxonomy(), default_segmenter())
    score_together = next(p.score for p in together[0] if p.theme == "党的建设")
    score_alone = next(p.score for p in alone[0] if p.theme == "党的建设")
    assert score_together < score_alone


def test_own_field_outranks_a_passing_theme_of_equal_weight() -> None:
    text = "示例县民政局2025年工作要点\n一、做好乡村振兴衔接\n二、做好社会救助\n"
    names = [p.theme for p in _points(text)]
    assert names.index("社会救助") < names.index("乡村振兴")

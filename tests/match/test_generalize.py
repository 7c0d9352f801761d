"""Mechanisms that carry the match score beyond any word list: diminishing returns on a plan's repetition, place
words, honours and groups of people that say where and whom an organization serves rather than what it does, and a
single-field plan's passing mention of another department's field. Small texts written here."""

from __future__ import annotations

import pytest

from helpers import departments_of
from painpoint import i18n
from painpoint.match import capability, match_all
from painpoint.match.score import need_weights
from painpoint.orgs import OrgProfile, OrgProject
from painpoint.pipeline import default_segmenter
from painpoint.themes import load_taxonomy


@pytest.fixture(autouse=True)
def _chinese() -> None:
    i18n.set_language("zh")


def test_need_weights_sum_to_one_and_shrink_the_gap_between_repeated_and_single_needs() -> None:
    weights = need_weights({"养老服务": 0.6, "社会组织": 0.1, "社会救助": 0.3})
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["养老服务"] > weights["社会救助"] > weights["社会组织"]  # the order of the needs is kept
    assert weights["养老服务"] / weights["社会组织"] < 0.6 / 0.1  # six mentions are not six times the need
    assert weights["社会组织"] > 0.1
    assert need_weights({}) == {} and need_weights({"养老服务": 0.0}) == {}


# a plan that returns to elderly care in every heading and names the cultivation of social organizations once
REPEATED = """示例县民政事业发展规划
一、养老服务
发展居家社区养老服务，建设养老服务设施，推进养老服务体系建设，提升养老服务质量。
二、养老服务人才
加强养老服务人才队伍建设，开展养老护理员培训，落实养老服务补贴。
三、社会组织
培育发展社会组织，建设社会组织孵化基地。
"""

ELDER = OrgProfile(id="elder", name="康宁照护中心", mission="上门照护",
                   services=("助浴", "养老服务"), region=("远方省",))
INCUBATOR = OrgProfile(id="incubator", name="新苗发展中心", mission="陪伴初创机构成长。",
                       services=("社会组织孵化", "社会组织能力建设"), region=("远方省",))


def test_a_once_named_need_still_weighs_beside_a_repeated_one() -> None:
    taxonomy = load_taxonomy()
    (dept,) = departments_of(REPEATED)
    share = dept.needs["社会组织"] / dept.needs["养老服务"]
    weight = dept.match_weights["社会组织"] / dept.match_weights["养老服务"]
    assert share < weight < 1.0  # still the lesser need, but not lost behind the repeated one
    caps = [capability(o, taxonomy) for o in (ELDER, INCUBATOR)]
    scores = {m.org_id: m.score for m in match_all([dept], caps, taxonomy, default_segmenter().terms)}
    assert scores["elder"] > scores["incubator"] > 0.5 * scores["elder"]


def test_place_words_after_a_verb_of_going_say_where_not_what() -> None:
    from painpoint.match.score import only_where

    text = "组织大学生到山区贫困地区的村小上自然课。"
    assert only_where(text, "贫困地区") and only_where(text, "村小")
    assert not only_where(text, "自然课") and not only_where(text, "大学生")
    # once named as the work itself, the word counts fully
    assert not only_where(text + "开展贫困地区儿童营养改善。", "贫困地区")
    assert not only_where(text, "不在文中")


def test_an_organization_working_in_poor_areas_claims_less_poverty_work_than_one_doing_it() -> None:
    taxonomy = load_taxonomy()
    visitor = OrgProfile(id="visitor", name="山野自然教育中心", mission="让孩子亲近自然。",
                         services=("自然教育",), region=("远方省",),
                         projects=(OrgProject(name="山野课堂", summary="派志愿者到西部贫困地区的学校上自然课。"),))
    doer = OrgProfile(id="doer", name="山野自然教育中心", mission="让孩子亲近自然。",
                      services=("自然教育",), region=("远方省",),
                      projects=(OrgProject(name="山野课堂", summary="在西部开展贫困地区产业帮扶。"),))
    theme = "脱贫攻坚"
    weak, strong = (capability(o, taxonomy, default_segmenter().cut) for o in (visitor, doer))
    assert theme in weak.themes and theme in strong.themes
    assert weak.themes[theme] < strong.themes[theme]
    assert min(c.strength for c in weak.claims[theme]) < max(c.strength for c in strong.claims[theme])


def test_only_verbs_of_going_mark_a_place() -> None:
    from painpoint.match.score import only_where

    assert not only_where("帮助低收入农户增收。", "农户")  # 收入 is no entering
    assert not only_where("促进儿童发展。", "儿童发展")  # nor 促进
    assert not only_where("得到社区支持。", "社区")  # 得到 is no going
    assert only_where("走进社区开展义诊。", "社区")


def test_a_group_umbrella_is_served_by_work_for_that_group_not_by_a_shared_office() -> None:
    taxonomy = load_taxonomy()
    umbrella = taxonomy.by_name["妇女发展"]
    assert umbrella.population and umbrella.departments
    office = umbrella.departments[0]
    # a children's theme the women's federation co-owns: work on it is no work for women
    children = next(t for t in taxonomy.family(umbrella) if "儿童" in t.name and office in t.departments)
    kids = OrgProfile(id="kids", name="童心陪伴中心", mission="陪伴孩子成长。", services=(children.terms[0],),
                      region=("远方省",))
    cap = capability(kids, taxonomy, default_segmenter().cut)
    assert children.name in cap.themes
    assert "妇女发展" not in cap.themes
    women = OrgProfile(id="women", name="巾帼互助中心", mission="支持农村妇女发展。", services=("妇女发展",),
                       region=("远方省",))
    assert capability(women, taxonomy, default_segmenter().cut).themes.get("妇女发展", 0.0) > 0.5


# a plan whose chapter on community governance lists the cultivation of social organizations among its sections,
# and whose chapter on social organizations elaborates its own theme
OUTLINED = """示例县民政事业发展规划
第一章 加强和创新基层社会治理
第一节 推动社会组织健康有序发展
第二节 健全志愿服务体系
第二章 加强社会组织建设
第一节 引导社会组织参与养老服务
"""

FLAT = """示例县民政事业发展规划
第一章 加强和创新基层社会治理
第二章 推动社会组织健康有序发展
第三章 健全志愿服务体系
第四章 加强社会组织建设
第五章 引导社会组织参与养老服务
"""


def test_a_plans_outline_links_the_sections_to_their_chapter() -> None:
    (dept,) = departments_of(OUTLINED)
    links = dept.outline["基层社会治理"]
    assert {"社会组织", "志愿服务"} <= links.keys()
    assert all(0 < share <= 1 for share in links.values())
    # a section that repeats its chapter's theme elaborates it: 养老服务 is no part of 社会组织
    assert "社会组织" not in dept.outline
    (flat,) = departments_of(FLAT)
    assert "基层社会治理" not in flat.outline  # no outline, no link


def test_work_on_a_section_serves_part_of_its_chapters_need() -> None:
    from painpoint.match.score import OUTLINE_FACTOR, served

    taxonomy = load_taxonomy()
    (dept,) = departments_of(OUTLINED)
    (flat,) = departments_of(FLAT)
    cap = capability(INCUBATOR, taxonomy)
    assert "基层社会治理" not in cap.themes  # the taxonomy does not link the two
    strength, via = served(dept, cap)["基层社会治理"]
    assert via == "社会组织"
    assert strength == pytest.approx(OUTLINE_FACTOR * dept.outline["基层社会治理"]["社会组织"] * cap.themes["社会组织"])
    assert "基层社会治理" not in served(flat, cap)
    match = match_all([dept], [cap], taxonomy, default_segmenter().terms)[0]
    assert "基层社会治理" in match.pain_points  # explained through the section's claims


def test_a_group_umbrella_is_never_served_through_the_outline() -> None:
    text = """示例县残疾人事业发展规划
一、保障残疾人基本生活
（一）完善社会救助制度
（二）健全志愿服务体系
"""
    (dept,) = departments_of(text)
    assert "残疾人保障" not in dept.outline
    # nor is work for a group work on a heading it stands under
    (dept,) = departments_of("示例县乡村振兴规划\n一、促进农民增收\n（一）加强残疾人托养服务\n（二）发展乡村特色产业\n")
    assert dept.outline and all("残疾人保障" not in narrow for narrow in dept.outline.values())


# a disability plan whose first need is the group itself, and minor mentions of other fields
GROUP_FIRST = """示例县残疾人事业发展规划
一、残疾人保障
完善残疾人两项补贴制度，加强残疾人托养服务，为重度残疾人提供助残服务。
健全残疾人服务体系，扩大残疾人服务覆盖面，落实残疾人福利政策。
二、其他工作
推进社会救助，开展居家社区养老服务。
"""


def test_a_group_need_is_explained_like_any_other_not_after_every_minor_one() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.by_name["残疾人保障"].population and not taxonomy.by_name["残疾人保障"].field_wide
    (dept,) = departments_of(GROUP_FIRST)
    org = OrgProfile(id="relief", name="暖家社会工作服务中心", mission="陪伴困难家庭。",
                     services=("社会救助", "居家社区养老"), beneficiaries=("重度残疾人",),
                     projects=(OrgProject(name="残疾人家庭喘息服务", summary="为重度残疾人照顾者提供替代照护。",
                                          partners=("示例县残疾人联合会",)),),
                     region=("示例县",))
    match = match_all([dept], [capability(org, taxonomy)], taxonomy, default_segmenter().terms)[0]
    # the department's first need, which the organization serves, leads its reasons (it came last, behind the
    # minor ones, as if it were a field-wide 民政事业, and was cut from the three shown)
    assert match.pain_points[0] == "残疾人保障"
    assert "残疾人家庭喘息服务" in match.reasons[0]


# a health plan that names rural development once, in passing, and returns to its own field throughout
HEALTH = """示例县卫生健康事业发展规划
一、公共卫生
完善公共卫生服务体系，加强疾病预防控制，提升公共卫生应急能力。
二、基层医疗卫生
推进基层医疗卫生机构标准化建设，落实家庭医生签约服务，村卫生室服务乡村振兴。
三、健康促进
开展健康教育和健康促进，推进慢性病综合防控，普及心理健康知识。
"""


def test_a_single_field_plan_naming_another_departments_field_once_does_not_need_it() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.by_name["乡村振兴"].field_wide
    (dept,) = departments_of(HEALTH)
    assert "公共卫生" in dept.needs and "乡村振兴" not in dept.needs
    assert "心理健康" in dept.needs  # specific work named once is still a need
    assert sum(dept.needs.values()) == pytest.approx(1.0)
    # named a second time, the field is part of what the plan asks for
    (twice,) = departments_of(HEALTH + "四、健康乡村\n以健康乡村建设助力乡村振兴。\n")
    assert "乡村振兴" in twice.needs


def test_a_plan_over_many_fields_keeps_each_field_named_once() -> None:
    report = """示例县人民政府工作报告
一、今年工作安排
推进乡村振兴。办好人民满意的教育。完善公共卫生服务体系。加强养老服务。推进生态文明建设。
"""
    (dept,) = departments_of(report)
    assert {"乡村振兴", "教育事业", "公共卫生", "养老服务"} <= dept.needs.keys()


def test_a_field_the_plans_own_department_shares_stays_a_need() -> None:
    taxonomy = load_taxonomy()
    owner = taxonomy.by_name["粮食安全"].departments[0]
    assert owner in taxonomy.by_name["乡村振兴"].departments[1:]  # shared, not owned first
    farm = """示例县粮食和现代农业发展规划
一、粮食安全
稳定粮食生产，加强耕地保护，建设高标准农田。
二、乡村产业
发展乡村特色产业，推进一村一品，促进农民增收，助力乡村振兴。
三、现代农业
推进农业机械化，发展设施农业。
"""
    (dept,) = departments_of(farm)
    assert "乡村振兴" in dept.needs


def test_words_in_an_honours_name_claim_less_than_the_same_words_as_work() -> None:
    from painpoint.match.score import only_honour

    honour = "项目入选全国社会工作服务示范项目。"
    assert only_honour(honour, "社会工作") and not only_honour(honour, "项目入选")
    assert only_honour("机构被评为全国先进社会组织。", "社会组织")
    assert not only_honour("开展社会工作服务，荣获省级表彰。", "社会工作")  # the work stands before the verb
    assert not only_honour(honour + "为社区长者提供社会工作服务。", "社会工作")  # named as work as well
    assert not only_honour("项目入选示范项目后持续开展社会工作服务。", "社会工作")  # the clause turns to work
    from painpoint.match.score import HONOUR_FACTOR, PLACE_FACTOR, _aside

    # once where the work happens, once in an honour: never named as work
    assert _aside("走进乡村学校上课，荣获乡村学校优秀伙伴。", "乡村学校") == max(PLACE_FACTOR, HONOUR_FACTOR)
    taxonomy = load_taxonomy()
    cut = default_segmenter().cut

    def claim(summary: str) -> float:
        org = OrgProfile(id="o", name="乐邻中心", mission="陪伴长者。", region=("远方省",),
                         projects=(OrgProject(name="乐邻行动", summary=summary),))
        return capability(org, taxonomy, cut).themes.get("社会工作", 0.0)

    named, done = claim("陪伴独居长者，入选全国社会工作服务示范项目。"), claim("为独居长者提供社会工作服务。")
    assert 0 < named < done


def test_whom_an_organization_serves_is_not_what_it_does() -> None:
    from painpoint.match.score import SINGLE_FIELD, STRENGTH_BENEFICIARY

    taxonomy = load_taxonomy()
    cut = default_segmenter().cut
    theme = "乡村教育"
    assert "乡村教师" in taxonomy.by_name[theme].beneficiaries

    def strength(services: tuple[str, ...], beneficiaries: tuple[str, ...] = ()) -> float:
        org = OrgProfile(id="o", name="青山中心", mission="让孩子亲近自然。", services=("自然教育", *services),
                         beneficiaries=beneficiaries, region=("远方省",))
        cap = capability(org, taxonomy, cut)
        return cap.themes.get(theme, 0.0)

    # training rural teachers in nature education names whom it trains; running rural schooling is the work
    trains, runs = strength(("乡村教师自然教育培训",)), strength(("乡村教育",))
    assert 0 < trains < runs
    org = OrgProfile(id="t", name="青山中心", mission="让孩子亲近自然。", services=("乡村教师自然教育培训",),
                     region=("远方省",))
    [claim] = capability(org, taxonomy, cut).claims[theme]
    assert claim.term == "乡村教师" and claim.strength == STRENGTH_BENEFICIARY
    assert not claim.whom  # capped, yet the service's own evidence: it adds up with other fields
    # whom and where, told several times, still say no work: the theme counts the strongest of them once

    only_whom = OrgProfile(id="w", name="青山中心", mission="让孩子亲近自然。", services=("自然教育",),
                           beneficiaries=("乡村教师", "乡村学生"), region=("远方省",),
                           projects=(OrgProject(name="山野课堂", summary="派志愿者到乡村学校上自然课。"),))
    cap = capability(only_whom, taxonomy, cut)
    assert len(cap.claims[theme]) >= 2 and all(c.whom for c in cap.claims[theme])
    assert cap.themes[theme] <= SINGLE_FIELD * STRENGTH_BENEFICIARY


def test_a_word_for_the_group_a_theme_is_about_is_the_work() -> None:
    from painpoint.match.score import _names_group, _people

    taxonomy = load_taxonomy()
    people = _people(taxonomy)
    assert _names_group("农村留守儿童", "留守儿童关爱保护", people)
    assert not _names_group("乡村教师", "乡村教育", people)
    org = OrgProfile(id="o", name="童行中心", mission="陪伴孩子。", region=("远方省",),
                     projects=(OrgProject(name="童伴计划", summary="为农村留守儿童提供陪伴。"),))
    claims = capability(org, taxonomy, default_segmenter().cut).claims["留守儿童关爱保护"]
    assert not claims[0].whom and claims[0].strength > 0.55

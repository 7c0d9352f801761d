"""Issuer metadata: every source of evidence on short texts written for the tests, and the organ catalogue."""

from __future__ import annotations

import pytest

from painpoint.plans.metadata import extract
from painpoint.plans.organs import doc_number_kind, find_organs, kind_of, level_of


def test_heading_file_line_names_the_issuer() -> None:
    m = extract(["甲乙县民政局文件", "甲民发〔2024〕3号", "关于做好冬季救助工作的通知", "各乡镇："], "x.txt")
    assert m.department == "甲乙县民政局"
    assert m.department_source == "heading"
    assert m.department_line == 1 and m.department_evidence == "甲乙县民政局文件"
    assert m.year == 2024 and m.kind == "通知"


def test_release_notice_belongs_to_the_office_and_keeps_the_drafter() -> None:
    lines = ["丙丁区人民政府办公室关于印发丙丁区养老服务发展规划的通知", "各街道办事处：",
             "现将《丙丁区养老服务发展规划》印发给你们。", "丙丁区人民政府办公室", "2023年5月6日",
             "丙丁区养老服务发展规划", "编制单位：丙丁区民政局", "一、现状"]
    m = extract(lines, "x.txt")
    assert m.department == "丙丁区人民政府办公室"
    assert m.department_kind == "政府办"
    assert m.drafted_by == "丙丁区民政局"
    assert m.title == "丙丁区养老服务发展规划"
    assert (m.place, m.level, m.kind) == ("丙丁区", "县", "规划")


def test_signature_above_a_date() -> None:
    lines = ["关于开展志愿服务月活动的通知", "各社区：", "为弘扬志愿精神，现就有关事项通知如下。", "一、时间安排",
             "五月全月。", "戊己市残疾人联合会", "2022年4月28日"]
    m = extract(lines, "x.txt")
    assert m.department == "戊己市残疾人联合会"
    assert m.department_source == "signature"
    assert m.department_line == 6


def test_doc_number_prefix_with_the_place_of_the_title() -> None:
    lines = ["庚辛县防汛应急预案", "庚辛府办发〔2021〕9号", "1 总则", "为做好防汛工作，制定本预案。"]
    m = extract(lines, "x.txt")
    assert m.department == "庚辛县人民政府办公室"
    assert m.department_source == "doc_number"
    assert m.year == 2021


@pytest.mark.parametrize(("number", "kind"), [
    ("民发〔2020〕18号", "民政"), ("浙卫健发〔2023〕2号", "卫健"), ("某政办发〔2019〕1号", "政府办"),
    ("某府发〔2018〕83号", "政府"), ("某人社发〔2022〕5号", "人社"),
])
def test_doc_number_kinds(number: str, kind: str) -> None:
    found = doc_number_kind(number)
    assert found is not None and found[0] == kind


def test_header_field_is_the_publishers_label() -> None:
    lines = ["某某工作方案", "发布机构：壬癸县应急管理局", "一、目标"]
    m = extract(lines, "x.txt")
    assert m.department == "壬癸县应急管理局"
    assert m.department_source == "header"


def test_news_title_opening_with_the_organ() -> None:
    m = extract(["子丑县妇联开展寻找最美家庭活动", "", "近日，子丑县妇联组织各乡镇开展评选。"], "x.txt")
    assert m.department == "子丑县妇女联合会"
    assert m.department_kind == "妇联"
    assert m.kind == "工作动态"


def test_sentence_subject_with_a_bare_level_is_qualified_by_a_fuller_mention() -> None:
    lines = ["用心用情暖民心——地区民政局做好过冬保障", "为保障群众温暖过冬，寅卯地区民政局坚持以人民为中心。",
             "地区民政局统筹地、县、乡相关工作人员走访。"]
    m = extract(lines, "x.txt")
    assert m.department == "寅卯地区民政局"
    assert m.place == "寅卯地区" and m.level == "市"


def test_unknown_place_is_left_unknown() -> None:
    m = extract(["市人社局召开创新项目评审会", "", "1月23日，市人社局召开评审会。"], "x.txt")
    assert m.department == "市人力资源和社会保障局"
    assert m.place is None and m.level == "市"


def test_post_titles_are_not_the_issuer() -> None:
    lines = ["全国某某工作会议在京召开", "", "会上，国家卫生健康委党组书记作出批示。"]
    assert extract(lines, "x.txt").department is None


def test_self_reference_confirms_the_bureau_named_in_the_body() -> None:
    lines = ["关于公开征求某某标准意见的公示", "", "为指导我市农业公园建设，我局草拟了标准。",
             "如有意见，请书面向辰巳市农业农村局产业科反映。"]
    m = extract(lines, "x.txt")
    assert m.department == "辰巳市农业农村局"
    assert m.kind == "公示"


def test_proposal_reply_names_its_own_field_and_the_place_of_the_conference() -> None:
    lines = ["对政协午未县第九届委员会第二次会议第12号提案的答复", "某委员：", "您提出的提案收悉，现答复如下：",
             "首先感谢您对我民政工作的支持。"]
    m = extract(lines, "x.txt")
    assert m.department == "午未县民政局"
    assert m.department_source == "self_reference"
    assert m.kind == "提案答复"


def test_township_self_reference_names_its_government() -> None:
    m = extract(["申酉镇文化工作2023年工作总结", "", "现将我镇2023年文化工作总结如下。"], "x.txt")
    assert m.department == "申酉镇人民政府"
    assert m.level == "乡镇"


def test_upper_level_giving_to_us_points_to_the_counterpart_as_a_guess() -> None:
    m = extract(["全市老旧小区改造工作进展情况", "", "2022年，省住建厅下达我市改造项目100个。"], "x.txt")
    assert m.department == "市住房和城乡建设局"
    assert m.guess


def test_topic_is_only_a_flagged_guess() -> None:
    m = extract(["戌亥县“十四五”民政事业发展规划", "一、现状"], "x.txt")
    assert m.department == "戌亥县民政局"
    assert m.department_source == "topic" and m.guess


def test_law_charges_departments_and_has_no_issuer() -> None:
    lines = ["某某保障条例", "第一条 为了保障某某，制定本条例。",
             "第五条 县级以上人民政府民政部门负责本行政区域内的工作。"]
    m = extract(lines, "x.txt")
    assert m.department is None
    assert m.kind == "法律法规"
    assert m.charged == ("县级以上人民政府民政部门",)


def test_file_name_is_the_last_resort_and_flagged() -> None:
    m = extract(["一、总体要求", "坚持以人民为中心。"], "docs/乙丙县卫生健康局2024年工作计划.txt")
    assert m.department == "乙丙县卫生健康局"
    assert m.department_source == "filename" and m.guess and m.department_line is None


def test_title_split_over_two_lines_and_spaced_letters_are_joined() -> None:
    m = extract(["丁戊区应急管理局", "2023年政府信息公开工作年度报告", "", "一、总体情况"], "x.txt")
    assert m.title == "丁戊区应急管理局2023年政府信息公开工作年度报告"
    assert m.kind == "政府信息公开年报"
    m = extract(["己庚县人民政府办公室 关于印发《己庚县救助预案》的 通 知", "各乡镇："], "x.txt")
    assert m.title == "己庚县救助预案"
    assert m.department == "己庚县人民政府办公室"


def test_evidence_line_numbers_are_the_files() -> None:
    m = extract(["辛壬县民政局文件", "正文。"], "x.txt", numbers=(7, 9))
    assert m.department_line == 7


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("甲县卫健委", "甲县卫生健康委员会", "卫健"), ("甲县应急局", "甲县应急管理局", "应急"),
    ("甲县政府办", "甲县人民政府办公室", "政府办"), ("甲县残联", "甲县残疾人联合会", "残联"),
    ("团甲县委", None, None), ("甲县人社局", "甲县人力资源和社会保障局", "人社"),
    ("甲县团县委", "共青团甲县委员会", "团委"), ("乙省民政厅", "乙省民政厅", "民政"),
])
def test_short_forms_expand_to_full_names(text: str, name: str | None, kind: str | None) -> None:
    found = find_organs(text)
    assert (found[0].name if found else None) == name
    assert (found[0].kind if found else None) == kind


def test_people_government_is_not_civil_affairs() -> None:
    assert kind_of("甲县人民政府") == "政府"
    assert [o.kind for o in find_organs("市场与政府的关系")] == []


def test_levels() -> None:
    places = ("国家", "乙省", "丙市", "丁县", "戊镇", "重庆市")
    assert [level_of(p) for p in places] == ["国家", "省", "市", "县", "乡镇", "省"]


def test_signature_with_its_date_on_the_same_line_and_a_contributed_byline() -> None:
    lines = ["关于开展安全检查的通知", "各单位：", "现就有关事项通知如下。", "一、检查范围", "全县企业。",
             "甲丙县应急管理局 2024年3月1日"]
    assert extract(lines, "x.txt").department == "甲丙县应急管理局"
    lines = ["森林防火宣传进村", "", "近日，各乡镇开展宣传。", "（乙丁县林业局供稿）"]
    m = extract(lines, "x.txt")
    assert (m.department, m.department_source) == ("乙丁县林业局", "signature")


def test_title_in_brackets_or_after_a_year_still_names_its_organ() -> None:
    assert extract(["【丙戊县民政局】开展敬老月活动", "正文。"], "x.txt").department == "丙戊县民政局"
    m = extract(["2023年丁己县残联工作总结", "一、主要成效"], "x.txt")
    assert (m.department, m.kind) == ("丁己县残疾人联合会", "工作总结")


def test_party_office_joint_notice() -> None:
    m = extract(["中共戊庚县委办公室 戊庚县人民政府办公室关于印发某某方案的通知", "各乡镇："], "x.txt")
    assert m.department == "中共戊庚县委办公室 戊庚县人民政府办公室"


def test_publisher_fields_of_open_government_pages() -> None:
    m = extract(["某某实施方案", "公开主体：己辛县卫生健康局", "一、目标"], "x.txt")
    assert (m.department, m.department_source) == ("己辛县卫生健康局", "header")


def test_a_plan_assigning_tasks_is_not_issued_by_the_departments_it_names() -> None:
    lines = ["庚壬县“十四五”民政事业发展规划", "一、发展基础", "县财政局要加大投入，保障救助资金。"]
    m = extract(lines, "x.txt")
    assert m.department == "庚壬县民政局"
    assert m.department_source == "topic"


def test_the_subject_the_text_returns_to_wins() -> None:
    lines = ["我市开展联合检查", "", "3月8日，市城管局、市生态环境局派员组成检查组。",
             "下一步，市生态环境局将持续加强监管。", "市生态环境局还将开展宣传。"]
    assert extract(lines, "x.txt").department == "市生态环境局"


def test_an_organ_outside_the_catalogue_opening_the_title() -> None:
    m = extract(["辛癸经济开发区社会事务局开展送文化下乡活动", "", "近日，活动在各村举行。"], "x.txt")
    assert m.department == "辛癸经济开发区社会事务局"
    assert m.department_source == "title"


def test_statistical_bulletin_belongs_to_the_statistics_bureau() -> None:
    m = extract(["壬甲县2023年国民经济和社会发展统计公报", "一、综合"], "x.txt")
    assert m.department == "壬甲县统计局"


def test_department_queries_understand_short_forms() -> None:
    from painpoint.match.score import names_department

    assert names_department("妇联", "甲县妇女联合会")
    assert names_department("卫健委", "乙市卫生健康委员会")
    assert names_department("政府办", "丙县人民政府办公室")
    assert not names_department("残联", "甲县妇女联合会")
    assert not names_department("民政", "丙县人民政府")
    # another name of the same organ; a place in the query must be the department's
    assert names_department("教育局", "甲县教育体育局")
    assert names_department("卫健委", "甲县卫生健康局")
    assert names_department("卫健", "甲县卫生健康局")
    assert not names_department("人社", "甲县卫生健康局")
    assert names_department("甲县教育局", "甲县教育体育局")
    assert not names_department("乙县教育局", "甲县教育体育局")
    assert not names_department("教育局", "甲县卫生健康局")

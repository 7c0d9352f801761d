"""Title and department identification."""

from __future__ import annotations

import pytest

from painpoint.plans.department import department_from_text, split_place
from painpoint.plans.metadata import identify


@pytest.mark.parametrize(("title", "department"), [
    ("长汀县“十四五”民政事业发展专项规划", "长汀县民政局"),
    ("蚌埠市“十四五”民政事业发展规划", "蚌埠市民政局"),
    ("浙江省儿童福利事业发展“十四五”规划", "浙江省民政厅"),
    ("高台县“十四五”应急管理体系建设总体规划", "高台县应急管理局"),
    ("望江县生态环境保护“十四五”规划", "望江县生态环境局"),
    ("示例县妇联2025年工作要点", "示例县妇联"),
    ("扬中市“十四五”卫生健康发展规划", "扬中市卫生健康局"),
    ("“十四五”民政事业发展规划", None),
    ("关于做好某项工作的说明", None),
])
def test_department_from_title(title: str, department: str | None) -> None:
    assert department_from_text(title) == department


def test_split_place_keeps_chain() -> None:
    assert split_place("舟山市普陀区妇女发展规划") == ("舟山市普陀区", "妇女发展规划")
    assert split_place("中华人民共和国国民经济")[0] == "中华人民共和国"


def test_title_line_first() -> None:
    ident = identify(["蚌埠市“十四五”民政事业发展规划", "", "发布时间:2022-07-14 来源: 市民政局 浏览量:"],
                     "x.txt")
    assert ident.title == "蚌埠市“十四五”民政事业发展规划"
    assert ident.department == "蚌埠市民政局"
    # the page's 来源 field names the issuer; the title's field (民政) only agrees with it
    assert ident.source == "header"


def test_header_refines_same_office() -> None:
    ident = identify(["五河县“十四五”教育事业发展规划", "来源：五河县教育体育局"], "x.txt")
    assert ident.department == "五河县教育体育局"
    assert ident.source == "header"


def test_header_when_title_has_no_place() -> None:
    ident = identify(["2025年工作要点", "发布机构：示例县民政局"], "x.txt")
    assert ident.department == "示例县民政局"
    assert ident.source == "header"


def test_notice_form() -> None:
    lines = ["各镇人民政府，县政府有关部门：",
             "《高台县“十四五”应急管理体系建设规划》已经县政府同意，现印发你们，请认真组织实施。",
             "高台县人民政府办公室"]
    ident = identify(lines, "notice.txt")
    # the office that signs the notice issued it, not the department of the plan's field
    assert ident.department == "高台县人民政府办公室"
    assert ident.source == "signature"


def test_government_work_report_place_from_congress_line() -> None:
    ident = identify(["政府工作报告", "2021年12月15日", "在安岳县第十七届人民代表大会第一次会议上"], "r.txt")
    assert ident.title == "政府工作报告"
    assert ident.department == "安岳县人民政府"


def test_file_name_last() -> None:
    ident = identify(["一、总体要求", "坚持以人民为中心。"], "data/示例县民政局2025年工作要点.txt")
    assert ident.department == "示例县民政局"
    assert ident.source == "filename"


def test_unknown_stays_null() -> None:
    ident = identify(["一、总体要求", "坚持以人民为中心。"], "notes.txt")
    assert ident.department is None


def test_release_notice_names_issuer_when_the_plan_has_no_domain() -> None:
    ident = identify(["北京市经济和信息化局印发《关于推进北京市数据专区建设的指导意见》的通知"], "x.txt")
    assert ident.title == "关于推进北京市数据专区建设的指导意见"
    assert ident.department == "北京市经济和信息化局"


def test_release_notice_belongs_to_the_issuing_office_not_the_plans_field() -> None:
    ident = identify(["示例县人民政府办公室关于印发示例县“十四五”防灾减灾救灾规划的通知"], "x.txt")
    assert ident.title == "示例县“十四五”防灾减灾救灾规划"
    assert ident.department == "示例县人民政府办公室"


def test_laws_belong_to_no_department() -> None:
    ident = identify(["中华人民共和国妇女权益保障法", "（1992年4月3日第七届全国人民代表大会第五次会议通过）"], "x.txt")
    assert ident.title == "中华人民共和国妇女权益保障法"
    assert ident.department is None


def test_joint_issuer_of_an_opinion() -> None:
    ident = identify(["中共中央　国务院关于做好2023年全面推进乡村振兴重点工作的意见"], "x.txt")
    assert ident.department == "中共中央 国务院"


def test_speaker_of_a_work_report() -> None:
    ident = identify(["各位代表： 现在，我代表上海市人民政府，向大会报告工作，请予审议。"], "x.txt")
    assert ident.department == "上海市人民政府"


def test_year_before_place_and_numbered_lines_are_not_titles() -> None:
    assert identify(["2021年中华人民共和国国务院政府工作报告"], "x.txt").department == "国务院"
    assert identify(["二、研究制定深化普通高中课程改革的工作方案"], "x.txt").title is None

"""Clues to the title and issuing department of a plan: title lines, header fields, notices, place names."""

from __future__ import annotations

import re

# Administrative places: a chain such as 安徽省蚌埠市 or 舟山市普陀区. The last unit decides the level.
_PLACE_UNIT = r"(?:省|自治区|特别行政区|市|自治州|州|盟|地区|自治县|县|自治旗|旗|区)"
_PLACE = re.compile(rf"^((?:[\u4e00-\u9fff]{{1,7}}?{_PLACE_UNIT}){{1,3}})")
_NATIONAL = ("中华人民共和国", "全国", "国家", "中国")

# Policy domain in a title -> (county/city office, provincial office, national office). Ordered: the first
# domain found wins, so specific phrases come before general ones.
_DOMAINS: tuple[tuple[str, tuple[str, str, str]], ...] = (
    ("政府工作报告", ("人民政府", "人民政府", "国务院")),
    ("统计公报", ("统计局", "统计局", "国家统计局")),
    ("国民经济和社会发展", ("人民政府", "人民政府", "国务院")),
    ("妇女儿童", ("妇联", "妇联", "全国妇联")),
    ("妇女", ("妇联", "妇联", "全国妇联")),
    ("妇联", ("妇联", "妇联", "全国妇联")),
    ("残疾人", ("残联", "残联", "中国残联")),
    ("残联", ("残联", "残联", "中国残联")),
    ("共青团", ("团委", "团委", "共青团中央")),
    ("青少年", ("团委", "团委", "共青团中央")),
    ("青年发展", ("团委", "团委", "共青团中央")),
    ("民政", ("民政局", "民政厅", "民政部")),
    ("儿童福利", ("民政局", "民政厅", "民政部")),
    ("养老服务", ("民政局", "民政厅", "民政部")),
    ("社会救助", ("民政局", "民政厅", "民政部")),
    ("老龄", ("民政局", "民政厅", "民政部")),
    ("慈善", ("民政局", "民政厅", "民政部")),
    ("社会组织", ("民政局", "民政厅", "民政部")),
    ("应急管理", ("应急管理局", "应急管理厅", "应急管理部")),
    ("防灾减灾", ("应急管理局", "应急管理厅", "应急管理部")),
    ("安全生产", ("应急管理局", "应急管理厅", "应急管理部")),
    ("生态环境", ("生态环境局", "生态环境厅", "生态环境部")),
    ("环境保护", ("生态环境局", "生态环境厅", "生态环境部")),
    ("卫生健康", ("卫生健康局", "卫生健康委员会", "国家卫生健康委员会")),
    ("卫生", ("卫生健康局", "卫生健康委员会", "国家卫生健康委员会")),
    ("健康", ("卫生健康局", "卫生健康委员会", "国家卫生健康委员会")),
    ("教育", ("教育局", "教育厅", "教育部")),
    ("乡村振兴", ("农业农村局", "农业农村厅", "农业农村部")),
    ("农业农村", ("农业农村局", "农业农村厅", "农业农村部")),
    ("就业", ("人力资源和社会保障局", "人力资源和社会保障厅", "人力资源和社会保障部")),
    ("人力资源", ("人力资源和社会保障局", "人力资源和社会保障厅", "人力资源和社会保障部")),
    ("数字政府", ("数据资源局", "大数据局", "国家数据局")),
    ("数据", ("数据资源局", "大数据局", "国家数据局")),
    ("工业互联网", ("工业和信息化局", "经济和信息化厅", "工业和信息化部")),
    ("工业", ("工业和信息化局", "经济和信息化厅", "工业和信息化部")),
    ("退役军人", ("退役军人事务局", "退役军人事务厅", "退役军人事务部")),
    ("禁毒", ("禁毒委员会办公室", "禁毒委员会办公室", "国家禁毒委员会办公室")),
    ("文化和旅游", ("文化和旅游局", "文化和旅游厅", "文化和旅游部")),
    ("体育", ("体育局", "体育局", "国家体育总局")),
    ("水利", ("水利局", "水利厅", "水利部")),
    ("自然资源", ("自然资源局", "自然资源厅", "自然资源部")),
)

# A full department name as written in headers and notices: 蚌埠市民政局, 县应急管理局, 浙江省民政厅, 县妇联.
_ORG_SUFFIX = (r"(?:人民政府办公室|人民政府|委员会|委员会办公室|局|厅|部|委|办|妇联|残联|团委|总工会|"
               r"妇女联合会|残疾人联合会|红十字会)")
_ORG = re.compile(rf"([\u4e00-\u9fff]{{2,24}}?{_ORG_SUFFIX})")
_PUBLISHER_FIELDS = ("发布机构", "发文机关", "发文单位", "发布单位", "发文机构", "公开主体", "公开单位", "所属机构",
                     "发布部门", "发文部门")
"""Header fields in which the publishing site itself names the issuer."""
_HEADER_FIELDS = (*_PUBLISHER_FIELDS, "文章来源", "稿件来源", "信息来源", "来源", "供稿单位", "供稿", "责任部门",
                  "主办单位")
_HEADER = re.compile(rf"({'|'.join((*_HEADER_FIELDS, '责任单位'))})\s*[:：]\s*([\u4e00-\u9fff（）()]{{2,30}})")
_HEADER_LABEL = re.compile(rf"^({'|'.join(_HEADER_FIELDS)})\s*[:：]\s*$")
_NAVIGATION = re.compile(r"当前位置|首页|>>|>|网站|导航|浏览|打印|字体|索引号|分类")
_NOTICE = re.compile(r"《([^》]{4,60}?(?:规划|要点|方案|意见|计划|纲要|报告))》")
_REPORT_PLACE = re.compile(rf"在((?:[\u4e00-\u9fff]{{1,7}}?{_PLACE_UNIT}){{1,2}})第[一二三四五六七八九十\d]+届"
                           r"人民代表大会")
_RELEASE = re.compile(r"^(.*?)(?:关于)?(?:印发|转发|发布)《?(.+?)》?的通知$")
_TITLE_KIND = re.compile(r"(规划|要点|报告|方案|意见|计划|纲要|通知|办法|总结|答复|预案|解读|公示|公报)"
                         r"|(?:法|条例|规定)$")
_NUMBERED = re.compile(r"^(第[一二三四五六七八九十百\d]{1,4}[章节篇条]|[一二三四五六七八九十]+[、.．]"
                       r"|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])")
_SPEAKER = re.compile(rf"我代表((?:[\u4e00-\u9fff]{{1,7}}?{_PLACE_UNIT}){{1,2}}人民政府)")

def split_place(text: str) -> tuple[str | None, str]:
    """(place, rest): the administrative place a title or name starts with, if any."""
    stripped = re.sub(r"^(?:19|20)\d\d年(?:度)?", "", text.lstrip("《“\"「 "))
    for national in _NATIONAL:
        if stripped.startswith(national):
            return national, stripped[len(national):]
    m = _PLACE.match(stripped)
    if not m:
        return None, stripped
    place = m.group(1)
    # 社区/小区 are not administrative places, and a lone "区" or "市" is not a name
    if len(place) < 2 or place.endswith(("社区", "小区", "园区", "城区", "地区")) and len(place) <= 3:
        return None, stripped
    return place, stripped[len(place):]


def _level(place: str) -> int:
    if place in _NATIONAL:
        return 2
    if place.endswith(("省", "自治区")) or place in ("北京市", "天津市", "上海市", "重庆市"):
        return 1
    return 0


def department_from_text(text: str) -> str | None:
    """Department that owns a plan with this title (place + policy domain), or None."""
    place, rest = split_place(text)
    if place is None:
        return None
    for keyword, offices in _DOMAINS:
        if keyword in rest:
            office = offices[_level(place)]
            if place in _NATIONAL:
                return office
            return place + office
    return None


def office_of(*texts: str | None) -> str | None:
    """Short county-level office (民政局, 妇联) whose field a department name or title names, else None."""
    for text in texts:
        if not text:
            continue
        rest = split_place(text)[1]
        for keyword, offices in _DOMAINS:
            if keyword in rest:
                return offices[0]
    return None


def publisher_field(field: str) -> bool:
    """True for a header field in which the publishing site names the issuer (发布机构, 发文机关 …)."""
    return field in _PUBLISHER_FIELDS


def header_value(lines: list[str], i: int) -> tuple[str, str] | None:
    """(field, value) of a header field (发布机构：…, 来源：…) on line `i`, or in the next cell of a web table."""
    line = lines[i]
    m = _HEADER.search(line)
    if m is None and _HEADER_LABEL.match(line) and i + 1 < len(lines):
        m = _HEADER.search(line.rstrip() + lines[i + 1])
    return (m.group(1), m.group(2)) if m else None


def looks_like_title(line: str) -> bool:
    """True for a line that reads as a document title (short, no sentence punctuation, a kind word)."""
    return (6 <= len(line) <= 60 and "。" not in line and "，" not in line and bool(_TITLE_KIND.search(line))
            and not _NAVIGATION.search(line) and not _NUMBERED.match(line)
            and not _HEADER.search(line) and not line.startswith(("关于印发", "根据", "依据", "现将")))


def numbered(line: str) -> bool:
    """True for a numbered line (一、 （一） 1. 第一章), which is a heading, not a title."""
    return bool(_NUMBERED.match(line))


def clean_title(line: str) -> str:
    """The title a line holds: the issued document of a 印发 notice, without 附件 or book-title marks."""
    m = _RELEASE.match(line)
    if m:
        return _unwrap(m.group(2))
    return _unwrap(re.sub(r"^附件\s*\d*\s*[:：]\s*", "", line))


def _unwrap(title: str) -> str:
    """A title without the book-title marks around it (《X》), keeping marks that quote part of it."""
    title = title.strip()
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        return title[1:-1].strip()
    return title.strip(" ")


def speaker(line: str, title: str | None) -> str | None:
    """The government a 政府工作报告 speaks for (在XX县第N届人民代表大会 / 我代表XX县人民政府), else None."""
    m = _REPORT_PLACE.search(line) if title and "政府工作报告" in title else None
    if m:
        return m.group(1) + "人民政府"
    m = _SPEAKER.search(line)
    return m.group(1) if m else None


def notice_department(lines: list[str], head: int = 40) -> tuple[str, int] | None:
    """(department, line index) of the plan a notice issues (《XX县…规划》…印发), by its field: a weak hint."""
    for i, line in enumerate(lines[:head]):
        m = _NOTICE.search(line)
        if m:
            dept = department_from_text(m.group(1))
            if dept:
                return dept, i
    return None


_LOCAL = re.compile(r"我[县市区镇乡州省]|全[县市区镇乡州]")
_FIVE_YEAR = re.compile(r"十[一二三四五六七八九]?五|五年")


def national_plan(title: str, head: str) -> bool:
    """True for a five-year plan whose title names no place in a text that speaks of no local 我县/全市."""
    return (split_place(title)[0] is None and bool(_FIVE_YEAR.search(title))
            and bool(re.search(r"规划|纲要", title)) and not _LOCAL.search(head))


def organ_in_name(stem: str) -> str | None:
    """A placed organ name in a file name (示例县民政局2025年工作要点), else None."""
    org = _ORG.search(stem)
    return org.group(1) if org and split_place(org.group(1))[0] else None


_CHARGE = re.compile(r"((?:国务院|县级以上(?:地方)?(?:各级)?人民政府|地方各级人民政府)[\u4e00-\u9fff]{0,12}?"
                     r"(?:部门|机构))(?:负责|主管|按照|依照|在各自)")


def charged_departments(lines: list[str], head: int = 200) -> tuple[str, ...]:
    """Departments a law or regulation charges (国务院民政部门负责…), in first-seen order."""
    found: dict[str, None] = {}
    for line in lines[:head]:
        for m in _CHARGE.finditer(line):
            found.setdefault(m.group(1), None)
    return tuple(found)

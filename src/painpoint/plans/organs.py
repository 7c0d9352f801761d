"""Catalogue of Chinese government organs: kinds, full names, short forms and 发文字号 prefixes.

Written from the official naming of the organs (机构设置): a county's 民政局 is a province's 民政厅 and the
State Council's 民政部; 卫健委 is short for 卫生健康委员会; 府办发 is the 发文字号 prefix of a government's
general office. Nothing here names a particular place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from painpoint.text.trie import trie_pattern

# kind -> (names as written -> full name, or "" when the written name is already full),
# (county/city name, provincial name, national name) for building a name from a kind and a place
_KINDS: dict[str, tuple[dict[str, str], tuple[str, str, str]]] = {
    "政府办": ({"人民政府办公室": "", "人民政府办公厅": "", "政府办公室": "人民政府办公室",
              "政府办公厅": "人民政府办公厅", "政府办": "人民政府办公室", "国务院办公厅": ""},
             ("人民政府办公室", "人民政府办公厅", "国务院办公厅")),
    "政府": ({"人民政府": "", "政府": "人民政府", "国务院": ""}, ("人民政府", "人民政府", "国务院")),
    "党中央": ({"中共中央": "", "中共中央办公厅": ""}, ("", "", "中共中央")),
    "人大": ({"全国人民代表大会常务委员会": "", "全国人民代表大会": "", "全国人大常委会": "全国人民代表大会常务委员会",
             "人民代表大会常务委员会": "", "人大常委会": "人民代表大会常务委员会"},
            ("人民代表大会常务委员会", "人民代表大会常务委员会", "全国人民代表大会常务委员会")),
    "民政": ({"民政局": "", "民政厅": "", "民政部": ""}, ("民政局", "民政厅", "民政部")),
    "卫健": ({"卫生健康委员会": "", "卫生健康委": "卫生健康委员会", "卫健委": "卫生健康委员会",
             "卫生健康局": "", "卫健局": "卫生健康局", "卫生和计划生育委员会": "", "卫计委": "卫生和计划生育委员会",
             "卫生局": "", "卫生计生局": "", "卫计局": "卫生计生局"},
            ("卫生健康局", "卫生健康委员会", "国家卫生健康委员会")),
    "应急": ({"应急管理局": "", "应急管理厅": "", "应急管理部": "", "应急局": "应急管理局"},
             ("应急管理局", "应急管理厅", "应急管理部")),
    "人社": ({"人力资源和社会保障局": "", "人力资源社会保障局": "人力资源和社会保障局",
             "人社局": "人力资源和社会保障局",
             "人力资源和社会保障厅": "", "人力资源社会保障厅": "人力资源和社会保障厅", "人社厅": "人力资源和社会保障厅",
             "人力资源和社会保障部": "", "人力资源社会保障部": "人力资源和社会保障部"},
            ("人力资源和社会保障局", "人力资源和社会保障厅", "人力资源和社会保障部")),
    "教育": ({"教育局": "", "教育厅": "", "教育部": "", "教育体育局": "", "教育和体育局": "", "教体局": "教育体育局",
             "教育委员会": "", "教委": "教育委员会"}, ("教育局", "教育厅", "教育部")),
    "司法": ({"司法局": "", "司法厅": "", "司法部": ""}, ("司法局", "司法厅", "司法部")),
    "农业农村": ({"农业农村局": "", "农业农村厅": "", "农业农村部": "", "农业农村委员会": "",
               "农业农村委": "农业农村委员会", "农业局": "", "农业农村和水利局": "",
               "农业农村水利局": ""}, ("农业农村局", "农业农村厅", "农业农村部")),
    "生态环境": ({"生态环境局": "", "生态环境厅": "", "生态环境部": "", "生态环境分局": "", "环境保护局": "",
               "环保局": "环境保护局"}, ("生态环境局", "生态环境厅", "生态环境部")),
    "退役军人": ({"退役军人事务局": "", "退役军人事务厅": "", "退役军人事务部": "", "退役军人局": "退役军人事务局"},
              ("退役军人事务局", "退役军人事务厅", "退役军人事务部")),
    "文旅": ({"文化和旅游局": "", "文化和旅游厅": "", "文化和旅游部": "", "文化旅游局": "", "文化广电和旅游局": "",
             "文化广电旅游局": "", "文广旅局": "文化广电和旅游局", "文旅局": "文化和旅游局",
             "文化广电体育和旅游局": "", "文化体育广电和旅游局": "", "文化广电新闻出版旅游局": ""},
            ("文化和旅游局", "文化和旅游厅", "文化和旅游部")),
    "住建": ({"住房和城乡建设局": "", "住房和城乡建设厅": "", "住房和城乡建设部": "", "住房和城乡建设委员会": "",
             "住房城乡建设局": "住房和城乡建设局", "住建局": "住房和城乡建设局", "住建厅": "住房和城乡建设厅",
             "住建委": "住房和城乡建设委员会"}, ("住房和城乡建设局", "住房和城乡建设厅", "住房和城乡建设部")),
    "乡村振兴": ({"乡村振兴局": "", "扶贫开发办公室": "", "扶贫开发领导小组办公室": "",
               "扶贫办": "扶贫开发办公室"}, ("乡村振兴局", "乡村振兴局", "国家乡村振兴局")),
    "发改": ({"发展和改革委员会": "", "发展改革委": "发展和改革委员会", "发改委": "发展和改革委员会",
             "发展和改革局": "", "发改局": "发展和改革局"},
            ("发展和改革局", "发展和改革委员会", "国家发展和改革委员会")),
    "财政": ({"财政局": "", "财政厅": "", "财政部": ""}, ("财政局", "财政厅", "财政部")),
    "公安": ({"公安局": "", "公安厅": "", "公安部": ""}, ("公安局", "公安厅", "公安部")),
    "市场监管": ({"市场监督管理局": "", "市场监管局": "市场监督管理局", "市场监督管理总局": ""},
              ("市场监督管理局", "市场监督管理局", "国家市场监督管理总局")),
    "自然资源": ({"自然资源和规划局": "", "自然资源局": "", "自然资源厅": "", "自然资源部": ""},
              ("自然资源局", "自然资源厅", "自然资源部")),
    "水利": ({"水利局": "", "水利厅": "", "水利部": "", "水务局": ""}, ("水利局", "水利厅", "水利部")),
    "交通": ({"交通运输局": "", "交通运输厅": "", "交通运输部": "", "交通局": "交通运输局"},
             ("交通运输局", "交通运输厅", "交通运输部")),
    "工信": ({"工业和信息化局": "", "工业和信息化厅": "", "工业和信息化部": "", "经济和信息化局": "",
             "经济和信息化厅": "", "经济和信息化委员会": "", "经信局": "经济和信息化局", "工信局": "工业和信息化局",
             "经信委": "经济和信息化委员会"}, ("工业和信息化局", "工业和信息化厅", "工业和信息化部")),
    "医保": ({"医疗保障局": "", "医保局": "医疗保障局"}, ("医疗保障局", "医疗保障局", "国家医疗保障局")),
    "数据": ({"数据资源局": "", "大数据局": "", "大数据发展管理局": "", "数据局": "", "政务服务和数据管理局": "",
              "政务服务数据管理局": ""},
             ("数据资源局", "大数据局", "国家数据局")),
    "体育": ({"体育局": ""}, ("体育局", "体育局", "国家体育总局")),
    "统计": ({"统计局": ""}, ("统计局", "统计局", "国家统计局")),
    "审计": ({"审计局": "", "审计厅": "", "审计署": ""}, ("审计局", "审计厅", "审计署")),
    "城管": ({"城市管理局": "", "城管局": "城市管理局", "城市管理综合执法局": ""}, ("城市管理局", "城市管理局", "")),
    "商务": ({"商务局": "", "商务厅": "", "商务部": ""}, ("商务局", "商务厅", "商务部")),
    "科技": ({"科学技术局": "", "科技局": "科学技术局", "科学技术厅": "", "科技厅": "科学技术厅", "科学技术部": ""},
             ("科学技术局", "科学技术厅", "科学技术部")),
    "林业": ({"林业局": "", "林业和草原局": ""}, ("林业局", "林业局", "国家林业和草原局")),
    "民宗": ({"民族宗教事务局": "", "民宗局": "民族宗教事务局", "民族宗教事务委员会": ""},
             ("民族宗教事务局", "民族宗教事务委员会", "国家民族事务委员会")),
    "信访": ({"信访局": ""}, ("信访局", "信访局", "国家信访局")),
    "妇联": ({"妇女联合会": "", "妇联": "妇女联合会"}, ("妇女联合会", "妇女联合会", "中华全国妇女联合会")),
    "残联": ({"残疾人联合会": "", "残联": "残疾人联合会"}, ("残疾人联合会", "残疾人联合会", "中国残疾人联合会")),
    "团委": ({"团委": "", "团县委": "", "团市委": "", "团区委": "", "团省委": "", "团旗委": "", "团州委": ""},
             ("团委", "团省委", "共青团中央")),
    "行政审批": ({"行政审批局": "", "行政审批服务局": ""}, ("行政审批局", "行政审批局", "")),
    "工会": ({"总工会": ""}, ("总工会", "总工会", "中华全国总工会")),
    "红十字会": ({"红十字会": ""}, ("红十字会", "红十字会", "中国红十字会")),
    "科协": ({"科学技术协会": "", "科协": "科学技术协会"}, ("科学技术协会", "科学技术协会", "中国科学技术协会")),
    "妇儿工委": ({"妇女儿童工作委员会": "", "妇儿工委": "妇女儿童工作委员会"},
              ("妇女儿童工作委员会", "妇女儿童工作委员会", "国务院妇女儿童工作委员会")),
    "老龄": ({"老龄工作委员会办公室": "", "老龄办": "老龄工作委员会办公室", "老龄工作委员会": "",
             "老龄委": "老龄工作委员会"}, ("老龄工作委员会办公室", "老龄工作委员会办公室", "全国老龄工作委员会办公室")),
    "禁毒": ({"禁毒委员会办公室": "", "禁毒办": "禁毒委员会办公室", "禁毒委员会": ""},
             ("禁毒委员会办公室", "禁毒委员会办公室", "国家禁毒委员会办公室")),
    "党委办": ({"委办公室": "", "委办": "委办公室"}, ("委办公室", "委办公室", "中共中央办公厅")),
    "政法委": ({"政法委员会": "", "政法委": "政法委员会"}, ("政法委员会", "政法委员会", "中央政法委员会")),
    "社会工作部": ({"社会工作部": ""}, ("社会工作部", "社会工作部", "中央社会工作部")),
    "关工委": ({"关心下一代工作委员会": "", "关工委": "关心下一代工作委员会"},
              ("关心下一代工作委员会", "关心下一代工作委员会", "中国关心下一代工作委员会")),
}
KINDS: tuple[str, ...] = tuple(_KINDS)
"""Every organ kind the catalogue knows, specific bodies first."""

# 发文字号 prefixes (皖政办秘、民发、卫健发 …): the organ's abbreviation before 发/函/字 … ; longest first
_DOC_NO_ORGANS: tuple[tuple[str, str], ...] = (
    ("国办", "政府办"), ("府办", "政府办"), ("政办", "政府办"), ("人社", "人社"), ("卫健", "卫健"), ("卫计", "卫健"),
    ("应急", "应急"), ("发改", "发改"), ("教体", "教育"), ("住建", "住建"), ("文旅", "文旅"), ("退役", "退役军人"),
    ("经信", "工信"), ("工信", "工信"), ("市监", "市场监管"), ("医保", "医保"), ("乡振", "乡村振兴"), ("残联", "残联"),
    ("妇字", "妇联"), ("团", "团委"),
    ("民", "民政"), ("卫", "卫健"), ("教", "教育"), ("司", "司法"), ("农", "农业农村"),
    ("环", "生态环境"), ("财", "财政"), ("妇", "妇联"), ("残", "残联"), ("建", "住建"), ("公", "公安"), ("府", "政府"),
    ("政", "政府"), ("国", "政府"), ("中", "党中央"),
)
_DOC_NO = re.compile(r"([\u4e00-\u9fff]{1,10}?)(?:发|函|字|电|秘|规|文|呈|复)?\s*[〔\[［(（【]\s*((?:19|20)\d\d)")
_DOC_NO_TAIL = re.compile(r"(?:发|函|字|电|秘|规|文|呈|复|明电|办函)+$")


@dataclass(frozen=True)
class Organ:
    """An organ name found in a text."""

    name: str
    """The name as a person would write it in full: place (if written) + full organ name."""
    kind: str
    """Organ kind: 民政, 卫健, 政府 … (see KINDS); "" for an organ outside the catalogue."""
    place: str
    """The place written before the organ (潼关县, 重庆市荣昌区), a bare level (市, 县, 区) or ""."""
    start: int
    """Offset of the match in the text searched."""
    end: int
    """Offset just after the match."""
    written: str
    """The text as written."""


@cache
def _spellings() -> dict[str, tuple[str, str]]:
    """Written organ name -> (kind, full name)."""
    out: dict[str, tuple[str, str]] = {}
    for kind, (names, _) in _KINDS.items():
        for written, full in names.items():
            out.setdefault(written, (kind, full or written))
    return out


# Places: a chain of units (重庆市荣昌区, 宁洱哈尼族彝族自治县, 曲水镇); each unit's name may not hold the function
# words that begin or end clauses, so 座谈会在市 is not a place
_UNIT = r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省|市|州|盟|县|旗|区|镇|乡)"
_PLACE_PART = re.compile(rf"[\u4e00-\u9fff]{{1,9}}?{_UNIT}")
PLACE_CHAIN = re.compile(rf"(?:[\u4e00-\u9fff]{{1,9}}?{_UNIT}){{1,4}}")
_NOT_IN_PLACE = re.compile(r"[我本各在对向由将把被受的了于为召是及与并其此这那给让使请按据或所之]|开展|组织|年|月|"
                           r"日|第|以来|会议|工作|提案|委员|政协|人大|座谈|关于|有关|下达|全面|联合|召开|推进|开发|经济技术|"
                           r"社区|小区|园区|城区|辖区|景区|片区|社会|部门|单位|机关|全[省市县区镇乡]$|^全|全国")
_UNIT_LAST = frozenset("省区州县旗道市盟镇乡")
_BARE_LEVEL = ("地区", "自治州", "省", "市", "县", "区", "州", "旗", "镇", "乡")
_NATIONAL_PREFIX = ("中华人民共和国", "国家", "全国", "中央")
PROVINCE_CITIES = ("北京市", "天津市", "上海市", "重庆市")
_ZONE = re.compile(r"(?:经开区|高新区|开发区|新区|示范区|管委会)$")


@lru_cache(maxsize=4096)
def valid_place(place: str) -> bool:
    """True when every unit of a place chain reads as a place name (not 座谈会在市 or 全县)."""
    if not place or not PLACE_CHAIN.fullmatch(place):
        return False
    if _ZONE.search(place):
        return not _NOT_IN_PLACE.search(place[:-3]) if len(place) > 3 else True
    return all(not _NOT_IN_PLACE.search(p) for p in _PLACE_PART.findall(place))


@cache
def _organ_pattern() -> re.Pattern[str]:
    # the catalogue's names longest first, then any …局/厅/委员会/办公室 behind a written place (the caller checks)
    return re.compile(rf"(?:共青团)?(?:{trie_pattern(list(_spellings()))})")


def place_before(text: str, end: int, *, window: int = 18) -> str:
    """The longest valid place chain, national prefix or bare level that ends at `end` in `text`."""
    for national in _NATIONAL_PREFIX:
        if text.endswith(national, 0, end):
            return national
    if end < 1 or text[end - 1] not in _UNIT_LAST:
        return ""
    for start in range(max(0, end - window), end - 1):
        piece = text[start:end]
        if "\u4e00" <= piece[0] <= "\u9fff" and valid_place(piece):
            return piece
    for bare in _BARE_LEVEL:
        if text.endswith(bare, 0, end):
            return bare
    return ""


_TEAM = re.compile(r"团([省市县区旗州])委")


def find_organs(text: str) -> list[Organ]:
    """Every catalogue organ named in `text`, with the place written before it, in reading order."""
    spellings = _spellings()
    out: list[Organ] = []
    for m in _organ_pattern().finditer(text):
        written = m.group(0)
        core = written.removeprefix("共青团")
        kind, full = spellings[core]
        if kind == "政府" and core == "政府" and text.startswith("人民", max(0, m.start() - 2)):
            continue
        start = m.start()
        place = place_before(text, start)
        if kind == "政府" and core == "政府" and not place:
            continue  # 政府 alone (市场与政府) is no organ; 县政府 is
        if kind in ("民政",) and text.startswith("人", max(0, start - 1)):
            continue  # 人民政府 holds the characters 民政
        name = organ_name(kind, full, place)
        out.append(Organ(name, kind, place, start - len(place), m.end(), text[start - len(place):m.end()]))
    return out


def expand_short_forms(text: str) -> str:
    """`text` with each short organ name written in full (卫健委 → 卫生健康委员会, 妇联 → 妇女联合会)."""
    spellings = _spellings()
    return _organ_pattern().sub(lambda m: spellings[m.group(0).removeprefix("共青团")][1]
                                if not m.group(0).startswith("共青团") else m.group(0), text)


def organ_name(kind: str, full: str, place: str) -> str:
    """Full name of an organ from its kind, full organ name and the place written before it."""
    if kind == "团委":
        unit = _TEAM.match(full)
        if unit and place and place not in _BARE_LEVEL:
            return f"共青团{place}委员会"
        if unit and not place:
            return full
        return f"共青团{place}委员会" if place and place not in _BARE_LEVEL else place + full
    if place in ("国家", "全国", "中央", "中华人民共和国"):
        national = _KINDS.get(kind, ({}, ("", "", "")))[1][2]
        if national and (national.endswith(full) or full.endswith("部") or full.endswith("署")):
            return national if national.startswith(("国家", "国务院", "中", "全国")) else full
        return ("国家" if place == "国家" else "") + full
    return place + full


def level_name(kind: str, level: str) -> str:
    """The organ's name at a level (县/市/省/国家): 民政 -> 民政局, 民政厅 or 民政部; "" when unknown."""
    names = _KINDS.get(kind, ({}, ("", "", "")))[1]
    return names[2] if level == "国家" else names[1] if level == "省" else names[0]


def kind_of(name: str | None) -> str | None:
    """Organ kind of a name (民政, 卫健, 政府 …), or None."""
    if not name:
        return None
    found = find_organs(name) or find_organs("市" + name)
    if found:
        return found[-1].kind
    if name.endswith(("国务院",)):
        return "政府"
    return None


def doc_number_kind(text: str) -> tuple[str, str, int] | None:
    """(organ kind, place abbreviation, year) of a 发文字号 such as 巫山府办发〔2017〕132号, else None."""
    m = _DOC_NO.search(text)
    if not m:
        return None
    prefix = _DOC_NO_TAIL.sub("", m.group(1))
    for abbreviation, kind in _DOC_NO_ORGANS:
        if prefix.endswith(abbreviation):
            return kind, prefix[:-len(abbreviation)], int(m.group(2))
    return None


def leading_place(text: str) -> str | None:
    """The valid place chain a text starts with (三溪镇, 重庆市荣昌区), or None."""
    m = PLACE_CHAIN.match(text[:40])  # a place is short; bounding the text bounds the backtracking
    if not m:
        return None
    place = ""
    for part in _PLACE_PART.findall(m.group(0)):
        if not valid_place(place + part):
            break
        place += part
    return place or None


def level_of(place: str | None) -> str | None:
    """Administrative level of a place: 国家, 省, 市, 县 or 乡镇; None when unknown."""
    if not place:
        return None
    if place in _NATIONAL_PREFIX:
        return "国家"
    if place in PROVINCE_CITIES or place.endswith(("省", "自治区", "特别行政区")):
        return "省"
    if place.endswith(("镇", "乡", "街道")):
        return "乡镇"
    if place.endswith(("县", "旗", "区")) and not place.endswith(("地区", "自治区")):
        return "县"
    if place.endswith(("市", "州", "地区", "盟")):
        return "市"
    return None

"""Drafting a v1 profile from an organization's own prose (机构介绍, 年报, 项目书): what each field says, and where.

Everything here is a general mechanism: registration wording, Chinese administrative place units, quoted
titles, verbs that introduce a named piece of work, numbers with their units, and the taxonomy's vocabularies.
Nothing names a particular organization or place. A field the text does not state is left out (the writer
puts a placeholder there), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from painpoint.model import Document
from painpoint.text.traditional import to_simplified


class Certainty(StrEnum):
    """How sure the draft is of a value: explicit wording, a likely reading, or a fallback to check."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Source:
    """Where a value came from."""

    line: int
    """1-based line (or paragraph) of the input."""
    text: str
    """The sentence it was read from, as written (shortened for display)."""
    document: str = ""
    """The input's file name, when the draft merges several inputs ("" for a draft of one)."""

    @property
    def where(self) -> str:
        """第N行, after the file name when the draft merges several inputs."""
        return f"{self.document} 第{self.line}行" if self.document else f"第{self.line}行"


@dataclass(frozen=True)
class Found:
    """One inferred value of a profile field."""

    value: str
    """The value as it goes into the profile."""
    source: Source
    """Where it was read."""
    certainty: Certainty
    """How sure the draft is."""


@dataclass(frozen=True)
class DraftProject:
    """A project the text names, with what the same sentences say about it."""

    name: Found
    years: Found | None = None
    partners: tuple[Found, ...] = ()
    summary: Found | None = None
    results: Found | None = None


@dataclass(frozen=True)
class Draft:
    """Everything read from one input; absent fields are None or empty."""

    path: str
    """The input, as given."""
    name: Found | None = None
    kind: Found | None = None
    region: tuple[Found, ...] = ()
    founded: Found | None = None
    staff: Found | None = None
    mission: Found | None = None
    services: tuple[Found, ...] = ()
    beneficiaries: tuple[Found, ...] = ()
    projects: tuple[DraftProject, ...] = ()
    credentials: dict[str, Found] = field(default_factory=dict)
    """grade, public_fundraising, charity, registered_with, other (several honours joined by '；')."""
    inputs: tuple[str, ...] = ()
    """Every input merged into this draft, as given (empty for a draft of one input: `path`)."""


# ------------------------------------------------------------------------------------------------ sentences

@dataclass(frozen=True)
class _Sentence:
    line: int
    text: str
    """Simplified, for analysis."""
    original: str
    """As written (same length as text)."""
    index: int
    """Position among all sentences."""
    first_line: bool
    """True on the document's first two lines (a title)."""

    def source(self) -> Source:
        shown = self.original.strip()
        return Source(self.line, shown if len(shown) <= 90 else shown[:89] + "…")

    def cut(self, start: int, end: int) -> str:
        return self.original[start:end]


# pinyin readings some sites put after each character: 正樹(shù)
_PINYIN_NOTE = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")


def _sentences(document: Document) -> list[_Sentence]:
    out: list[_Sentence] = []
    for i, (line, number) in enumerate(zip(document.lines, document.line_numbers, strict=True)):
        original = _PINYIN_NOTE.sub("", line)
        simple = to_simplified(original)
        for m in _SENTENCE.finditer(simple):
            if m.group().strip():
                out.append(_Sentence(number, m.group(), original[m.start():m.end()], len(out), i < 2))
    return out


# ------------------------------------------------------------------------------------------------ names

ORG_SUFFIXES = ("慈善总会", "基金会", "联合会", "促进会", "研究会", "互助会", "联谊会", "校友会", "协会", "学会", "商会",
                "总会", "服务中心", "发展中心", "研究中心", "指导中心", "中心", "研究所", "研究院", "服务社", "总社",
                "工作室", "服务站", "社工站", "工作站", "服务部", "志愿队", "救援队", "服务队", "俱乐部", "联盟")
"""How registered names of social organizations end (longest first where one ends another)."""

_NAME_CHARS = r"[\u4e00-\u9fffA-Za-z“”\"·]"
_NAME = re.compile(rf"{_NAME_CHARS}+?(?:{'|'.join(ORG_SUFFIXES)})(?!{'|'.join(('会', '心', '所', '院', '社'))})")
# words a name never contains, so text before them is not part of it (根据…关于锦州市慈善总会)
_BREAKERS = re.compile(r".*(?:根据|关于|通过|作为|成为|经过|以及|我们|依托|按照|了|的|是|由|在|于|与|及|被|将|对|向|把|从|"
                       r"经(?![济营贸])|和(?![谐平美睦])|受(?![益助援训理灾]))")
_NOT_A_NAME_START = re.compile(r"^(?:本|该|我|各|全|此|其|这|原|首|一|某|新|贵|其他|下属|所属|相关)")
_AFTER_NAME = re.compile(r"^\s*[(（]|^\s*(?:是|成立|于|於|由|经|位于|创办|始建|正式|简称|以下简称|系)")
_SHORT_NAME = re.compile(r"简称|以下简称")


_NAME_FIELD = re.compile(r"^\s*(?:机构|组织|单位|社会组织|登记)?(?:全称|名称)\s*[:：]\s*([^\s，。；,;:：]{4,40})")


def _name(sentences: Sequence[_Sentence]) -> Found | None:
    """The registered name: a `名称：…` field of a directory copy, else a run of name characters ending in an
    organization suffix, scored by where and how often it stands (a title line, the start of a sentence,
    followed by （简称…） or 成立于)."""
    scores: dict[str, float] = {}
    first: dict[str, tuple[_Sentence, int, int]] = {}
    for s in sentences:
        if (field := _NAME_FIELD.match(s.text)) is not None:
            return Found(s.cut(field.start(1), field.end(1)), s.source(), Certainty.HIGH)
    for s in sentences:
        for m in _NAME.finditer(s.text):
            start = m.start()
            cut = _BREAKERS.match(m.group())
            if cut:
                start += cut.end()
            candidate = s.text[start:m.end()].strip("“”\"·")
            start = s.text.find(candidate, start)
            if start > 0 and s.text[start - 1].isdigit() and candidate[0] in "年月日号":
                candidate, start = candidate[1:], start + 1
            core = _strip_suffix(candidate)
            if len(re.sub(r"[“”\"·]", "", core)) < 2 or _NOT_A_NAME_START.match(candidate) \
                    or re.search(r"[本该我此]$", core):
                continue
            score = 1.0
            after = s.text[m.end():m.end() + 8]
            if _AFTER_NAME.match(after):
                score += 2.0
            if _SHORT_NAME.search(after):
                score += 2.0
            if s.first_line:
                score += 1.5
            if start == 0 or not s.text[:start].strip():
                score += 1.0
            if _place_prefix(candidate):
                score += 1.0
            scores[candidate] = scores.get(candidate, 0.0) + score
            first.setdefault(candidate, (s, start, start + len(candidate)))
    if not scores or max(scores.values()) < 2:  # one bare mention in passing is not the organization's name
        return None
    best = max(scores, key=lambda c: (scores[c], len(c)))
    s, start, end = first[best]
    certainty = Certainty.HIGH if scores[best] >= 4 else Certainty.MEDIUM if scores[best] >= 2.5 else Certainty.LOW
    return Found(s.cut(start, end), s.source(), certainty)


def _strip_suffix(name: str) -> str:
    for suffix in ORG_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# ------------------------------------------------------------------------------------------------ places

MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
PROVINCES = ("河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
             "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾")
AUTONOMOUS_REGIONS = ("内蒙古", "广西", "西藏", "宁夏", "新疆")
"""Province-level names, so a place written without 省 (安徽岳西县) is still read as one."""

_UNIT = re.compile(r"([\u4e00-\u9fff]{2,7}?)(特别行政区|自治区|自治州|自治县|开发区|新区|地区|省|市|盟|区|县|旗|乡|镇|街道)")
_COMMON_WORDS = ("社区", "地区", "城区", "小区", "园区", "景区", "辖区", "山区", "灾区", "片区", "街区", "市区", "城市",
                 "都市", "超市", "城乡", "全市", "全区", "全县", "全省", "本市", "本区", "我市", "我县", "我区", "我省",
                 "各省", "各市", "各区", "各县", "该市", "该区", "该县", "老区", "校区", "社区")
_PROVINCE_LEVEL = MUNICIPALITIES + PROVINCES + AUTONOMOUS_REGIONS


# a unit character that begins a common word is no unit: 禾苗乡村儿童… is 禾苗 + 乡村, not the township 禾苗乡
_UNIT_WORDS = ("乡村", "乡土", "乡亲", "乡情", "乡愁", "乡贤", "乡音", "乡风", "乡邻", "乡里", "乡野", "市场", "市民", "市容",
               "市井", "区域", "区块", "区间", "区别", "县域", "镇守", "旗袍", "旗帜", "旗舰", "旗下", "盟友", "州府")
_NOT_A_PLACE_START = re.compile(r"位于|坐落|地处|设在|落户|扎根|立足|受(?![降])|经(?![济])|接受|由|在|按照|根据|依托|通过|"
                                r"联合|携手|面向|服务于|来自")


def _place_prefix(text: str) -> str:
    """The administrative places a name or phrase starts with: 厦门市思明区民政局 → 厦门市思明区."""
    pos = 0
    for name in _PROVINCE_LEVEL:
        if text.startswith(name):
            unit = {"内蒙古": "自治区", "广西": "壮族自治区", "西藏": "自治区", "宁夏": "回族自治区",
                    "新疆": "维吾尔自治区"}.get(name, "市" if name in MUNICIPALITIES else "省")
            full = re.match(rf"{name}(?:{unit}|省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?", text)
            assert full is not None
            pos = full.end()
            break
    while True:
        m = _UNIT.match(text, pos)
        if m and _NOT_A_PLACE_START.match(m.group(1)):  # 位于示例县, 受示例县: a verb, not part of the place
            break
        if not m or m.group(0)[-2:] in _COMMON_WORDS or (m.group(1) + m.group(2))[:2] in _COMMON_WORDS:
            break
        if text[m.end() - 1:m.end() + 1] in _UNIT_WORDS:
            break
        if m.group(2) in ("区", "市", "县") and len(m.group(1)) > 4:
            break
        if len(m.group(1)) > 4 and m.group(2) not in ("开发区", "新区", "自治州", "自治县", "自治区"):
            break
        pos = m.end()
    return text[:pos]


_AUTHORITY = re.compile(r"(?:在|经|由|向)?([\u4e00-\u9fff]{2,24}?)((?:民政局|民政厅|民政部|行政审批局|行政审批服务局|"
                        r"政务服务和大数据管理局|政务服务局|市场监督管理局))")
_ADDRESS = re.compile(r"(?:(?:地址|地点|位于|坐落于|地处|设在|总部在|总部位于|诞生于|成立于|扎根于|立足于|落户|所在地区|"
                      r"所在地|注册地|住所)[:：]?\s*)+"  # 办公地点位于…: every cue, not only the first
                      r"([\u4e00-\u9fff]{2,30})")
_PLACE_LIST = re.compile(r"在((?:[\u4e00-\u9fff]{2,8}、)+[\u4e00-\u9fff]{2,8})等地")


def _regions(sentences: Sequence[_Sentence], name: Found | None) -> tuple[Found, ...]:
    """Places the organization works in: its name's place, then where it registered and sits."""
    found: list[Found] = []

    def add(place: str, s: _Sentence | None, source: Source, certainty: Certainty) -> None:
        place = place.strip()
        if len(place) < 2 or place in _PROVINCE_LEVEL and not place.endswith(("省", "市", "区")):
            place = place + "市" if place in MUNICIPALITIES else place
        if len(place) < 2:
            return
        for i, f in enumerate(found):
            if _same_place(f.value, place):
                if len(_bare(place)) > len(_bare(f.value)) and _bare(f.value) in _bare(place):
                    found[i] = Found(place, source, certainty)  # cite the sentence that wrote it in full
                return
        found.append(Found(place, source, certainty))

    if name is not None:
        place = _place_prefix(to_simplified(name.value))
        if place:
            add(place, None, name.source, Certainty.HIGH)
    for s in sentences:
        for m in _AUTHORITY.finditer(s.text):
            body = m.group(1)
            body = body[_BREAKERS.match(body).end():] if _BREAKERS.match(body) else body  # type: ignore[union-attr]
            place = _place_prefix(body)
            if place:
                add(place, s, s.source(), Certainty.HIGH)
        for m in _ADDRESS.finditer(s.text):
            place = _place_prefix(m.group(1))
            if place:
                add(place, s, s.source(), Certainty.MEDIUM)
        for m in _PLACE_LIST.finditer(s.text):
            for item in m.group(1).split("、"):
                if _place_prefix(item) == item or 2 <= len(item) <= 3:
                    add(item, s, s.source(), Certainty.LOW)
    if not found:
        found += _loose_places(sentences)
    return tuple(_with_province(f, sentences) for f in found[:3])


def _bare(place: str) -> str:
    return re.sub(r"(省|市|自治区)", "", place)


def _same_place(a: str, b: str) -> bool:
    a, b = _bare(a), _bare(b)
    return a in b or b in a


def _loose_places(sentences: Sequence[_Sentence]) -> list[Found]:
    """Without a name or registration to anchor it: a county or district the text keeps returning to."""
    text = "".join(s.text for s in sentences)
    counts: dict[str, int] = {}
    where: dict[str, _Sentence] = {}
    for s in sentences:
        for m in re.finditer(r"(?<![\u4e00-\u9fff]{3})([\u4e00-\u9fff]{2})(区|县|市|旗)", s.text):
            word = m.group(0)
            if word[1:] in _COMMON_WORDS or word[:2] in _COMMON_WORDS or _NOT_A_NAME_START.match(word):
                continue
            counts[word] = counts.get(word, 0) + 1
            where.setdefault(word, s)
    out = []
    for word, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        if n + text.count(word[:2]) - n >= 3 and n >= 2:
            out.append(Found(word, where[word].source(), Certainty.LOW))
    return out[:1]


def _with_province(found: Found, sentences: Sequence[_Sentence]) -> Found:
    """Prefix the province when the text writes it before this place somewhere (安徽省 + 岳西县)."""
    place = found.value
    if place.startswith(_PROVINCE_LEVEL):
        return found
    head = _bare(place)[:2]
    for s in sentences:
        for m in re.finditer(rf"({'|'.join(PROVINCES + AUTONOMOUS_REGIONS)})(省|自治区|壮族自治区|回族自治区|"
                             rf"维吾尔自治区)?{re.escape(head)}", s.text):
            province = m.group(1) + (m.group(2) or ("省" if m.group(1) in PROVINCES else "自治区"))
            return Found(province + place, found.source, found.certainty)
    return found


# ------------------------------------------------------------------------------------------------ kind, dates

_KIND_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("基金会", re.compile(r"(?:公募|非公募)基金会|基金会管理条例|基金会法人"), "基金会"),
    ("社会服务机构", re.compile(r"民办非企业单位|民办非企业|民非机构|民非组织|民非|登记为社会服务机构|"
                          r"注册为社会服务机构|民办非企业单位登记管理暂行条例"), "社会服务机构"),
    ("社会团体", re.compile(r"社会团体|社团法人|社团登记管理条例|社会团体登记管理条例"), "社会团体"),
)


def _kind(sentences: Sequence[_Sentence], name: Found | None) -> Found | None:
    """The legal form, from registration wording only (or a name ending in 基金会, which the law reserves)."""
    for s in sentences:
        for _, pattern, kind in _KIND_RULES:
            if (m := pattern.search(s.text)) and not re.search(r"(?:孵化|培育|支持|扶持|指导|服务于)[^。，]{0,3}$",
                                                               s.text[:m.start()]):
                return Found(kind, s.source(), Certainty.HIGH)
    if name is not None and to_simplified(name.value).endswith("基金会"):
        return Found("基金会", name.source, Certainty.HIGH)
    return None


_FOUNDED = (
    (re.compile(r"(?:成立|创立|注册|登记|创办)(?:时间|日期|年份)\s*[:：为是]?\s*(\d{4})"), Certainty.HIGH),
    (re.compile(r"(?:成立|创立|创办|诞生|建立|组建|始建|建)(?:于|於)\s*(\d{4})年"), Certainty.HIGH),
    (re.compile(r"(\d{4})年(?:\d{1,2}月)?(?:\d{1,2}日)?[^。，,；]{0,12}?(?:成立|创立|创办|诞生)"), Certainty.HIGH),
    (re.compile(r"(\d{4})年(?:\d{1,2}月)?(?:\d{1,2}日)?[^。；]{0,30}?(?:正式)?(?:注册|登记)(?:成立)?"), Certainty.MEDIUM),
    (re.compile(r"(?:于|於)\s*(\d{4})年(?:\d{1,2}月)?(?:\d{1,2}日)?[^。，,]{0,20}?(?:注册|登记|批准|成立)"), Certainty.MEDIUM),
    (re.compile(r"(\d{4})年[^。]{0,40}?标志着[^。]{0,20}成立"), Certainty.MEDIUM),
)
_NOT_OURS = re.compile(r"前身|源自|源于|原名")


def _first(cues: Sequence[tuple[re.Pattern[str], Certainty]], sentences: Sequence[_Sentence],
           accept: Callable[[_Sentence, re.Match[str]], bool] = lambda s, m: True
           ) -> tuple[_Sentence, re.Match[str], Certainty] | None:
    """The first sentence the most explicit cue matches (cues are in order of how explicit they are)."""
    for pattern, certainty in cues:
        for s in sentences:
            m = pattern.search(s.text)
            if m and accept(s, m):
                return s, m, certainty
    return None


def _founded(sentences: Sequence[_Sentence]) -> Found | None:
    """The founding year: 成立于/建于 X年, X年…成立, then X年…注册/登记; a predecessor's year (前身) is skipped."""
    hit = _first(_FOUNDED, sentences,
                 lambda s, m: not _NOT_OURS.search(s.text) and 1900 <= int(m.group(1)) <= 2100)
    return Found(hit[1].group(1), hit[0].source(), hit[2]) if hit else None


_COUNT = r"\d+(?:余|多)?(?:名|人|位)"
# the staff, what the text says of them (其中持证社工9名), then the volunteers (常年服务志愿者230余名)
_STAFF = re.compile(rf"(?:专职|全职|兼职|在职)?(?:社工|员工|工作人员|职员|人员|督导|教师|老师|员)[^，。；、]{{0,4}}?"
                    rf"(?:共|有)?{_COUNT}(?:[，,]其中[^，。；、]{{0,8}}?{_COUNT})*"
                    rf"(?:[、，,和及][^，。；、\d]{{0,6}}?志愿者[^，。；]{{0,3}}?{_COUNT})?")


def _staff(sentences: Sequence[_Sentence]) -> Found | None:
    for s in sentences:
        m = _STAFF.search(s.text)
        if m:
            text = s.cut(m.start(), m.end())
            return Found(text, s.source(), Certainty.MEDIUM)
    return None


# ------------------------------------------------------------------------------------------------ mission

_MISSION_CUES = (
    (re.compile(r"宗旨(?:是|为|：|:)?\s*[“\"]([^”\"]{4,80})[”\"]"), Certainty.HIGH),
    (re.compile(r"(?:以|秉承)\s*[“\"]([^”\"]{4,80})[”\"]\s*为宗旨"), Certainty.HIGH),
    (re.compile(r"(?:宗旨|使命)(?:是|为|：|:)\s*([^。]{6,120})"), Certainty.HIGH),
    (re.compile(r"(?:以|秉承)([^。，]{6,60})为(?:工作)?宗旨"), Certainty.HIGH),
    (re.compile(r"((?:致力于|专注于?|旨在|定位为|定位于|愿景是)[^。]{6,120})"), Certainty.MEDIUM),
    (re.compile(r"(?:我们|本机构|本中心|本会)(?:希望|相信)([^。]{6,120})"), Certainty.MEDIUM),
    (re.compile(r"^[^。]{2,20}?(?:——|—|：)([^。]{6,60})$"), Certainty.MEDIUM),
)


_WORDS = re.compile(r"[\u4e00-\u9fff]")


def _says_something(_s: _Sentence, m: re.Match[str]) -> bool:
    """A mission is said in words: 发布时间：2025-01-10 (a page's furniture, label：value) is none."""
    return len(_WORDS.findall(m.group(1))) >= 4


def _mission(sentences: Sequence[_Sentence], name: Found | None) -> Found | None:
    if hit := _first(_MISSION_CUES, sentences, _says_something):
        s, m, certainty = hit
        return Found(s.cut(m.start(1), m.end(1)).strip(" ，,：:"), s.source(), certainty)
    # the sentence that introduces the organization, else the first substantial one (in words, not a date line)
    substantial = [s for s in sentences if len(s.text) >= 15 and len(_WORDS.findall(s.text)) >= 8]
    for s in substantial:
        if (name is None or name.value in s.original) and not s.first_line:
            return Found(_shorten(s.original.strip()), s.source(), Certainty.LOW)
    for s in substantial:
        if not _is_title(s, sentences):
            return Found(_shorten(s.original.strip()), s.source(), Certainty.LOW)
    return None


_DOCUMENT_WORD = re.compile(r"(?:报告|年报|简介|介绍|总结|概况|汇报|手册|材料|方案|项目书|申报书|申请书|计划书)\s*$")


def _is_title(s: _Sentence, sentences: Sequence[_Sentence]) -> bool:
    """A document's title (示例县…中心2024年度工作报告): a whole line without a sentence's punctuation, the first
    line or one ending in a document word. A title is never the mission."""
    whole = all(t.line != s.line or t.index == s.index for t in sentences)
    return whole and not re.search(r"[。，,；;！？!?]", s.text) and (s.index == 0 or bool(_DOCUMENT_WORD.search(s.text)))


def _shorten(text: str, limit: int = 150) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ------------------------------------------------------------------------------------------------ services

_LIST_CUE = re.compile(r"(?:围绕|包括|包含|涵盖|主要业务|业务范围|主要工作|工作领域|服务内容|服务领域|主要从事|主要开展|"
                       r"重点开展|提供|开展)(?:了|的)?[:：]?\s*")
_LIST_END = re.compile(r"等(?:服务|工作|领域|方面|项目|活动)?|展开|[。，,；;：:]|$")
_LIST_SPLIT = re.compile(r"、|，")
_PAIR_SPLIT = re.compile(r"以及|和|及|与")
_BULLET_MARK = r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[.、．)]|[（(][一二三四五六七八九十\d]+[)）]|[-•·*●■◆])\s*"
_BULLET = re.compile(_BULLET_MARK)
_HEADING = re.compile(_BULLET_MARK + r"([^。：:，,；]{2,20})[。：:，,；]")
_PROJECT_WORD = re.compile(r"(?:项目|计划|行动|工程)$")


def _enumerations(sentences: Sequence[_Sentence]) -> Iterator[tuple[_Sentence, list[str]]]:
    """Lists the text gives after a cue (围绕环境教育、自然保育和公众参与展开), item by item."""
    for s in sentences:
        for m in _LIST_CUE.finditer(s.text):
            rest = s.text[m.end():]
            end = _LIST_END.search(rest)
            body = rest[:end.start()] if end else rest
            items = [i.strip() for part in _LIST_SPLIT.split(body) for i in _pair(part) if i.strip()]
            if len(items) >= 2 and all(2 <= len(i) <= 24 for i in items):
                yield s, items


def _pair(item: str) -> list[str]:
    """`自然保育和公众参与` → both; `公众参与` stays whole (与 inside a word is not a conjunction)."""
    m = _PAIR_SPLIT.search(item)
    if m and m.start() >= 2 and len(item) - m.end() >= 2:
        return [item[:m.start()], item[m.end():]]
    return [item]


def _services(sentences: Sequence[_Sentence], projects: Sequence[DraftProject]) -> tuple[Found, ...]:
    names = {p.name.value for p in projects}
    out: dict[str, Found] = {}
    for s in sentences:
        m = _HEADING.match(s.original)
        if m and not re.search(r"\d", m.group(1)):
            out.setdefault(m.group(1).strip(), Found(m.group(1).strip(), s.source(), Certainty.MEDIUM))
    for s, items in _enumerations(sentences):
        if any(_PROJECT_WORD.search(i) for i in items):
            continue
        for item in items:
            if 3 <= len(item) <= 12 and not re.search(r"\d", item) and item not in names:
                out.setdefault(item, Found(item, s.source(), Certainty.MEDIUM))
    return tuple(list(out.values())[:10])


def _beneficiaries(sentences: Sequence[_Sentence], vocabulary: Sequence[str],
                   tokens: Callable[[str], list[str]] | None = None) -> tuple[Found, ...]:
    """The groups the text declares it serves (服务对象：…), every one of them; without such a list, groups of
    people from the taxonomy's beneficiary words and those the text serves (为X提供).

    A declared list is the organization's own answer: 儿童 in its name or 孩子 in a story would only crowd out
    事实无人抚养儿童 and 乡村学校教师, so nothing is added to it.
    """
    declared: dict[str, Found] = {}
    for s in sentences:
        for group in _declared_groups(s.text):  # 服务对象：困境儿童、留守儿童及其家长
            declared.setdefault(group, Found(group, s.source(), Certainty.HIGH))
    if declared:
        return tuple(list(declared.values())[:_MAX_DECLARED])
    out: dict[str, Found] = {}
    pattern = re.compile(r"(?:为|帮助|面向|服务于|关爱|陪伴)([\u4e00-\u9fff]{0,8}?(?:老人|老年人|儿童|少年|青少年|妇女|"
                         r"学生|家庭|残疾人|患者|居民|村民|农户|群体|人员|人群|组织|机构|教师|职工|工友|孩子|长者))")
    words = sorted(set(vocabulary), key=lambda w: (-len(w), w))  # not set order: it changes from run to run
    for s in sentences:
        for m in pattern.finditer(s.text):
            group = re.sub(r"^(?:社区里|社区中|社区|本地|当地|广大|各类|约|更多|我们的|全体|所有)", "", m.group(1))
            if len(group) >= 2 and not re.search(r"\d", group):
                out.setdefault(group, Found(group, s.source(), Certainty.MEDIUM))
        taken = ""
        for word in words:
            if word in s.text and word not in taken and not any(word in k for k in out) and _stands(word, s.text,
                                                                                                   tokens):
                out.setdefault(word, Found(word, s.source(), Certainty.MEDIUM))
                taken += "|" + word
    return tuple(list(out.values())[:6])


_PEOPLE = (r"(?:老人|老年人|儿童|少年|青少年|妇女|学生|家庭|残疾人|患者|居民|村民|农户|群体|人员|人群|组织|机构|教师|"
           r"职工|工友|孩子|长者|家长|群众|对象|人口|农民工|劳动者|退役军人|孤儿|婴幼儿|孕产妇|照料人|照护者|照顾者|"
           r"监护人|抚养人|看护人|志愿者|社工)")
_MAX_DECLARED = 12
"""Most groups kept from a declared list (服务对象：…); a list longer than this is not a list of groups."""
_GROUPS_CUE = re.compile(r"(?:服务对象|服务群体|服务人群|受益对象|受益人群|受益群体)(?:主要)?(?:为|是|包括|有)?[：:]?")
_GROUP_ITEM = re.compile(r"^(?:[\u4e00-\u9fff]{0,10}?)" + _PEOPLE + "$")


def _declared_groups(text: str) -> list[str]:
    """The groups a text declares it serves after a cue, every one: 服务对象：困境儿童、留守儿童及其家长 → 困境儿童,
    留守儿童, 留守儿童家长 (及其 names the group's own people, so they keep its name: 事实无人抚养儿童照料人)."""
    out: list[str] = []
    for m in _GROUPS_CUE.finditer(text):
        body = re.split(r"[。；;：:]|等", text[m.end():], maxsplit=1)[0]
        for listed in re.split(r"[、，,/]", body):
            whose, _sep, theirs = listed.partition("及其")
            parts = re.split(r"以及|和|及|与", whose)
            if theirs.strip():
                parts.append(parts[-1].strip() + theirs.strip())
            for part in parts:
                item = re.sub(r"^(?:其|主要|本地|当地|广大|各类|全县|全市|全区)", "", part.strip())
                if 2 <= len(item) <= 16 and _GROUP_ITEM.match(item) and item not in out:
                    out.append(item)
    return out


def _stands(word: str, text: str, tokens: Callable[[str], list[str]] | None) -> bool:
    """Whether `word` is written in `text` as a word, not across two (家长 in 两家|长者食堂).

    An occurrence stands when it begins and ends at token boundaries, or lies inside one token (长者 in 长者食堂).
    Without a tokenizer every occurrence stands.
    """
    if tokens is None:
        return True
    bounds, inside = {0}, []
    at = 0
    for token in tokens(text):
        inside.append((at, at + len(token)))
        at += len(token)
        bounds.add(at)
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if text[max(0, start - 2):start] == "A级":  # 4A级社会组织: the organization's own grade, not whom it serves
            pass
        elif (start in bounds and end in bounds) or any(a <= start and end <= b for a, b in inside):
            return True
        start = text.find(word, start + 1)
    return False


# ------------------------------------------------------------------------------------------------ projects

_QUOTED = re.compile(r"[“\"]([^”\"]{2,30})[”\"]")
_TITLE_TAIL = re.compile(r"^[\u4e00-\u9fffA-Za-z]{0,12}?(?:公益项目|服务项目|项目|计划|行动|工程)")
_TITLE_CONTEXT = re.compile(r"项目|计划|行动|工程|品牌")
_NOT_A_TITLE = re.compile(r"(?:简称|称号|荣誉|称为|定为|宗旨|理念|精神|口号|认定为|授予|荣获|评为|誉为|号召|提出|"
                          r"称作|叫做|命名为|定位为)\s*$")
_TITLE_SUFFIX = re.compile(r"(?:项目|计划|行动|工程|活动|论坛|大赛|调查|研究|倡导|营|课堂|学堂|驿站|食堂|热线|网络|"
                           r"基金|联盟|通栏|栏目)$")
_WORK_VERB = re.compile(r"(?:举办|创办|开播|推出|发起|建立|创建|召开|参与|承办|主办|实施|承接|运营|担任|提起|打造|开设|"
                        r"设立|启动)了?(?:首届|第[一二三四五六七八九十\d]+届|[一二三四五六七八九十\d]+届|[一二三四五六七八九十\d]+期)?"
                        r"((?:[\u4e00-\u9fffA-Za-z]|“[^”]{1,12}”){3,24}?(?:论坛|会议|大会|网络|调查|项目|计划|行动|工程|通栏|"
                        r"栏目|大赛|诉讼|孵化器|联盟))")


def _projects(sentences: Sequence[_Sentence]) -> list[DraftProject]:
    """Named projects: quoted titles (“…”项目/计划/行动), items of a list of 项目, and named work after a verb."""
    found: list[tuple[str, _Sentence, Certainty]] = []

    honoured: list[tuple[str, _Sentence, Certainty]] = []

    def add(name: str, s: _Sentence, certainty: Certainty) -> None:
        key = re.sub(r"[“”\"\s]", "", name)
        if len(key) < 3:
            return
        brand = _QUOTED.search(name)
        for other, _, _ in found:
            okey = re.sub(r"[“”\"\s]", "", other)
            if key in okey or okey in key:
                return
            if brand and (obrand := _QUOTED.search(other)) and brand.group(1) == obrand.group(1):
                return  # “银龄守望”项目 after “银龄守望”农村留守老人关爱项目: one project, written short
        found.append((name, s, certainty))

    for s in _listed_projects(sentences):  # 主要项目： then 一、… 二、…: each item is one
        title = _listed_title(s)
        if title:
            add(title, s, Certainty.HIGH)
    for s in sentences:
        for m in _QUOTED.finditer(s.text):
            if _NOT_A_TITLE.search(s.text[max(0, m.start() - 6):m.start()]):
                continue
            title = m.group(1)
            tail = _TITLE_TAIL.match(s.text[m.end():])
            if tail and re.match(r"负责人|经理|主任|组长|成员|官员", s.text[m.end() + tail.end():]):
                continue
            if _HONOURED.match(s.text[m.end() + (tail.end() if tail else 0):]):
                # “银龄守望”项目获…优秀案例: an honour; a project only if the text names it nowhere else
                honoured.append((s.cut(m.start(), m.end() + tail.end()) if tail else s.cut(m.start(1), m.end(1)),
                                 s, Certainty.MEDIUM))
                continue
            clause = re.split(r"[，。；,;：:]", s.text[m.end():], maxsplit=1)[0]
            if tail:
                add(s.cut(m.start(), m.end() + tail.end()), s, Certainty.HIGH)
            elif _TITLE_SUFFIX.search(title):
                add(s.cut(m.start(1), m.end(1)), s, Certainty.HIGH)
            elif _TITLE_CONTEXT.search(clause):
                add(s.cut(m.start(1), m.end(1)), s, Certainty.MEDIUM)
            elif not s.text[:m.start()].strip() and re.match(r"(?:是|自|于|在|由|通过|从)", s.text[m.end():]):
                add(s.cut(m.start(1), m.end(1)), s, Certainty.LOW)  # a named piece of work opens the sentence
    for s, items in _enumerations(sentences):
        if any(_PROJECT_WORD.search(i) for i in items):
            for item in items:
                if re.search(r"项目|计划|行动|工程|服务$", item):
                    at = s.text.find(item)
                    add(s.cut(at, at + len(item)) if at >= 0 else item, s, Certainty.MEDIUM)
    for s in sentences:
        for m in _WORK_VERB.finditer(s.text):
            body = m.group(1)
            cut = _BREAKERS.match(body)
            start = m.start(1) + (cut.end() if cut else 0)
            if m.end(1) - start >= 4 and not re.search(r"[的以为]", body) \
                    and not re.match(r"[一二三四五六七八九十两几\d]+[届期次个场]", body):
                add(s.cut(start, m.end(1)), s, Certainty.MEDIUM)
        for m in re.finditer(r"([\u4e00-\u9fff]{2,6}工程)(?:工作)?项目", s.text):  # 原希望工程工作项目
            body = re.sub(r"^[在原的与和及]+", "", m.group(1))
            add(s.cut(m.end(1) - len(body), m.end(1)), s, Certainty.LOW)
        for m in _VENUE.finditer(s.text):
            add(s.cut(m.start(1), m.end(1)), s, Certainty.MEDIUM)
    for s in sentences:  # work with a government body that the text gives no title: name it by its heading
        if any(f[1].line == s.line for f in found) or not _COOPERATION.search(s.text):
            continue
        heading = next((h for h in sentences[max(0, s.index - 3):s.index + 1]
                        if h.line == s.line and _HEADING.match(h.original)), None)
        titled = _HEADING.match(heading.original) if heading else None
        if titled:
            add(titled.group(1).strip(), s, Certainty.LOW)
    for name, s, certainty in honoured:
        add(name, s, certainty)
    projects = [_project_details(name, s, sentences, c) for name, s, c in found[:8]]
    keys = {re.sub(r"[“”\"\s]", "", p.name.value) for p in projects}
    for row in _table_projects(sentences):  # 项目名称 | 时间 | 合作单位 | 成效, a Word table read cell by cell
        if re.sub(r"[“”\"\s]", "", row.name.value) not in keys and len(projects) < 8:
            projects.append(row)
    return projects


_COLUMNS = (
    ("name", re.compile(r"(?:项目)?名称|项目")),
    ("years", re.compile(r"时间|年份|年度|起止时间|实施时间|执行时间|实施周期|项目周期|周期")),
    ("partners", re.compile(r"合作单位|合作方|合作伙伴|资助方|资助单位|购买方|购买单位|委托方|委托单位|出资方|指导单位")),
    ("results", re.compile(r"(?:项目|服务|主要)?(?:成效|成果|效果|产出)|受益人数|服务人数|服务人次")),
    ("summary", re.compile(r"(?:项目|服务|主要)?(?:内容|简介|介绍)")),
)


def _column(cell: str) -> str | None:
    cell = re.sub(r"\s+", "", cell)
    return next((key for key, pattern in _COLUMNS if pattern.fullmatch(cell)), None)


def _table_projects(sentences: Sequence[_Sentence]) -> list[DraftProject]:
    """Projects from a table whose cells came one per line: a header row of column names (项目名称, 时间,
    合作单位, 成效) fixes how many lines make a row; rows are read while every one looks like a row."""
    lines: list[tuple[int, str, str]] = []  # (line, simplified, as written), one entry per input line
    for s in sentences:
        if lines and lines[-1][0] == s.line:
            lines[-1] = (s.line, lines[-1][1] + s.text, lines[-1][2] + s.original)
        else:
            lines.append((s.line, s.text, s.original))
    out: list[DraftProject] = []
    i = 0
    while i < len(lines):
        header: list[str] = []
        while i + len(header) < len(lines) and (key := _column(lines[i + len(header)][1])) and key not in header:
            header.append(key)
        if len(header) < 2 or "name" not in header:
            i += max(1, len(header))
            continue
        i += len(header)
        width = len(header)
        while i + width <= len(lines):
            row = lines[i:i + width]
            cells = dict(zip(header, (c[2].strip() for c in row), strict=True))
            numbers = [c[0] for c in row]
            if numbers != list(range(numbers[0], numbers[0] + width)) or any(_column(c[1]) for c in row) \
                    or not 2 <= len(cells["name"]) <= 40 or re.search(r"[。，,；;]", cells["name"]) \
                    or ("years" in cells and not re.search(r"\d{4}", cells["years"])):
                break  # an empty or split cell, or the table ended: stop rather than shift columns
            out.append(_table_row(cells, numbers[0], " | ".join(c[2].strip() for c in row)))
            i += width
    return out


def _table_row(cells: dict[str, str], line: int, text: str) -> DraftProject:
    source = Source(line, text if len(text) <= 90 else text[:89] + "…")
    years = None
    for pattern, form in _YEARS:
        if "years" in cells and (m := pattern.search(to_simplified(cells["years"]))):
            years = Found(form.format(*[g for g in m.groups() if g]), source, Certainty.MEDIUM)
            break
    partners = tuple(Found(p.strip(), source, Certainty.MEDIUM)
                     for p in re.split(r"[、，,；;/]", cells.get("partners", "")) if len(p.strip()) >= 2)
    results = cells.get("results", "")
    summary = cells.get("summary", "")
    return DraftProject(Found(cells["name"], source, Certainty.MEDIUM), years, partners[:4],
                        Found(_shorten(summary, 160), source, Certainty.MEDIUM) if summary else None,
                        Found(results, source, Certainty.MEDIUM) if _RESULT.search(to_simplified(results)) else None)


_HONOURED = re.compile(r"(?:先后|曾|还|也)?(?:获|荣获|获评|获得|被评为|评为|入选|被授予|授予)")
_PROJECTS_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]\s*)?[^。，,；;]{0,10}项目[^。，,；;]{0,4}[：:]?\s*$")
# an item's title: what stands before its years (（2023-2024年）), its colon or its full stop
_LISTED_TITLE = re.compile(_BULLET_MARK + r"([^，,。；;：:（(\d]{4,30}?)\s*(?:[（(：:。；;]|$)")


def _listed_projects(sentences: Sequence[_Sentence]) -> Iterator[_Sentence]:
    """The first sentence of each numbered line under a heading of projects (主要项目：), until a line that is not.

    The next section's heading ends the list too: one numbered like the projects heading (二、主要项目 … 六、荣誉与
    资质), or a bare heading line naming a part of an introduction (荣誉, 资质, 团队, 联系方式 …).
    """
    under: str | None = None  # the projects heading's kind of number while under it
    for s in sentences:
        if s.index > 0 and sentences[s.index - 1].line == s.line:
            continue  # only a line's first sentence heads it
        whole = s.original.strip() == "".join(t.original for t in sentences if t.line == s.line).strip()
        if _PROJECTS_HEADING.match(s.original) and whole:
            under = _numbering(s.original)
        elif under is not None and _BULLET.match(s.original) and not (
                under and _numbering(s.original) == under or whole and _SECTION_HEADING.match(s.original)):
            yield s
        else:
            under = None


_SECTION_HEADING = re.compile(_BULLET_MARK + r"[^。，,；;：:\d]{0,8}(?:荣誉|资质|获奖|奖项|概况|简介|团队|架构|联系|财务|"
                              r"展望|愿景|大事记|合作伙伴|治理|制度)[^。，,；;：:\d]{0,6}[：:]?\s*$")


def _numbering(line: str) -> str:
    """How a heading or item is numbered: 一、 (cn), 1. (digit), （一） (paren), • (mark), or "" when it is not."""
    text = line.lstrip()
    if re.match(r"[一二三四五六七八九十]+[、.．]", text):
        return "cn"
    if re.match(r"\d+[.、．)]", text):
        return "digit"
    if re.match(r"[（(]", text) and _BULLET.match(text):
        return "paren"
    return "mark" if _BULLET.match(text) else ""


def _listed_title(s: _Sentence) -> str | None:
    m = _LISTED_TITLE.match(s.original)
    if m is None or re.match(r"(?:在|于|自|从|由|与|为|通过|中心|本|我们|该)", m.group(1)):
        return None
    return m.group(1).strip()


_YEARS = (
    (re.compile(r"(\d{4})\s*年?\s*(?:至|到|-|—|–|~|～)\s*(\d{4})\s*年"), "{0}-{1}"),
    (re.compile(r"(?:自|从)?\s*(\d{4})\s*年(?:\d{1,2}月)?(?:起|开始|以来|至今|迄今|到现在|至现在)"), "{0}-"),
    (re.compile(r"(\d{4})\s*年"), "{0}"),
)
_RESULT = re.compile(r"(?:约|共|累计|超过|近|达|逾)?\d[\d,.]*\s*(?:多|余)?\s*(?:万|千|百)?\s*(?:人次|名|位|人|场|次|户|个社区|"
                     r"个村|所|家|批|份|期|届|小时|册|件|万元|元|个)")
_GOV_BODY = re.compile(r"((?:中共)?[\u4e00-\u9fff]{2,16}?(?:民政局|民政厅|民政部|教育局|卫生健康委员会|卫健委|卫生健康局|"
                       r"应急管理局|生态环境局|司法局|公安局|人力资源和社会保障局|财政局|残疾人联合会|残联|妇女联合会|"
                       r"妇联|团委|团市委|团县委|团区委|委员会|组织部|宣传部|政法委|人民政府|政府|街道办事处|街道|"
                       r"居民委员会|村民委员会|居委会|村委会|局|厅|委))")
# 联合会 (残疾人联合会, 妇女联合会) is a name, not the verb 联合
_PARTNER_CUE = re.compile(r"(?:与|同|和|联合(?!会)|携手)([\u4e00-\u9fff“”]{2,16}?)(?:合作|签约|签订|联合(?!会)|共同|携手)")
_BOUGHT_BY = re.compile(r"承接(?:了)?([\u4e00-\u9fff]{2,16}?)(?:购买|委托|资助)")
# 县民政局购买服务, 区妇联资助, 市残联委托: a public body, its place written short or not at all, then how it paid
_FUNDED_BY = re.compile(r"(?:^|[，,。；;、\s（(：:])((?:[\u4e00-\u9fff]{0,12}?[省市县区镇乡]|街道)?(?:民政局|民政厅|民政部|"
                        r"教育局|教育体育局|卫生健康委员会|卫健委|卫生健康局|应急管理局|生态环境局|司法局|公安局|"
                        r"人力资源和社会保障局|人社局|财政局|残疾人联合会|残联|妇女联合会|妇联|团委|关工委|文明办|"
                        r"政法委|禁毒办|街道办事处|人民政府|政府))(?:出资|购买|资助|委托|支持|立项)")


_VENUE = re.compile(r"(?:^|[，。；：:、\s])((?:[\u4e00-\u9fff]){3,14}?(?:孵化器|孵化园|孵化基地|食堂|驿站|书屋|学堂|之家|热线))"
                    r"(?=\d{4}年|自|于|在|共|累计|已|运营|开办|成立)")
_COOPERATION = re.compile(r"(?:与|同|和)(?:中共)?[\u4e00-\u9fff]{2,16}?(?:局|委|部|厅|政府|街道|妇联|团委|残联)"
                          r"[^。]{0,6}?(?:签约|签订|合作|委托)|承接[^。]{2,16}?(?:购买|委托)")


# clauses end at these marks, but not at the thousands separator of a number (台账1,350人)
_CLAUSE_SPLIT = re.compile(r"[，；;。：:]|,(?!\d{3}(?!\d))|(?<!\d),")
_PLACE_COUNT = re.compile(r"\d+\s*(?:个|所)?(?:行政村|自然村|村|社区|乡镇|镇|乡|街道|县|区|市|学校|校)")


def _is_result(clause: str) -> bool:
    """A counted outcome (入户探访2.1万人次, 服务家庭78户); a clause saying where the work was done (在…12个行政村开展…)
    counts places, not what came of it."""
    if not _RESULT.search(clause):
        return False
    if re.match(r"(?:在|于|到|赴)", clause):
        return bool(_RESULT.search(_PLACE_COUNT.sub("", clause)))
    return True


def _project_details(name: str, s: _Sentence, sentences: Sequence[_Sentence], certainty: Certainty
                     ) -> DraftProject:
    text = s.text
    summary_text = _BULLET.sub("", s.original).strip()
    follow = [t for t in sentences[s.index + 1:s.index + 2] if t.line == s.line]
    if len(summary_text) < 40 and follow:
        summary_text += follow[0].original.strip()
        text += follow[0].text
    years = None
    for pattern, form in _YEARS:
        m = pattern.search(text)
        if m:
            groups = [g for g in m.groups() if g]
            years = Found(form.format(*groups), s.source(), Certainty.MEDIUM)
            break
    partners: dict[str, Found] = {}
    for pattern in (_BOUGHT_BY, _FUNDED_BY, _PARTNER_CUE):
        for m in pattern.finditer(text):
            partner = m.group(1).strip("“”")
            cut = _BREAKERS.match(partner) if pattern is _FUNDED_BY else None
            partner = partner[cut.end():] if cut else partner
            if partner and partner not in name and not any(partner in p or p in partner for p in partners):
                partners.setdefault(partner, Found(partner, s.source(), Certainty.MEDIUM))
    for m in _GOV_BODY.finditer(text):
        body = m.group(1)
        cut = _BREAKERS.match(body)
        body = body[cut.end():] if cut else body
        if (_place_prefix(body) or body.startswith(("中共", "全国", "共青团"))) and len(body) >= 4 \
                and not any(body in p or p in body for p in partners):
            partners.setdefault(body, Found(body, s.source(), Certainty.MEDIUM))
    clauses = [c.strip() for c in _CLAUSE_SPLIT.split(summary_text) if _is_result(to_simplified(c.strip()))]
    results = Found("，".join(clauses), s.source(), Certainty.MEDIUM) if clauses else None
    summary = Found(_shorten(summary_text, 160), s.source(), Certainty.MEDIUM)
    return DraftProject(Found(name, s.source(), certainty), years, tuple(partners.values())[:4], summary, results)


# ------------------------------------------------------------------------------------------------ credentials

_CREDENTIALS = (
    ("grade", re.compile(r"([1-5１-５]\s*A|A{3,5})\s*级?(?:社会组织|社團|单位|基金会|公益|等级)?|评估等级[为是:：]?\s*([1-5]A|A{1,5})")),
    ("public_fundraising", re.compile(r"(?:具有|拥有|取得|获得)?公开募捐资格|(?<!非)公募基金会")),
    ("charity", re.compile(r"认定为[“\"]?(?:[市省县区]级)?慈善组织|慈善组织认定|被认定为[^。，]{0,6}慈善组织")),
    ("other", re.compile(r"(?:授予|荣获|获评|评为|被评为|(?<![所获])获(?![得取批赠益]))[^。，]{0,8}?[“\"‘']?\s*"
                         r"(?P<honour>[^。，“”\"‘’']{4,24}?)\s*[”\"’']?(?:称号|荣誉|奖)")),
    # 2023年“银龄守望”项目获示例省社会工作优秀案例: the honour, and the project it went to
    ("other", re.compile(r"(?P<of>[“\"][^”\"]{2,20}[”\"][^。，；“”\"]{0,8}?)?(?:荣获|获评|入选|被评为|评为|(?<![所获])获(?![得取批赠益]))"
                         r"(?P<honour>[^。，；]{2,20}?(?:优秀案例|典型案例|示范项目|品牌项目|先进集体|先进单位))")),
)


# a credential the clause denies or only hopes for (暂未取得公开募捐资格, 不具备…, 正在申请…, …尚未认定):
# never read as held; the reviewer fills it in
_DENIED_BEFORE = re.compile(r"(?:(?:未|没有|不具|不再|不能|并非|暂无|尚无|并无|正在申请|计划申请|拟申请|争取)"
                            r"[^，,。；;]{0,6}|无)$")
_DENIED_AFTER = re.compile(r"^[^，,。；;]{0,4}(?:尚未|未|暂无|没有|申请中|正在申请|被取消|已取消|被撤销|已撤销)")


def _denied(text: str, start: int, end: int) -> bool:
    """Whether the clause around text[start:end] denies it (暂未取得X, X尚未取得)."""
    return bool(_DENIED_BEFORE.search(text[max(0, start - 12):start]) or _DENIED_AFTER.match(text[end:]))


def _credentials(sentences: Sequence[_Sentence]) -> dict[str, Found]:
    out: dict[str, Found] = {}
    others: list[tuple[str, Source]] = []
    for s in sentences:
        for key, pattern in _CREDENTIALS:
            for m in pattern.finditer(s.text):
                if _denied(s.text, m.start(), m.end()):
                    continue
                if key == "grade":
                    raw = (m.group(1) or m.group(2) or "").replace(" ", "")
                    level = int(raw[0].translate(str.maketrans("１２３４５", "12345"))) if raw[0].isdigit() \
                        else raw.count("A")
                    out.setdefault(key, Found(f"{level}A", s.source(), Certainty.HIGH))
                elif key == "other":
                    honour = s.cut(m.start("honour"), m.end("honour")).strip()
                    if m.groupdict().get("of"):
                        honour += f"（{s.cut(m.start('of'), m.end('of'))}）"
                    if honour not in [o for o, _ in others]:
                        others.append((honour, s.source()))
                else:
                    out.setdefault(key, Found("true", s.source(), Certainty.HIGH))
        for m in re.finditer(r"(?:在|经|由|向)([\u4e00-\u9fff]{2,24}?(?:民政局|民政厅|民政部|行政审批局|政务服务和大数据管理局))"
                             r"[^。，]{0,8}?(?:登记|注册|批准|审批)", s.text):
            out.setdefault("registered_with", Found(s.cut(m.start(1), m.end(1)), s.source(), Certainty.HIGH))
    if others:
        out["other"] = Found("；".join(o for o, _ in others[:3]), others[0][1], Certainty.MEDIUM)
    return out


# ------------------------------------------------------------------------------------------------ entry

def draft_profile(document: Document, beneficiary_words: Sequence[str] = (),
                  tokens: Callable[[str], list[str]] | None = None) -> Draft:
    """Read one document into a Draft; `beneficiary_words` are the taxonomy's groups of people, found where
    `tokens` (a tokenizer keeping every character) writes them as words."""
    sentences = _sentences(document)
    name = _name(sentences)
    projects = _projects(sentences)
    return Draft(
        path=document.path, name=name, kind=_kind(sentences, name), region=_regions(sentences, name),
        founded=_founded(sentences), staff=_staff(sentences), mission=_mission(sentences, name),
        services=_services(sentences, projects),
        beneficiaries=_beneficiaries(sentences, beneficiary_words, tokens),
        projects=tuple(projects), credentials=_credentials(sentences))


# ------------------------------------------------------------------------------------------------ merging

def same_organization(draft: Draft) -> str | None:
    """The key under which drafts of one organization meet: its name, simplified and without spaces."""
    if draft.name is None:
        return None
    return re.sub(r"\s+", "", to_simplified(draft.name.value)) or None


def merge_drafts(drafts: Sequence[Draft]) -> Draft:
    """One draft from several inputs about the same organization (机构介绍 + 年报 + 项目书).

    A single value comes from the input that states it most surely (an explicit cue over a guess), the first
    of those if several do; lists are united in input order (a value written twice is kept once, from where it
    was read first); a project named in two inputs takes what the first leaves out from the second. Every
    source names its file.
    """
    if len(drafts) == 1:
        return drafts[0]
    tagged = [_tagged(d, d.path.replace("\\", "/").rsplit("/", 1)[-1]) for d in drafts]

    def first(name: str) -> Found | None:
        # the surest reading wins (宗旨：… in one file over a fallback sentence of another), then input order
        values = [value for d in tagged if (value := getattr(d, name)) is not None]
        return max(values, key=lambda f: _SURENESS.index(f.certainty), default=None)

    def united(name: str) -> tuple[Found, ...]:
        seen: dict[str, Found] = {}
        for d in tagged:
            for found in getattr(d, name):
                seen.setdefault(found.value, found)
        return tuple(seen.values())

    projects: dict[str, DraftProject] = {}
    for d in tagged:
        for p in d.projects:
            key = re.sub(r"[“”\"\s]", "", to_simplified(p.name.value))  # “银龄守望”…项目 in the intro, unquoted in a table
            have = projects.get(key)
            if have is not None and _SURENESS.index(p.name.certainty) > _SURENESS.index(have.name.certainty):
                have, p = p, have  # the surer reading leads, the other fills its gaps
            projects[key] = p if have is None else DraftProject(
                have.name, have.years or p.years, have.partners or p.partners, have.summary or p.summary,
                have.results or p.results)
    credentials: dict[str, Found] = {}
    for d in tagged:
        for key, found in d.credentials.items():
            credentials.setdefault(key, found)
    return Draft(path=drafts[0].path, name=first("name"), kind=first("kind"), region=united("region"),
                 founded=first("founded"), staff=first("staff"), mission=first("mission"),
                 services=united("services"), beneficiaries=united("beneficiaries"),
                 projects=tuple(projects.values()), credentials=credentials,
                 inputs=tuple(d.path for d in drafts))


_SURENESS = (Certainty.LOW, Certainty.MEDIUM, Certainty.HIGH)


def _tagged(draft: Draft, document: str) -> Draft:
    """The draft with every source naming `document`."""
    from dataclasses import replace

    def tag(found: Found | None) -> Found | None:
        return None if found is None else replace(found, source=replace(found.source, document=document))

    def tags(items: Sequence[Found]) -> tuple[Found, ...]:
        return tuple(replace(f, source=replace(f.source, document=document)) for f in items)

    projects = tuple(DraftProject(tag(p.name) or p.name, tag(p.years), tags(p.partners), tag(p.summary),
                                  tag(p.results)) for p in draft.projects)
    return replace(draft, name=tag(draft.name), kind=tag(draft.kind), region=tags(draft.region),
                   founded=tag(draft.founded), staff=tag(draft.staff), mission=tag(draft.mission),
                   services=tags(draft.services), beneficiaries=tags(draft.beneficiaries), projects=projects,
                   credentials={k: tag(v) or v for k, v in draft.credentials.items()})

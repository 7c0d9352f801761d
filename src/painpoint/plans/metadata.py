"""Who issued a document — department, place, level, kind, year and clean title — each with its evidence line.

Sources, most trusted first: the 文头 (`XX文件`) and the title line (`XX关于印发…的通知`, `XX局开展…`), the
signature block (落款: an organ name above a date), 发文字号 prefixes (府办发, 民发), header fields (发布机构),
self-references in the body (我局, 我委, `县民政局依托…` as a sentence's subject), the organs a 提案答复 names as
its own; the title's policy field only as a weak hint, and the file name as a last resort. A guess is flagged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from painpoint.plans import department as titles
from painpoint.plans.organs import (
    PLACE_CHAIN,
    PROVINCE_CITIES,
    Organ,
    doc_number_kind,
    find_organs,
    leading_place,
    level_name,
    level_of,
    valid_place,
)


class Source:
    """How a department was found (the `department_source` values)."""

    MANIFEST = "manifest"
    HEADING = "heading"  # 文头: XX文件, or the organ line above the title of a notice
    TITLE = "title"
    SIGNATURE = "signature"
    HEADER = "header"
    DOC_NUMBER = "doc_number"
    REPORT = "report"
    SELF = "self_reference"
    BODY = "body"
    NOTICE = "notice"
    TOPIC = "topic"
    FILENAME = "filename"


# how much each source is trusted; a department from a source below GUESS_BELOW is shown as a guess
_TRUST = {Source.HEADING: 100, Source.TITLE: 95, Source.SIGNATURE: 90, Source.HEADER: 88, Source.REPORT: 86,
          Source.DOC_NUMBER: 80, Source.SELF: 75, Source.BODY: 70, Source.NOTICE: 60, Source.TOPIC: 45,
          Source.FILENAME: 20}
GUESS_BELOW = 60


@dataclass(frozen=True)
class Metadata:
    """Who issued a document and what it is, with the line each answer came from."""

    title: str | None
    """Clean title (joined when split over lines, page furniture removed), or None."""
    department: str | None
    """The issuer's full name (潼关县民政局), None when the text does not tell (never invented)."""
    department_source: str | None
    """How the department was found (see Source): heading, title, signature, header, doc_number, report,
    self_reference, body, notice, topic, filename, manifest."""
    department_line: int | None
    """Line (1-based, of the file) the department was read from; None for the file name or a manifest."""
    department_evidence: str | None
    """That line's text (or the file name / manifest entry)."""
    guess: bool
    """True when the department is a weak inference (the plan's topic, the file name, a counterpart)."""
    confidence: float
    """0..1: how far the source is trusted."""
    department_kind: str | None
    """Kind of organ: 民政, 卫健, 政府, 政府办 … (None when unknown)."""
    place: str | None
    """Place of the issuer, province → city → county (重庆市荣昌区), None when the text does not say."""
    level: str | None
    """国家, 省, 市, 县 or 乡镇; None when unknown."""
    kind: str | None
    """Kind of document: 规划, 工作要点, 工作总结, 实施方案, 通知, 提案答复, 政府信息公开年报, 工作动态, 法律法规 …"""
    year: int | None
    """Year of the document (title, 发文字号 or date line), None when not written."""
    drafted_by: str | None = None
    """For a notice that issues (印发/转发) another document: the department that drafted it, when shown."""
    charged: tuple[str, ...] = ()
    """For a law or regulation: the departments it charges (…部门负责…)."""
    url: str | None = None
    """Where the document was published, when a manifest says so."""


@dataclass(frozen=True)
class _Candidate:
    name: str
    kind: str
    place: str
    score: float
    index: int  # index into the lines, -1 for the file name
    source: str


@dataclass
class _Facts:
    """What the lines tell besides issuer candidates."""

    doc_number: tuple[str, str, int, int] | None = None  # (organ kind, place abbreviation, year, line index)
    drafted_by: str | None = None
    self_units: list[tuple[str, int]] = field(default_factory=list)  # 我局 → ("局", line index)
    self_kind: tuple[str, int] | None = None  # 我民政工作 → ("民政", line index)
    self_place: tuple[str, int] | None = None  # 我镇 → ("镇", line index)
    proposal_place: str | None = None  # 政协XX县第N届 → XX县


_TIME_LEAD = re.compile(r"^(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:上午|下午|晚上)?$|^(?:近日|近期|日前|目前|"
                        r"今年以来|年初以来|入冬以来|入夏以来|近年来|今年|为此|同时|此外|下一步|随后|会上|会后)$")
_ROLE_AFTER = re.compile(r"^(?:党组|党委|机关)?(?:书记|副书记|主任|副主任|局长|副局长|厅长|副厅长|部长|副部长|主席|"
                         r"副主席|理事长|副理事长|负责同志|负责人|成员|领导|干部|工作人员|相关负责|有关负责|主要负责|"
                         r"党组成员|的|和|与|、)")
_CLAUSE = re.compile(r"[，,。；;：:！!？?（(“”\"]")
_SELF = re.compile(r"(?:我|本)(局|委|办|厅|部|会|院|中心|部门|单位)(?![\u4e00-\u9fff]{0,1}员)")
_SELF_FIELD = re.compile(r"我(民政|卫健|卫生健康|人社|教育|应急|司法|农业农村|生态环境|退役军人事务|文旅|住建|残联|"
                         r"妇联|"
                         r"团委)(?:工作|系统|部门)")
_SELF_PLACE = re.compile(r"(?:我|本)(镇|乡|街道|县|区|市|州|省)(?![\u4e00-\u9fff]{0,1}(?:委|政府|人民|民政|直|属))")
_DATE = re.compile(r"^\s*(?:(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{3,5}|"
                   r"(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2})\s*$")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_HEADING_FILE = re.compile(r"^(.{2,30}?)\s*文\s*件$")
_PLACE_ABOUT = re.compile(rf"^({PLACE_CHAIN.pattern})(?:关于|印发)")
_PLACED_ORGAN = re.compile(rf"^({PLACE_CHAIN.pattern})[\u4e00-\u9fff]{{2,10}}?(?:局|委员会|办公室)"
                           r"(?=关于|开展|召开|举办|组织|推进|印发|\d{4}年)")
_PROPOSAL = re.compile(rf"政协({PLACE_CHAIN.pattern})第[一二三四五六七八九十\d]+届")
_DRAFTED = re.compile(r"(?:编制单位|起草单位|编制部门|起草部门)\s*[:：]\s*(\S{4,40})")
_RUN_IN_TITLE = re.compile(r"^(?:\d{1,2}[、.])?(.{6,60}?(?:规划纲要|纲要|规划|工作要点|要点|实施方案|方案|实施意见|"
                           r"意见|工作总结|总结|工作计划|计划|报告))(?=根据|为|是|，|,|。|编制|目\s*录)")
_SHARED_FILE = re.compile(r"^《(.{4,80}?)\.(?:docx?|pdf|txt|wps)》")
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff》])[ \t　]+(?=[\u4e00-\u9fff](?:[ \t　]|$))")

# document kinds by the words a title ends with or holds, most specific first
_DOC_KINDS: tuple[tuple[str, str], ...] = (
    ("政府信息公开工作年度报告", "政府信息公开年报"), ("政府信息公开年度报告", "政府信息公开年报"),
    ("政府工作报告", "政府工作报告"), ("提案的答复", "提案答复"), ("提案答复", "提案答复"),
    ("建议的答复", "建议答复"), ("绩效", "绩效报告"), ("政策解读", "政策解读"), ("应急预案", "应急预案"),
    ("规划纲要", "规划"), ("规划", "规划"), ("纲要", "规划"), ("工作要点", "工作要点"), ("要点", "工作要点"),
    ("工作总结", "工作总结"), ("总结", "工作总结"), ("工作计划", "工作计划"), ("实施方案", "实施方案"),
    ("方案", "实施方案"), ("实施意见", "意见"), ("指导意见", "意见"), ("意见", "意见"), ("公示", "公示"),
    ("办法", "办法"), ("通知", "通知"), ("报告", "报告"), ("统计公报", "统计公报"),
    ("公报", "公报"), ("机构介绍", "机构介绍"), ("机构简介", "机构介绍"), ("中心简介", "机构介绍"),
    ("协会简介", "机构介绍"), ("基金会简介", "机构介绍"),
)
ORGANIZATION_TEXT = "机构介绍"
"""The kind of an organization's own introduction: no plan, and left out of scan and match (orgs import reads it)."""
_TRAILING_DATE = re.compile(r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日$")
_CONTRIBUTED = re.compile(r"(?:供稿|供图|撰稿|报送)$")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d年度?")
_HEAD = 14
"""Non-empty lines read from the top: title, 文头, notice, signature and the first paragraphs are there."""
_SEARCHED = 240
"""Characters of a line searched for organs: subjects and self-references open their paragraph."""
_PLANS = frozenset({"规划", "工作要点", "实施方案", "意见", "工作计划", "应急预案"})
_ADDRESSEES = re.compile(r"^各.{2,80}[:：]$")
_NOT_TITLE = re.compile(r"^图[为片]|链接|[:：]$")
_HEADLINE = re.compile(r"^[^。；;：:!！?？]{6,40}$")
_ISSUES = re.compile(r"^关于(?:印发|转发).{4,60}的通\s*知$")
_UPPER_TO_US = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}?)我([市县区州])")
_LAW = re.compile(r"(?:法|条例)(?:[（(].{1,12}[)）])?$")


def _clean_line(line: str) -> str:
    line = line.strip()
    return _SPACED.sub("", line) if " " in line or "\t" in line or "　" in line else line


def _find_title(lines: list[str], metadata_title: str | None) -> tuple[str | None, int]:
    """(clean title, index of its first line or -1)."""
    if metadata_title:
        candidate = re.split(r"_|\s[-|–]\s|\|", metadata_title.strip())[0].strip()
        if titles.looks_like_title(candidate):
            for i, line in enumerate(lines[:40]):
                if candidate in line:
                    return titles.clean_title(candidate), i
            return titles.clean_title(candidate), -1
    seen = 0
    for i, raw in enumerate(lines):
        line = _clean_line(raw)
        if not line:
            continue
        seen += 1
        if seen > 12:
            break
        shared = _SHARED_FILE.match(line)
        if shared:
            return titles.clean_title(shared.group(1)), i
        if seen <= 3 and _ISSUES.match(line):
            return titles.clean_title(line), i
        if titles.looks_like_title(line) and not _NOT_TITLE.search(line):
            return titles.clean_title(line), i
        nxt = next(((j, _clean_line(x)) for j, x in enumerate(lines[i + 1:i + 3], start=i + 1) if x.strip()),
                   None)
        organ_then_title = bool(nxt and re.match(r"^(?:(?:19|20)\d\d年|关于)", nxt[1]) and _lone_organ(line))
        if (nxt and len(line) <= 40 and not re.search(r"[。，,；;：:]", line + nxt[1])
                and titles.looks_like_title(line + nxt[1])
                and (organ_then_title or not titles.looks_like_title(nxt[1]))
                and not titles.numbered(line) and not _DATE.match(line)):
            return titles.clean_title(line + nxt[1]), i
        run_in = _RUN_IN_TITLE.match(line) if len(line) > 60 else None
        if run_in:
            return titles.clean_title(run_in.group(1)), i
    return None, -1


def _doc_kind(title: str | None, text_head: str) -> str | None:
    if title:
        if _LAW.search(title) and "办法" not in title:
            return "法律法规"
        # the kind word nearest the end names the document (…(征求意见稿)意见的公示 is a 公示)
        found = [(title.rfind(words) + len(words), len(words), kind) for words, kind in _DOC_KINDS if words in title]
        if found:
            return max(found)[2]
    if "提案" in text_head[:200] and "答复" in text_head[:400]:
        return "提案答复"
    return None


def _is_subject(line: str, organ: Organ) -> bool:
    """True when the organ opens a clause (after at most a time phrase) and is not followed by a post title."""
    head = line[:organ.start]
    cut = max((m.end() for m in _CLAUSE.finditer(head)), default=0)
    lead = head[cut:].strip()
    if lead and not _TIME_LEAD.match(lead):
        return False
    return not _ROLE_AFTER.match(line[organ.end:])


def _lone_organ(line: str, found: list[Organ] | None = None) -> Organ | None:
    """The organ a line consists of (a signature or a 文头), else None; `found`: the organs of `line`."""
    if len(line) > 50 or found == []:
        return None
    text = _TRAILING_DATE.sub("", re.sub(r"[\s　]+", "", line)).strip("()（）")
    text = _CONTRIBUTED.sub("", text)
    if not text or len(text) > 40:
        return None
    if found is None or text != line:
        found = find_organs(text)
    if len(found) >= 1 and found[0].start == 0 and found[-1].end == len(text):
        return found[-1] if len(found) == 1 or found[-1].kind in ("政府办",) else found[0]
    return None


def _first_nonempty(lines: list[str], order: range, n: int) -> list[int]:
    """Indices of the first `n` non-empty lines in `order`."""
    out: list[int] = []
    for i in order:
        if lines[i].strip():
            out.append(i)
            if len(out) == n:
                break
    return out


def _candidates(lines: list[str], title: str | None, title_at: int) -> tuple[list[_Candidate], _Facts]:
    """Every issuer candidate with its score, and side facts (doc number, drafted_by, self place)."""
    out: list[_Candidate] = []
    facts = _Facts()
    head = _first_nonempty(lines, range(len(lines)), _HEAD + 3)
    last = _first_nonempty(lines, range(len(lines) - 1, -1, -1), 8)[::-1]
    nonempty = sorted(set(head) | set(last))  # the lines read, in order
    tail = last if len(set(head) | set(last)) > _HEAD + 3 else last[-6:]
    head = head[:_HEAD]

    def add(organ: Organ, score: float, index: int, source: str) -> None:
        out.append(_Candidate(organ.name, organ.kind, organ.place, score, index, source))

    # title line: issuer before 关于/印发, an organ opening a news title, or after a dash
    if title_at >= 0:
        line = _clean_line(lines[title_at])
        if title_at + 1 < len(lines) and title and title not in line:
            line += _clean_line(lines[title_at + 1])
        line = _LEADING_YEAR.sub("", line.strip("《》“”【】[] "))
        organs = find_organs(line)
        if organs and organs[0].start == 0:
            first = organs[0]
            joint = [first]
            for organ in organs[1:]:  # joint issuers: 中共中央 国务院关于…
                if line[joint[-1].end:organ.start].strip(" 　、") == "":
                    joint.append(organ)
            if len(joint) > 1:
                first = Organ(" ".join(o.name for o in joint), first.kind, first.place, 0, joint[-1].end,
                              line[:joint[-1].end])
            rest = line[first.end:].lstrip()
            if rest.startswith(("关于", "印发", "转发")) or re.match(r"^\d{4}年", rest) or (
                    first.kind not in ("政府",) or rest[:2] not in ("工作",)):
                add(first, _TRUST[Source.TITLE], title_at, Source.TITLE)
        elif (generic := _PLACED_ORGAN.match(line[:60])) and valid_place(generic.group(1)):
            # an organ outside the catalogue opening the title: 某某经济技术开发区社会发展局开展…
            out.append(_Candidate(generic.group(0), "", generic.group(1), _TRUST[Source.TITLE] - 5, title_at,
                                  Source.TITLE))
        if not (organs and organs[0].start == 0):
            about = _PLACE_ABOUT.match(line[:60])
            if about and valid_place(about.group(1)):
                place = about.group(1)
                out.append(_Candidate(place + "人民政府", "政府", place, _TRUST[Source.TITLE] - 3, title_at,
                                      Source.TITLE))
            for organ in organs:
                if line[max(0, organ.start - 2):organ.start] in ("——", "--", "—") or line[
                        max(0, organ.start - 1):organ.start] in ("—", "-"):
                    add(organ, _TRUST[Source.TITLE] - 10, title_at, Source.TITLE)
        proposal = _PROPOSAL.search(line)
        if proposal:
            facts.proposal_place = proposal.group(1)

    first_lone: int | None = None
    mentions: list[tuple[Organ, int]] = []
    for n, i in enumerate(dict.fromkeys(head + tail)):
        line = lines[i]
        stripped = _clean_line(line)
        m = _HEADING_FILE.match(stripped) if stripped.endswith("件") else None
        if m:
            organs = find_organs(m.group(1))
            if organs:
                add(organs[0], _TRUST[Source.HEADING], i, Source.HEADING)
        line_organs = find_organs(stripped[:_SEARCHED])
        lone = _lone_organ(stripped, line_organs)
        if lone is not None:
            later = [j for j in nonempty if j > i][:3]
            dated = bool(_TRAILING_DATE.search(re.sub(r"[\s　]+", "", stripped))) or any(
                _DATE.match(_clean_line(lines[j])) for j in later)
            nxt = _clean_line(lines[later[0]]) if later else ""
            if first_lone is None or i in tail:
                if dated or nxt.startswith(("关于", "印发")) or i in tail:
                    add(lone, _TRUST[Source.SIGNATURE], i, Source.SIGNATURE)
                    first_lone = i if first_lone is None else first_lone
            elif title and any(t for t in out if t.source == Source.SIGNATURE and t.name != lone.name):
                facts.drafted_by = facts.drafted_by or lone.name
        drafted = _DRAFTED.search(stripped) if "单位" in stripped or "部门" in stripped else None
        if drafted:
            organs = find_organs(drafted.group(1))
            facts.drafted_by = facts.drafted_by or (organs[0].name if organs else drafted.group(1))
        if facts.doc_number is None and n < 30 and len(stripped) <= 30:
            number = doc_number_kind(stripped.strip("()（） "))
            if number:
                facts.doc_number = (*number, i)
        header = titles.header_value(lines, i) if "：" in line or ":" in line else None
        if header:
            organs = find_organs(header[1])
            if organs:
                # 发布机构/发文机关 is the publisher's own label of the issuer: it outranks what the text implies
                trust = _TRUST[Source.HEADING] + 2 if titles.publisher_field(header[0]) else _TRUST[Source.HEADER]
                add(organs[0], trust, i, Source.HEADER)
        if (i in tail and i not in head) or (stripped.startswith("各") and _ADDRESSEES.match(stripped)):
            continue
        for organ in line_organs:
            if not _is_subject(stripped, organ) or i == title_at:
                continue
            upper = _UPPER_TO_US.match(stripped[organ.end:])
            if upper and organ.place in ("省", "市") and upper.group(1) != organ.place:
                # 省住建厅下达我市…: the text is the counterpart's, one level down (a guess)
                level = {"市": "市", "州": "市", "县": "县", "区": "县"}[upper.group(1)]
                name = level_name(organ.kind, level)
                if name:
                    out.append(_Candidate(upper.group(1) + name, organ.kind, upper.group(1),
                                          _TRUST[Source.TOPIC], i, Source.BODY))
                continue
            add(organ, _TRUST[Source.BODY], i, Source.BODY)
        own_unit = _SELF.search(stripped) if "我" in stripped or "本" in stripped else None
        if own_unit:
            facts.self_units.append((own_unit.group(1), i))
        mentions.extend((organ, i) for organ in line_organs if not _ROLE_AFTER.match(stripped[organ.end:]))
        field = _SELF_FIELD.search(stripped) if own_unit or "我" in stripped else None
        if field:
            kinds = find_organs(field.group(1) + "局") or find_organs(field.group(1))
            if kinds:
                facts.self_kind = facts.self_kind or (kinds[0].kind, i)
        own = _SELF_PLACE.search(stripped) if field or "我" in stripped or "本" in stripped else None
        if own:
            facts.self_place = facts.self_place or (own.group(1), i)
        speaker = titles.speaker(stripped, title) if "代表" in stripped else None
        if speaker:
            out.append(_Candidate(speaker, "政府", titles.split_place(speaker)[0] or "", _TRUST[Source.REPORT], i,
                                  Source.REPORT))
    # 我局 … 请向某市农业农村局反映: the organs of the unit a text calls its own
    for unit, _at in facts.self_units:
        for organ, i in mentions:
            if organ.name.endswith(unit) or (unit == "委" and organ.name.endswith("委员会")):
                add(organ, _TRUST[Source.SELF] - 10, i, Source.SELF)
    return out, facts


def _qualify(name: str, place: str, candidates: list[_Candidate], doc_place: str | None) -> tuple[str, str]:
    """(full name, place) of an organ written with a bare level (市人社局, 地区民政局)."""
    if place not in ("", "市", "县", "区", "州", "旗", "省", "地区", "镇", "乡", "自治州"):
        return name, place
    core = name[len(place):]
    for c in candidates:
        if c.name.endswith(core) and c.place and c.place not in ("市", "县", "区", "省", "地区", "镇", "乡", "州") \
                and (not place or c.place.endswith(place)):
            return c.name, c.place
    if doc_place and place and doc_place.endswith(place) and not doc_place.endswith(("社区", "小区")):
        return doc_place + core, doc_place
    return name, place


def extract(lines: list[str], path: str, metadata_title: str | None = None,
            numbers: tuple[int, ...] | list[int] | None = None) -> Metadata:
    """Title, issuer (with evidence), place, level, kind and year of a document's lines."""
    numbers = list(numbers) if numbers is not None else list(range(1, len(lines) + 1))
    title, title_at = _find_title(lines, metadata_title)
    head_text = "".join(lines[:30])
    kind = _doc_kind(title, head_text)
    if title is None:
        # a news page opens with its headline: 市人社局开展…活动; an organization's introduction with its name
        first = next((i for i, ln in enumerate(lines[:6]) if ln.strip()), None)
        headline = _clean_line(lines[first]) if first is not None else ""
        if _doc_kind(headline, "") == ORGANIZATION_TEXT:
            title, title_at, kind = headline, first, ORGANIZATION_TEXT  # type: ignore[assignment]
        elif _HEADLINE.match(headline) and not titles.numbered(headline) and not _DATE.match(headline):
            title, title_at, kind = headline, first, "工作动态"  # type: ignore[assignment]
    candidates, facts = _candidates(lines, title, title_at)
    if kind != "工作动态" and title and any(
            c.source == Source.TITLE and c.index == title_at and title.startswith(c.name)
            and re.match(r"[^关印转\d]", title[len(c.name):] or "关") for c in candidates):
        kind = "工作动态" if not title.endswith(("规划", "纲要", "意见", "报告", "总结", "要点", "方案")) else kind
    title_place = (leading_place(title) or titles.split_place(title)[0]) if title else None
    if title_place and not valid_place(title_place) and title_place not in ("中华人民共和国", "全国", "国家"):
        title_place = None

    self_units = {u for u, _ in facts.self_units}
    # a self-reference (我局) confirms the organs of its kind; a report's own organ (我民政工作) names one
    scored: list[_Candidate] = []
    subjects = Counter(c.name for c in candidates if c.source == Source.BODY)
    sources: dict[str, set[str]] = {}
    for c in candidates:
        sources.setdefault(c.kind, set()).add(c.source)
    for c in candidates:
        bonus = 0.0
        if self_units and any(c.name.endswith(u) or (u == "委" and "委员会" in c.name) for u in self_units):
            bonus += 8
        bonus += 3 * (len(sources[c.kind]) - 1)
        if c.source == Source.BODY:
            bonus += min(4, subjects[c.name] - 1)  # the organ the text keeps returning to
            if kind in _PLANS and not self_units:
                # a plan assigns tasks to departments (县民政局要…): those are not its issuer
                bonus -= _TRUST[Source.BODY] - _TRUST[Source.TOPIC] + 5
        scored.append(_Candidate(c.name, c.kind, c.place, c.score + bonus, c.index, c.source))

    doc_number = facts.doc_number
    place_hint = title_place or facts.proposal_place
    if doc_number:
        nkind, _, _year_no, at = doc_number
        match = [c for c in scored if c.kind == nkind]
        if not match:
            level = level_of(place_hint) if place_hint else None
            name = level_name(nkind, level or "县")
            if place_hint and name:
                scored.append(_Candidate(place_hint + name, nkind, place_hint, _TRUST[Source.DOC_NUMBER], at,
                                         Source.DOC_NUMBER))
    self_kind = facts.self_kind
    if self_kind and not any(c.kind == self_kind[0] for c in scored):
        place = place_hint or ""
        level = level_of(place) if place else None
        name = level_name(self_kind[0], level or "县")
        scored.append(_Candidate(f"{place}{name}", self_kind[0], place, _TRUST[Source.SELF], self_kind[1],
                                 Source.SELF))
    self_place = facts.self_place
    if self_place and title_place and title_place.endswith(self_place[0]) and not [
            c for c in scored if c.score >= _TRUST[Source.BODY]]:
        scored.append(_Candidate(title_place + "人民政府", "政府", title_place, _TRUST[Source.SELF] - 5,
                                 self_place[1], Source.SELF))

    law = bool(title and _LAW.search(title) and "办法" not in title)
    if title and not law and kind != "工作动态" and not any(c.score >= _TRUST[Source.NOTICE] for c in scored):
        topic = titles.department_from_text(title)
        if topic:
            scored.append(_Candidate(topic, "", title_place or "", _TRUST[Source.TOPIC], title_at, Source.TOPIC))
        else:
            notice = titles.notice_department(lines)
            if notice:
                scored.append(_Candidate(notice[0], "", "", _TRUST[Source.NOTICE], notice[1], Source.NOTICE))
            elif titles.national_plan(title, head_text):
                topic = titles.department_from_text("中华人民共和国" + title)
                if topic:
                    scored.append(_Candidate(topic, "", "中华人民共和国", _TRUST[Source.TOPIC] - 5, title_at,
                                             Source.TOPIC))
    if not scored:
        stem = Path(path).stem
        dept = titles.department_from_text(stem) or titles.organ_in_name(stem)
        if dept:
            scored.append(_Candidate(dept, "", titles.split_place(dept)[0] or "", _TRUST[Source.FILENAME], -1,
                                     Source.FILENAME))
            title = title or stem

    best = max(scored, key=lambda c: (c.score, -c.index)) if scored else None
    charged = titles.charged_departments(lines) if law else ()
    year = _year(title, doc_number, lines, nonempty_tail=[ln for ln in lines[-12:] if ln.strip()])
    if best is None:
        return Metadata(title, None, None, None, None, False, 0.0, None, title_place, level_of(title_place), kind, year,
                        facts.drafted_by, charged)
    doc_place = title_place or facts.proposal_place
    name, place = _qualify(best.name, best.place, scored, doc_place)
    team = re.match(r"^团([省市县区旗州])委$", name)
    if team:  # 团县委: the level is in the name, the place is not
        place = team.group(1)
    elif not place:
        place = leading_place(name) or ""
    level = level_of(place) if place else None
    if not place and name.startswith(("国务院", "中共中央", "全国", "国家", "中华")):
        level = "国家"
    if place in ("省", "市", "县", "区", "镇", "乡", "地区", "州"):
        level = {"区": "县", "镇": "乡镇", "乡": "乡镇", "地区": "市", "州": "市"}.get(place, place)
        place = ""
    if place in PROVINCE_CITIES or place.startswith("中华人民共和国"):
        level = level or "省"
    drafted = facts.drafted_by
    drafted = drafted if drafted and drafted != name else None
    if best.index >= 0:
        line_no, evidence = numbers[best.index], lines[best.index].strip()
    else:
        line_no, evidence = None, Path(path).name
    kind_name = best.kind or _kind_of(name)
    return Metadata(title, name, best.source, line_no, evidence, best.score < GUESS_BELOW,
                    round(min(best.score, 100) / 100, 2), kind_name, place or None, level, kind, year,
                    drafted, charged)  # type: ignore[arg-type]


def _kind_of(name: str) -> str | None:
    from painpoint.plans.organs import kind_of

    return kind_of(name)


def _year(title: str | None, doc_number: object, lines: list[str], nonempty_tail: list[str]) -> int | None:
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m.group(1))
    if doc_number:
        return int(doc_number[2])  # type: ignore[index]
    for line in nonempty_tail:
        m = _YEAR.search(line) if _DATE.match(line.strip()) or len(line.strip()) <= 14 else None
        if m:
            return int(m.group(1))
    for line in lines[:12]:
        m = _YEAR.search(line)
        if m:
            return int(m.group(1))
    return None


@dataclass(frozen=True)
class Identity:
    """Who issued a plan and what it is called."""

    title: str | None
    """Title of the plan, without quotes; None when nothing looks like a title."""
    department: str | None
    """Full department name such as 长汀县民政局; None when it cannot be told (never invented)."""
    source: str | None
    """Where the department came from: title, header, notice, report or filename."""


def identify(lines: list[str], path: str, metadata_title: str | None = None, *, head: int = 40) -> Identity:
    """Title and issuing department of a document (see `extract` for the evidence)."""
    meta = extract(lines, path, metadata_title)
    return Identity(meta.title, meta.department, meta.department_source)

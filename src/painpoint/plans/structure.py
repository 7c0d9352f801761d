"""Parse a Document into a Plan: sentences that know their section path, units, targets and priority."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from painpoint.model import Document
from painpoint.plans.metadata import Metadata, extract
from painpoint.text import resources
from painpoint.text.traditional import to_simplified
from painpoint.text.trie import trie_pattern

_CN_NUM = "一二三四五六七八九十百零〇两"
# (pattern, level): 第X篇 > 第X章 > 第X节 > 一、 > （一） > 1. > 【重点任务N】/(1)
_HEADINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^第[{_CN_NUM}\d]+篇"), 1),
    (re.compile(rf"^第[{_CN_NUM}\d]+章"), 2),
    (re.compile(rf"^第[{_CN_NUM}\d]+节"), 3),
    (re.compile(rf"^[{_CN_NUM}]+[、.．]"), 4),
    (re.compile(rf"^[（(][{_CN_NUM}]+[）)]"), 5),
    (re.compile(r"^\d{1,2}[.．、](?!\d)"), 6),
    (re.compile(r"^【[^】]{0,12}(?:\d|[一二三四五六七八九十]|任务|工程|行动|专栏)[^】]{0,8}】"), 6),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 7),
    (re.compile(r"^专栏\s*\d*"), 7),
)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_UNITS = re.compile(r"(牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|参与单位)\s*[:：]\s*(.+)")
_UNIT_CLAUSE = re.compile(r"(牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|参与单位)\s*[:：]\s*"
                          r"([^；;（）()【】]+)")
_UNIT_SPLIT = re.compile(r"[、，,；;\s]+")
_TARGET_CUE = re.compile(r"(到|至)\s*20\d\d\s*年|力争|确保|达到|提高到|提升到|增加到|增长到|降低到|下降到|"
                         r"控制在|不低于|不少于|不超过|新建|新增|建成|创建|培育|完成|实现|覆盖率|占比|以上|以内")
# achievements and status reports (已达, 累计, 同比) describe the past, not a target
_PAST_CUE = re.compile(r"已达|已经|已有|累计|同比|比上年|较上年|过去|去年|上年度|十三五(?:期间|以来|时期)|以来")
_TARGET_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|‰|元|万元|亿元|个|人|张|所|家|户|万人|岁|平方米|公里|"
                            r"小时|天|分钟|次|名|支|处|座|项|床|吨|公顷|亩)")
_FURNITURE = re.compile(r"浏览量|访问次数|索引号|打印|字体|关闭窗口|当前位置|分享到|扫一扫|发布时间|发布日期|"
                        r"【字体|上一篇|下一篇|返回顶部|网站地图|版权所有|ICP备")
_BOILERPLATE = re.compile(r"习近平新时代中国特色社会主义思想|深入贯彻|决策部署|重要讲话|重要指示|党中央、国务院|"
                          r"不忘初心|两个维护|两个确立|四个意识|四个自信")
_MAX_HEADING = 40
_INLINE_HEADING = re.compile(rf"第[{_CN_NUM}\d]{{1,3}}[篇章节]")
_MARKDOWN = re.compile(r"^(?:#{1,6}\s+|[-*+]\s+|>\s*)")


class SentenceKind(StrEnum):
    """Where a sentence sits in the plan; decides how much its words count."""

    TITLE = "title"
    HEADING = "heading"
    BODY = "body"
    FURNITURE = "furniture"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or heading) of a plan."""

    line: int
    """1-based line in the original file."""
    text: str
    """The sentence text, normalised."""
    kind: SentenceKind
    """Title, heading, body text or page furniture."""
    section: tuple[str, ...]
    """Headings above this sentence, outermost first."""
    level: int
    """Heading level (1 = 篇 … 7 = (1)) for headings, else the depth of the section it is in."""
    intensity: float
    """Priority factor from intensity words (重点, 着力, 短板 …); 1.0 when none."""
    boilerplate: bool
    """True for formulaic political language that carries no pain point."""
    units: tuple[str, ...] = ()
    """Responsible units (牵头/责任/配合单位) annotated after this task."""
    original: str | None = None
    """The sentence as written when `text` is its Simplified conversion (Traditional input), else None.

    Same length as `text`, so an offset into one is the same offset into the other."""


@dataclass(frozen=True, slots=True)
class Target:
    """A quantified target the plan sets (到2025年…达到55%)."""

    line: int
    """1-based line in the original file."""
    text: str
    """The sentence that states it."""
    year: int | None
    """Target year when stated."""
    values: tuple[str, ...]
    """The quantities in the sentence, e.g. ('55%', '620元')."""


@dataclass(frozen=True)
class Plan:
    """A parsed planning document."""

    document: Document
    """The document as read."""
    title: str | None
    """Title of the plan, or None."""
    department: str | None
    """Issuing/owning department (full name), or None when it cannot be told."""
    department_source: str | None
    """How the department was found: title, header, notice, report or filename."""
    sentences: tuple[Sentence, ...]
    """All sentences in reading order."""
    targets: tuple[Target, ...]
    """Quantified targets."""
    responsible_units: tuple[str, ...]
    """Every unit named as 牵头/责任/配合单位, in first-seen order."""
    metadata: Metadata | None = None
    """Who issued it and what it is, with evidence (department, place, level, kind, year, title)."""

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def label(self) -> str:
        """Name to show: the department, else the title, else the file name."""
        return self.department or self.title or Path(self.document.path).name


def heading_level(line: str) -> int | None:
    """Heading level of a line that starts with a heading marker, else None."""
    for pattern, level in _HEADINGS:
        if pattern.match(line):
            return level
    return None


def _split_heading(line: str) -> tuple[str, str]:
    """(heading, body) of a line such as '1.应急管理机制逐步优化。“十三五”以来…'.

    A long numbered line with no full stop early on is a list item, not a title: its first clause names the
    section and the whole line stays a sentence.
    """
    cut = re.search(r"[。：:]", line)
    if cut and cut.start() <= _MAX_HEADING:
        return line[:cut.start()], line[cut.end():].strip()
    if len(line) <= _MAX_HEADING + 10:
        return line, ""
    clause = re.search(r"[，,；;]", line)
    head = line[:clause.start()] if clause and clause.start() <= _MAX_HEADING else line[:_MAX_HEADING] + "…"
    return head, line


def _intensity(text: str) -> float:
    """The largest weight of the intensity words in `text`, at least 1.0."""
    weights, any_word, heaviest_at = _intensity_patterns()
    if not any_word.search(text):  # most sentences have none
        return 1.0
    return max(1.0, max(weights[m.group(1)] for m in heaviest_at.finditer(text)))


@cache
def _intensity_patterns() -> tuple[dict[str, float], re.Pattern[str], re.Pattern[str]]:
    """(weights, any word, the heaviest word starting at each position): one regex scan, not 59 searches.

    The second pattern tries the words heaviest first at every position, so the heaviest word present is
    always among its matches.
    """
    weights = resources.intensity_words()
    heaviest_first = sorted(weights, key=lambda w: (-weights[w], w))
    return (weights, re.compile(trie_pattern(weights) or "(?!)"),
            re.compile("(?=(" + "|".join(map(re.escape, heaviest_first)) + "))"))


def _target(line: int, text: str) -> Target | None:
    if not _TARGET_CUE.search(text):
        return None
    future = re.search(r"(?:到|至)\s*20\d\d\s*年|力争|确保", text)
    if _PAST_CUE.search(text) and not future:
        return None
    values = tuple(m.group(0).replace(" ", "") for m in _TARGET_NUMBER.finditer(text))
    if not values:
        return None
    year = re.search(r"(?:到|至|截至)\s*(20\d\d)\s*年", text)
    return Target(line, text, int(year.group(1)) if year else None, values)


def _units(text: str) -> tuple[str, ...]:
    """Units named in every 牵头/责任/配合单位 clause of an annotation."""
    found: dict[str, None] = {}
    for m in _UNIT_CLAUSE.finditer(text):
        for unit in _UNIT_SPLIT.split(m.group(2)):
            unit = unit.strip("。.）)】] ")
            if len(unit) >= 2:
                found.setdefault(unit, None)
    return tuple(found)


def _as_written(text: str, written: tuple[str, str]) -> str | None:
    """The part of the line as written that `text` (a piece of its Simplified conversion) came from."""
    converted, original = written
    body = text[:-1] if text.endswith("…") else text  # a long heading cut short by _split_heading
    at = converted.find(body)
    if at < 0:
        return None
    return original[at:at + len(body)] + text[len(body):]


def parse_plan(document: Document) -> Plan:
    """Structure of a document: sections, sentences, targets, responsible units, title and department."""
    lines = list(document.lines)
    if document.format == "md":
        lines = [_MARKDOWN.sub("", ln).replace("**", "").strip() for ln in lines]
    # Traditional lines are analysed in Simplified (the lexicon, taxonomy and patterns are Simplified);
    # `written` maps a converted line back to the line as written, for evidence.
    lines = [to_simplified(ln) for ln in lines]
    ident = extract(lines, document.path, to_simplified(document.title) if document.title else None,
                    document.line_numbers)
    sentences: list[Sentence] = []
    targets: list[Target] = []
    all_units: dict[str, None] = {}
    stack: list[tuple[int, str]] = []
    title_done = False
    section_start = 0  # index in `sentences` where the current lowest section began

    section: tuple[str, ...] = ()  # the headings on `stack`, kept as one tuple that its sentences share

    def add(text: str, line: int, kind: SentenceKind, level: int) -> None:
        sentences.append(Sentence(
            line=line, text=text, kind=kind, section=section, level=level,
            intensity=_intensity(text), boilerplate=bool(_BOILERPLATE.search(text)),
            original=_as_written(text, written) if written else None))

    def attach(units: tuple[str, ...]) -> None:
        for unit in units:
            all_units.setdefault(unit, None)
        # the annotation follows its tasks: give it to the section's sentences that have no units yet
        for i in range(len(sentences) - 1, section_start - 1, -1):
            s = sentences[i]
            if s.kind is not SentenceKind.BODY or s.units:
                break
            sentences[i] = Sentence(s.line, s.text, s.kind, s.section, s.level, s.intensity,
                                    s.boilerplate, units, original=s.original)

    def consume(text: str, line: int) -> None:
        nonlocal section_start, section
        m = _UNITS.search(text)
        if m:
            before = text[:m.start()].rstrip("（(【[ ")
            if before:
                consume(before, line)
            attach(_units(text[m.start():]))
            return
        level = heading_level(text)
        if level is not None:
            heading, text = _split_heading(text)
            while stack and stack[-1][0] >= level:
                stack.pop()
            section = tuple(h for _, h in stack)
            add(heading, line, SentenceKind.HEADING, level)
            stack.append((level, heading))
            section = (*section, heading)
            section_start = len(sentences)
        for piece in _SENTENCE_END.split(text):
            piece = piece.strip()
            if len(piece) < 2:
                continue
            add(piece, line, SentenceKind.BODY, len(stack))
            target = _target(line, piece)
            if target:
                targets.append(target)

    written: tuple[str, str] | None = None  # (simplified, as written) of the line being read, when they differ

    def visit(text: str, line: int) -> None:
        nonlocal title_done, written
        if not text:
            return
        analysed = to_simplified(text)
        written = (analysed, text) if analysed != text else None
        text = analysed
        if not title_done and ident.title and text.strip("《》 ").endswith(ident.title):
            add(text, line, SentenceKind.TITLE, 0)
            title_done = True
        elif len(text) < 80 and _FURNITURE.search(text) or len(text) <= 3 and not heading_level(text):
            add(text, line, SentenceKind.FURNITURE, 0)
        else:
            consume(text, line)

    for raw, line in zip(document.lines, document.line_numbers, strict=True):
        if document.format == "md":
            raw = _MARKDOWN.sub("", raw).replace("**", "").strip()
        for text in _split_inline_headings(raw):
            visit(text, line)
    return Plan(document, ident.title, ident.department, ident.department_source, tuple(sentences),
                tuple(targets), tuple(all_units), ident)


def _split_inline_headings(line: str) -> list[str]:
    """Pieces of a line that runs several headings together, as tables of contents pasted from the web do
    ('目录第一章 …第一节 …第二节 …'); other lines come back whole."""
    marks = [m.start() for m in _INLINE_HEADING.finditer(line)]
    if len(marks) < 2:
        return [line]
    cuts = [0, *marks] if marks[0] > 0 else marks
    return [line[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True) if line[a:b].strip()]

"""Pain points of a plan: themes and key phrases ranked by how strongly the plan prioritises them."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from painpoint.model import Evidence
from painpoint.plans.department import office_of, split_place
from painpoint.plans.openness import NO_OPENNESS, Openness, plan_openness
from painpoint.plans.structure import Plan, Sentence, SentenceKind
from painpoint.text import resources
from painpoint.text.segmenter import Segmenter
from painpoint.themes.taxonomy import Taxonomy, Theme

# How much a mention counts, by where it stands. Headings name what a plan is organised around.
_KIND_WEIGHT = {SentenceKind.TITLE: 5.0, SentenceKind.BODY: 1.0, SentenceKind.FURNITURE: 0.0}
_HEADING_WEIGHT = {1: 3.0, 2: 3.0, 3: 2.5, 4: 2.5, 5: 2.0, 6: 1.6, 7: 1.3}
_BOILERPLATE_FACTOR = 0.3
_TARGET_FACTOR = 1.3
_TASK_FACTOR = 1.2          # a sentence with a responsible unit is an assigned task
_OWN_FIELD = 1.5          # a theme the plan's own department is first responsible for
_SHARED_FIELD = 1.2       # a theme it shares with others
_PHRASE_FACTOR = 0.5        # key phrases compete with themes at half weight: themes aggregate synonyms
_THIN_TEXT = 6.0            # below this much weighted theme mass, statutory duties inform the pain points
_STATUTORY_SCORE = 0.3
_EVIDENCE_CHARS = 160
_REVIEW_FACTOR = 0.35       # a review of past work (过去一年, “十三五”成效) says what was done, not what is needed
_UMBRELLA_FACTOR = 0.5      # the plan's own whole field (民政事业 in a 民政 plan) names everything: below its parts
_TIE_MARGIN = 0.02          # scores this close (relative) are reported as ties
_POOL_MIN_DEPARTMENTS = 4   # a plan whose leading themes belong to this many departments is comprehensive
_CHAPTER_WEIGHT = 4.0       # a law's chapter heading is one of what the law is about
_ARTICLE_SHARE = 1.0        # each article under it adds this much of its weight to the chapter
# headings of what was done, and of what comes next: the nearest one above a sentence says which it is
_REVIEW_HEADING = re.compile(r"回顾|过去[一二三四五]?年|成效|成就|成绩|总结|发展基础|发展现状|现状|"
                             r"取得.{0,4}进展|基础[与和]")
_PAST_OPENER = re.compile(r"^\s*(?:回首|回顾)?(?:过去(?:的)?[一二三四五两\d]*年|[一二三四五两\d]+年来|去年|上一年)")
_AHEAD_HEADING = re.compile(r"安排|任务|目标|举措|措施|重点|今后|下一步|展望|思路|要点|行动|工程|建议")
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]{1,5}(?![A-Za-z0-9])")
_ACRONYM_SPECIFICITY = 1.5  # an acronym in Chinese policy text names a specific programme or standard
_FILL_MASS = 1.0            # a short plan fills its slots with single mentions at least this specific
_LAW_TITLE = re.compile(r"(法|条例|规定)(（[^）]*）)?$")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十百零\d]+章\s*(.+)$")
_NOT_A_CHAPTER = re.compile(r"总则|附则|法律责任|罚则")
_PLACE_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{1,3}[省市县区镇乡州旗]$")
_HAN_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
# offices and document types name who writes a plan, not what it needs
_NOT_A_PHRASE = re.compile(r"(局|厅|部|委|办|政府|办公室|办事处|政协|委员会|规划|计划|方案|纲要|要点|报告|意见|通知|"
                           r"本法)$")


class PainPointSource(StrEnum):
    """Where a pain point comes from."""

    TEXT = "text"
    """Found in the plan's own text."""
    STATUTORY = "statutory"
    """Added from the department's statutory responsibilities because the text is thin."""


@dataclass(frozen=True)
class PainPoint:
    """Something a plan prioritises, with the plan's own words and evidence."""

    theme: str
    """Theme label from the taxonomy, or the key phrase itself."""
    score: float
    """0..1 priority within the document (1.0 = its top pain point)."""
    terms: tuple[str, ...]
    """The plan's words for it, most frequent first."""
    evidence: tuple[Evidence, ...]
    """1-3 sentences that show it, with their line numbers."""
    kind: str = "theme"
    """"theme" for a taxonomy theme, "phrase" for a key phrase outside the taxonomy."""
    source: PainPointSource = PainPointSource.TEXT
    """Text of the plan, or statutory responsibilities when the text is thin."""
    weight: float = 0.0
    """Share of the document's theme mass (sums to 1 over themes): how much of the plan is about it."""
    units: tuple[str, ...] = ()
    """Responsible units named on its evidence sentences."""
    departments: tuple[str, ...] = ()
    """Departments that usually own the theme (taxonomy)."""
    members: tuple[str, ...] = ()
    """Sibling themes pooled into this one (comprehensive plans: one department's area shown once)."""
    tie: str = ""
    """The themes whose scores are within 2% of this one's (this one included, joined by 、), in the order they are
    ranked: how typically social organizations deliver the work; empty when its score stands alone."""


@dataclass
class PlanSignals:
    """Raw, per-document mention mass of themes and phrases, before ranking against other plans."""

    plan: Plan
    theme_mass: dict[str, float] = field(default_factory=dict)
    theme_terms: dict[str, Counter[str]] = field(default_factory=dict)
    theme_sentences: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    phrase_mass: dict[str, float] = field(default_factory=dict)
    phrase_sentences: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    openness: Openness = NO_OPENNESS
    """How open the plan is to buying services (plans.openness), read once with the rest of its signals."""


def sentence_weight(s: Sentence, has_target: bool) -> float:
    """How much one mention in this sentence counts."""
    if s.kind is SentenceKind.HEADING:
        w = _HEADING_WEIGHT.get(s.level, 1.3)
    else:
        w = _KIND_WEIGHT[s.kind]
    if s.boilerplate:
        w *= _BOILERPLATE_FACTOR
    if has_target:
        w *= _TARGET_FACTOR
    if s.units:
        w *= _TASK_FACTOR
    if in_review(s):
        w *= _REVIEW_FACTOR
    return w * s.intensity


def in_review(s: Sentence) -> bool:
    """Whether a sentence stands in a review of past work: the nearest heading (itself, for a heading)
    that speaks of the past or of what comes next decides; a sentence that opens by looking back (过去一年,
    我们… / 五年来) reviews whatever its heading."""
    if s.kind is SentenceKind.BODY and _PAST_OPENER.match(s.text):
        return True
    headings = (*s.section, s.text) if s.kind is SentenceKind.HEADING else s.section
    return _review_path(headings)


def look_ahead(signals: PlanSignals) -> float:
    """How much of a plan's theme mass looks ahead, in [REVIEW_FACTOR, 1]: its weighted mass over what the mass
    would be if its reviews of past work counted fully (1 for a plan without reviews, REVIEW_FACTOR for a
    report that only looks back)."""
    sentences = signals.plan.sentences
    weighted = full = 0.0
    for hits in signals.theme_sentences.values():
        for w, index in hits:
            weighted += w
            full += w / _REVIEW_FACTOR if in_review(sentences[index]) else w
    return weighted / full if full else 1.0


@cache
def _review_path(headings: tuple[str, ...]) -> bool:
    for heading in reversed(headings):
        if _REVIEW_HEADING.search(heading):
            return True
        if _AHEAD_HEADING.search(heading):
            return False
    return False


def law_chapter(plan: Plan, s: Sentence) -> str | None:
    """The name of a law's or regulation's chapter (第三章 人身和人格权益 -> 人身和人格权益), except the
    chapters every law has (总则, 附则, 法律责任)."""
    if s.kind is not SentenceKind.HEADING or not _LAW_TITLE.search(plan.title or ""):
        return None
    m = _CHAPTER.match(s.text)
    if not m:
        return None
    name = re.sub(r"\s+", "", m.group(1))  # 总　　则 is 总则
    return name if 2 <= len(name) <= 16 and not _NOT_A_CHAPTER.search(name) else None


@cache
def _background_idf() -> tuple[dict[str, float], float]:
    """General-language IDF shipped with jieba: how specific a word is outside policy text."""
    # compiled once into the cache: parsing idf.txt costs ~0.35 s per process, the compiled copy ~0.04 s
    return resources.background_idf()


def load_tables() -> None:
    """Load the tables collect_signals reads on first use (the IDF table), e.g. once before forking workers
    that would each load it."""
    _background_idf()


def collect_signals(plan: Plan, taxonomy: Taxonomy, segmenter: Segmenter | None,
                    terms: Counter[str] | None = None) -> PlanSignals:
    """Weighted mentions of every theme (and key phrase, when a segmenter is given) in one plan.

    `terms`: when given (with a segmenter), also counts into it every term of the sentences a department's
    text is built from, from the same segmentation: what pipeline.department_terms counts, without cutting
    the plan a second time.
    """
    sig = PlanSignals(plan)
    target_lines = {t.line for t in plan.targets}
    stop = resources.stopwords()
    term_owner = {w for t in taxonomy.themes for w in (t.name, *t.terms)}
    places = {p for p in (split_place(plan.title or "")[0], split_place(plan.department or "")[0]) if p}
    idf, median_idf = _background_idf() if segmenter else ({}, 10.0)
    specificity_of: dict[str, float | None] = {}  # per distinct token: tokens repeat across a plan's sentences

    def specificity(token: str) -> float | None:
        """How much more specific than a median word the token is, or None when it is no key phrase."""
        if (token in term_owner or token in stop or not _HAN_ONLY.match(token)
                or _PLACE_SUFFIX.match(token) or _NOT_A_PHRASE.search(token)
                or any(token in p or p in token for p in places)
                or (len(token) == 2 and segmenter is not None and not segmenter.knows(token))):
            # two characters no dictionary knows are the HMM's guess (驻高 in 进驻高台县, 中开 in 会议中开展);
            # a longer unknown word may be new policy language (碳普惠) and stays a candidate
            return None
        value = idf.get(token, median_idf) / median_idf
        return value if value >= 1.0 else None  # common words (或者, 同步) are never key phrases

    is_law = bool(_LAW_TITLE.search(plan.title or ""))
    current_chapter: str | None = None
    for index, s in enumerate(plan.sentences):
        # weight 0 is page furniture, the one kind a department's text leaves out besides boilerplate
        w = sentence_weight(s, s.line in target_lines and s.kind is SentenceKind.BODY)
        if w <= 0:
            continue
        hits = taxonomy.find(s.text)
        per_theme: Counter[str] = Counter()
        for theme, term in hits:
            per_theme[theme] += 1
            sig.theme_terms.setdefault(theme, Counter())[term] += 1
        for theme, n in per_theme.items():
            sig.theme_mass[theme] = sig.theme_mass.get(theme, 0.0) + w * n
            sig.theme_sentences.setdefault(theme, []).append((w * n, index))
        if is_law and segmenter is not None:
            chapter = law_chapter(plan, s)
            if chapter is not None:
                current_chapter = chapter
                sig.phrase_mass[chapter] = sig.phrase_mass.get(chapter, 0.0) + _CHAPTER_WEIGHT * w
                sig.phrase_sentences.setdefault(chapter, []).append((w, index))
            elif s.kind is SentenceKind.HEADING and _CHAPTER.match(s.text):
                current_chapter = None  # 总则, 附则, 法律责任
            elif current_chapter is not None and s.kind is SentenceKind.BODY:
                # a chapter heading stands for every article under it, as a theme for its terms
                sig.phrase_mass[current_chapter] += _ARTICLE_SHARE * w
        if segmenter is None or s.boilerplate:
            continue
        for acronym in _ACRONYM.findall(s.text):  # PPP, ESG, NGO: the segmenter's terms are Chinese only
            sig.phrase_mass[acronym] = sig.phrase_mass.get(acronym, 0.0) + w * _ACRONYM_SPECIFICITY
            sig.phrase_sentences.setdefault(acronym, []).append((w, index))
        counts = Counter(segmenter.terms(s.text))
        if terms is not None:
            terms.update(counts)
        for token, n in counts.items():
            if token not in specificity_of:
                specificity_of[token] = specificity(token)
            value = specificity_of[token]
            if value is None:
                continue
            sig.phrase_mass[token] = sig.phrase_mass.get(token, 0.0) + w * n * value
            sig.phrase_sentences.setdefault(token, []).append((w * n, index))
    sig.openness = plan_openness(plan)
    return sig


def _evidence(plan: Plan, scored: list[tuple[float, int]], words: Sequence[str], limit: int = 3
              ) -> tuple[Evidence, ...]:
    def rank(item: tuple[float, int]) -> tuple[float, int]:
        weight, index = item
        s = plan.sentences[index]
        informative = 1.0 if s.kind is SentenceKind.BODY and len(s.text) >= 12 else 0.5
        if s.boilerplate:
            informative *= 0.2
        if in_review(s):
            informative *= 0.5
        return (-weight * informative, index)

    out: list[Evidence] = []
    lines: set[int] = set()
    for _weight, index in sorted(scored, key=rank):
        s = plan.sentences[index]
        if s.line in lines:
            continue
        lines.add(s.line)
        # Traditional input is shown as written, cut where the Simplified analysis text would be cut
        review = in_review(s)
        text = _trim(s.text, words, s.original)
        out.append(Evidence(plan.path, s.line, text, review))  # the review mark is shown by renderers (Evidence.shown)
        if len(out) == limit:
            break
    return tuple(out)


def _trim(text: str, words: Sequence[str], shown: str | None = None) -> str:
    shown = shown or text
    if len(text) <= _EVIDENCE_CHARS:
        return shown
    at = min((text.find(w) for w in words if w in text), default=0)
    start = max(0, min(at - _EVIDENCE_CHARS // 3, len(text) - _EVIDENCE_CHARS))
    return ("…" if start else "") + shown[start:start + _EVIDENCE_CHARS] + "…"


def _units_of(plan: Plan, scored: list[tuple[float, int]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for _weight, index in scored:
        for unit in plan.sentences[index].units:
            seen.setdefault(unit, None)
    return tuple(seen)[:6]


@dataclass
class RankingStats:
    """What ranking one plan's pain points needs to know of all the plans loaded with it: how many there
    are and in how many each theme and phrase shows up. Gathered one plan at a time (`add`), so a run can
    stream its plans through and rank each one later (`rank_plan`)."""

    plans: int = 0
    theme_df: Counter[str] = field(default_factory=Counter)
    phrase_df: Counter[str] = field(default_factory=Counter)

    def add(self, sig: PlanSignals) -> None:
        total = sum(sig.theme_mass.values()) or 1.0
        self.plans += 1
        self.theme_df.update(t for t, m in sig.theme_mass.items() if m / total >= 0.02)
        self.phrase_df.update(sig.phrase_mass)


def rank_pain_points(signals: Sequence[PlanSignals], taxonomy: Taxonomy, *, top: int = 10
                     ) -> list[list[PainPoint]]:
    """Rank each plan's themes and phrases, discounting what every loaded plan says alike."""
    stats = RankingStats()
    for sig in signals:
        stats.add(sig)
    return [rank_plan(sig, stats, taxonomy, top=top) for sig in signals]


def rank_plan(sig: PlanSignals, stats: RankingStats, taxonomy: Taxonomy, *, top: int = 10) -> list[PainPoint]:
    """One plan's ranked pain points against the plans `stats` counted (see rank_pain_points)."""
    n, theme_df, phrase_df = stats.plans, stats.theme_df, stats.phrase_df

    def rarity(df: int) -> float:
        # with fewer than three plans there is nothing to compare against
        if n < 3:
            return 1.0
        return 0.5 + 0.5 * math.log((n + 1) / (df + 1)) / math.log(n + 1)

    plan = sig.plan
    theme_total = sum(sig.theme_mass.values())
    office = office_of(plan.department, plan.title) or _dominant_field(sig, taxonomy, theme_total)
    scored: list[tuple[float, str, str]] = []
    for theme, mass in sig.theme_mass.items():
        entry = taxonomy.by_name[theme]
        value = mass * rarity(theme_df[theme]) * _field(entry, office)
        if entry.field_wide and office and office in entry.departments[:1]:
            value *= _UMBRELLA_FACTOR
        scored.append((value, "theme", theme))
    scored = _below_its_parts(scored, taxonomy, office)
    single: list[tuple[float, str, str]] = []
    for phrase, mass in sig.phrase_mass.items():
        candidate = (mass * _PHRASE_FACTOR * rarity(phrase_df[phrase]), "phrase", phrase)
        if len(sig.phrase_sentences[phrase]) >= 2 or mass >= 3.0:
            scored.append(candidate)
        elif mass >= _FILL_MASS:
            single.append(candidate)
    if len(scored) < top:  # a short excerpt: the most specific single mentions fill what is left
        scored += sorted(single, key=lambda x: (-x[0], x[2]))[:top - len(scored)]
    # a government's own plan (工作报告, 纲要) or one whose office is unknown may be comprehensive
    general = office in (None, "人民政府") or (plan.department or "").endswith("政府")
    members = _pools(scored, taxonomy, office, top) if general else {}
    if members:
        pooled = {m for ms in members.values() for m in ms}
        value_of = {name: v for v, _kind, name in scored}
        scored = [(v + sum(value_of[m] for m in members.get(name, ())), kind, name)
                  for v, kind, name in scored if name not in pooled]
    order = _tie_order(scored, taxonomy)
    # the highest value, not the first entry: a tie reordered by social delivery may put a lower score first
    best = max((value for value, *_rest in order), default=1.0) or 1.0
    points: list[PainPoint] = []
    for value, kind, name, tie in order[:top]:
        if kind == "theme":
            group = (name, *members.get(name, ()))
            counts: Counter[str] = Counter()
            for member in group:
                counts.update(sig.theme_terms[member])
            terms = tuple(t for t, _n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
            if len(group) > 1:  # the area once, with its members named
                terms = tuple(dict.fromkeys((*terms[:4], *group[1:], *terms[4:])))
            sentences = [x for member in group for x in sig.theme_sentences[member]]
            entry = taxonomy.by_name[name]
            mass = sum(sig.theme_mass[m] for m in group)
            points.append(PainPoint(
                theme=name, score=round(value / best, 3), terms=terms[:8 + len(group) - 1],
                evidence=_evidence(plan, sentences, terms), kind="theme",
                weight=round(mass / theme_total, 4) if theme_total else 0.0,
                units=_units_of(plan, sentences), departments=entry.departments,
                members=group[1:], tie=tie))
        else:
            sentences = sig.phrase_sentences[name]
            points.append(PainPoint(
                theme=name, score=round(value / best, 3), terms=(name,),
                evidence=_evidence(plan, sentences, (name,)), kind="phrase",
                units=_units_of(plan, sentences), tie=tie))
    if theme_total < _THIN_TEXT and plan.department:
        points.extend(_statutory(plan.department, taxonomy, {p.theme for p in points}))
    return points


def _below_its_parts(scored: list[tuple[float, str, str]], taxonomy: Taxonomy, office: str | None
                     ) -> list[tuple[float, str, str]]:
    """The plan's own field-wide umbrella (民政事业 in a 民政 plan, named by its title and every office
    mention) ranks just below the best of the specific themes it stands for."""
    if not office:
        return scored
    out = []
    for value, kind, name in scored:
        entry = taxonomy.by_name.get(name) if kind == "theme" else None
        if entry is not None and entry.field_wide and office in entry.departments[:1]:
            family = {t.name for t in taxonomy.family(entry)}
            best = max((v for v, k, n in scored if k == "theme" and n in family), default=None)
            if best is not None:
                value = min(value, best * (1 - 2 * _TIE_MARGIN))
        out.append((value, kind, name))
    return out


def _pools(scored: Sequence[tuple[float, str, str]], taxonomy: Taxonomy, office: str | None, top: int
           ) -> dict[str, tuple[str, ...]]:
    """Sibling themes of a comprehensive plan (a government work report, a national outline) that one
    department owns: leader -> the members pooled into it. A plan is comprehensive when its leading themes
    belong to at least _POOL_MIN_DEPARTMENTS departments; themes owned by the government itself are not pooled."""
    themes = sorted((x for x in scored if x[1] == "theme"), key=lambda x: (-x[0], x[2]))
    owners = [taxonomy.by_name[name].departments[:1] for _v, _k, name in themes]
    leading = {o[0] for o in owners[:top] if o}
    if len(leading) < _POOL_MIN_DEPARTMENTS:
        return {}
    leader_of: dict[str, str] = {}
    pools: dict[str, list[str]] = {}
    for (_v, _k, name), owner in zip(themes, owners, strict=True):
        entry = taxonomy.by_name[name]
        if not owner or owner[0] == (office or "人民政府") or entry.umbrella:
            continue
        if owner[0] in leader_of:
            pools.setdefault(leader_of[owner[0]], []).append(name)
        else:
            leader_of[owner[0]] = name
    return {k: tuple(v) for k, v in pools.items()}


def _tie_order(scored: Sequence[tuple[float, str, str]], taxonomy: Taxonomy
               ) -> list[tuple[float, str, str, str]]:
    """Best first, with scores within _TIE_MARGIN of each other reported as ties: a tie goes to the theme
    social organizations more typically deliver (then the plainer theme before a key phrase, then the name),
    and each tied entry says so."""
    ranked = sorted(scored, key=lambda x: (-x[0], x[2]))
    groups: list[list[tuple[float, str, str]]] = []
    for item in ranked:
        if groups and groups[-1][0][0] - item[0] <= _TIE_MARGIN * groups[-1][0][0]:
            groups[-1].append(item)
        else:
            groups.append([item])
    out: list[tuple[float, str, str, str]] = []
    for group in groups:
        if len(group) == 1:
            out.append((*group[0], ""))
            continue

        def social(item: tuple[float, str, str]) -> float:
            entry = taxonomy.by_name.get(item[2]) if item[1] == "theme" else None
            return entry.social if entry else 0.0

        group.sort(key=lambda x: (-social(x), x[1] != "theme", x[2]))
        # data, not a sentence: JSON stays the same in every language (README: "tie" lists the tied themes,
        # scores within _TIE_MARGIN, ordered by how typically social organizations deliver the work)
        names = "、".join(x[2] for x in group)
        out.extend((*item, names) for item in group)
    return out


def _dominant_field(sig: PlanSignals, taxonomy: Taxonomy, total: float) -> str | None:
    """The office whose whole field (umbrella theme) a plan mostly speaks of, when its title does not say."""
    umbrellas = [(m, t) for t, m in sig.theme_mass.items() if taxonomy.by_name[t].umbrella]
    if not umbrellas or not total:
        return None
    mass, name = max(umbrellas)
    departments = taxonomy.by_name[name].departments
    return departments[0] if mass / total >= 0.15 and departments else None


def _field(theme: Theme, office: str | None) -> float:
    """Priority boost for themes within the plan's own department's responsibilities."""
    if not office or office == "人民政府" or office not in theme.departments:
        return 1.0
    return _OWN_FIELD if theme.departments[0] == office else _SHARED_FIELD


def _statutory(department: str, taxonomy: Taxonomy, present: set[str]) -> list[PainPoint]:
    """Themes a department owns by statute, for plans whose text says too little."""
    owned = [t for t in taxonomy.themes
             if t.departments and department.endswith(t.departments[0]) and t.name not in present]
    return [PainPoint(theme=t.name, score=_STATUTORY_SCORE, terms=t.terms[:5], evidence=(), kind="theme",
                      source=PainPointSource.STATUTORY, weight=0.0, departments=t.departments)
            for t in owned[:5]]


def extract_pain_points(plans: Sequence[Plan], taxonomy: Taxonomy, segmenter: Segmenter | None, *,
                        top: int = 10) -> list[list[PainPoint]]:
    """Pain points of each plan, ranked against the other plans given."""
    signals = [collect_signals(p, taxonomy, segmenter) for p in plans]
    return rank_pain_points(signals, taxonomy, top=top)

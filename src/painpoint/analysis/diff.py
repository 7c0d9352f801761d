"""What changed between two plans (or two folders of plans): themes new, rising, falling or dropped; targets.

A theme's weight is its share of a side's theme mass (mentions weighted by where they stand, as in `scan`),
so a 1,000-character outline and a 100,000-character plan compare fairly. Classification, on weights:

- new: below PRESENT in OLD (absent or a passing mention) and at least NOTABLE in NEW;
- dropped: at least NOTABLE in OLD and below PRESENT in NEW;
- rising / falling: present on both sides and the weight moves by at least MOVE_POINTS and by a factor of at
  least MOVE_RATIO (so 1% → 3% rises, 20% → 22% is steady);
- steady: everything else (counted, not listed).

Targets are paired across the sides by the words around their numbers: the character-bigram overlap
(Jaccard, numbers removed) of the whole sentences or of their first clauses, whichever is higher, at least
TARGET_SIMILARITY; a pair whose numbers or year differ changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from painpoint.analysis.align import SectionChange, SentenceChange, align, symmetric_order
from painpoint.analysis.fit import Item, ItemKind, OrgFit, fit_orgs, item_themes
from painpoint.analysis.novelty import NewTerm, new_terms
from painpoint.analysis.units import unit_key
from painpoint.errors import InputError
from painpoint.i18n import N_, _
from painpoint.match.score import Capability, capability
from painpoint.model import Evidence
from painpoint.pipeline import Failure, Progress, Skipped, no_progress, read_plans
from painpoint.plans.openness import Openness, merge_openness, plan_openness
from painpoint.plans.structure import Plan, Target
from painpoint.themes.extract import PainPoint, PainPointSource, collect_signals, in_review, rank_pain_points
from painpoint.themes.taxonomy import Taxonomy, load_taxonomy

PRESENT = 0.005
"""Below this share of a side's theme mass a theme counts as absent."""
NOTABLE = 0.015
"""A new or dropped theme reaches at least this share on the side that has it."""
MOVE_POINTS = 0.02
"""Rising/falling: the share moves by at least two percentage points…"""
MOVE_RATIO = 1.5
"""…and grows or shrinks by at least half again."""
TARGET_SIMILARITY = 0.5
"""Two targets state the same thing when this share of their character bigrams (numbers removed) agree."""
EVIDENCE_LIMIT = 2


class ChangeKind(StrEnum):
    """How a theme moved from OLD to NEW."""

    NEW = "new"
    RISING = "rising"
    FALLING = "falling"
    DROPPED = "dropped"
    STEADY = "steady"

    @property
    def label(self) -> str:
        """Label for reports, in the language in force."""
        return _(_CHANGE_LABELS[self.value])


_CHANGE_LABELS = {"new": N_("new"), "rising": N_("rising"), "falling": N_("falling"), "dropped": N_("dropped"),
                  "steady": N_("steady")}


class TargetStatus(StrEnum):
    """How a quantified target moved from OLD to NEW."""

    RAISED = "raised"
    LOWERED = "lowered"
    CHANGED = "changed"
    NEW = "new"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        """Label for reports, in the language in force."""
        return _(_TARGET_LABELS[self.value])


_TARGET_LABELS = {"raised": N_("raised"), "lowered": N_("lowered"), "changed": N_("changed"), "new": N_("new"),
                  "dropped": N_("dropped")}


@dataclass(frozen=True)
class ThemeChange:
    """One theme's move between the two sides."""

    theme: str
    """Theme name (taxonomy)."""
    change: ChangeKind
    """New, rising, falling, dropped or steady."""
    old_weight: float
    """Share of OLD's theme mass (0 when absent)."""
    new_weight: float
    """Share of NEW's theme mass (0 when absent)."""
    old_rank: int | None
    """Rank among OLD's themes by weight (1 = heaviest); None when absent."""
    new_rank: int | None
    """Rank among NEW's themes by weight; None when absent."""
    terms: tuple[str, ...]
    """The plans' words for it, from the side where it weighs more."""
    old_evidence: tuple[Evidence, ...]
    """OLD's sentences on it."""
    new_evidence: tuple[Evidence, ...]
    """NEW's sentences on it."""
    old_score: float = 0.0
    """Its pain-point score in OLD as `scan` gives it (1.0 = OLD's top pain point; 0 when absent)."""
    new_score: float = 0.0
    """Its pain-point score in NEW."""

    @property
    def delta(self) -> float:
        """Change in weight, NEW minus OLD."""
        return round(self.new_weight - self.old_weight, 4)


@dataclass(frozen=True)
class TargetChange:
    """A quantified target that changed, appeared or went away."""

    status: TargetStatus
    """Changed, new or dropped."""
    old: Target | None
    """The target in OLD, when there is one."""
    new: Target | None
    """The target in NEW, when there is one."""
    old_document: str | None
    """OLD's document that states it."""
    new_document: str | None
    """NEW's document that states it."""
    similarity: float
    """Wording overlap of the pair (0 for new and dropped targets)."""
    measure: str = ""
    """What the target measures: the words before its first number (城镇新增就业, 森林覆盖率)."""


@dataclass(frozen=True)
class DepartmentDiff:
    """What one department's plans changed."""

    name: str
    """Department (NEW's name when the two sides spell it differently)."""
    old_documents: tuple[str, ...]
    """OLD's plans."""
    new_documents: tuple[str, ...]
    """NEW's plans."""
    themes: tuple[ThemeChange, ...]
    """Themes that moved: new, rising, falling, dropped; within each, the largest move first."""
    steady: int
    """How many themes present on both sides did not move enough to list."""
    targets: tuple[TargetChange, ...]
    """Targets that changed, then new ones, then dropped ones."""
    old_openness: Openness
    """How OLD spoke of buying services from social organizations."""
    new_openness: Openness
    """How NEW does."""
    sections: tuple[SectionChange, ...] = ()
    """Headings renamed, moved, added or removed, in NEW's order."""
    same_sections: int = 0
    """Headings the same on both sides, numbering aside."""
    sentences: tuple[SentenceChange, ...] = ()
    """Sentences changed, added or removed."""
    same_sentences: int = 0
    """Body sentences found verbatim on both sides."""
    new_terms: tuple[NewTerm, ...] = ()
    """Terms NEW introduces, most prominent first."""
    fits: tuple[OrgFit, ...] = ()
    """Organizations that fit NEW's new or raised items (with --orgs), best first."""
    old_department: str | None = None
    """OLD's department when it is not NEW's (a plan compared with another department's); else None."""

    @property
    def empty(self) -> bool:
        """True when nothing changed: the same plan twice."""
        return not (self.themes or self.targets or self.sections or self.sentences or self.new_terms)

@dataclass(frozen=True)
class DiffResult:
    """What `painpoint diff` found."""

    departments: tuple[DepartmentDiff, ...]
    """One entry per department found on both sides, in name order."""
    only_old: tuple[str, ...]
    """Departments with plans in OLD only."""
    only_new: tuple[str, ...]
    """Departments with plans in NEW only."""
    errors: tuple[Failure, ...]
    """Inputs that could not be read."""
    skipped: tuple[Skipped, ...] = ()
    """Plans read but left out: each repeats the text of one read before it on the same side."""


@dataclass(frozen=True)
class _ThemeSide:
    """One theme on one side of a diff."""

    weight: float
    rank: int
    terms: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    score: float


def _themes(plans: Sequence[Plan], taxonomy: Taxonomy) -> dict[str, _ThemeSide]:
    """Each theme's weight, rank, words and evidence over one side's plans of one department."""
    signals = [collect_signals(p, taxonomy, None) for p in plans]
    # ranked as a group of their own: another department's plans must not discount these themes
    ranked = rank_pain_points(signals, taxonomy, top=10_000)
    mass: dict[str, float] = defaultdict(float)
    for sig in signals:
        for theme, m in sig.theme_mass.items():
            mass[theme] += m
    total = sum(mass.values())
    best: dict[str, tuple[float, PainPoint]] = {}
    for sig, points in zip(signals, ranked, strict=True):
        for p in points:
            if p.kind != "theme" or p.source is not PainPointSource.TEXT:
                continue
            m = sig.theme_mass.get(p.theme, 0.0)
            if p.theme not in best or m > best[p.theme][0]:
                best[p.theme] = (m, p)
    order = sorted(mass, key=lambda t: (-mass[t], t))
    out = {}
    for i, t in enumerate(order, start=1):
        point = best[t][1] if t in best else None
        out[t] = _ThemeSide(round(mass[t] / total, 4) if total else 0.0, i, point.terms if point else (),
                            point.evidence[:EVIDENCE_LIMIT] if point else (), point.score if point else 0.0)
    return out


def classify(old: float, new: float) -> ChangeKind:
    """How a theme whose weight went from `old` to `new` moved (thresholds in the module docstring)."""
    if old < PRESENT:
        return ChangeKind.NEW if new >= NOTABLE else ChangeKind.STEADY
    if new < PRESENT:
        return ChangeKind.DROPPED if old >= NOTABLE else ChangeKind.STEADY
    if new - old >= MOVE_POINTS and new >= old * MOVE_RATIO:
        return ChangeKind.RISING
    if old - new >= MOVE_POINTS and old >= new * MOVE_RATIO:
        return ChangeKind.FALLING
    return ChangeKind.STEADY


_ORDER = {k: i for i, k in enumerate(ChangeKind)}


def theme_changes(old: Sequence[Plan], new: Sequence[Plan], taxonomy: Taxonomy | None = None
                  ) -> tuple[list[ThemeChange], int]:
    """(themes that moved, best first within each kind; number of steady themes present on both sides)."""
    taxonomy = taxonomy or load_taxonomy()
    before, after = _themes(old, taxonomy), _themes(new, taxonomy)
    changes = []
    steady = 0
    for theme in sorted(set(before) | set(after)):
        b, a = before.get(theme), after.get(theme)
        wb, wa = (b.weight if b else 0.0), (a.weight if a else 0.0)
        kind = classify(wb, wa)
        if kind is ChangeKind.STEADY:
            steady += wb >= PRESENT and wa >= PRESENT
            continue
        stronger = a if wa >= wb else b
        changes.append(ThemeChange(theme, kind, wb, wa, b.rank if b else None, a.rank if a else None,
                                   stronger.terms[:5] if stronger else (), b.evidence if b else (),
                                   a.evidence if a else (), b.score if b else 0.0, a.score if a else 0.0))
    changes.sort(key=lambda c: (_ORDER[c.change], -abs(c.delta), c.theme))
    return changes, steady


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
_CLAUSE = re.compile(r"[，,；;：:]")
_MIN_CLAUSE = 4   # a first clause of fewer bigrams (到2025年) says nothing about what is measured


def _bigrams(text: str) -> frozenset[str]:
    han = _NOT_HAN.sub("", _NUMBER.sub("", text))
    return frozenset(han[i:i + 2] for i in range(len(han) - 1))


def _stems(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(bigrams of the sentence, bigrams of its first clause): 国内生产总值达到114万亿元，增长8.1% and
    国内生产总值增加到121万亿元，五年年均增长5.2%… share their first clause, not their whole wording."""
    first = _bigrams(_CLAUSE.split(text, maxsplit=1)[0])
    return _bigrams(text), first if len(first) >= _MIN_CLAUSE else frozenset()


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def target_changes(old: Sequence[tuple[str, Target]], new: Sequence[tuple[str, Target]]
                   ) -> list[TargetChange]:
    """Pair targets by wording, best pairs first; report changed pairs, then new and dropped targets."""
    stems_old = [_stems(t.text) for _, t in old]
    stems_new = [_stems(t.text) for _, t in new]
    pairs = []
    for i, (whole_o, first_o) in enumerate(stems_old):
        for j, (whole_n, first_n) in enumerate(stems_new):
            sim = max(_similarity(whole_o, whole_n), _similarity(first_o, first_n))
            if sim >= TARGET_SIMILARITY:
                pairs.append((sim, i, j))
    pairs.sort(key=symmetric_order)  # so that diff(B, A) drops exactly what diff(A, B) adds
    used_old: set[int] = set()
    used_new: set[int] = set()
    changed = []
    for sim, i, j in pairs:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        (po, to), (pn, tn) = old[i], new[j]
        if to.values != tn.values or to.year != tn.year:
            changed.append(TargetChange(direction(to.values, tn.values), to, tn, po, pn, round(sim, 3),
                                        target_measure(tn)))
    added = [TargetChange(TargetStatus.NEW, None, t, None, p, 0.0, target_measure(t))
             for j, (p, t) in enumerate(new) if j not in used_new]
    dropped = [TargetChange(TargetStatus.DROPPED, t, None, p, None, 0.0, target_measure(t))
               for i, (p, t) in enumerate(old) if i not in used_old]
    changed.sort(key=lambda c: list(TargetStatus).index(c.status))
    return changed + added + dropped


_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)(.*)")
_MEASURE_CUT = re.compile(r"[，,；;：:。！？（）()“”]")
_MEASURE_CUES = re.compile(r"(?:到|至)\s*20\d\d\s*年(?:底|末)?|力争|确保|达到|提高到|提升到|增加到|增长到|"
                           r"降低到|下降到|降到|降至|控制在|不低于|不少于|不超过|超过|突破|保持在|稳定在|左右|以上|以内|要|为|在|"
                           r"累计|全年|每年|年均")


def direction(old: Sequence[str], new: Sequence[str]) -> TargetStatus:
    """Raised or lowered: the first quantity whose unit both sides state moved up or down; else changed."""
    parsed_new = [m.groups() for m in map(_QUANTITY.match, new) if m]
    for value in old:
        m = _QUANTITY.match(value)
        if not m:
            continue
        number, unit = float(m.group(1)), m.group(2)
        other = next((float(n) for n, u in parsed_new if u == unit), None)
        if other is not None and other != number:
            return TargetStatus.RAISED if other > number else TargetStatus.LOWERED
    return TargetStatus.CHANGED


def planned_targets(plan: Plan) -> list[Target]:
    """The plan's targets outside its review of past work: 过去一年…达到95% is an achievement, not a target."""
    review = {(s.line, s.text) for s in plan.sentences if in_review(s)}
    return [t for t in plan.targets if (t.line, t.text) not in review]


def target_measure(target: Target) -> str:
    """What a target measures: the words of its clause before its first quantity, cue words removed."""
    text = target.text
    at = text.find(target.values[0]) if target.values else -1
    if at < 0:
        return ""
    clause = _MEASURE_CUT.split(text[:at])[-1]
    # 义务教育巩固率由93.8%提高到95.5%: the measure ends before 由/从
    return _MEASURE_CUES.sub("", clause).strip().rstrip("由从").strip()[-20:]


def _department_key(plan: Plan) -> str:
    """Plans of one department in two years share this: its name without place, or its title without years."""
    if plan.department:
        return unit_key(plan.department)
    return re.sub(r"\d+|年度?|[（(][^）)]*[）)]|[—-]", "", plan.label)


def compare(old: Sequence[Plan], new: Sequence[Plan], taxonomy: Taxonomy | None = None,
            name: str | None = None, caps: Sequence[Capability] = ()) -> DepartmentDiff:
    """What `new` changed against `old` (plans of one department); `caps`: organizations to fit to it."""
    from painpoint.pipeline import default_segmenter

    taxonomy = taxonomy or load_taxonomy()
    segmenter = default_segmenter()
    themes, steady = theme_changes(old, new, taxonomy)
    targets = target_changes([(p.path, t) for p in old for t in planned_targets(p)],
                             [(p.path, t) for p in new for t in planned_targets(p)])
    aligned = align(old, new)
    terms = [replace(t, themes=item_themes(t.term, taxonomy, segmenter.cut))
             for t in new_terms(old, new, segmenter)]
    fits = fit_orgs(novelties(themes, targets, terms, taxonomy, segmenter.cut), caps) if caps else ()
    label = name or (new[0].label if new else old[0].label)
    return DepartmentDiff(label, tuple(p.path for p in old), tuple(p.path for p in new), tuple(themes),
                          steady, tuple(targets), merge_openness(plan_openness(p) for p in old),
                          merge_openness(plan_openness(p) for p in new), aligned.sections,
                          aligned.same_sections, aligned.sentences, aligned.same_sentences, tuple(terms), fits,
                          _other_department(old, new))


def novelties(themes: Sequence[ThemeChange], targets: Sequence[TargetChange], terms: Sequence[NewTerm],
              taxonomy: Taxonomy, cut: Callable[[str], list[str]]) -> list[Item]:
    """NEW's new or raised items an organization could offer to serve: new terms, raised or new targets,
    new or rising themes."""
    items = [Item(ItemKind.TERM, t.term, t.evidence, t.themes, t.specific) for t in terms]
    for t in targets:
        if t.new is not None and t.new_document and t.status in (TargetStatus.RAISED, TargetStatus.NEW):
            items.append(Item(ItemKind.TARGET, t.measure or t.new.text, Evidence(t.new_document, t.new.line,
                              t.new.text), item_themes(t.new.text, taxonomy, cut)))
    for c in themes:
        if c.change in (ChangeKind.NEW, ChangeKind.RISING) and c.new_evidence:
            items.append(Item(ItemKind.THEME, c.theme, c.new_evidence[0], (c.theme,)))
    return items


def _other_department(old: Sequence[Plan], new: Sequence[Plan]) -> str | None:
    """OLD's department when both sides name theirs and they differ."""
    names_old = {unit_key(p.department) for p in old if p.department}
    names_new = {unit_key(p.department) for p in new if p.department}
    if names_old and names_new and not names_old & names_new:
        return next(p.department for p in old if p.department)
    return None


def diff_plans(old_paths: Sequence[str], new_paths: Sequence[str], *, org_paths: Sequence[str] = (),
               progress: Progress = no_progress) -> DiffResult:
    """Compare OLD and NEW (files or folders): one plan each is compared directly; several are paired by
    department. `org_paths`: profiles to fit to what is new."""
    from painpoint.pipeline import load_orgs

    taxonomy = load_taxonomy()
    # a copy is looked for on each side alone: OLD and NEW with the same text is a plan that did not change
    old, old_errors, old_skipped = read_plans(old_paths, progress)
    new, new_errors, new_skipped = read_plans(new_paths, progress)
    errors = tuple(old_errors) + tuple(new_errors)
    skipped = tuple(old_skipped) + tuple(new_skipped)
    caps: list[Capability] = []
    if org_paths:
        profiles, org_errors = load_orgs(org_paths)
        errors += tuple(org_errors)
        caps = [capability(p, taxonomy) for p in profiles]
    for side, plans, paths in (("OLD", old, old_paths), ("NEW", new, new_paths)):
        if not plans and not errors:
            raise InputError(_("no plan files found in {side} ({paths})").format(side=side, paths=", ".join(paths)),
                             hint=_("give .txt/.md/.html/.docx/.doc/.wps/.pdf files or folders"))
    if not old or not new:
        return DiffResult((), (), (), errors, skipped)
    if len(old) == 1 and len(new) == 1:
        return DiffResult((compare(old, new, taxonomy, caps=caps),), (), (), errors, skipped)
    groups_old: dict[str, list[Plan]] = defaultdict(list)
    groups_new: dict[str, list[Plan]] = defaultdict(list)
    for p in old:
        groups_old[_department_key(p)].append(p)
    for p in new:
        groups_new[_department_key(p)].append(p)
    shared = sorted(set(groups_old) & set(groups_new))
    departments = sorted((compare(groups_old[k], groups_new[k], taxonomy, caps=caps) for k in shared),
                         key=lambda d: d.name)
    only_old = tuple(sorted(groups_old[k][0].label for k in set(groups_old) - set(groups_new)))
    only_new = tuple(sorted(groups_new[k][0].label for k in set(groups_new) - set(groups_old)))
    return DiffResult(tuple(departments), only_old, only_new, errors, skipped)

"""Openness to social organizations: how a plan speaks of buying services and working with NGOs."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from painpoint.i18n import N_, _
from painpoint.model import Evidence
from painpoint.plans.structure import Plan, SentenceKind


class OpennessCue(StrEnum):
    """A way a plan opens its work to social organizations.

    The value (Chinese) is machine-readable and goes into JSON unchanged; reports show `label`.
    """

    PURCHASE = "政府购买服务"
    """Buying services from social forces (政府购买服务, 购买社会工作服务, 委托社会组织)."""
    VENTURE = "公益创投"
    """Seed grants and competitions for community projects."""
    LINKAGE = "多社联动"
    """三社联动/五社联动: community, social organizations and social workers working as one."""
    SOCIAL_WORK = "社会工作"
    """Professional social work (社工站, 专业社工)."""
    SOCIAL_ORGS = "社会组织"
    """Cultivating and relying on social organizations."""
    SOCIAL_FORCES = "社会力量参与"
    """Inviting social forces to take part (社会力量, 多元主体)."""
    PROFESSIONAL = "引入专业力量"
    """Bringing in professional or third-party bodies."""
    VOLUNTEER = "志愿服务"
    """Volunteer service."""
    CHARITY = "慈善"
    """Charity and philanthropy."""

    @property
    def label(self) -> str:
        """The cue as a person reads it, in the language in force (in Chinese, the value)."""
        return _(CUE_LABEL[self])


CUE_LABEL: dict[OpennessCue, str] = {
    OpennessCue.PURCHASE: N_("government purchase of services"),
    OpennessCue.VENTURE: N_("public-benefit venture funding"),
    OpennessCue.LINKAGE: N_("joint community and social-work action"),
    OpennessCue.SOCIAL_WORK: N_("professional social work"),
    OpennessCue.SOCIAL_ORGS: N_("working with social organizations"),
    OpennessCue.SOCIAL_FORCES: N_("participation of social forces"),
    OpennessCue.PROFESSIONAL: N_("bringing in professional bodies"),
    OpennessCue.VOLUNTEER: N_("volunteer service"),
    OpennessCue.CHARITY: N_("charity"),
}
"""Cue labels in the source language (the enum's values are Chinese): show them with `OpennessCue.label`."""


# How strongly each cue says "we will work with you": a purchase commitment most, a mention of volunteers
# or charity (which plans list for every field) least.
CUE_WEIGHT: dict[OpennessCue, float] = {
    OpennessCue.PURCHASE: 1.0,
    OpennessCue.VENTURE: 0.9,
    OpennessCue.LINKAGE: 0.8,
    OpennessCue.SOCIAL_WORK: 0.6,
    OpennessCue.SOCIAL_ORGS: 0.6,
    OpennessCue.SOCIAL_FORCES: 0.5,
    OpennessCue.PROFESSIONAL: 0.5,
    OpennessCue.VOLUNTEER: 0.35,
    OpennessCue.CHARITY: 0.35,
}

_CUES: tuple[tuple[OpennessCue, re.Pattern[str]], ...] = (
    # 购买 right before 服务: firms buying cloud services or 购买服务协议 loans are no purchase commitment
    (OpennessCue.PURCHASE, re.compile(r"政府购买|购买[^。；，]{0,6}服务(?!协议|合同)|委托社会组织|"
                                      r"委托专业(?:机构|社会组织)")),
    (OpennessCue.VENTURE, re.compile(r"公益创投|微创投|公益项目大赛")),
    (OpennessCue.LINKAGE, re.compile(r"[三四五]社联动")),
    # 县委社会工作部 is a Party department, not social work
    (OpennessCue.SOCIAL_WORK, re.compile(r"社会工作(?!部)|社工(?!部)")),
    (OpennessCue.SOCIAL_ORGS, re.compile(r"社会组织|社区社会组织|枢纽型组织")),
    (OpennessCue.SOCIAL_FORCES, re.compile(r"社会力量|多元主体|社会各界参与|(?<!经济)社会参与")),
    (OpennessCue.PROFESSIONAL, re.compile(r"引入专业|引进专业|专业机构|第三方专业|专业力量")),
    (OpennessCue.VOLUNTEER, re.compile(r"志愿服务|志愿者")),
    (OpennessCue.CHARITY, re.compile(r"慈善")),
)
_ANY_CUE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _CUES))
"""Matches where any cue matches: a sentence it does not match has no cue."""
# A sentence about registering or policing social organizations is supervision, not an invitation, unless
# it also supports them.
_SUPERVISION = re.compile(r"登记|监管|执法|非法社会组织|年检|年报|清理整顿|打击|取缔|整治|党建|等级评估|审批")
_SUPPORT = re.compile(r"购买|培育|扶持|支持|鼓励|引导|参与|承接|孵化|发挥|引入|引进|动员|联动|合作")
_SUPERVISION_FACTOR = 0.25
_HEADING_FACTOR = 1.3       # a section named for social forces organises work around them
_BOILERPLATE_FACTOR = 0.3
SCALE = 2.0                 # evidence mass at which openness reaches 1 - 1/e: two purchase commitments ≈ 0.63
EVIDENCE_LIMIT = 3
_EVIDENCE_CHARS = 120


class OpennessLevel(StrEnum):
    """Openness in words, for tables: thresholds on `Openness.score`. Reports show `label`."""

    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"
    NONE = "未提及"

    @property
    def label(self) -> str:
        """The level as a person reads it, in the language in force (in Chinese, the value)."""
        return _(LEVEL_LABEL[self])


LEVEL_LABEL: dict[OpennessLevel, str] = {
    OpennessLevel.HIGH: N_("high"), OpennessLevel.MEDIUM: N_("medium"), OpennessLevel.LOW: N_("low"),
    OpennessLevel.NONE: N_("not mentioned"),
}
"""Level labels in the source language (the enum's values are Chinese): show them with `OpennessLevel.label`."""


LEVEL_FLOORS = ((0.6, OpennessLevel.HIGH), (0.3, OpennessLevel.MEDIUM), (0.01, OpennessLevel.LOW))
"""(lowest score, level), highest first; below the last floor the plan does not mention social forces."""


@dataclass(frozen=True)
class OpennessEvidence:
    """One sentence that opens work to social organizations."""

    evidence: Evidence
    """Where it stands and what it says (as written)."""
    cues: tuple[OpennessCue, ...]
    """The cues it carries, strongest first."""
    weight: float
    """How much it adds to the plan's openness."""


@dataclass(frozen=True)
class Openness:
    """How open a plan (or a department's plans) is to buying services from social organizations."""

    score: float
    """0..1: 0 never mentions social forces; ≥ 0.6 commits to buying services in several places."""
    cues: tuple[OpennessCue, ...] = ()
    """Every cue found, strongest first."""
    evidence: tuple[OpennessEvidence, ...] = ()
    """The strongest sentences, at most EVIDENCE_LIMIT."""
    mass: float = 0.0
    """Summed sentence weights behind the score (merging departments adds these)."""

    @property
    def level(self) -> OpennessLevel:
        for floor, level in LEVEL_FLOORS:
            if self.score >= floor:
                return level
        return OpennessLevel.NONE


NO_OPENNESS = Openness(0.0)
"""The openness of a department with no plan text: nothing found."""


def _trim(text: str, at: int) -> str:
    if len(text) <= _EVIDENCE_CHARS:
        return text
    start = max(0, min(at - _EVIDENCE_CHARS // 3, len(text) - _EVIDENCE_CHARS))
    return ("…" if start else "") + text[start:start + _EVIDENCE_CHARS] + "…"


def sentence_cues(text: str) -> tuple[tuple[OpennessCue, ...], int]:
    """(cues found strongest first, offset of the first one) in one sentence; ((), -1) when none."""
    if not _ANY_CUE.search(text):  # most sentences have none: one search instead of one per cue
        return (), -1
    found: dict[OpennessCue, int] = {}
    for cue, pattern in _CUES:
        m = pattern.search(text)
        if m:
            found[cue] = m.start()
    if not found:
        return (), -1
    return _strongest_first(found), min(found.values())


def _level_score(mass: float) -> float:
    return round(1.0 - math.exp(-mass / SCALE), 3)


def plan_openness(plan: Plan) -> Openness:
    """Openness of one plan, from the sentences that speak of social organizations and buying services."""
    found: list[OpennessEvidence] = []
    for s in plan.sentences:
        if s.kind in (SentenceKind.FURNITURE, SentenceKind.TITLE):
            continue
        cues, at = sentence_cues(s.text)
        if not cues:
            continue
        weight = CUE_WEIGHT[cues[0]]
        if s.kind is SentenceKind.HEADING:
            weight *= _HEADING_FACTOR
        if s.boilerplate:
            weight *= _BOILERPLATE_FACTOR
        if _SUPERVISION.search(s.text) and not _SUPPORT.search(s.text):
            weight *= _SUPERVISION_FACTOR
        # Traditional input: offsets agree between the analysed text and the text as written
        shown = _trim(s.original or s.text, at)
        found.append(OpennessEvidence(Evidence(plan.path, s.line, shown), cues, round(weight, 4)))
    return _combine(found)


def _strongest_first(cues: Iterable[OpennessCue]) -> tuple[OpennessCue, ...]:
    order = list(OpennessCue)
    return tuple(sorted(set(cues), key=lambda c: (-CUE_WEIGHT[c], order.index(c))))


def _combine(found: Iterable[OpennessEvidence], mass: float | None = None,
             cues: Iterable[OpennessCue] | None = None) -> Openness:
    items = list(found)
    total = sum(e.weight for e in items) if mass is None else mass
    if not items or total <= 0:
        return NO_OPENNESS
    every = _strongest_first(c for e in items for c in e.cues) if cues is None else _strongest_first(cues)
    best = sorted(items, key=lambda e: (-e.weight, e.evidence.document, e.evidence.line))
    evidence: list[OpennessEvidence] = []
    lines: set[tuple[str, int]] = set()
    for e in best:
        key = (e.evidence.document, e.evidence.line)
        if key in lines:
            continue
        lines.add(key)
        evidence.append(e)
        if len(evidence) == EVIDENCE_LIMIT:
            break
    return Openness(_level_score(total), every, tuple(evidence), round(total, 4))


def merge_openness(parts: Iterable[Openness]) -> Openness:
    """Openness of a department from its plans': evidence adds up, the strongest sentences are kept."""
    items = list(parts)
    total = sum(p.mass for p in items)
    if total <= 0:
        return NO_OPENNESS
    # only each plan's strongest sentences are kept, so score and cues come from the plans' own totals
    return _combine([e for p in items for e in p.evidence], mass=total,
                    cues=[c for p in items for c in p.cues])


def tie_breaker(openness: Openness, serves: bool, *, weight: float) -> float:
    """Tiny bonus for a department that is open to buying services, when the organization serves it.

    At most `weight`, so pairs whose scores differ by more than `weight` keep their order.
    """
    return round(weight * openness.score, 4) if serves else 0.0


def openness_reason(openness: Openness) -> str | None:
    """A reason line for matches with an open department, quoting its best sentence (as written) in a frame in
    the language in force; None below MEDIUM."""
    if openness.level in (OpennessLevel.NONE, OpennessLevel.LOW) or not openness.evidence:
        return None
    top = openness.evidence[0]
    if OpennessCue.PURCHASE in openness.cues:
        purchase = next((e for e in openness.evidence if OpennessCue.PURCHASE in e.cues), top)
        return _("The plan commits to buying services from social organizations: {text} (line {line})").format(
            text=purchase.evidence.text, line=purchase.evidence.line)
    labels = "、".join(c.label for c in openness.cues[:3])
    return _("The plan invites social forces to take part ({cues}): {text} (line {line})").format(
        cues=labels, text=top.evidence.text, line=top.evidence.line)

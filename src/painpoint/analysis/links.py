"""Cross-department links: pain points that several departments' plans share or depend on each other for."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from painpoint.analysis.units import FUNDERS, SKIP_UNIT, qualified, unit_key
from painpoint.i18n import N_, _
from painpoint.match.score import Capability, Department, build_departments, capability
from painpoint.model import Evidence
from painpoint.pipeline import Failure, Progress, ScannedPlan, Skipped, load_orgs, no_progress, read_plans
from painpoint.plans.structure import Sentence, SentenceKind
from painpoint.themes.extract import PainPointSource, collect_signals, rank_pain_points, sentence_weight
from painpoint.themes.taxonomy import Taxonomy, load_taxonomy

MIN_SHARE = 0.01          # a department shares a theme when it is at least this share of its plans' themes
GROUP_MIN_SHARE = 0.005   # a group is named once per sentence, a theme once per term: half the bar
WEIGHT_CAP = 0.1          # a theme that fills a tenth of a plan is a priority; more does not link harder
SOCIAL_MIN = 0.3          # themes organizations rarely deliver link departments only through named units
SOCIAL_FLOOR = 0.1        # a theme ranks by its social weight; 制造业 (0.0) only a little, if units are named
NAMED_WEIGHT = 0.5        # named responsible units add NAMED_WEIGHT × log2(1 + how many) departments
BROAD_FACTOR = 0.4        # 老年人, 儿童 appear in most social plans: a link on them ranks below 失能老人
SERVE_THRESHOLD = 0.3     # an organization serves a department's side of a link from this capability up
ORG_LIMIT = 5
EVIDENCE_LIMIT = 2
_EVIDENCE_CHARS = 120
# How departments work with social organizations, not what they need: `openness` reports these, and as links
# they would tie together every plan that mentions volunteers.
_MEANS_THEMES = frozenset({"社会组织", "政府购买服务", "社会工作", "社工站", "慈善事业", "志愿服务"})


class LinkBasis(StrEnum):
    """Why departments are linked; a link can have several bases."""

    THEME = "theme"
    """Several departments' plans prioritise the same specific theme."""
    BENEFICIARY = "beneficiary"
    """Several departments' plans name the same group of people (留守儿童, 失能老人)."""
    UNITS = "units"
    """A task's responsible-unit annotation (牵头/配合单位) names several departments."""

    @property
    def label(self) -> str:
        """Label for reports, in the language in force."""
        return _(_BASIS_LABELS[self.value])


_BASIS_LABELS = {"theme": N_("shared pain point"), "beneficiary": N_("shared beneficiaries"),
                 "units": N_("joint responsible units")}


@dataclass(frozen=True)
class LinkMember:
    """One department's side of a link."""

    department: str
    """Department name as read from its plan, or the unit as a plan names it (place added)."""
    loaded: bool
    """True for a department whose plan was read; False when it is only named as a responsible unit."""
    weight: float
    """Share of the department's plans on this theme or group (0 when its plan was not read)."""
    terms: tuple[str, ...]
    """The department's own words for it."""
    evidence: tuple[Evidence, ...]
    """Its sentences that show it; for a named unit, the naming plan's sentences."""
    themes: tuple[str, ...]
    """Themes its side is about: the link's theme, or the themes of its sentences on the group."""
    named_by: tuple[str, ...] = ()
    """Departments whose plans name this one as a responsible unit on it."""


@dataclass(frozen=True)
class LinkOrg:
    """An organization that could serve the departments of a link."""

    org_id: str
    """Profile id."""
    org_name: str
    """Registered name, as the profile writes it."""
    coverage: float
    """Its weakest capability over the departments it serves (0..1)."""
    themes: tuple[str, ...]
    """The themes through which it serves them."""
    serves: tuple[str, ...]
    """The departments it serves (capability ≥ SERVE_THRESHOLD on their side of the link)."""
    serves_all: bool
    """True when it serves every department whose plan writes about the link."""


@dataclass(frozen=True)
class Link:
    """Work that needs several departments."""

    key: str
    """The shared theme, or the beneficiary group."""
    basis: tuple[LinkBasis, ...]
    """Why the departments are linked, strongest first."""
    score: float
    """Rank value: departments × their summed shares (see `link_score`)."""
    members: tuple[LinkMember, ...]
    """The departments, read ones first, heaviest first."""
    orgs: tuple[LinkOrg, ...]
    """Organizations that could serve all read departments, best first."""
    place: str | None = None
    """The administrative place the departments belong to, when known."""

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(m.department for m in self.members)


@dataclass(frozen=True)
class LinksResult:
    """What `painpoint links` found."""

    links: tuple[Link, ...]
    """Links, best first (cut to --top)."""
    departments: tuple[Department, ...]
    """Departments read, in name order."""
    errors: tuple[Failure, ...]
    """Plans and profiles that could not be used."""
    skipped: tuple[Skipped, ...] = ()
    """Plans read but left out: each repeats the text of one read before it."""


# Beneficiary groups plans share, with the ways plans write them. The packaged taxonomy's beneficiary lists
# add more groups (see _groups).
_GROUPS: dict[str, tuple[str, ...]] = {
    "留守儿童": ("留守儿童", "农村留守儿童", "留守儿童家庭"),
    "困境儿童": ("困境儿童", "困境家庭儿童"),
    "孤儿和事实无人抚养儿童": ("孤儿", "事实无人抚养儿童", "孤残儿童"),
    "流动儿童": ("流动儿童", "随迁子女"),
    "残疾儿童": ("残疾儿童", "残疾儿童少年", "孤独症儿童"),
    "单亲家庭": ("单亲家庭", "单亲家庭儿童"),
    "失能老人": ("失能老人", "失能老年人", "失能半失能", "失能、半失能", "失智老年人", "失能失智",
                 "失能人员"),
    "空巢独居老人": ("空巢老人", "独居老人", "空巢老年人", "独居老年人"),
    "留守老人": ("留守老人", "留守老年人", "农村留守老人", "农村留守老年人"),
    "高龄老人": ("高龄老人", "高龄老年人"),
    "残疾人": ("残疾人", "重度残疾人", "精神残疾人", "残障人士"),
    "低保和特困人员": ("低保对象", "低保户", "低保家庭", "特困人员", "特困供养", "低收入人口",
                       "低保边缘家庭"),
    "精神障碍患者": ("精神障碍患者", "严重精神障碍患者", "精神障碍"),
    "吸毒人员": ("吸毒人员", "戒毒人员", "社区戒毒", "社区康复人员", "戒毒康复"),
    "社区矫正对象": ("社区矫正对象", "社区矫正"),
    "刑满释放人员": ("刑满释放人员", "安置帮教"),
    "留守妇女": ("留守妇女", "农村留守妇女"),
    "家庭暴力受害人": ("家庭暴力受害人", "家庭暴力", "家暴"),
    "流动人口和农民工": ("流动人口", "农民工", "外来务工人员"),
    "退役军人和优抚对象": ("退役军人", "优抚对象"),
    "脱贫人口": ("脱贫人口", "防止返贫监测对象", "监测对象"),
    "受灾群众": ("受灾群众", "受灾人员"),
    "孕产妇和婴幼儿": ("孕产妇", "婴幼儿"),
    "就业困难人员": ("就业困难人员",),
    "妇女": ("妇女",),
    "儿童": ("儿童", "未成年人"),
    "老年人": ("老年人", "老人"),
    "青少年": ("青少年", "重点青少年"),
}
_BROAD_GROUPS = frozenset({"妇女", "儿童", "老年人", "青少年"})
# Taxonomy beneficiaries that name everyone (居民, 公众) or a role rather than people in need (社会组织).
_GENERIC_GROUPS = frozenset({
    "社区居民", "城乡居民", "农村居民", "居民", "公众", "城市公众", "家庭", "社会组织", "消费者", "劳动者",
    "患者", "参保人员", "家长", "农户", "学生", "遇险人员", "受威胁群众", "特殊群体", "困难群众", "教师",
    "创业者", "青年", "大学生", "高校毕业生", "成人学习者", "少数民族群众",
})

@cache
def _groups(taxonomy: Taxonomy) -> tuple[re.Pattern[str], dict[str, str]]:
    """(pattern over every alias, alias -> group): curated groups and the taxonomy's specific ones."""
    alias_of = {a: g for g, aliases in _GROUPS.items() for a in aliases}
    for theme in taxonomy.themes:
        for b in theme.beneficiaries:
            if b in alias_of or b in _GENERIC_GROUPS or len(b) < 2:
                continue
            # 居家老年人 is a way of writing 老年人; 孤独症儿童 has its own entry already
            inside = [a for a in alias_of if a in b]
            alias_of[b] = alias_of[max(inside, key=len)] if inside else b
    alternation = "|".join(re.escape(a) for a in sorted(alias_of, key=lambda a: (-len(a), a)))
    return re.compile(alternation), alias_of


def _excerpt(s: Sentence, at: int) -> str:
    # Traditional input: offsets agree between the analysed text and the text as written
    text = s.original or s.text
    if len(text) <= _EVIDENCE_CHARS:
        return text
    start = max(0, min(at - _EVIDENCE_CHARS // 3, len(text) - _EVIDENCE_CHARS))
    return ("…" if start else "") + text[start:start + _EVIDENCE_CHARS] + "…"


@dataclass
class _Mentions:
    """A department's mentions of one beneficiary group (working state)."""

    mass: float = 0.0
    sentences: list[tuple[float, str, Sentence, int]] = field(default_factory=list)
    terms: Counter[str] = field(default_factory=Counter)
    themes: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Task:
    """A sentence that carries a responsible-unit annotation."""

    path: str
    sentence: Sentence
    themes: frozenset[str]
    groups: frozenset[str]
    units: tuple[tuple[str, str], ...]
    """(unit key, unit as written)."""


@dataclass
class _Side:
    """What links need to know about one read department (working state)."""

    dept: Department
    key: str
    theme_mass: float
    groups: dict[str, _Mentions]
    tasks: list[_Task]


def _side(dept: Department, members: Sequence[ScannedPlan], taxonomy: Taxonomy) -> _Side:
    pattern, alias_of = _groups(taxonomy)
    groups: dict[str, _Mentions] = defaultdict(_Mentions)
    tasks: list[_Task] = []
    for sp in members:
        targets = {t.line for t in sp.plan.targets}
        for s in sp.plan.sentences:
            if s.kind in (SentenceKind.FURNITURE, SentenceKind.TITLE):
                continue
            found: dict[str, tuple[str, int]] = {}
            for m in pattern.finditer(s.text):
                found.setdefault(alias_of[m.group(0)], (m.group(0), m.start()))
            themes = frozenset(t for t, _ in taxonomy.find(s.text) if not taxonomy.by_name[t].umbrella)
            w = sentence_weight(s, s.line in targets and s.kind is SentenceKind.BODY)
            for group, (alias, at) in found.items():
                g = groups[group]
                g.mass += w
                g.sentences.append((w, sp.plan.path, s, at))
                g.terms[alias] += 1
                g.themes.update(themes)
            if s.units:
                units = tuple((unit_key(u), u) for u in s.units if not SKIP_UNIT.search(u))
                tasks.append(_Task(sp.plan.path, s, themes, frozenset(found), units))
    theme_mass = sum(sum(sp.signals.theme_mass.values()) for sp in members)
    return _Side(dept, unit_key(dept.name), theme_mass, dict(groups), tasks)


def _named(sides: Sequence[_Side], match) -> dict[str, list[tuple[_Side, _Task, str]]]:  # type: ignore[no-untyped-def]
    """Unit key -> (naming side, task, unit as written) for tasks that `match` accepts."""
    named: dict[str, list[tuple[_Side, _Task, str]]] = defaultdict(list)
    for side in sides:
        for task in side.tasks:
            if not match(task):
                continue
            for key, written in task.units:
                if key != side.key and key not in FUNDERS:
                    named[key].append((side, task, written))
    return named


def _task_evidence(items: Sequence[tuple[_Side, _Task, str]]) -> tuple[Evidence, ...]:
    seen: dict[tuple[str, int], Evidence] = {}
    for _side, task, _unit in items:
        key = (task.path, task.sentence.line)
        if key not in seen:
            seen[key] = Evidence(task.path, task.sentence.line, _excerpt(task.sentence, 0))
    return tuple(seen.values())[:EVIDENCE_LIMIT]


def _members(owners: list[LinkMember], named: dict[str, list[tuple[_Side, _Task, str]]],
             by_key: dict[str, _Side], place: str | None, own_side) -> list[LinkMember]:  # type: ignore[no-untyped-def]
    """Owners plus every department named as a responsible unit on the same work."""
    members = {m.department: m for m in owners}
    for key, items in sorted(named.items()):
        namers = tuple(sorted({side.dept.name for side, _, _ in items}))
        side = by_key.get(key)
        if side is not None:
            existing = members.get(side.dept.name)
            if existing is not None:
                members[side.dept.name] = LinkMember(existing.department, True, existing.weight,
                                                     existing.terms, existing.evidence, existing.themes,
                                                     namers)
            else:
                members[side.dept.name] = own_side(side, namers, items)
            continue
        themes = tuple(sorted({t for _, task, _ in items for t in task.themes}))
        members[key] = LinkMember(qualified(items[0][2], place), False, 0.0, (), _task_evidence(items),
                                  themes, namers)
    return sorted(members.values(), key=lambda m: (not m.loaded, -m.weight, m.department))


def link_score(members: Sequence[LinkMember], factor: float = 1.0) -> float:
    """Number of departments × their need weights, × `factor` (theme's social weight, or group breadth).

    Departments that write about it count fully, each with its share of its plans capped at WEIGHT_CAP;
    departments only named as responsible units add NAMED_WEIGHT × log2(1 + n), because a long 配合单位 list
    says the work is shared, not that each unit needs it.
    """
    shares = [min(m.weight, WEIGHT_CAP) for m in members if m.loaded and m.weight > 0]
    if not shares:
        return 0.0
    count = len(shares) + NAMED_WEIGHT * math.log2(1 + len(members) - len(shares))
    return round(count * sum(shares) * factor, 4)


def _orgs(members: Sequence[LinkMember], caps: Sequence[Capability], taxonomy: Taxonomy
          ) -> tuple[LinkOrg, ...]:
    """Organizations serving all departments that write about the link first, then those serving two or more.

    A department only named as a responsible unit is judged through the plan that names it, so it adds no
    test of its own.
    """
    judged = [m for m in members if m.loaded and m.weight > 0 and m.themes]
    if not judged:
        return ()
    out = []
    for cap in caps:
        served: list[tuple[float, str, str]] = []
        for m in judged:
            best, theme = max(((cap.themes.get(t, 0.0), t) for t in m.themes
                               if not taxonomy.by_name[t].umbrella), default=(0.0, ""))
            if best >= SERVE_THRESHOLD:
                served.append((best, theme, m.department))
        if len(served) == len(judged) or len(served) >= 2:
            themes = tuple(dict.fromkeys(t for _, t, _ in sorted(served, key=lambda x: (-x[0], x[1]))))
            out.append(LinkOrg(cap.org.id, cap.org.name, round(min(v for v, _, _ in served), 3), themes,
                               tuple(d for _, _, d in served), len(served) == len(judged)))
    out.sort(key=lambda o: (not o.serves_all, -len(o.serves), -o.coverage, o.org_id))
    return tuple(out[:ORG_LIMIT])


def _theme_links(sides: Sequence[_Side], caps: Sequence[Capability], taxonomy: Taxonomy,
                 place: str | None) -> list[Link]:
    by_key = {s.key: s for s in sides}
    themes = sorted({t for s in sides for t in s.dept.needs})
    links = []
    for name in themes:
        theme = taxonomy.by_name.get(name)
        if theme is None or theme.umbrella or name in _MEANS_THEMES:
            continue

        def member(side: _Side, namers: tuple[str, ...] = (), items=(), name: str = name) -> LinkMember:  # type: ignore[no-untyped-def]
            point = next((p for p in side.dept.pain_points if p.theme == name and p.kind == "theme"
                          and p.source is PainPointSource.TEXT), None)
            evidence = point.evidence[:EVIDENCE_LIMIT] if point else _task_evidence(items)
            return LinkMember(side.dept.name, True, round(side.dept.needs.get(name, 0.0), 4),
                              point.terms[:4] if point else (), evidence, (name,), namers)

        owners = [member(s) for s in sides if s.dept.needs.get(name, 0.0) >= MIN_SHARE
                  and any(p.theme == name and p.source is PainPointSource.TEXT for p in s.dept.pain_points)]
        if not owners:
            continue
        named = _named(sides, lambda task, name=name: name in task.themes)
        members = _members(owners, named, by_key, place, member)
        if len(members) < 2:
            continue
        basis = []
        if len(owners) >= 2:
            basis.append(LinkBasis.THEME)
        if named:
            basis.append(LinkBasis.UNITS)
        if theme.social < SOCIAL_MIN and len(named) < 2:
            continue
        factor = max(SOCIAL_FLOOR, theme.social)
        links.append(Link(name, tuple(basis), link_score(members, factor), tuple(members),
                          _orgs(members, caps, taxonomy), place))
    return links


def _group_links(sides: Sequence[_Side], caps: Sequence[Capability], taxonomy: Taxonomy,
                 place: str | None) -> list[Link]:
    by_key = {s.key: s for s in sides}
    links = []
    for group in sorted({g for s in sides for g in s.groups}):

        def member(side: _Side, namers: tuple[str, ...] = (), items=(), group: str = group) -> LinkMember:  # type: ignore[no-untyped-def]
            g = side.groups.get(group)
            if g is None:
                themes = tuple(sorted({t for _, task, _ in items for t in task.themes}))
                return LinkMember(side.dept.name, True, 0.0, (), _task_evidence(items), themes, namers)
            ranked = sorted(g.sentences, key=lambda x: (-x[0], x[1], x[2].line))
            evidence: list[Evidence] = []
            for _weight, path, s, at in ranked:
                if all(e.line != s.line or e.document != path for e in evidence):
                    evidence.append(Evidence(path, s.line, _excerpt(s, at)))
                if len(evidence) == EVIDENCE_LIMIT:
                    break
            themes = tuple(t for t, _ in sorted(g.themes.items(), key=lambda x: (-x[1], x[0]))[:3])
            share = min(1.0, g.mass / side.theme_mass) if side.theme_mass else 0.0
            terms = tuple(t for t, _ in sorted(g.terms.items(), key=lambda x: (-x[1], x[0])))
            return LinkMember(side.dept.name, True, round(share, 4), terms[:4], tuple(evidence), themes,
                              namers)

        owners = [m for m in (member(s) for s in sides if group in s.groups) if m.weight >= GROUP_MIN_SHARE]
        if not owners:
            continue
        named = _named(sides, lambda task, group=group: group in task.groups)
        members = _members(owners, named, by_key, place, member)
        if len(members) < 2:
            continue
        basis = [LinkBasis.BENEFICIARY] if len(owners) >= 2 else []
        if named:
            basis.append(LinkBasis.UNITS)
        factor = BROAD_FACTOR if group in _BROAD_GROUPS else 1.0
        links.append(Link(group, tuple(basis), link_score(members, factor), tuple(members),
                          _orgs(members, caps, taxonomy), place))
    return links


def _restates(group: Link, themes: Sequence[Link]) -> bool:
    """A group link adds nothing to a theme link named after the group (留守儿童 → 留守儿童关爱保护) that
    already holds its departments."""
    read = {m.department for m in group.members if m.loaded and m.weight > 0}
    return any(group.key in t.key and read <= {m.department for m in t.members if m.loaded and m.weight > 0}
               for t in themes)


def links_between(plans: Sequence[ScannedPlan], caps: Sequence[Capability] = (),
                  taxonomy: Taxonomy | None = None) -> tuple[list[Department], list[Link]]:
    """Departments of the scanned plans and every link among departments of the same place, best first."""
    taxonomy = taxonomy or load_taxonomy()
    departments = build_departments(plans, taxonomy)
    by_label: dict[str, list[ScannedPlan]] = defaultdict(list)
    for sp in plans:
        by_label[sp.plan.label].append(sp)
    # departments of different governments do not cooperate on one task: link within a place only
    places: dict[str | None, list[_Side]] = defaultdict(list)
    for d in departments:
        places[d.place].append(_side(d, by_label[d.name], taxonomy))
    links: list[Link] = []
    for place in sorted(places, key=lambda p: p or ""):
        sides = places[place]
        by_theme = _theme_links(sides, caps, taxonomy, place)
        links += by_theme
        links += [g for g in _group_links(sides, caps, taxonomy, place) if not _restates(g, by_theme)]
    links.sort(key=lambda link: (-link.score, link.key, link.place or ""))
    return departments, links


def find_links(plan_paths: Sequence[str], org_paths: Sequence[str] = (), *, top: int = 10,
               progress: Progress = no_progress) -> LinksResult:
    """Read plans (and profiles), find cross-department links, keep the best `top` (0 = all)."""
    taxonomy = load_taxonomy()
    plans, errors, skipped = read_plans(plan_paths, progress)
    # themes only: links never use key phrases, so no segmentation is needed
    signals = [collect_signals(p, taxonomy, None) for p in plans]
    ranked = rank_pain_points(signals, taxonomy, top=10_000)
    scanned = [ScannedPlan(p, tuple(r), s) for p, r, s in zip(plans, ranked, signals, strict=True)]
    caps: list[Capability] = []
    if org_paths:
        profiles, org_errors = load_orgs(org_paths)
        errors += org_errors
        caps = [capability(p, taxonomy) for p in profiles]
    departments, links = links_between(scanned, caps, taxonomy)
    kept = links if top <= 0 else links[:top]
    return LinksResult(tuple(kept), tuple(departments), tuple(errors), tuple(skipped))

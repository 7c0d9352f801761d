"""Scoring (department, organization) pairs on shared themes, statistical similarity and region."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from painpoint.i18n import _
from painpoint.match.bridge import bridge_for
from painpoint.model import Evidence
from painpoint.orgs import OrgProfile
from painpoint.plans.department import split_place
from painpoint.plans.openness import (
    NO_OPENNESS,
    Openness,
    merge_openness,
    openness_reason,
    tie_breaker,
)
from painpoint.plans.organs import expand_short_forms, kind_of, leading_place
from painpoint.text.traditional import to_simplified
from painpoint.themes.extract import PainPoint, PainPointSource, PlanSignals, look_ahead
from painpoint.themes.taxonomy import Taxonomy

if TYPE_CHECKING:
    import numpy as np

# Strength of an organization's claim to a theme, by where in its profile the theme shows up: concrete
# project experience counts most, above all with a government partner; mission wording least.
STRENGTH_PROJECT_GOV = 1.0
STRENGTH_PROJECT = 0.85
STRENGTH_SERVICE = 0.7
STRENGTH_BENEFICIARY = 0.55
STRENGTH_MISSION = 0.5
STRENGTH_NAME = 0.5
SINGLE_FIELD = 0.7      # one field alone makes at most this strong a claim; more fields approach 1
FOCUS_FLOOR = 0.6       # a theme at the edge of an organization's work keeps this share of its strength
RELATED_FACTOR = 0.6    # work on 留守儿童关爱保护 serves this much of a need for 儿童福利
RELATED_HOPS = 2        # links followed from an organization's own claims
NARROW_FACTOR = 0.3     # work on 儿童福利 serves this much of a need for 留守儿童关爱保护
SECONDARY_OWNER = 0.5
UMBRELLA_NEED = 0.4     # share of its mention mass a field-wide umbrella keeps among a department's needs
BRIDGE_FACTOR = 0.8     # a phrase that resembles a theme's words claims less than one that is a theme word
PLACE_FACTOR = 0.5      # words that say where the work happens (到贫困地区的小学) claim half as much
HONOUR_FACTOR = 0.5     # words in an honour's name (入选全国社会工作服务示范项目) claim half as much
NEED_EXPONENT = 0.75    # a theme weighs in matching as its share of a plan to this power (diminishing returns)
OUTLINE_FACTOR = RELATED_FACTOR  # work on a theme a plan's outline puts under a heading serves this much of its need
ONE_FIELD = 0.6         # a plan whose themes are this much one department's field speaks for that field

THEME_SCALE = 0.22      # theme fit at which the theme part of the score reaches 1 - 1/e
SIMILARITY_SCALE = 0.25  # cosine similarity at which the statistical part saturates
SIMILARITY_WEIGHT = 0.2  # the statistical part fills what the taxonomy misses, never leads
LOCAL_BONUS = 0.12       # share of the remaining headroom a local organization gains
SOCIAL_FLOOR = 0.3       # themes organizations rarely deliver still count a little when the org does them
TOP_REASON_THEMES = 3
MATCH_TIE = 0.01         # organizations this close in score are reported as near ties
OPENNESS_TIE = 0.01      # most a department's openness to buying services adds: breaks ties, never reorders

_OFFICE = re.compile(r"(局|厅|部|委|办|部门|系统|机关)$")
_GOV_PARTNER = re.compile(r"(局|委|办|厅|部|政府|街道|乡镇|镇|乡|村委|居委|社区|妇联|团委|残联|总工会|科协|红十字会|"
                          r"法院|检察院|中心学校|学校|医院|卫生院)$")


@dataclass(frozen=True)
class Claim:
    """Where an organization's profile shows a theme."""

    theme: str
    """Theme name."""
    field: str
    """Profile field: mission, service, beneficiary, project:<name> or name."""
    term: str
    """The organization's own word that mapped to the theme."""
    strength: float
    """How strong a claim this field makes (project with a government partner = 1.0)."""
    text: str
    """The field's text, for explanations."""
    partners: tuple[str, ...] = ()
    """Partners of the project, when the claim comes from one."""
    whom: bool = False
    """The claim says only whom or where the organization serves, not what work it does: a word that stands
    only as a place or in an honour's name, or the beneficiaries list."""


@dataclass(frozen=True)
class Capability:
    """An organization mapped onto the taxonomy."""

    org: OrgProfile
    """The profile."""
    themes: dict[str, float]
    """Theme -> strength in [0, 1]."""
    claims: dict[str, tuple[Claim, ...]]
    """Theme -> the profile fields that support it, strongest first."""
    text: str
    """All of the profile's words, for statistical similarity."""


@dataclass(frozen=True)
class Department:
    """A department and what its plans need."""

    name: str
    """Department name (or the plan's title/file when the department is unknown)."""
    documents: tuple[str, ...]
    """Paths of its plans, as given."""
    pain_points: tuple[PainPoint, ...]
    """Its pain points over all its plans, best first; evidence carries the document."""
    needs: dict[str, float]
    """Theme -> share of its plans' theme mass (sums to 1 when any theme was found)."""
    place: str | None
    """Administrative place it belongs to (示例县), when known."""
    text: str
    """Its plans' substantive sentences, for statistical similarity."""
    openness: Openness = NO_OPENNESS
    """How its plans speak of buying services from and working with social organizations."""
    ahead: float = 1.0
    """How much of its plans' theme mass looks ahead (themes.extract.look_ahead), averaged over its plans."""
    outline: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """Theme -> {theme its plans' outlines put under a heading on it: share of the theme's mentions those headings
    carry} (outline_links): the plans' own broad-narrow links, beside the taxonomy's."""

    @cached_property
    def match_weights(self) -> dict[str, float]:
        """Theme -> what the need weighs in matching: `needs` with diminishing returns on repetition
        (need_weights), times how much of the plans looks ahead (sums to `ahead`): a report that only reviews
        past work asks less of an organization than a plan of what comes next."""
        return {t: v * self.ahead for t, v in need_weights(self.needs).items()}
    asks: CredentialAsks | None = None
    """The credentials its text asks of organizations, read once; None: read from `text` when needed (a
    streamed match keeps these and leaves `text` empty)."""


@dataclass(frozen=True)
class Match:
    """How well one organization fits one department, and why."""

    department: str
    org_id: str
    org_name: str
    score: float
    """0..1, comparable across departments and organizations."""
    rank: int
    """The organization's rank within its department (1 = best)."""
    pain_points: tuple[str, ...]
    """The department's pain points the organization serves, most important first."""
    reasons: tuple[str, ...]
    """Human-readable reasons, in the language in force (quoted plan and profile text as written)."""
    evidence: tuple[Evidence, ...]
    """Plan sentences behind the matched pain points."""
    plan_terms: tuple[str, ...]
    """The plan's words for what the organization does: use them when pitching."""
    org_terms: tuple[str, ...]
    """The organization's own words for the same things."""
    theme_score: float
    """Part of the score from shared themes."""
    similarity: float
    """Cosine similarity of the department's and the organization's wording."""
    local: bool | None
    """True when the organization works in the department's place; None when unknown."""


def names_department(query: str, name: str) -> bool:
    """Whether a --department query names this department: 民政 names 示例县民政局, not 示例县人民政府
    (whose 人民政府 only happens to contain 民政)."""
    if query == name or query in name.replace("人民政府", "政府") or ("人民政府" in query and query in name):
        return True
    full = expand_short_forms(query)  # 妇联 names 示例县妇女联合会, 卫健委 names …卫生健康委员会
    if full != query and full in name:
        return True
    # the same organ under another of its names: 教育局 names 示例县教育体育局, 卫健(委) names …卫生健康局;
    # a place written in the query must be the department's own
    kind = kind_of(query) or kind_of(query + "局")  # a bare short form: 卫健, 人社, 应急
    place = leading_place(query)
    return kind is not None and kind == kind_of(name) and (place is None or name.startswith(place))


# a verb of going or being somewhere, then at most a few characters of the same clause: what follows is a place
# (达到, 得到, 受到 are no going; 促进, 收入 no entering: 进 and 入 count only in the compounds listed); a verb
# of doing in between (到村小上自然课) ends the place, and what follows is the work
_LOCATIVE = re.compile(r"(?:(?<![达得受做感遇收想见看找直])到|赴|深入|走进|走入|开进|进入|进驻|前往|来到|扎根|驻)"
                       r"[^，。；、：:,;.!?！？\s上开做为给教讲送办捐建带访供]{0,10}$")
_LOCATIVE_SPAN = 12


# an honour and what it was won in: 入选民政部社会工作服务示范项目, 荣获全国巾帼文明岗, 被评为5A级社会组织;
# what follows names a programme or a title, not work the organization does, until the clause ends or turns
# to doing again (入选示范项目后持续开展…)
_HONOUR = re.compile(r"(?:入选|获选|荣获|获评|评为|被授予|获颁)"
                     r"(?:(?!后|并|开展|提供|持续|继续)[^，。；、：:,;.!?！？\s]){0,24}$")
_HONOUR_SPAN = 27


def only_where(text: str, term: str) -> bool:
    """Whether every occurrence of `term` in `text` follows a verb of going somewhere in its clause.

    派志愿者到西部贫困地区的希望小学上环境课 names poor areas and a primary school as where the work happens,
    not as the work: an organization that teaches there does not thereby serve poverty relief or schooling.
    """
    return _aside(text, term, honours=False) == PLACE_FACTOR


def only_honour(text: str, term: str) -> bool:
    """Whether every occurrence of `term` in `text` stands in the name of an honour, in the clause after
    入选/获选/荣获/获评/评为/被授予/获颁 (项目入选全国社会工作服务示范项目 names the programme that chose the
    project, not social work the project does); the clause's own work words stand before the verb."""
    return _aside(text, term, places=False) == HONOUR_FACTOR


def _aside(text: str, term: str, *, places: bool = True, honours: bool = True) -> float:
    """What a claim through `term` keeps: 1.0 when the text names it as work at least once; otherwise the
    larger of PLACE_FACTOR (an occurrence that only says where) and HONOUR_FACTOR (one in an honour's name).
    A term the text does not hold keeps 1.0."""
    kept = 0.0
    at = text.find(term)
    if at < 0:
        return 1.0
    while at >= 0:
        before = text[max(0, at - _HONOUR_SPAN):at]
        if places and _LOCATIVE.search(before[-_LOCATIVE_SPAN:]):
            kept = max(kept, PLACE_FACTOR)
        elif honours and _HONOUR.search(before):
            kept = max(kept, HONOUR_FACTOR)
        else:
            return 1.0
        at = text.find(term, at + 1)
    return kept


@lru_cache(maxsize=4)
def _people(taxonomy: Taxonomy) -> frozenset[str]:
    """Every group of people a theme serves (its beneficiaries): the words that say whom, not what."""
    return frozenset(b for t in taxonomy.themes for b in t.beneficiaries if len(b) >= 2)


def _names_group(word: str, theme: str, people: frozenset[str]) -> bool:
    """Whether `word` names the group of people the theme itself is about: 农村留守儿童 for
    留守儿童关爱保护 (both hold 留守儿童), not 乡村教师 for 乡村教育."""
    return any(word[i:j] in people and word[i:j] in theme
               for i in range(len(word)) for j in range(i + 2, len(word) + 1))


def _is_gov(partner: str) -> bool:
    return bool(_GOV_PARTNER.search(to_simplified(partner.strip())))


def capability(org: OrgProfile, taxonomy: Taxonomy, cut: Callable[[str], list[str]] | None = None) -> Capability:
    """Map an organization's profile onto themes, weighting projects above mission wording.

    `cut` segments profile text so that two-character terms only count as whole words (助老 is not in
    帮助老师); it defaults to the process-wide segmenter.
    """
    if cut is None:
        from painpoint.themes.segmentation import default_segmenter

        cut = default_segmenter().cut
    bridge = bridge_for(taxonomy)
    claims: dict[str, list[Claim]] = defaultdict(list)
    fields: list[tuple[str, str, float, tuple[str, ...]]] = [("name", org.name, STRENGTH_NAME, ())]
    fields.append(("mission", org.mission, STRENGTH_MISSION, ()))
    fields += [("service", s, STRENGTH_SERVICE, ()) for s in org.services]
    fields += [("beneficiary", b, STRENGTH_BENEFICIARY, ()) for b in org.beneficiaries]
    for p in org.projects:
        strength = STRENGTH_PROJECT_GOV if any(_is_gov(x) for x in p.partners) else STRENGTH_PROJECT
        text = "\n".join(x for x in (p.name, p.summary, p.results) if x)
        fields.append((f"project:{p.name}", text, strength, p.partners))
    for label, text, strength, partners in fields:
        seen: set[str] = set()
        # Traditional profiles (Hong Kong, Macao, Taiwan) are read in Simplified and quoted as written
        analysed = to_simplified(text)
        for theme, term in taxonomy.find(analysed, org=True, tokens=cut(analysed)):
            if theme in seen:
                continue
            seen.add(theme)
            where = _aside(analysed, term)
            if analysed is not text:
                at = analysed.find(term)
                term = text[at:at + len(term)]
            claims[theme].append(Claim(theme, label, term, strength * where, text, partners, where < 1.0))
        # words no list holds (畜牧养殖, 残障儿童康复) reach their theme by resemblance, at graded strength
        for link in bridge.links(analysed, cut):
            if link.theme not in seen:
                seen.add(link.theme)
                where = _aside(analysed, link.phrase)
                claims[link.theme].append(Claim(link.theme, label, link.phrase,
                                                strength * BRIDGE_FACTOR * link.similarity * where, text, partners,
                                                where < 1.0))
    # Whom an organization serves is not what it does: a group of people (乡村教师 in 乡村教师环境教育培训: a
    # word some theme lists among its beneficiaries) claims a theme no more strongly than the beneficiaries field
    # does, unless the theme's name holds the group (农村留守儿童 for 留守儿童关爱保护). The work words of the
    # same text carry the rest (为独居老人提供助餐: 助餐 claims 居家社区养老 in full).
    people = _people(taxonomy)
    for theme, cs in claims.items():
        for i, c in enumerate(cs):
            word = to_simplified(c.term)
            if c.field == "beneficiary" or (word in people and not _names_group(word, theme, people)):
                cs[i] = replace(c, strength=min(c.strength, STRENGTH_BENEFICIARY),
                                whom=c.whom or c.field == "beneficiary")
    # A single incidental mention (a project run "in poor areas") is weaker than a theme the profile returns
    # to in several fields: combine fields as independent evidence (a theme claimed only by whom and where
    # counts its strongest claim once), then scale by how central the theme is to this organization.
    themes: dict[str, float] = {}
    support: dict[str, float] = {}
    for theme, cs in list(claims.items()):
        if taxonomy.by_name[theme].umbrella:
            # naming the field's office (a partner 民政局, a 民政部门 programme) is not a capability in it
            cs[:] = [c for c in cs if not _OFFICE.search(to_simplified(c.term))]
            if not cs:
                del claims[theme]
                continue
        cs.sort(key=lambda c: (-c.strength, c.field))
        evidence = cs[:1] if all(c.whom for c in cs) else cs
        miss = 1.0
        for c in evidence:
            miss *= 1.0 - SINGLE_FIELD * c.strength
        themes[theme] = 1.0 - miss
        support[theme] = sum(c.strength for c in evidence)
    top_support = max(support.values(), default=1.0)
    for theme in themes:
        themes[theme] *= FOCUS_FLOOR + (1 - FOCUS_FLOOR) * support[theme] / top_support
    # graded links both ways: narrow work serves much of the broad need (留守儿童关爱保护 -> 儿童福利), broad
    # work some of each narrow one (儿童福利 -> 留守儿童关爱保护); from the organization's own claims only
    own = sorted(themes.items())
    for _hop in range(RELATED_HOPS):  # 农民增收 -> 巩固脱贫成果 -> 脱贫攻坚, weaker at each step
        for theme, strength in sorted(themes.items()):
            for broader in taxonomy.by_name[theme].related:
                if RELATED_FACTOR * strength > themes.get(broader, 0.0):
                    themes[broader] = RELATED_FACTOR * strength
                    claims.setdefault(broader, claims[theme])
    for theme, strength in own:
        for narrower in taxonomy.narrower(theme):
            if NARROW_FACTOR * strength > themes.get(narrower, 0.0):
                themes[narrower] = NARROW_FACTOR * strength
                claims.setdefault(narrower, claims[theme])
    # An umbrella theme (民政事业, 卫生健康) is served through its specific themes, in proportion to how much of
    # the organization's work lies in that field: an education NGO serves 教育事业; a nature school that also
    # teaches only touches it. An umbrella over a group of people (妇女发展) is served by work for those people
    # (its own words, or narrower themes that name it), never by sharing an office: 妇联 also looks after
    # children, and a children's charity does not thereby serve women.
    total = sum(themes.values())
    for umbrella in (t for t in taxonomy.themes if t.field_wide):
        owner = umbrella.departments[0] if umbrella.departments else ""
        family = [(themes[t.name] * (1.0 if t.departments[0] == owner else SECONDARY_OWNER), t.name)
                  for t in taxonomy.family(umbrella) if t.name in themes]
        if family and total:
            focus = sum(v for v, _ in family) / total
            strength, best = max(family)
            if focus * strength > themes.get(umbrella.name, 0.0):
                themes[umbrella.name] = min(1.0, focus * strength)
                claims.setdefault(umbrella.name, claims[best])
    text_parts = [org.name, org.mission, *org.services, *org.beneficiaries]
    for p in org.projects:
        text_parts += [p.name, p.summary, p.results]
    return Capability(org, themes, {t: tuple(c) for t, c in claims.items()},
                      to_simplified("\n".join(text_parts)))


def build_departments(plans: Sequence, taxonomy: Taxonomy) -> list[Department]:  # type: ignore[type-arg]
    """Group scanned plans by department and merge their needs and pain points."""
    groups: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for sp in plans:
        groups[sp.plan.label].append(sp)
    return [build_department(name, groups[name], taxonomy) for name in sorted(groups)]


def department_text(members: Sequence) -> str:  # type: ignore[type-arg]
    """The substantive sentences of a department's scanned plans, joined: what its wording is compared by."""
    from painpoint.plans.structure import SentenceKind

    return "\n".join(s.text for sp in members for s in sp.plan.sentences
                     if s.kind is not SentenceKind.FURNITURE and not s.boilerplate)


def build_department(name: str, members: Sequence, taxonomy: Taxonomy, *,  # type: ignore[type-arg]
                     keep_text: bool = True) -> Department:
    """One department from its scanned plans (in input order). `keep_text=False` reads the credentials its
    text asks for and keeps those instead of the text (a streamed match holds no plan text)."""
    needs: dict[str, float] = defaultdict(float)
    kept = [own_field_mass(sp.signals, taxonomy) for sp in members]
    for masses in kept:
        total = sum(masses.values())
        for theme, mass in masses.items():
            needs[theme] += mass / total / len(members)
    needs_raw = dict(needs)
    _shrink_umbrellas(needs, taxonomy)
    merged: dict[str, PainPoint] = {}
    for sp in members:
        for p in sp.pain_points:
            if p.theme not in merged or p.score > merged[p.theme].score:
                merged[p.theme] = p
    points = sorted(merged.values(), key=lambda p: (-p.score, p.theme))
    place = None
    for sp in members:
        place = split_place(sp.plan.department or sp.plan.title or "")[0]
        if place:
            break
    text = department_text(members)
    outline: dict[str, dict[str, float]] = defaultdict(dict)
    # each plan's share of the department's mentions of the broad theme
    for sp, masses in zip(members, kept, strict=True):
        total = sum(masses.values())
        for broad, narrow in outline_links(sp.signals, taxonomy).items():
            part = masses.get(broad, 0.0) / total / len(members) / (needs_raw[broad] or 1.0)
            for theme, share in narrow.items():
                outline[broad][theme] = outline[broad].get(theme, 0.0) + share * part
    return Department(name, tuple(sp.plan.path for sp in members), tuple(points), dict(needs), place,
                      text if keep_text else "", merge_openness(sp.signals.openness for sp in members),
                      ahead=sum(look_ahead(sp.signals) for sp in members) / len(members),
                      outline={t: dict(sorted(v.items())) for t, v in sorted(outline.items())},
                      asks=None if keep_text else credential_asks(text))


def own_field_mass(signals: PlanSignals, taxonomy: Taxonomy) -> dict[str, float]:
    """The plan's theme mass without another department's whole field (a field-wide umbrella: 乡村振兴,
    教育事业) named in a single sentence of it, when the plan speaks for one field: ONE_FIELD of its mass is
    themes that one department (its owner here) owns first.

    A health plan that once says its clinics serve 乡村振兴 does not ask organizations for rural development;
    that is a need of the plans that return to it. Specific work named once stays a need (a women's plan that
    once asks for 心理健康 services asks for them); so does a field the owner shares (乡村振兴 in an agriculture
    plan: 农业农村局 is among its departments), a field the plan names in two sentences or more, and every theme
    of a plan that spreads over many fields (a government work report speaks for all of them). Each plan is
    judged alone, before a department's plans are merged.
    """
    masses = signals.theme_mass
    total = sum(masses.values())
    owners: dict[str, float] = defaultdict(float)
    for theme, mass in masses.items():
        departments = taxonomy.by_name[theme].departments
        if departments:
            owners[departments[0]] += mass
    if not total or not owners:
        return masses
    owner, most = min(owners.items(), key=lambda x: (-x[1], x[0]))
    if most < ONE_FIELD * total:
        return masses
    kept = {t: m for t, m in masses.items()
            if not taxonomy.by_name[t].field_wide or owner in taxonomy.by_name[t].departments
            or len({i for _w, i in signals.theme_sentences.get(t, ())}) > 1}
    return kept if kept else masses


def outline_links(signals: PlanSignals, taxonomy: Taxonomy) -> dict[str, dict[str, float]]:
    """Theme -> {theme of a heading the plan puts under a heading on it: share of the broad theme's mentions
    in the plan that sit in those headings}.

    A plan's outline says what its broad headings consist of: under 第三章 加强和创新基层社会治理 stand 社区服务,
    社会组织, 社会工作, 慈善 and 志愿服务, so in this plan work on 社会组织 serves part of the need for 基层社会治理,
    whether or not the taxonomy links the two; as much of it as the heading carries of the plan's mentions of
    基层社会治理 (a plan on 数字政府 that lists 基层治理数字化 under one of its many headings links the two
    weakly). A sub-heading that repeats its parent's theme elaborates it (培育妇女社会组织 under 社会组织建设)
    and links nothing. Umbrellas take no part on either side: a field-wide one (民政事业) is served through its
    whole field already, one over a group of people (残疾人, 妇女) only by work for that group, and work for a
    group (残疾人) is not thereby work on a heading it stands under (农民增收).
    """
    from painpoint.plans.structure import SentenceKind

    sentences = signals.plan.sentences
    themes_at: dict[int, dict[str, float]] = defaultdict(dict)
    for theme, hits in signals.theme_sentences.items():
        if taxonomy.by_name[theme].umbrella:
            continue
        for w, index in hits:
            if sentences[index].kind is SentenceKind.HEADING:
                themes_at[index][theme] = themes_at[index].get(theme, 0.0) + w
    by_heading: dict[str, dict[str, float]] = defaultdict(dict)
    for index, themes in themes_at.items():
        for theme, w in themes.items():
            by_heading[sentences[index].text][theme] = by_heading[sentences[index].text].get(theme, 0.0) + w
    carried: dict[tuple[str, str], set[str]] = defaultdict(set)  # (broad, narrow) -> the broad headings
    for index, themes in sorted(themes_at.items()):
        narrow = themes.keys()
        for ancestor in sentences[index].section:
            broad_themes = by_heading.get(ancestor, {})
            if broad_themes.keys() & narrow:
                continue
            for broad in broad_themes:
                for theme in narrow:
                    carried[broad, theme].add(ancestor)
    links: dict[str, dict[str, float]] = defaultdict(dict)
    for (broad, theme), headings in sorted(carried.items()):
        total = signals.theme_mass.get(broad, 0.0)
        if total > 0:
            links[broad][theme] = min(1.0, sum(by_heading[h][broad] for h in headings) / total)
    return dict(links)


def served(dept: Department, cap: Capability) -> dict[str, tuple[float, str]]:
    """Theme -> (strength, theme whose claims back it) of the organization for each of the department's needs
    it serves: its own strength, or OUTLINE_FACTOR of its best theme that the plans' outline puts under the need,
    graded by the share of the need those headings carry (outline_links)."""
    weights = dept.match_weights
    out = {t: (cap.themes[t], t) for t in (weights.keys() & cap.themes.keys()) if cap.themes[t]}
    for broad, narrow in dept.outline.items():
        if broad not in weights:
            continue
        best = max(((share * cap.themes.get(t, 0.0), t) for t, share in narrow.items()), default=(0.0, ""))
        if OUTLINE_FACTOR * best[0] > out.get(broad, (0.0, ""))[0]:
            out[broad] = (OUTLINE_FACTOR * best[0], best[1])
    return out


def need_weights(needs: dict[str, float]) -> dict[str, float]:
    """What each need weighs in matching: its share raised to NEED_EXPONENT, renormalised to sum to 1.

    Repetition has diminishing returns: a plan that names 养老服务 in six headings and 社会组织 in one needs
    both, the first more but not six times as much; an organization that serves the once-named need is not
    lost behind every one that touches the repeated one. The square root went too far: a disability plan's
    passing 志愿服务 and 政府购买服务 then let generalist organizations outrank the disability one.
    """
    raised = {t: v ** NEED_EXPONENT for t, v in needs.items() if v > 0}
    total = sum(raised.values())
    return {t: v / total for t, v in raised.items()} if total else {}


def _shrink_umbrellas(needs: dict[str, float], taxonomy: Taxonomy) -> None:
    """A department's whole field (民政事业, 教育事业) names everything it does, so it takes a share of its
    needs no larger than UMBRELLA_NEED of its mention mass; the specific themes keep the rest (sum stays 1).
    Umbrellas over a group of people (残疾人, 妇女) are real needs and keep their share."""
    specific = sum(v for t, v in needs.items() if not taxonomy.by_name[t].field_wide)
    if not specific:
        return
    total = sum(needs.values())
    for theme in needs:
        if taxonomy.by_name[theme].field_wide:
            needs[theme] *= UMBRELLA_NEED
    scale = total / sum(needs.values())
    for theme in needs:
        needs[theme] *= scale


def _local(dept: Department, org: OrgProfile) -> bool | None:
    return _local_to(dept.place, org)


def _local_to(place: str | None, org: OrgProfile) -> bool | None:
    if not place or not org.region:
        return None
    return _works_in(place, tuple(org.region))


@lru_cache(maxsize=65_536)  # asked once per pair: a national run has few places and few distinct regions
def _works_in(place: str, region: tuple[str, ...]) -> bool:
    core = re.sub(r"(省|市|县|区|自治州|自治县|州|旗)$", "", place) or place
    return any(place in r or (len(core) >= 2 and core in r) for r in map(to_simplified, region))


# Below this many cells in the dense department and organization matrices ((departments + organizations) ×
# vocabulary, 8 bytes each: 32 MB) numpy computes TF-IDF itself; above it scikit-learn's sparse path does.
# A single-document match (~10^4 cells) then skips the ~1.2 s scikit-learn import; a national run does not
# allocate dense matrices of a million-word vocabulary.
DENSE_SIMILARITY_CELLS = 4_000_000


def _elements(counts: Counter[str]) -> Iterable[str]:
    """Analyzer for scikit-learn over already-counted terms: each term as often as it occurs."""
    return counts.elements()


def term_parts(taxonomy: Taxonomy) -> Callable[[str], tuple[str, ...]]:
    """The taxonomy's terms inside a longer word, by forward maximum matching (社会组织健康有序发展 -> 社会组织;
    社会组织能力建设 -> 社会组织, 能力建设; 未成年人保护法 -> 未成年人保护): the segmenter keeps a taxonomy term
    or a dictionary word whole, so a plan's 社会组织健康有序发展 and a profile's 社会组织能力建设 would share no
    word at all. The word itself is not among its parts; characters no shorter term covers are skipped."""
    words = frozenset(taxonomy.all_terms)
    longest = max(map(len, words), default=0)

    @lru_cache(maxsize=65_536)
    def parts(term: str) -> tuple[str, ...]:
        if len(term) < 4:
            return ()
        out: list[str] = []
        at = 0
        while at < len(term) - 1:
            for size in range(min(longest, len(term) - at, len(term) - 1), 1, -1):
                if term[at:at + size] in words:
                    out.append(term[at:at + size])
                    at += size
                    break
            else:
                at += 1
        return tuple(out)

    return parts


def _with_parts(counts: Counter[str], parts: Callable[[str], tuple[str, ...]] | None) -> Counter[str]:
    if parts is None:
        return counts
    extra: Counter[str] = Counter()
    for term, n in counts.items():
        for part in parts(term):
            extra[part] += n
    return counts + extra if extra else counts


def _similarities(departments: Sequence[Department], caps: Sequence[Capability], analyzer,  # type: ignore[no-untyped-def]
                  parts: Callable[[str], tuple[str, ...]] | None = None) -> np.ndarray:
    """Cosine similarity of wording (departments × organizations), IDF learned from the departments only.

    Organizations are only transformed, never fitted, so adding one changes no other pair's score. The
    formula is scikit-learn's TfidfVectorizer(sublinear_tf=True): tf -> 1 + ln(tf), smooth idf
    ln((1 + n) / (1 + df)) + 1, each term's weight then scaled by its general-language specificity
    (`_specificity`), rows l2-normalised, cosine = dot product; `analyzer` turns a text into terms.
    """
    # an analyzer that already holds a text's counts (pipeline.KnownTerms) gives them without re-counting
    count = getattr(analyzer, "counts", None) or (lambda text: Counter(analyzer(text)))
    return similarities_of_counts([_with_parts(count(d.text), parts) for d in departments] if caps
                                  else [Counter()] * len(departments), caps, analyzer, parts)


def similarities_of_counts(dept_terms: Sequence[Counter[str]], caps: Sequence[Capability], analyzer,  # type: ignore[no-untyped-def]
                           parts: Callable[[str], tuple[str, ...]] | None = None) -> np.ndarray:
    """`_similarities` from each department's term counts, words inside words already added (`_with_parts`;
    a streamed match sums them from its plans'); `parts` adds them to the organizations' counts."""
    import numpy as np

    zeros = np.zeros((len(dept_terms), len(caps)))
    if not dept_terms or not caps:
        return zeros
    count = getattr(analyzer, "counts", None) or (lambda text: Counter(analyzer(text)))
    vocabulary: dict[str, int] = {}
    for counts in dept_terms:
        for term in counts:
            vocabulary.setdefault(term, len(vocabulary))
    if not vocabulary:  # no usable words at all
        return zeros
    org_terms = [_with_parts(count(c.text), parts) for c in caps]
    if (len(dept_terms) + len(caps)) * len(vocabulary) > DENSE_SIMILARITY_CELLS:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import cosine_similarity

        # the texts were analysed once above; scikit-learn reads the counts back
        vec = TfidfVectorizer(analyzer=_elements, sublinear_tf=True)
        d_sparse, o_sparse = vec.fit_transform(dept_terms), vec.transform(org_terms)
        columns = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        scale = sparse.diags(_specificity(columns))
        return np.asarray(cosine_similarity(d_sparse @ scale, o_sparse @ scale))

    def tf(docs: Sequence[Counter[str]]) -> np.ndarray:
        m = np.zeros((len(docs), len(vocabulary)))
        for row, counts in zip(m, docs, strict=True):
            known = [(vocabulary[t], n) for t, n in counts.items() if t in vocabulary]
            if known:
                columns, values = zip(*known, strict=True)
                row[list(columns)] = np.log(values) + 1
        return m

    d, o = tf(dept_terms), tf(org_terms)
    df = np.count_nonzero(d, axis=0)
    idf = (np.log((len(dept_terms) + 1) / (df + 1.0)) + 1) * _specificity(list(vocabulary))
    d, o = d * idf, o * idf
    for m in (d, o):
        norms = np.sqrt(np.einsum("ij,ij->i", m, m))
        norms[norms == 0.0] = 1.0
        m /= norms[:, None]
    return d @ o.T


def _specificity(terms: Sequence[str]) -> np.ndarray:
    """How specific each term is in general language, at most 1: its background IDF over the median word's.

    With one plan loaded, the plans' own IDF is the same for every word: one shared 居民 or 农村 would make
    an organization resemble a health plan. Words more common than the median count in proportion.
    """
    import numpy as np

    idf, median = _general_idf()
    return np.array([min(1.0, idf.get(t, median) / median) for t in terms])


@lru_cache(maxsize=1)
def _general_idf() -> tuple[dict[str, float], float]:
    """jieba's general-language IDF table, read once per process (~40 ms from the cache)."""
    from painpoint.text.resources import background_idf

    return background_idf()


def _saturate(x: float, scale: float) -> float:
    return 1.0 - math.exp(-x / scale)


def score_pair(dept: Department, cap: Capability, taxonomy: Taxonomy, similarity: float
               ) -> tuple[float, float, list[tuple[float, str]], bool | None]:
    """(score, theme part, [(contribution, theme)], local) for one pair."""
    contributions = []
    weights = dept.match_weights
    for theme, (strength, _via) in served(dept, cap).items():
        need = weights[theme]
        social = taxonomy.by_name[theme].social
        value = need * strength * (SOCIAL_FLOOR + (1 - SOCIAL_FLOOR) * social)
        contributions.append((value, theme))
    contributions.sort(key=lambda x: (-x[0], x[1]))
    theme_fit = sum(v for v, _ in contributions)
    theme_part = _saturate(theme_fit, THEME_SCALE)
    sim_part = min(1.0, similarity / SIMILARITY_SCALE)
    score = (1 - SIMILARITY_WEIGHT) * theme_part + SIMILARITY_WEIGHT * sim_part * max(theme_part, 0.25)
    local = _local(dept, cap.org)
    if local:
        score += LOCAL_BONUS * (1 - score)
    return min(1.0, max(0.0, score)), theme_part, contributions, local


def _explain(dept: Department, cap: Capability, contributions: list[tuple[float, str]], local: bool | None,
             similarity: float, cap_is_umbrella: Callable[[str], bool]
             ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Evidence, ...],
                                         tuple[str, ...], tuple[str, ...]]:
    ranks = {p.theme: i for i, p in enumerate(dept.pain_points, start=1)}
    by_theme = {p.theme: p for p in dept.pain_points}
    # a field-wide theme (民政事业) explains little: name the specific pain points first
    specific = [t for v, t in contributions if v > 0 and not cap_is_umbrella(t)]
    broad = [t for v, t in contributions if v > 0 and cap_is_umbrella(t)]
    themes = (specific + broad)[:TOP_REASON_THEMES]
    reasons: list[str] = []
    evidence: list[Evidence] = []
    plan_terms: dict[str, None] = {}
    org_terms: dict[str, None] = {}
    via = served(dept, cap)  # a need met through the plan's outline is explained by the narrower theme's claims
    claims = {t: cap.claims.get(t) or cap.claims[via[t][1]] for t in themes}
    for theme in themes:
        claim = claims[theme][0]
        share = dept.needs.get(theme, 0.0)
        rank = (_("pain point no. {rank} of the department").format(rank=ranks[theme]) if theme in ranks
                else _("a minor pain point of the department"))
        if claim.field.startswith("project:"):
            if claim.partners:
                what = _("project “{name}”, partners: {partners}").format(
                    name=claim.field[8:], partners="、".join(claim.partners))
            else:
                what = _("project “{name}”").format(name=claim.field[8:])
        elif claim.field == "service":
            what = _("service “{text}”").format(text=claim.text)
        elif claim.field == "beneficiary":
            what = _("beneficiaries “{text}”").format(text=claim.text)
        else:
            what = _("the organization's mission")
        reasons.append(_("“{theme}” is {rank} (about {share} of its plans): matches {what}").format(
            theme=theme, rank=rank, share=f"{share:.0%}", what=what))
        point = by_theme.get(theme)
        words = list(point.terms if point else ())
        if cap_is_umbrella(theme):
            continue
        for w in words[:3]:
            plan_terms.setdefault(w, None)
        org_words = [c.term for c in claims[theme]]
        for w in org_words[:3]:
            org_terms.setdefault(w, None)
        fresh = [w for w in words[:3] if w not in org_words and w not in cap.text]
        if fresh:
            reasons.append(_("In the plan's words: {plan_words} (the organization says: {org_word})").format(
                plan_words="、".join(fresh), org_word=org_words[0]))
        if point and point.source is PainPointSource.TEXT:
            evidence.extend(point.evidence[:2])
    if local:
        reasons.append(_("Local organization: works in {place}").format(place=dept.place))
    elif local is False:
        reasons.append(_("Organization from elsewhere ({regions}): can bring proven experience; explain how it "
                         "would work locally").format(regions="、".join(cap.org.region[:3])))
    reasons += credential_reasons(dept.asks if dept.asks is not None else dept.text, cap.org)
    if similarity >= 0.08:
        reasons.append(_("Wording similarity {similarity}").format(similarity=f"{similarity:.2f}"))
    if not themes:
        reasons.append(_("No service or project found that meets this department's pain points"))
    return tuple(themes), tuple(reasons), tuple(evidence[:4]), tuple(plan_terms), tuple(org_terms)


_ASKS_GRADE = re.compile(r"([1-5１-５３４５]|[三四五])\s*A\s*级?\s*(?:及|以)上")
_ASKS_FUNDRAISING = re.compile(r"具有公开募捐资格|具备公开募捐资格|公开募捐资格的")
_ASKS_CHARITY = re.compile(r"(?:认定|登记)为慈善组织|具有慈善组织|慈善组织身份")


@dataclass(frozen=True)
class CredentialAsks:
    """What a plan's text asks of organizations' credentials (see credential_asks)."""

    grade: int | None
    """The lowest rating asked for (3 for 3A以上), when the text asks for one."""
    fundraising: bool
    """Whether it mentions public fundraising status."""
    charity: bool
    """Whether it mentions charitable-organization recognition."""


def credential_asks(plan_text: str) -> CredentialAsks:
    """The credentials a plan asks of organizations (3A以上, 公开募捐资格, 慈善组织)."""
    grade = None
    if m := _ASKS_GRADE.search(plan_text):
        grade = "一二三四五".find(m.group(1)) + 1 or int(m.group(1).translate(str.maketrans("１２３４５", "12345")))
    return CredentialAsks(grade, bool(_ASKS_FUNDRAISING.search(plan_text)), bool(_ASKS_CHARITY.search(plan_text)))


def credential_reasons(plan_text: str | CredentialAsks, org: OrgProfile) -> tuple[str, ...]:
    """Reason lines for credentials a plan asks of organizations (3A以上, 公开募捐资格), met or not stated;
    `plan_text` may be what credential_asks read from it."""
    asks = plan_text if isinstance(plan_text, CredentialAsks) else credential_asks(plan_text)
    fact = org.accreditation
    out: list[str] = []
    if asks.grade is not None:
        wanted = asks.grade
        if fact is not None and fact.grade is not None:
            if fact.grade >= wanted:
                line = _("The plan asks for social organizations rated {wanted}A or above: the organization is "
                         "rated {grade}A, which meets it")
            else:
                line = _("The plan asks for social organizations rated {wanted}A or above: the organization is "
                         "rated {grade}A, which falls short")
            out.append(line.format(wanted=wanted, grade=fact.grade))
        else:
            out.append(_("The plan asks for social organizations rated {wanted}A or above: the profile states "
                         "no rating (credentials.grade)").format(wanted=wanted))
    if asks.fundraising:
        has = fact is not None and fact.public_fundraising
        out.append(_("The plan mentions public fundraising status: the organization has it") if has else
                   _("The plan mentions public fundraising status: the profile does not state it"))
    if asks.charity:
        has = fact is not None and fact.charity
        out.append(_("The plan mentions charitable organizations: the organization is recognized as one") if has
                   else _("The plan mentions charitable organizations: the profile does not state recognition "
                          "as one"))
    return tuple(out)


def pair_scores(departments: Sequence[Department], caps: Sequence[Capability], taxonomy: Taxonomy,
                sims: np.ndarray) -> np.ndarray:
    """Final scores of every pair (departments × organizations), before rounding: `score_pair` on whole
    matrices, plus the openness tie-breaker.

    Theme fit is one matrix product, need (departments × themes) by worth (themes × organizations); the
    region check runs once per distinct place and organization, not per pair. 2,000 departments × 1,000
    organizations take ~1 s where the pair-by-pair loop took ~17 s. `score_pair` stays the reference (a test
    holds the two within 1e-12) and gives the explanation of the pairs that are kept.
    """
    import numpy as np

    themes = sorted({t for d in departments for t in d.match_weights} & {t for c in caps for t in c.themes})
    column = {t: i for i, t in enumerate(themes)}
    need = np.zeros((len(departments), len(themes)))
    for i, dept in enumerate(departments):
        for theme, value in dept.match_weights.items():
            if theme in column:
                need[i, column[theme]] = value
    worth = np.zeros((len(caps), len(themes)))
    for j, cap in enumerate(caps):
        for theme, strength in cap.themes.items():
            if theme in column and strength:
                social = taxonomy.by_name[theme].social
                worth[j, column[theme]] = strength * (SOCIAL_FLOOR + (1 - SOCIAL_FLOOR) * social)
    fit = need @ worth.T
    # needs met through a plan's own outline (served): OUTLINE_FACTOR of the best narrower theme's strength,
    # where that beats the organization's own strength for the need
    held = np.zeros((len(caps), len(themes)))
    for j, cap in enumerate(caps):
        for theme, value in cap.themes.items():
            if theme in column:
                held[j, column[theme]] = value
    for i, dept in enumerate(departments):
        weights = dept.match_weights
        for broad, narrow in dept.outline.items():
            if broad not in weights:
                continue
            ks = [column[t] for t in narrow if t in column]
            shares = np.array([narrow[t] for t in narrow if t in column])
            own = held[:, column[broad]] if broad in column else np.zeros(len(caps))
            via = OUTLINE_FACTOR * (held[:, ks] * shares).max(axis=1) if ks else np.zeros(len(caps))
            gain = np.where(via > own, via - own, 0.0)
            if gain.any():
                social = taxonomy.by_name[broad].social
                fit[i] += weights[broad] * gain * (SOCIAL_FLOOR + (1 - SOCIAL_FLOOR) * social)
    theme_part = 1.0 - np.exp(-fit / THEME_SCALE)
    sim_part = np.minimum(1.0, sims / SIMILARITY_SCALE)
    score = (1 - SIMILARITY_WEIGHT) * theme_part + SIMILARITY_WEIGHT * sim_part * np.maximum(theme_part, 0.25)
    local_rows = {place: [bool(_local_to(place, cap.org)) for cap in caps]
                  for place in dict.fromkeys(d.place for d in departments)}
    local = np.array([local_rows[d.place] for d in departments], dtype=bool).reshape(score.shape)
    score = np.clip(np.where(local, score + LOCAL_BONUS * (1 - score), score), 0.0, 1.0)
    # openness only separates near-equal pairs, and only for organizations that serve the department
    bonus = np.array([tie_breaker(d.openness, True, weight=OPENNESS_TIE) for d in departments])
    score = np.minimum(1.0, score + np.where(theme_part > 0, bonus[:, None], 0.0))
    # The matrix product sums in another order than score_pair, so a score may differ in its last bit; where
    # that could move its 4-place rounding (a half-way tie), take score_pair's value: ranks and shown scores
    # are then exactly the pair-by-pair ones, and never depend on which other pairs were scored.
    scaled = score * 10_000
    for i, j in zip(*np.nonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6), strict=True):
        dept, cap = departments[i], caps[j]
        exact, part, _contributions, _local = score_pair(dept, cap, taxonomy, float(sims[i, j]))
        score[i, j] = min(1.0, exact + tie_breaker(dept.openness, part > 0, weight=OPENNESS_TIE))
    return score


def _near_ties(ranked: list[int], at: int, scores: list[float], caps: Sequence[Capability]) -> list[str]:
    """Names of the organizations whose score is within MATCH_TIE of the one ranked at `at` (a run of
    near-equal neighbours, best first); none for a zero score."""
    if scores[ranked[at]] <= 0:
        return []
    out = []
    for step in (-1, 1):
        k = at + step
        while 0 <= k < len(ranked) and abs(scores[ranked[k]] - scores[ranked[at]]) <= MATCH_TIE:
            out.append((k, caps[ranked[k]].org.name))
            k += step
    return [name for _k, name in sorted(out)]


PAIR_BLOCK = 256
"""Departments scored at once by match_all: pair_scores builds several departments × organizations matrices,
so a national run scores them a block at a time (rows are independent; ranks and shown scores do not depend
on the block, see pair_scores)."""


def match_all(departments: Sequence[Department], caps: Sequence[Capability], taxonomy: Taxonomy,
              analyzer, keep: Callable[[int, str], bool] | None = None, limit: int | None = None,
              sims: np.ndarray | None = None) -> list[Match]:  # type: ignore[no-untyped-def]
    """Score every (department, organization) pair; rank organizations within each department.

    `keep(rank, org_id)` says which ranked pairs to return; only those are explained, so a national run
    that keeps the top few per department does not build millions of explanations. Default: all pairs.
    `limit`: return at most this many best-ranked pairs per department (`keep` is asked only about those).
    Ranks follow the score rounded to 4 places, then the organization id. `sims`: the wording similarities
    when already computed (a streamed match, which holds term counts rather than department texts).
    """
    import numpy as np

    if sims is None:
        sims = _similarities(departments, caps, analyzer, term_parts(taxonomy))
    ids = [cap.org.id for cap in caps]
    by_id = np.empty(len(caps), dtype=np.int64)
    by_id[sorted(range(len(caps)), key=ids.__getitem__)] = np.arange(len(caps))
    # a field-wide theme (民政事业) explains little; one over a group of people (残疾人保障) is a need like any other
    is_umbrella: Callable[[str], bool] = lambda t: taxonomy.by_name[t].field_wide  # noqa: E731 (one-line helper)
    out: list[Match] = []
    scores = np.zeros((0, len(caps)))
    for di, dept in enumerate(departments):
        if di % PAIR_BLOCK == 0:  # a block of departments at a time: the score matrices stay PAIR_BLOCK rows
            scores = pair_scores(departments[di:di + PAIR_BLOCK], caps, taxonomy, sims[di:di + PAIR_BLOCK])
        rounded = [round(x, 4) for x in scores[di % PAIR_BLOCK].tolist()]
        sim_row = sims[di].tolist()
        order = np.lexsort((by_id, -np.asarray(rounded)))
        ranked = order.tolist()
        for rank, j in enumerate(ranked[:limit], start=1):
            if keep is not None and not keep(rank, ids[j]):
                continue
            tied = _near_ties(ranked, rank - 1, rounded, caps)
            cap, sim = caps[j], sim_row[j]
            _score, theme_part, contributions, local = score_pair(dept, cap, taxonomy, sim)
            themes, reasons, evidence, plan_terms, org_terms = _explain(
                dept, cap, contributions, local, sim, is_umbrella)
            why_open = openness_reason(dept.openness) if theme_part > 0 else None
            if why_open:
                reasons += (why_open,)
            if tied:
                reasons += (_("near tie with {names} (scores within {margin:.2f}): ranked by the exact score, "
                              "then the organization id").format(names="、".join(tied), margin=MATCH_TIE),)
            out.append(Match(dept.name, ids[j], cap.org.name, rounded[j], rank, themes, reasons, evidence,
                             plan_terms, org_terms, round(theme_part, 4), round(sim, 4), local))
    return out

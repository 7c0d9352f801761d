"""Scoring (department, organization) pairs on shared themes, statistical similarity and region."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
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
from painpoint.themes.extract import PainPoint, PainPointSource
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
            if analysed is not text:
                at = analysed.find(term)
                term = text[at:at + len(term)]
            claims[theme].append(Claim(theme, label, term, strength, text, partners))
        # words no list holds (畜牧养殖, 残障儿童康复) reach their theme by resemblance, at graded strength
        for link in bridge.links(analysed, cut):
            if link.theme not in seen:
                seen.add(link.theme)
                claims[link.theme].append(Claim(link.theme, label, link.phrase,
                                                strength * BRIDGE_FACTOR * link.similarity, text, partners))
    # A single incidental mention (a project run "in poor areas") is weaker than a theme the profile returns
    # to in several fields: combine fields as independent evidence, then scale by how central the theme is
    # to this organization compared with its main theme.
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
        miss = 1.0
        for c in cs:
            miss *= 1.0 - SINGLE_FIELD * c.strength
        themes[theme] = 1.0 - miss
        support[theme] = sum(c.strength for c in cs)
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
    # teaches only touches it.
    total = sum(themes.values())
    for umbrella in (t for t in taxonomy.themes if t.umbrella):
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
    for sp in members:
        total = sum(sp.signals.theme_mass.values())
        for theme, mass in sp.signals.theme_mass.items():
            needs[theme] += mass / total / len(members)
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
    return Department(name, tuple(sp.plan.path for sp in members), tuple(points), dict(needs), place,
                      text if keep_text else "", merge_openness(sp.signals.openness for sp in members),
                      None if keep_text else credential_asks(text))


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


def _similarities(departments: Sequence[Department], caps: Sequence[Capability], analyzer) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Cosine similarity of wording (departments × organizations), IDF learned from the departments only.

    Organizations are only transformed, never fitted, so adding one changes no other pair's score. The
    formula is scikit-learn's TfidfVectorizer(sublinear_tf=True): tf -> 1 + ln(tf), smooth idf
    ln((1 + n) / (1 + df)) + 1, rows l2-normalised, cosine = dot product; `analyzer` turns a text into terms.
    """
    # an analyzer that already holds a text's counts (pipeline.KnownTerms) gives them without re-counting
    count = getattr(analyzer, "counts", None) or (lambda text: Counter(analyzer(text)))
    return similarities_of_counts([count(d.text) for d in departments] if caps else [Counter()] * len(departments),
                                  caps, analyzer)


def similarities_of_counts(dept_terms: Sequence[Counter[str]], caps: Sequence[Capability], analyzer  # type: ignore[no-untyped-def]
                           ) -> np.ndarray:
    """`_similarities` from each department's term counts (a streamed match sums them from its plans')."""
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
    org_terms = [count(c.text) for c in caps]
    if (len(dept_terms) + len(caps)) * len(vocabulary) > DENSE_SIMILARITY_CELLS:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import cosine_similarity

        # the texts were analysed once above; scikit-learn reads the counts back
        vec = TfidfVectorizer(analyzer=_elements, sublinear_tf=True)
        return np.asarray(cosine_similarity(vec.fit_transform(dept_terms), vec.transform(org_terms)))

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
    idf = np.log((len(dept_terms) + 1) / (df + 1.0)) + 1
    d, o = d * idf, o * idf
    for m in (d, o):
        norms = np.sqrt(np.einsum("ij,ij->i", m, m))
        norms[norms == 0.0] = 1.0
        m /= norms[:, None]
    return d @ o.T


def _saturate(x: float, scale: float) -> float:
    return 1.0 - math.exp(-x / scale)


def score_pair(dept: Department, cap: Capability, taxonomy: Taxonomy, similarity: float
               ) -> tuple[float, float, list[tuple[float, str]], bool | None]:
    """(score, theme part, [(contribution, theme)], local) for one pair."""
    contributions = []
    # only shared themes contribute, and the sort below fixes their order: walk the shorter of the two
    shared = (dept.needs.keys() & cap.themes.keys() if len(cap.themes) < len(dept.needs)
              else cap.themes.keys() & dept.needs.keys())
    for theme in shared:
        need, strength = dept.needs[theme], cap.themes[theme]
        if not strength:
            continue
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
    for theme in themes:
        claim = cap.claims[theme][0]
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
        org_words = [c.term for c in cap.claims[theme]]
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

    themes = sorted({t for d in departments for t in d.needs} & {t for c in caps for t in c.themes})
    column = {t: i for i, t in enumerate(themes)}
    need = np.zeros((len(departments), len(themes)))
    for i, dept in enumerate(departments):
        for theme, value in dept.needs.items():
            if theme in column:
                need[i, column[theme]] = value
    worth = np.zeros((len(caps), len(themes)))
    for j, cap in enumerate(caps):
        for theme, strength in cap.themes.items():
            if theme in column and strength:
                social = taxonomy.by_name[theme].social
                worth[j, column[theme]] = strength * (SOCIAL_FLOOR + (1 - SOCIAL_FLOOR) * social)
    theme_part = 1.0 - np.exp(-(need @ worth.T) / THEME_SCALE)
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
        sims = _similarities(departments, caps, analyzer)
    ids = [cap.org.id for cap in caps]
    by_id = np.empty(len(caps), dtype=np.int64)
    by_id[sorted(range(len(caps)), key=ids.__getitem__)] = np.arange(len(caps))
    is_umbrella: Callable[[str], bool] = lambda t: taxonomy.by_name[t].umbrella  # noqa: E731 (one-line helper)
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

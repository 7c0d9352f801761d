"""A one-page pitch brief for one organization and one department, from the plan and the profile only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from painpoint.errors import UsageError
from painpoint.i18n import _
from painpoint.match.score import Department, Match, capability, names_department
from painpoint.model import Evidence
from painpoint.orgs import OrgProfile, OrgProject
from painpoint.results import MatchResult, ScannedPlan
from painpoint.themes.extract import PainPointSource
from painpoint.themes.taxonomy import Taxonomy, load_taxonomy

FALLBACK_POINTS = 3
"""Pain points shown when the organization serves none: the department's top ones, so the brief still
says what the department needs."""
EVIDENCE_FIRST_POINT = 2
EVIDENCE_PER_POINT = 1
"""Plan sentences quoted for the most important pain point, and for each further one: one page."""
TARGETS_PER_POINT = 2
REPORTED_TARGETS = 3
"""Targets named as what the organization will report against (the served pain points' first ones)."""
MAX_PROJECTS = 3
"""A brief fits on one page: the projects that speak to the most important pain points, at most this many."""
EVIDENCE_CHARS = 160
WEAK_FIT = 0.30
"""Below this match score a brief says plainly that the fit is weak. Measured with `painpoint eval` on the
development corpus: every plan with a core-fit organization has a best match of 0.45 or more, while three of
the four distractor plans (which no organization there fits) stay at 0.15 or less."""


@dataclass(frozen=True)
class PlanTarget:
    """A quantified target of the department's plan, with where it stands."""

    document: str
    """Path of the plan, as given."""
    line: int
    """1-based line in the original file."""
    text: str
    """The sentence that states the target."""
    year: int | None
    """Target year, when stated."""
    values: tuple[str, ...]
    """The quantities in the sentence ('25个', '60%')."""


@dataclass(frozen=True)
class PitchPoint:
    """One of the department's pain points, in the plan's own words."""

    theme: str
    """Theme (or key phrase) name."""
    rank: int | None
    """Its place among the department's pain points (1 = first); None when it is a minor one."""
    weight: float
    """Share of the department's plans spent on it (0..1)."""
    terms: tuple[str, ...]
    """The plan's words for it, most frequent first."""
    evidence: tuple[Evidence, ...]
    """Plan sentences that state it."""
    targets: tuple[PlanTarget, ...]
    """Quantified targets of the plan that concern it, unless already quoted as evidence above."""
    served: bool
    """True when the organization's profile shows work on it."""
    statutory: bool = False
    """True when it comes from the department's statutory duties rather than the plan's text."""


@dataclass(frozen=True)
class PitchProject:
    """A past project of the organization that speaks to some of the department's pain points."""

    project: OrgProject
    """The project as the profile records it (name, years, partners, summary, results)."""
    themes: tuple[str, ...]
    """The department's pain points it speaks to, most important first."""
    plan_terms: tuple[str, ...]
    """The department's words for that work: use them when restating the project."""
    org_terms: tuple[str, ...]
    """The organization's own words that showed the link."""


@dataclass(frozen=True)
class MissionLink:
    """How part of the organization's standing work serves one of the department's stated goals."""

    theme: str
    """The pain point served."""
    goal: Evidence | None
    """The plan sentence stating the goal, when there is one."""
    services: tuple[str, ...]
    """The organization's services that serve it, as the profile words them."""
    beneficiaries: tuple[str, ...]
    """The organization's beneficiary groups that the goal concerns."""
    mission_terms: tuple[str, ...]
    """Words of the mission statement that show it."""


@dataclass(frozen=True)
class Pitch:
    """Everything a one-page brief says; renderers only arrange it."""

    department: str
    """Department name."""
    place: str | None
    """Administrative place of the department, when known."""
    documents: tuple[str, ...]
    """The department's plans, as given."""
    org: OrgProfile
    """The organization's profile."""
    score: float
    """Match score, 0..1."""
    rank: int
    """The organization's rank among all organizations for this department."""
    local: bool | None
    """True when the organization works in the department's place; None when unknown."""
    points: tuple[PitchPoint, ...]
    """Pain points the organization serves, most important first; the department's top ones when none."""
    projects: tuple[PitchProject, ...]
    """Past projects that speak to those pain points, in the order of the points they serve."""
    links: tuple[MissionLink, ...]
    """Standing work (services, mission) that serves the department's goals."""
    targets: tuple[PlanTarget, ...]
    """The plan's targets the organization's work would count towards: what it will report against."""
    gaps: tuple[str, ...]
    """What the profile lacks for a convincing brief, each as what to add (in the language in force)."""
    candidates: int = 1
    """How many organizations were ranked for this department (the field `rank` is out of)."""
    weak: tuple[str, ...] = ()
    """Why the fit is weak (in the language in force), when the score is below WEAK_FIT; empty for a good fit."""


def resolve_department(departments: Sequence[Department], name: str) -> Department:
    """The department called `name`, or the only one whose name contains it; UsageError otherwise."""
    exact = [d for d in departments if d.name == name]
    if exact:
        return exact[0]
    found = [d for d in departments if names_department(name, d.name)]
    if len(found) == 1:
        return found[0]
    if not found:
        known = "、".join(d.name for d in departments[:12]) or _("none")
        raise UsageError(_("no department matches '{name}'").format(name=name),
                         hint=_("departments found: {names}").format(names=known))
    raise UsageError(_("'{name}' matches {n} departments: {names}").format(
        name=name, n=len(found), names="、".join(d.name for d in found)), hint=_("give more of the name"))


def build_pitch(result: MatchResult, org_id: str, department: str,
                taxonomy: Taxonomy | None = None) -> Pitch:
    """The brief for `org_id` and `department` from a match run that kept all of that organization's matches.

    `result` must come from `pipeline.match(..., top=0)` so that it carries every pair, the plans and the
    profiles; the department may be given by part of its name.
    """
    taxonomy = taxonomy or load_taxonomy()
    profiles = {p.id: p for p in result.profiles}
    if org_id not in profiles:
        known = ", ".join(sorted(profiles)[:10])
        raise UsageError(_("no organization with id '{org_id}'").format(org_id=org_id),
                         hint=_("known ids: {ids}").format(ids=known) if known else None)
    org = profiles[org_id]
    dept = resolve_department(result.departments, department)
    match = next((m for m in result.matches if m.department == dept.name and m.org_id == org_id), None)
    if match is None:
        raise UsageError(_("no match of '{org_id}' with {department}").format(org_id=org_id, department=dept.name),
                         hint=_("run the match with top=0 so that every pair is kept"))
    plans = [sp for sp in result.plans if sp.plan.path in dept.documents]
    points, targets = _points(dept, match, plans, taxonomy)
    cap = capability(org, taxonomy)
    projects = _projects(org, points, cap.claims, taxonomy)
    links = _links(points, cap.claims)
    gaps = _gaps(org, match, points, projects, dept)
    return Pitch(dept.name, dept.place, dept.documents, org, match.score, match.rank, match.local,
                 points, projects, links, targets, gaps, candidates=len(result.profiles),
                 weak=weak_reasons(match, points, projects))


def weak_reasons(match: Match, points: Sequence[PitchPoint], projects: Sequence[PitchProject]) -> tuple[str, ...]:
    """Why a match below WEAK_FIT is weak, in plain words; empty when the score is at or above it."""
    if match.score >= WEAK_FIT:
        return ()
    why = [_("match {score:.2f}, below the {threshold:.2f} that tells fitting plans from unrelated ones").format(
        score=match.score, threshold=WEAK_FIT)]
    served = [p for p in points if p.served]
    if not served:
        why.append(_("the profile has no service or project that matches the department's pain points"))
    else:
        ranks = [p.rank for p in served if p.rank is not None]
        if not ranks:
            why.append(_("it matches only minor pain points of the department"))
        elif min(ranks) > 3:
            why.append(_("the pain points it matches come after no. {rank} of the department's").format(
                rank=min(ranks)))
        share = sum(p.weight for p in served)
        if share < 0.05:
            why.append(_("these pain points take up only about {share:.0%} of the plan").format(share=share))
        if not projects:
            why.append(_("no past project bears it out"))
    return tuple(why)


def _points(dept: Department, match: Match, plans: Sequence[ScannedPlan], taxonomy: Taxonomy
            ) -> tuple[tuple[PitchPoint, ...], tuple[PlanTarget, ...]]:
    """The pain points to show, and the targets the organization's work would count towards."""
    ranks = {p.theme: i for i, p in enumerate(dept.pain_points, start=1)}
    by_theme = {p.theme: p for p in dept.pain_points}
    themes = _pitch_themes(match, taxonomy)
    served = bool(themes)
    if not served:
        themes = [p.theme for p in dept.pain_points[:FALLBACK_POINTS]]
    out: list[PitchPoint] = []
    shown: list[tuple[str, int, str]] = []
    reported: dict[tuple[str, int, str], PlanTarget] = {}
    for theme in themes:
        point = by_theme.get(theme)
        if point is not None:
            terms, candidates = point.terms, point.evidence
        else:
            # a minor pain point (outside the department's top list) still has its sentences in the plans
            terms, candidates = _minor(theme, plans)
        limit = EVIDENCE_PER_POINT if out else EVIDENCE_FIRST_POINT
        evidence = tuple([e for e in candidates if not _quoted(shown, e.document, e.line, e.text)][:limit])
        shown += [(e.document, e.line, e.text) for e in evidence]
        relevant = _targets(theme, terms, plans, taxonomy)
        if served:
            for t in relevant:
                reported.setdefault((t.document, t.line, t.text), t)
        # a sentence already quoted (as evidence or under an earlier point) is not repeated as a target
        targets = [t for t in relevant if not _quoted(shown, t.document, t.line, t.text)][:TARGETS_PER_POINT]
        shown += [(t.document, t.line, t.text) for t in targets]
        out.append(PitchPoint(
            theme=theme, rank=ranks.get(theme), weight=round(dept.needs.get(theme, 0.0), 4), terms=terms,
            evidence=evidence, targets=tuple(targets), served=served,
            statutory=point is not None and point.source is PainPointSource.STATUTORY))
    return tuple(out), tuple(list(reported.values())[:REPORTED_TARGETS])


def _quoted(shown: Sequence[tuple[str, int, str]], document: str, line: int, text: str) -> bool:
    """True when this sentence, or an overlapping part of its line, is already in the brief."""
    for d, n, t in shown:
        if d == document and n == line:
            a, b = t.strip("…"), text.strip("…")
            if a in b or b in a:
                return True
    return False


def _pitch_themes(match: Match, taxonomy: Taxonomy) -> list[str]:
    """The matched pain points worth pitching on; field-wide ones (民政事业) only when nothing specific is."""
    def umbrella(theme: str) -> bool:
        t = taxonomy.by_name.get(theme)
        return t is not None and t.field_wide

    specific = [t for t in match.pain_points if not umbrella(t)]
    return specific or list(match.pain_points)


def _minor(theme: str, plans: Sequence[ScannedPlan]) -> tuple[tuple[str, ...], tuple[Evidence, ...]]:
    """The plan's words and weightiest sentences for a theme outside the department's top pain points."""
    counts: dict[str, int] = {}
    scored: list[tuple[float, str, int, str]] = []
    for sp in plans:
        for term, n in sp.signals.theme_terms.get(theme, {}).items():
            counts[term] = counts.get(term, 0) + n
        for weight, index in sp.signals.theme_sentences.get(theme, []):
            s = sp.plan.sentences[index]
            scored.append((-weight, sp.plan.path, s.line, s.text))
    terms = tuple(t for t, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0])))[:8]
    evidence: list[Evidence] = []
    seen: set[tuple[str, int]] = set()
    for _weight, path, line, text in sorted(scored):
        if (path, line) in seen:
            continue
        seen.add((path, line))
        cut = text if len(text) <= EVIDENCE_CHARS else text[:EVIDENCE_CHARS] + "…"
        evidence.append(Evidence(path, line, cut))
        if len(evidence) == EVIDENCE_FIRST_POINT + 1:
            break
    return terms, tuple(evidence)


_MONEY = re.compile(r"(?:元|万元|亿元)$")


def _targets(theme: str, terms: Sequence[str], plans: Sequence[ScannedPlan], taxonomy: Taxonomy
             ) -> tuple[PlanTarget, ...]:
    """The plans' targets whose sentence names the theme or one of the plan's words for it, with the quantities
    an organization's work can add to (people, households, sites, rates); sums of money are left out: a
    benefit standard (低保标准620元) or a budget is paid by the government, not reported by an NGO, so a target
    that sets only money is none to report against."""
    out = []
    for sp in plans:
        for t in sp.plan.targets:
            found = {name for name, _ in taxonomy.find(t.text)}
            if theme in found or any(w in t.text for w in terms[:5]):
                values = tuple(v for v in t.values if not _MONEY.search(v))
                if values or not t.values:
                    out.append(PlanTarget(sp.plan.path, t.line, t.text, t.year, values))
    return tuple(out)


def _projects(org: OrgProfile, points: Sequence[PitchPoint], claims, taxonomy: Taxonomy  # type: ignore[no-untyped-def]
              ) -> tuple[PitchProject, ...]:
    """For each served pain point, most important first, the project that fits it best by what the project
    says (its claim on the theme, then how many of the theme's and the plan's words it uses), never by where
    it stands in the profile; at most MAX_PROJECTS, so a lower pain point still gets its own best project
    when the higher ones share one."""
    by_name = {p.name: p for p in org.projects}
    chosen: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for point in (p for p in points if p.served):
        best = _best_project(point, org.projects, claims.get(point.theme, ()), taxonomy)
        if best is None:
            continue
        if best.name not in chosen and len(chosen) >= MAX_PROJECTS:
            continue
        themes, plan_terms, org_terms = chosen.setdefault(best.name, ([], [], []))
        themes.append(point.theme)
        for w in point.terms[:3]:
            if w not in plan_terms:
                plan_terms.append(w)
        for claim in claims.get(point.theme, ()):
            if claim.field == f"project:{best.name}" and claim.term not in org_terms:
                org_terms.append(claim.term)
    return tuple(PitchProject(by_name[name], tuple(t), tuple(p), tuple(o)) for name, (t, p, o) in chosen.items())


def _best_project(point: PitchPoint, projects: Sequence[OrgProject], claims, taxonomy: Taxonomy  # type: ignore[no-untyped-def]
                  ) -> OrgProject | None:
    strength = {c.field.removeprefix("project:"): c.strength for c in claims if c.field.startswith("project:")}
    theme = taxonomy.by_name.get(point.theme)
    words = set(point.terms[:8]) | (set(theme.terms) | set(theme.ngo_terms) if theme else set())
    scored = []
    for i, project in enumerate(projects):
        text = "\n".join((project.name, project.summary, project.results))
        hits = sum(1 for w in words if w and w in text)
        if project.name in strength or hits:
            scored.append((-(strength.get(project.name, 0.0) + 0.05 * hits), i, project))
    return min(scored)[2] if scored else None


def _links(points: Sequence[PitchPoint], claims) -> tuple[MissionLink, ...]:  # type: ignore[no-untyped-def]
    out = []
    for point in (p for p in points if p.served):
        by_field: dict[str, list[str]] = {"service": [], "beneficiary": [], "mission": []}
        for claim in claims.get(point.theme, ()):
            if claim.field in by_field:
                item = claim.term if claim.field == "mission" else claim.text
                if item not in by_field[claim.field]:
                    by_field[claim.field].append(item)
        if any(by_field.values()):
            out.append(MissionLink(point.theme, point.evidence[0] if point.evidence else None,
                                   tuple(by_field["service"]), tuple(by_field["beneficiary"]),
                                   tuple(by_field["mission"])))
    return tuple(out)


def _gaps(org: OrgProfile, match: Match, points: Sequence[PitchPoint], projects: Sequence[PitchProject],
          dept: Department) -> tuple[str, ...]:
    gaps: list[str] = []
    served = [p.theme for p in points if p.served]
    if not served:
        gaps.append(_("The profile has no service or project that matches the department's pain points: if you "
                      "have done such work, write it into services or projects; otherwise first use "
                      "`painpoint match --org ID` to find departments that fit better."))
    if not org.projects:
        gaps.append(_("The profile records no project (projects): add the projects you have done (name, years, "
                      "partners, what you did, results); what a department values most is what you have done."))
    elif served and not projects:
        gaps.append(_("No project answers “{themes}”: if you have done such a project, add it to projects, with "
                      "its partners and results.").format(themes="、".join(served)))
    for pp in projects:
        p = pp.project
        if not p.results:
            gaps.append(_("Project “{name}” records no results (results): add figures that can be checked "
                          "(people served, households reached, change before and after), so that the brief can "
                          "say what results you will report.").format(name=p.name))
        if not p.partners:
            gaps.append(_("Project “{name}” records no partners (partners): name the government departments or "
                          "organizations you worked with.").format(name=p.name))
        if not p.years:
            gaps.append(_("Project “{name}” gives no years (years).").format(name=p.name))
    if not org.region:
        gaps.append(_("The profile gives no region served (region): a department first asks whether you work "
                      "locally."))
    elif match.local is False and dept.place:
        gaps.append(_("The organization is not in {place}: say how it will work there (local partners, staff on "
                      "site, existing service points).").format(place=dept.place))
    if not org.credentials:
        gaps.append(_("The profile records no credentials (credentials): add any charity recognition or social "
                      "organization rating, so that they can be attached to the brief."))
    return tuple(gaps)

"""Themes several departments share: where one joint project could serve several of them at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from painpoint.match.score import Department, Match
from painpoint.themes.extract import PainPointSource

MIN_SCORE = 0.1
"""A theme counts for a department when it scores at least this within the department's plans; below it, a
passing mention in a long plan would make nearly every theme look shared."""


@dataclass(frozen=True)
class SharedTheme:
    """A pain point that several departments' plans give weight to."""

    theme: str
    """Theme (or key phrase) name."""
    departments: tuple[tuple[str, float], ...]
    """(department, pain-point score) for each department that shares it, highest score first."""
    organizations: tuple[tuple[str, str, int, float], ...]
    """(org id, org name, departments served, mean match score over them) for organizations whose matches
    name this theme for at least two of those departments, best first."""


def shared_themes(departments: Sequence[Department], matches: Sequence[Match], *,
                  min_score: float = MIN_SCORE) -> tuple[SharedTheme, ...]:
    """Themes found in the text of at least two departments' plans, the most widely shared first."""
    holders: dict[str, list[tuple[str, float]]] = {}
    for d in departments:
        for p in d.pain_points:
            # a statutory duty is what the department owns, not what its plan says it needs now
            if p.source is PainPointSource.TEXT and p.score >= min_score:
                holders.setdefault(p.theme, []).append((d.name, p.score))
    out = []
    for theme, depts in holders.items():
        if len(depts) < 2:
            continue
        names = {name for name, _ in depts}
        served: dict[str, list[Match]] = {}
        for m in matches:
            if m.department in names and theme in m.pain_points:
                served.setdefault(m.org_id, []).append(m)
        orgs = [(org_id, ms[0].org_name, len(ms), round(sum(m.score for m in ms) / len(ms), 4))
                for org_id, ms in served.items() if len(ms) >= 2]
        orgs.sort(key=lambda o: (-o[2], -o[3], o[0]))
        depts.sort(key=lambda d: (-d[1], d[0]))
        out.append(SharedTheme(theme, tuple(depts), tuple(orgs)))
    out.sort(key=lambda s: (-len(s.departments), -sum(x for _, x in s.departments), s.theme))
    return tuple(out)

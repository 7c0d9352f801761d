"""The core jobs behind the commands: read plans, find their pain points, match organizations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from painpoint.errors import PainpointError
from painpoint.plans.structure import Plan, parse_plan
from painpoint.text.segmenter import Segmenter
from painpoint.themes.extract import PainPoint, PlanSignals, collect_signals, rank_pain_points
from painpoint.themes.taxonomy import Taxonomy, load_taxonomy

Progress = Callable[[int, int, str], None]
"""progress(done, total, current item): called as work advances; the CLI draws a bar from it."""


def no_progress(done: int, total: int, item: str) -> None:
    """Default progress callback: does nothing."""


@dataclass(frozen=True)
class Failure:
    """An input that could not be used, and why."""

    path: str
    """The input as given."""
    message: str
    """One line: what is wrong and what to do."""


@dataclass(frozen=True)
class ScannedPlan:
    """A plan with its ranked pain points."""

    plan: Plan
    """The parsed plan."""
    pain_points: tuple[PainPoint, ...]
    """Ranked pain points, best first."""
    signals: PlanSignals
    """Raw theme mass, kept for matching."""


@dataclass(frozen=True)
class ScanResult:
    """What `painpoint scan` found."""

    plans: tuple[ScannedPlan, ...]
    """Plans read, in input order."""
    errors: tuple[Failure, ...]
    """Inputs that failed, in input order."""


@cache
def default_segmenter() -> Segmenter:
    """One Segmenter per process, with the taxonomy's terms kept whole."""
    return Segmenter(extra_terms=load_taxonomy().all_terms)


def failure(exc: PainpointError, path: str) -> Failure:
    """A Failure whose message does not repeat the path."""
    message = exc.message + (f" — {exc.hint}" if exc.hint else "")
    if exc.line is not None:
        message = f"line {exc.line}: {message}"
    return Failure(exc.path or path, message)


def read_plans(paths: Sequence[str], progress: Progress = no_progress) -> tuple[list[Plan], list[Failure]]:
    """Discover and parse every plan under `paths`; a bad file is reported and the rest still read."""
    from painpoint.ingest import discover, read_document

    files, problems = discover(paths)
    errors = [failure(p, p.path or "") for p in problems]
    plans = []
    for i, path in enumerate(files):
        progress(i, len(files), path)
        try:
            plans.append(parse_plan(read_document(path)))
        except PainpointError as exc:
            errors.append(failure(exc, path))
    progress(len(files), len(files), "")
    return plans, errors


def scan(paths: Sequence[str], *, top: int = 10, progress: Progress = no_progress,
         taxonomy: Taxonomy | None = None, segmenter: Segmenter | None = None) -> ScanResult:
    """Read plans and rank each one's pain points."""
    taxonomy = taxonomy or load_taxonomy()
    plans, errors = read_plans(paths, progress)
    segmenter = segmenter or default_segmenter()
    signals = [collect_signals(p, taxonomy, segmenter) for p in plans]
    ranked = rank_pain_points(signals, taxonomy, top=top if top > 0 else 10_000)
    scanned = tuple(ScannedPlan(p, tuple(r), s) for p, r, s in zip(plans, ranked, signals, strict=True))
    return ScanResult(scanned, tuple(errors))


@dataclass(frozen=True)
class MatchResult:
    """What `painpoint match` found."""

    departments: tuple  # type: ignore[type-arg]
    """Departments (painpoint.match.Department) in name order."""
    matches: tuple  # type: ignore[type-arg]
    """Matches kept after --org/--department/--top, best first within each department."""
    errors: tuple[Failure, ...]
    """Plans and profiles that could not be used."""
    plans: tuple[ScannedPlan, ...] = ()
    """Every plan read, in input order (before --department): reports and briefs quote their targets."""
    profiles: tuple = ()  # type: ignore[type-arg]
    """Organization profiles (painpoint.orgs.OrgProfile) loaded, in load order."""


def load_orgs(paths: Sequence[str]) -> tuple[list, list[Failure]]:  # type: ignore[type-arg]
    """Profiles from folders/files; each problem line becomes a Failure naming its file."""
    from painpoint.orgs import load_profiles

    profiles, problems = load_profiles(list(paths))
    errors = []
    for line in problems:
        path, _, message = line.partition(": ")
        errors.append(Failure(path, message or line))
    return profiles, errors


def match(plan_paths: Sequence[str], org_paths: Sequence[str], *, org_id: str | None = None,
          department: str | None = None, top: int = 5, progress: Progress = no_progress) -> MatchResult:
    """Rank organizations against each department's pain points."""
    from painpoint.errors import UsageError
    from painpoint.match import build_departments, capability, match_all

    taxonomy = load_taxonomy()
    result = scan(plan_paths, top=10, progress=progress, taxonomy=taxonomy)
    profiles, org_errors = load_orgs(org_paths)
    if org_id is not None and org_id not in {p.id for p in profiles}:
        known = ", ".join(sorted(p.id for p in profiles)[:10])
        raise UsageError(f"no organization with id '{org_id}' in {', '.join(org_paths)}",
                         hint=f"known ids: {known}" if known else "check --orgs")
    departments = build_departments(result.plans, taxonomy)
    if department:
        departments = [d for d in departments if department in d.name]
    caps = [capability(p, taxonomy) for p in profiles]
    matches = match_all(departments, caps, taxonomy, default_segmenter().terms)
    if org_id is not None:
        kept = sorted((m for m in matches if m.org_id == org_id), key=lambda m: (-m.score, m.department))
        if top > 0:
            kept = kept[:top]
    else:
        kept = [m for m in matches if top <= 0 or m.rank <= top]
    return MatchResult(tuple(departments), tuple(kept), tuple(result.errors) + tuple(org_errors),
                       result.plans, tuple(profiles))

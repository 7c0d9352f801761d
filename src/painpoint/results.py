"""What a scan or a match returns, and the progress callback the core reports through.

Kept below the pipeline that produces them, so that a module building on a result (match.pitch) need not
import the pipeline; painpoint.pipeline still names them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from painpoint.ingest.discover import Skipped
from painpoint.plans.structure import Plan
from painpoint.themes.extract import PainPoint, PlanSignals

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
    """The parsed plan (its document without raw lines: the sentences hold the text)."""
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
    skipped: tuple[Skipped, ...] = ()
    """Files in the given folders left out on purpose (hidden, lock files, own reports, non-documents)."""


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
    skipped: tuple[Skipped, ...] = ()
    """Files in the plan folders left out on purpose (see ScanResult.skipped)."""
    documents: tuple[tuple[str, str], ...] = ()
    """(path, SHA-256 of the bytes read) of every plan read, in input order: what the run cache checks when
    `plans` was not kept (pipeline.match(keep_plans=False))."""

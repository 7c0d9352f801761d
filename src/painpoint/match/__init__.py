"""Matching organizations to department pain points, with reasons in the department's own words."""

from painpoint.match.score import (
    Capability,
    Department,
    Match,
    build_departments,
    capability,
    match_all,
)

__all__ = ["Capability", "Department", "Match", "build_departments", "capability", "match_all"]

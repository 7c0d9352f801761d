"""Departments and matches as rows of the results store (painpoint.storage.results)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from painpoint.match.score import Department, Match
from painpoint.storage.results import json_text


def department_rows(departments: Sequence[Department]) -> list[dict[str, Any]]:
    """The `departments` table: each department, its plans and its needs (theme → share)."""
    return [{"name": d.name, "position": i, "place": d.place, "documents": json_text(d.documents),
             "needs": json_text(d.needs)} for i, d in enumerate(departments)]


def match_rows(matches: Sequence[Match]) -> list[dict[str, Any]]:
    """The `matches` table: the matches a run kept, with their reasons and evidence."""
    return [{"department": m.department, "org_id": m.org_id, "org_name": m.org_name, "rank": m.rank,
             "score": m.score, "theme_score": m.theme_score, "similarity": m.similarity,
             "local": None if m.local is None else int(m.local), "pain_points": json_text(m.pain_points),
             "reasons": json_text(m.reasons), "plan_terms": json_text(m.plan_terms),
             "org_terms": json_text(m.org_terms),
             "evidence": json_text([[e.document, e.line, e.text, e.review] for e in m.evidence])}
            for m in matches]

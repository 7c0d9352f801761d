"""Renderers for `painpoint match`: JSON contract painpoint.match/1, CSV, Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from painpoint.i18n import _
from painpoint.match import Department, Match
from painpoint.pipeline import MatchResult
from painpoint.report import cells
from painpoint.report.scan import (
    errors_json,
    evidence_json,
    md_cell,
    md_code,
    md_header,
    openness_json,
    pain_point_json,
    skipped_json,
)

MATCH_SCHEMA = "painpoint.match/1"


def department_json(d: Department) -> dict[str, Any]:
    points = []
    for p in d.pain_points:
        item = pain_point_json(p)
        item["evidence"] = [evidence_json(e, with_document=True) for e in p.evidence]
        points.append(item)
    return {"name": d.name, "documents": list(d.documents), "place": d.place, "pain_points": points,
            "openness": openness_json(d.openness)}


def match_json(m: Match) -> dict[str, Any]:
    return {
        "department": m.department, "org_id": m.org_id, "org_name": m.org_name, "score": m.score,
        "rank": m.rank, "pain_points": list(m.pain_points), "reasons": list(m.reasons),
        "evidence": [evidence_json(e, with_document=True) for e in m.evidence],
        "plan_terms": list(m.plan_terms), "org_terms": list(m.org_terms),
        "theme_score": m.theme_score, "similarity": m.similarity, "local": m.local,
    }


def to_json(result: MatchResult) -> str:
    return "".join(json_parts(result))


def json_parts(result: MatchResult) -> Iterator[str]:
    """to_json's text in pieces, one department or match at a time: exactly what json.dumps(doc, indent=2)
    writes for the whole document, without holding the document, nor json's chunks of it, all at once (a
    national run has tens of thousands of departments)."""
    lists: dict[str, tuple[Callable[[Any], dict[str, Any]], Sequence[Any]]] = {
        "departments": (department_json, result.departments), "matches": (match_json, result.matches)}
    yield "{\n" + _json_member("schema", MATCH_SCHEMA) + ",\n"
    for key, (to_dict, items) in lists.items():
        if not items:
            yield _json_member(key, []) + ",\n"
            continue
        yield f'  {json.dumps(key)}: [\n'
        for i, item in enumerate(items):
            text = json.dumps(to_dict(item), ensure_ascii=False, indent=2).replace("\n", "\n    ")
            yield "    " + text + (",\n" if i < len(items) - 1 else "\n")
        yield "  ],\n"
    yield _json_member("errors", errors_json(result.errors)) + ",\n"
    yield _json_member("skipped", skipped_json(result.skipped)) + "\n}\n"


def _json_member(key: str, value: Any) -> str:
    """'  "key": value' as json.dumps(indent=2) writes a top-level member (JSON strings hold no raw newline,
    so indenting every line of the value's own dump is exact)."""
    return f"  {json.dumps(key)}: " + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def to_csv(result: MatchResult) -> str:
    header = ["department", "rank", "org_id", "org_name", "score", "pain_points", "plan_terms", "reasons",
              "evidence_document", "evidence_line", "evidence_text"]
    rows = []
    for m in result.matches:
        first = m.evidence[0] if m.evidence else None
        rows.append([m.department, m.rank, m.org_id, m.org_name, f"{m.score:.3f}", "、".join(m.pain_points),
                     "、".join(m.plan_terms), "；".join(m.reasons), first.document if first else "",
                     first.line if first else "", first.text if first else ""])
    return cells.to_csv(header, rows)


def to_markdown(result: MatchResult, *, org_view: bool = False) -> str:
    """Per department, the organizations that fit; `org_view`: one organization's departments, best first."""
    if org_view:
        return _org_markdown(result)
    out = ["# painpoint match", ""]
    by_dept: dict[str, list[Match]] = {}
    for m in result.matches:
        by_dept.setdefault(m.department, []).append(m)
    for d in result.departments:
        ms = by_dept.get(d.name)
        if not ms:
            continue
        top = "、".join(p.theme for p in d.pain_points[:5])
        out += [f"## {md_cell(d.name)}", "", _("Main pain points: ") + md_cell(top), "",
                *md_header(_("Rank"), _("Organization"), _("Score"), _("Pain points served"),
                           _("In the plan's words"), _("Reasons"))]
        for m in ms:
            out.append(f"| {m.rank} | {md_cell(m.org_name)} (`{m.org_id}`) | {m.score:.2f} | "
                       f"{md_cell('、'.join(m.pain_points))} | {md_cell('、'.join(m.plan_terms[:5]))} | "
                       f"{md_cell('；'.join(m.reasons))} |")
        evidence = [e for m in ms[:1] for e in m.evidence]
        if evidence:
            out += ["", _("Evidence:")] + [f"- {md_code(e.document)} " + _("line {line}: {text}").format(
                line=e.line, text=md_cell(e.shown)) for e in evidence]
        out.append("")
    return "\n".join(out + _errors_markdown(result))


def _org_markdown(result: MatchResult) -> str:
    """`match --org`: the organization's departments in the order of its scores, each with its evidence."""
    title = (_("Departments {org} fits best").format(org=result.matches[0].org_name) if result.matches
             else _("no match"))
    out = [f"# {md_cell(title)}", "",
           *md_header("#", _("Department"), _("Score"), _("Rank among organizations"), _("Pain points served"),
                      _("In the plan's words"), _("Reasons"))]
    for i, m in enumerate(result.matches, start=1):
        out.append(f"| {i} | {md_cell(m.department)} | {m.score:.2f} | {m.rank} | "
                   f"{md_cell('、'.join(m.pain_points))} | {md_cell('、'.join(m.plan_terms[:5]))} | "
                   f"{md_cell('；'.join(m.reasons))} |")
    for m in result.matches:
        if m.evidence:
            out += ["", f"## {md_cell(m.department)}", "", _("Evidence:")]
            out += [f"- {md_code(e.document)} " + _("line {line}: {text}").format(line=e.line, text=md_cell(e.shown))
                    for e in m.evidence]
    out.append("")
    return "\n".join(out + _errors_markdown(result))


def _errors_markdown(result: MatchResult) -> list[str]:
    if not result.errors:
        return []
    return ["## " + _("Inputs that could not be used"), "",
            *(f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors), ""]

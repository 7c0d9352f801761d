"""Renderers for `painpoint scan`: JSON contract painpoint.scan/1, CSV, Markdown and a terminal table."""

from __future__ import annotations

import json
import re
from typing import Any

from painpoint.i18n import _
from painpoint.ingest.discover import Skipped
from painpoint.model import Evidence
from painpoint.pipeline import Failure, ScannedPlan, ScanResult
from painpoint.plans.openness import Openness
from painpoint.plans.structure import Plan
from painpoint.report import cells
from painpoint.themes.extract import PainPoint

SCAN_SCHEMA = "painpoint.scan/1"


def evidence_json(e: Evidence, *, with_document: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"line": e.line, "text": e.text}
    if e.review:
        out["review"] = True
    if with_document:
        out = {"document": e.document, **out}
    return out


def pain_point_json(p: PainPoint) -> dict[str, Any]:
    out: dict[str, Any] = {
        "theme": p.theme, "score": p.score, "terms": list(p.terms),
        "evidence": [evidence_json(e) for e in p.evidence],
        "kind": p.kind, "source": p.source.value, "weight": p.weight,
        "departments": list(p.departments), "units": list(p.units),
    }
    if p.members:  # pooled sibling themes (comprehensive plans)
        out["members"] = list(p.members)
    if p.tie:
        out["tie"] = p.tie
    return out


def openness_json(o: Openness) -> dict[str, Any]:
    """How a plan speaks of buying services from social organizations: score, level, cues, evidence."""
    return {
        "score": o.score, "level": o.level.name.lower(), "cues": [c.value for c in o.cues],
        "evidence": [{**evidence_json(e.evidence, with_document=True), "cues": [c.value for c in e.cues]}
                     for e in o.evidence],
    }


def issuer_json(plan: Plan) -> dict[str, Any]:
    """Who issued the document and what it is, with the evidence line (painpoint.plans.metadata)."""
    m = plan.metadata
    return {
        "department_kind": m.department_kind if m else None, "department_guess": m.guess if m else False,
        "department_confidence": m.confidence if m else 0.0,
        "department_evidence": ({"line": m.department_line, "text": m.department_evidence}
                                if m and m.department_evidence else None),
        "drafted_by": m.drafted_by if m else None, "charged": list(m.charged) if m else [],
        "place": m.place if m else None, "level": m.level if m else None, "kind": m.kind if m else None,
        "year": m.year if m else None, "url": m.url if m else None,
    }


def plan_json(sp: ScannedPlan) -> dict[str, Any]:
    plan = sp.plan
    return {
        "path": plan.path, "title": plan.title, "department": plan.department,
        "department_source": plan.department_source, **issuer_json(plan), "format": plan.document.format,
        "pain_points": [pain_point_json(p) for p in sp.pain_points],
        "targets": [{"line": t.line, "text": t.text, "year": t.year, "values": list(t.values)}
                    for t in plan.targets],
        "responsible_units": list(plan.responsible_units),
        "openness": openness_json(sp.signals.openness),
    }


def errors_json(errors: tuple[Failure, ...] | list[Failure]) -> list[dict[str, str]]:
    return [{"path": f.path, "message": f.message} for f in errors]


def skipped_json(skipped: tuple[Skipped, ...]) -> list[dict[str, str]]:
    """Files left out on purpose, each with a stable reason code (hidden, lock-file, painpoint-output,
    not-a-document, organization-text, duplicate); a duplicate also names the file it repeats."""
    return [{"path": s.path, "reason": s.reason.value} | ({"duplicate_of": s.duplicate_of} if s.duplicate_of else {})
            for s in skipped]


def to_json(result: ScanResult) -> str:
    doc = {"schema": SCAN_SCHEMA, "documents": [plan_json(sp) for sp in result.plans],
           "errors": errors_json(result.errors), "skipped": skipped_json(result.skipped)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(result: ScanResult) -> str:
    header = ["path", "title", "department", "rank", "theme", "score", "kind", "source", "terms",
              "evidence_line", "evidence_text", "department_source", "place", "document_kind"]
    rows = []
    for sp in result.plans:
        meta = sp.plan.metadata
        for rank, p in enumerate(sp.pain_points, start=1):
            first = p.evidence[0] if p.evidence else None
            rows.append([sp.plan.path, sp.plan.title or "", sp.plan.department or "", rank, p.theme,
                         f"{p.score:.3f}", p.kind, p.source.value, "、".join(p.terms),
                         first.line if first else "", first.text if first else "",
                         sp.plan.department_source or "", (meta.place if meta else None) or "",
                         (meta.kind if meta else None) or ""])
    return cells.to_csv(header, rows)


def issuer_note(plan: Plan) -> str:
    """After the department: '(guess)' when it is one, then place and document kind when known."""
    return guess_note(plan) + place_note(plan)


def guess_note(plan: Plan) -> str:
    """'(guess)' after a department that is only inferred (topic, file name), else ''."""
    return _("(guess)") if plan.metadata and plan.metadata.guess and plan.department else ""


def place_note(plan: Plan) -> str:
    """'   place: …   kind: …' for what is known of the issuer's place and the document's kind."""
    m = plan.metadata
    if m is None:
        return ""
    parts = []
    if m.place:
        parts.append(_("   place: {place}").format(place=m.place))
    if m.kind:
        parts.append(_("   kind: {kind}").format(kind=m.kind))
    return "".join(parts)


def md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def md_header(*labels: str) -> list[str]:
    """A Markdown table's header row and rule."""
    return ["| " + " | ".join(md_cell(label) for label in labels) + " |", "|" + "---|" * len(labels)]
def md_code(text: str) -> str:
    """`text` as a Markdown code span that a backtick in it cannot end (a file name may hold any character).

    CommonMark: the fence is one backtick longer than the longest run inside; a space pads the text when it
    starts or ends with a backtick. Line breaks become spaces, so the span stays on its line.
    """
    text = " ".join(text.splitlines()) if text else text
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(result: ScanResult) -> str:
    out = ["# painpoint scan", ""]
    for sp in result.plans:
        plan = sp.plan
        out += [f"## {md_cell(plan.title or plan.path)}", "",
                "- " + _("File: ") + md_code(plan.path),
                "- " + _("Department: ") + (plan.department or _("unknown")) + issuer_note(plan), ""]
        out += md_header("#", _("Pain point"), _("Score"), _("Plan wording"), _("Evidence"))
        for rank, p in enumerate(sp.pain_points, start=1):
            if p.evidence:
                ev = _("line {line}: {text}").format(line=p.evidence[0].line, text=p.evidence[0].shown)
            else:
                ev = _("statutory duty (not in the text)") if p.source.value == "statutory" else ""
            out.append(f"| {rank} | {md_cell(p.theme)} | {p.score:.2f} | {md_cell('、'.join(p.terms[:5]))} "
                       f"| {md_cell(ev)} |")
        if plan.targets:
            out += ["", _("Targets:"), ""] + ["- " + _("line {line}: {text}").format(line=t.line, text=md_cell(t.text))
                                                for t in plan.targets[:10]]
        out.append("")
    if result.errors:
        out += ["## " + _("Inputs that could not be read"), ""]
        out += [f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)

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


def plan_json(sp: ScannedPlan) -> dict[str, Any]:
    plan = sp.plan
    return {
        "path": plan.path, "title": plan.title, "department": plan.department,
        "department_source": plan.department_source, "format": plan.document.format,
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
    not-a-document)."""
    return [{"path": s.path, "reason": s.reason.value} for s in skipped]


def to_json(result: ScanResult) -> str:
    doc = {"schema": SCAN_SCHEMA, "documents": [plan_json(sp) for sp in result.plans],
           "errors": errors_json(result.errors), "skipped": skipped_json(result.skipped)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(result: ScanResult) -> str:
    header = ["path", "title", "department", "rank", "theme", "score", "kind", "source", "terms",
              "evidence_line", "evidence_text"]
    rows = []
    for sp in result.plans:
        for rank, p in enumerate(sp.pain_points, start=1):
            first = p.evidence[0] if p.evidence else None
            rows.append([sp.plan.path, sp.plan.title or "", sp.plan.department or "", rank, p.theme,
                         f"{p.score:.3f}", p.kind, p.source.value, "、".join(p.terms),
                         first.line if first else "", first.text if first else ""])
    return cells.to_csv(header, rows)


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
                "- " + _("File: ") + md_code(plan.path), "- " + _("Department: ") + (plan.department or _("unknown")),
                ""]
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

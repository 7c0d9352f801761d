"""Renderers for `painpoint scan`: JSON contract painpoint.scan/1, CSV, Markdown and a terminal table."""

from __future__ import annotations

import json
import re
from typing import Any

from painpoint.model import Evidence
from painpoint.pipeline import Failure, ScannedPlan, ScanResult
from painpoint.plans.openness import Openness
from painpoint.report import cells
from painpoint.themes.extract import PainPoint

SCAN_SCHEMA = "painpoint.scan/1"


def evidence_json(e: Evidence, *, with_document: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"line": e.line, "text": e.text}
    if with_document:
        out = {"document": e.document, **out}
    return out


def pain_point_json(p: PainPoint) -> dict[str, Any]:
    return {
        "theme": p.theme, "score": p.score, "terms": list(p.terms),
        "evidence": [evidence_json(e) for e in p.evidence],
        "kind": p.kind, "source": p.source.value, "weight": p.weight,
        "departments": list(p.departments), "units": list(p.units),
    }


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


def to_json(result: ScanResult) -> str:
    doc = {"schema": SCAN_SCHEMA, "documents": [plan_json(sp) for sp in result.plans],
           "errors": errors_json(result.errors)}
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
                f"- 文件: {md_code(plan.path)}", f"- 部门: {plan.department or '未知'}", ""]
        out += ["| # | 痛点 | 分数 | 规划用语 | 依据 |", "|---|---|---|---|---|"]
        for rank, p in enumerate(sp.pain_points, start=1):
            ev = f"第{p.evidence[0].line}行: {p.evidence[0].text}" if p.evidence else (
                "（法定职责，正文未提及）" if p.source.value == "statutory" else "")
            out.append(f"| {rank} | {md_cell(p.theme)} | {p.score:.2f} | {md_cell('、'.join(p.terms[:5]))} "
                       f"| {md_cell(ev)} |")
        if plan.targets:
            out += ["", "目标:", ""] + [f"- 第{t.line}行: {md_cell(t.text)}" for t in plan.targets[:10]]
        out.append("")
    if result.errors:
        out += ["## 未能读取", ""] + [f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)

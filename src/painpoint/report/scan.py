"""Renderers for `painpoint scan`: JSON contract painpoint.scan/1, CSV, Markdown and a terminal table."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from painpoint.model import Evidence
from painpoint.pipeline import Failure, ScannedPlan, ScanResult
from painpoint.plans.openness import Openness
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


def to_json(result: ScanResult) -> str:
    doc = {"schema": SCAN_SCHEMA, "documents": [plan_json(sp) for sp in result.plans],
           "errors": errors_json(result.errors)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(result: ScanResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["path", "title", "department", "rank", "theme", "score", "kind", "source", "terms",
                "evidence_line", "evidence_text"])
    for sp in result.plans:
        for rank, p in enumerate(sp.pain_points, start=1):
            first = p.evidence[0] if p.evidence else None
            w.writerow([sp.plan.path, sp.plan.title or "", sp.plan.department or "", rank, p.theme,
                        f"{p.score:.3f}", p.kind, p.source.value, "、".join(p.terms),
                        first.line if first else "", first.text if first else ""])
    return buf.getvalue()


def md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(result: ScanResult) -> str:
    out = ["# painpoint scan", ""]
    for sp in result.plans:
        plan = sp.plan
        out += [f"## {md_cell(plan.title or plan.path)}", "",
                f"- 文件: `{plan.path}`", f"- 部门: {plan.department or '未知'}", ""]
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
        out += ["## 未能读取", ""] + [f"- `{f.path}`: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)

"""Renderers for `painpoint diff`: JSON contract painpoint.diff/1 and Markdown."""

from __future__ import annotations

import json
from typing import Any

from painpoint.analysis.diff import DepartmentDiff, DiffResult, TargetChange, TargetStatus, ThemeChange
from painpoint.plans.structure import Target
from painpoint.report.scan import errors_json, evidence_json, md_cell, md_code, openness_json

DIFF_SCHEMA = "painpoint.diff/1"
TARGETS_SHOWN = 8
"""New and dropped targets listed per department in Markdown."""


def theme_json(c: ThemeChange) -> dict[str, Any]:
    return {
        "theme": c.theme, "change": c.change.value, "old_weight": c.old_weight, "new_weight": c.new_weight,
        "delta": c.delta, "old_rank": c.old_rank, "new_rank": c.new_rank, "old_score": c.old_score,
        "new_score": c.new_score, "terms": list(c.terms),
        "old_evidence": [evidence_json(e, with_document=True) for e in c.old_evidence],
        "new_evidence": [evidence_json(e, with_document=True) for e in c.new_evidence],
    }


def _target_json(t: Target | None, document: str | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {"document": document, "line": t.line, "text": t.text, "year": t.year, "values": list(t.values)}


def target_json(t: TargetChange) -> dict[str, Any]:
    return {"status": t.status.value, "similarity": t.similarity, "old": _target_json(t.old, t.old_document),
            "new": _target_json(t.new, t.new_document)}


def department_json(d: DepartmentDiff) -> dict[str, Any]:
    return {
        "name": d.name, "old_documents": list(d.old_documents), "new_documents": list(d.new_documents),
        "themes": [theme_json(c) for c in d.themes], "steady": d.steady,
        "targets": [target_json(t) for t in d.targets],
        "openness": {"old": openness_json(d.old_openness), "new": openness_json(d.new_openness),
                     "delta": round(d.new_openness.score - d.old_openness.score, 3)},
    }


def to_json(result: DiffResult) -> str:
    doc = {"schema": DIFF_SCHEMA, "departments": [department_json(d) for d in result.departments],
           "only_old": list(result.only_old), "only_new": list(result.only_new),
           "errors": errors_json(result.errors)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def weight_text(c: ThemeChange) -> str:
    """'2.1% → 6.5%（+4.4个百分点）'."""
    return f"{c.old_weight:.1%} → {c.new_weight:.1%}（{c.delta * 100:+.1f}个百分点）"


def rank_text(c: ThemeChange) -> str:
    old = f"第{c.old_rank}位" if c.old_rank else "无"
    new = f"第{c.new_rank}位" if c.new_rank else "无"
    return f"{old} → {new}"


def openness_text(d: DepartmentDiff) -> str:
    o, n = d.old_openness, d.new_openness
    return f"{o.level.value}（{o.score:.2f}）→ {n.level.value}（{n.score:.2f}）"


def target_text(t: TargetChange) -> str:
    if t.old and t.new:
        return f"第{t.old.line}行「{t.old.text}」→ 第{t.new.line}行「{t.new.text}」"
    shown = t.new or t.old
    return f"第{shown.line}行「{shown.text}」" if shown else ""


def to_markdown(result: DiffResult) -> str:
    out = ["# painpoint diff：新旧规划对比", ""]
    for d in result.departments:
        out += [f"## {md_cell(d.name)}", "",
                f"- 旧：{'、'.join(md_code(p) for p in d.old_documents)}",
                f"- 新：{'、'.join(md_code(p) for p in d.new_documents)}",
                f"- 向社会组织购买服务的开放度：{openness_text(d)}", ""]
        if d.themes:
            out += ["| 变化 | 主题 | 权重 | 排名 | 规划用语 | 依据 |", "|---|---|---|---|---|---|"]
            for c in d.themes:
                ev = [f"旧 第{e.line}行：{md_cell(e.text)}" for e in c.old_evidence[:1]]
                ev += [f"新 第{e.line}行：{md_cell(e.text)}" for e in c.new_evidence[:1]]
                out.append(f"| {c.change.label} | {md_cell(c.theme)} | {weight_text(c)} | {rank_text(c)} | "
                           f"{md_cell('、'.join(c.terms))} | {'<br>'.join(ev)} |")
            out.append("")
        else:
            out += ["主题分布没有明显变化。", ""]
        if d.steady:
            out += [f"另有{d.steady}个主题基本持平。", ""]
        if d.targets:
            out += ["目标变化：", ""]
            for status in TargetStatus:
                items = [t for t in d.targets if t.status is status]
                # every changed target; new and dropped ones of a long plan can run to dozens (JSON has all)
                shown = items if status is TargetStatus.CHANGED else items[:TARGETS_SHOWN]
                out += [f"- {t.status.label}：{md_cell(target_text(t))}" for t in shown]
                if len(items) > len(shown):
                    out.append(f"- 另有{len(items) - len(shown)}项{status.label}目标（见 --format json）")
            out.append("")
    if result.only_old:
        out += ["仅旧版有的部门：" + "、".join(md_cell(x) for x in result.only_old), ""]
    if result.only_new:
        out += ["仅新版有的部门：" + "、".join(md_cell(x) for x in result.only_new), ""]
    if result.errors:
        out += ["## 未能使用的输入", ""]
        out += [f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)

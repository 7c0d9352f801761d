"""Renderers for `painpoint diff`: JSON contract painpoint.diff/2, Markdown and an HTML section."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from painpoint.analysis.align import Heading, SectionChange, SectionStatus, SentenceChange, SentenceStatus
from painpoint.analysis.diff import DepartmentDiff, DiffResult, TargetChange, TargetStatus, ThemeChange
from painpoint.analysis.fit import OrgFit
from painpoint.analysis.novelty import NewTerm
from painpoint.model import Evidence
from painpoint.plans.structure import Target
from painpoint.report.scan import errors_json, evidence_json, md_cell, md_code, openness_json

DIFF_SCHEMA = "painpoint.diff/2"
TARGETS_SHOWN = 8
"""New and dropped targets listed per department in Markdown."""
TERMS_SHOWN = 15
"""New terms listed per department in Markdown and HTML (JSON has all)."""
SENTENCES_SHOWN = 10
"""Added, changed and removed sentences listed per kind in Markdown and HTML."""
SECTIONS_SHOWN = 20
"""Section changes listed per department in Markdown and HTML."""
SECTION_LABEL = {SectionStatus.RENAMED: "改名", SectionStatus.MOVED: "移动", SectionStatus.ADDED: "新增",
                 SectionStatus.REMOVED: "删除", SectionStatus.SAME: "相同"}
SENTENCE_LABEL = {SentenceStatus.ADDED: "新增", SentenceStatus.CHANGED: "改写", SentenceStatus.REMOVED: "删除"}
FIT_KIND_LABEL = {"term": "新提法", "target": "目标", "theme": "主题"}


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
    return {"status": t.status.value, "measure": t.measure, "similarity": t.similarity,
            "old": _target_json(t.old, t.old_document), "new": _target_json(t.new, t.new_document)}


def _heading_json(h: Heading | None) -> dict[str, Any] | None:
    return None if h is None else {"document": h.document, "line": h.line, "text": h.text, "level": h.level}


def section_json(c: SectionChange) -> dict[str, Any]:
    return {"status": c.status.value, "similarity": c.similarity, "old": _heading_json(c.old),
            "new": _heading_json(c.new)}


def _evidence_or_none(e: Evidence | None) -> dict[str, Any] | None:
    return None if e is None else evidence_json(e, with_document=True)


def sentence_json(c: SentenceChange) -> dict[str, Any]:
    return {"status": c.status.value, "section": c.section, "similarity": c.similarity,
            "old": _evidence_or_none(c.old), "new": _evidence_or_none(c.new),
            "removed_words": list(c.removed_words), "added_words": list(c.added_words),
            "spans": [list(span) for span in c.spans]}


def term_json(t: NewTerm) -> dict[str, Any]:
    return {"term": t.term, "prominence": t.prominence, "new_uses": t.new_uses, "old_uses": t.old_uses,
            "in_heading": t.in_heading, "themes": list(t.themes),
            "evidence": evidence_json(t.evidence, with_document=True)}


def fit_json(f: OrgFit) -> dict[str, Any]:
    return {"org_id": f.org_id, "org_name": f.org_name, "score": f.score,
            "items": [{"kind": i.item.kind.value, "label": i.item.label, "via": i.via, "strength": i.strength,
                       "evidence": evidence_json(i.item.evidence, with_document=True),
                       "org_field": i.field, "org_text": i.org_text} for i in f.items]}


def department_json(d: DepartmentDiff) -> dict[str, Any]:
    return {
        "name": d.name, "old_documents": list(d.old_documents), "new_documents": list(d.new_documents),
        "old_department": d.old_department, "empty": d.empty,
        "new_terms": [term_json(t) for t in d.new_terms],
        "targets": [target_json(t) for t in d.targets],
        "sections": [section_json(c) for c in d.sections], "same_sections": d.same_sections,
        "sentences": [sentence_json(c) for c in d.sentences], "same_sentences": d.same_sentences,
        "themes": [theme_json(c) for c in d.themes], "steady": d.steady,
        "fits": [fit_json(f) for f in d.fits],
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


def target_values(t: TargetChange) -> str:
    """'城镇新增就业：1100万人 → 1200万人' for a pair; the measure and values of a new or dropped target."""
    old = "、".join(t.old.values) if t.old else ""
    new = "、".join(t.new.values) if t.new else ""
    year_old = f"（{t.old.year}年）" if t.old and t.old.year else ""
    year_new = f"（{t.new.year}年）" if t.new and t.new.year else ""
    values = f"{old}{year_old} → {new}{year_new}" if t.old and t.new else f"{old}{year_old}{new}{year_new}"
    return f"{t.measure}：{values}" if t.measure else values


def heading_text(c: SectionChange) -> str:
    if c.old and c.new and c.status is not SectionStatus.MOVED:
        return f"「{c.old.text}」→「{c.new.text}」"
    if c.old and c.new:
        return f"「{c.new.text}」（旧第{c.old.line}行 → 新第{c.new.line}行）"
    shown = c.new or c.old
    return f"第{shown.line}行「{shown.text}」" if shown else ""


def marked(c: SentenceChange, removed: tuple[str, str] = ("[-", "-]"), added: tuple[str, str] = ("{+", "+}"),
           escape: Any = str) -> str:
    """A changed sentence with its removed and added words marked (by default [-old-]{+new+})."""
    wrap = {"removed": removed, "added": added, "same": ("", "")}
    return "".join(wrap[op][0] + escape(text) + wrap[op][1] for op, text in c.spans)


def sentences_by_weight(d: DepartmentDiff, status: SentenceStatus) -> list[SentenceChange]:
    """The department's sentences of one status, those that use the most prominent new terms first, then in
    reading order: the sentences that introduce what is new come before routine rewording."""
    weight = {t.term: t.prominence for t in d.new_terms}

    def score(c: SentenceChange) -> float:
        text = (c.new or c.old or Evidence("", 0, "")).text
        return sum(w for term, w in weight.items() if term in text)

    items = [c for c in d.sentences if c.status is status]
    return sorted(items, key=lambda c: -score(c))


def headline(d: DepartmentDiff) -> list[str]:
    """One-line notes that come before everything else: another department, or nothing changed."""
    notes = []
    if d.old_department:
        notes.append(f"注意：旧版是{d.old_department}的规划，新版是{d.name}的规划，两者不是同一部门，"
                     "以下差异主要反映部门不同。")
    if d.empty:
        notes.append("两份规划内容相同，没有变化。")
    return notes


def counts_text(d: DepartmentDiff) -> str:
    """'新提法12个，目标提高3项…' in one line."""
    by_status = {s: sum(1 for c in d.sentences if c.status is s) for s in SentenceStatus}
    by_target = {s: sum(1 for t in d.targets if t.status is s) for s in TargetStatus}
    by_section = {s: sum(1 for c in d.sections if c.status is s) for s in SectionStatus}
    parts = [f"新提法{len(d.new_terms)}个",
             "目标" + "、".join(f"{s.label}{n}项" for s, n in by_target.items() if n) if d.targets else "",
             "章节" + "、".join(f"{SECTION_LABEL[s]}{n}个" for s, n in by_section.items() if n) if d.sections else "",
             "语句" + "、".join(f"{SENTENCE_LABEL[s]}{n}句" for s, n in by_status.items() if n) +
             f"（{d.same_sentences}句未变）" if d.sentences else "",
             f"主题变化{len(d.themes)}个"]
    return "；".join(p for p in parts if p)


def _md_department(d: DepartmentDiff) -> list[str]:
    out = [f"## {md_cell(d.name)}", "",
           f"- 旧：{'、'.join(md_code(p) for p in d.old_documents)}",
           f"- 新：{'、'.join(md_code(p) for p in d.new_documents)}",
           f"- 向社会组织购买服务的开放度：{openness_text(d)}", ""]
    out += [f"**{md_cell(n)}**" for n in headline(d)]
    if d.empty:
        return [*out, ""]
    out += [f"概览：{counts_text(d)}。", ""]
    if d.new_terms:
        out += ["### 新提法", "", "| 新提法 | 新版出现 | 旧版出现 | 首次出现 |", "|---|---|---|---|"]
        for t in d.new_terms[:TERMS_SHOWN]:
            where = "标题" if t.in_heading else f"{t.new_uses}句"
            out.append(f"| {md_cell(t.term)} | {where} | {t.old_uses}次 | 第{t.evidence.line}行："
                       f"{md_cell(t.evidence.text)} |")
        if len(d.new_terms) > TERMS_SHOWN:
            out.append(f"\n另有{len(d.new_terms) - TERMS_SHOWN}个新提法（见 --format json）")
        out.append("")
    if d.fits:
        out += ["### 适合的社会组织", ""]
        for f in d.fits:
            fitted = "；".join(f"{FIT_KIND_LABEL[i.item.kind.value]}「{md_cell(i.item.label)}」（经由"
                              f"{md_cell(i.via)}，第{i.item.evidence.line}行）" for i in f.items)
            out.append(f"- **{md_cell(f.org_name)}**（{f.org_id}，{f.score:.2f}）：{fitted}")
        out.append("")
    if d.targets:
        out += ["### 目标变化", ""]
        for target_status in TargetStatus:
            targets = [tc for tc in d.targets if tc.status is target_status]
            # every moved target; new and dropped ones of a long plan can run to dozens (JSON has all)
            moved = target_status in (TargetStatus.RAISED, TargetStatus.LOWERED, TargetStatus.CHANGED)
            shown = targets if moved else targets[:TARGETS_SHOWN]
            out += [f"- {tc.status.label}：{md_cell(target_values(tc))}——{md_cell(target_text(tc))}"
                    for tc in shown]
            if len(targets) > len(shown):
                out.append(f"- 另有{len(targets) - len(shown)}项{target_status.label}目标（见 --format json）")
        out.append("")
    if d.sections:
        out += ["### 章节变化", ""]
        out += [f"- {SECTION_LABEL[c.status]}：{md_cell(heading_text(c))}" for c in d.sections[:SECTIONS_SHOWN]]
        if len(d.sections) > SECTIONS_SHOWN:
            out.append(f"- 另有{len(d.sections) - SECTIONS_SHOWN}处章节变化（见 --format json）")
        out.append("")
    if d.sentences:
        out += ["### 语句变化", ""]
        for sentence_status in (SentenceStatus.ADDED, SentenceStatus.CHANGED, SentenceStatus.REMOVED):
            sentences = sentences_by_weight(d, sentence_status)
            for sc in sentences[:SENTENCES_SHOWN]:
                if sc.status is SentenceStatus.CHANGED and sc.old and sc.new:
                    text = marked(sc, ("~~", "~~"), ("**", "**"))
                    out.append(f"- 改写（旧第{sc.old.line}行 → 新第{sc.new.line}行）：{md_cell(text)}")
                elif quoted := sc.new or sc.old:
                    out.append(f"- {SENTENCE_LABEL[sc.status]}（第{quoted.line}行）：{md_cell(quoted.text)}")
            if len(sentences) > SENTENCES_SHOWN:
                out.append(f"- 另有{len(sentences) - SENTENCES_SHOWN}句{SENTENCE_LABEL[sentence_status]}"
                           "（见 --format json）")
        out.append("")
    if d.themes:
        out += ["### 主题变化", "", "| 变化 | 主题 | 权重 | 排名 | 规划用语 | 依据 |", "|---|---|---|---|---|---|"]
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
    return out


def to_markdown(result: DiffResult) -> str:
    out = ["# painpoint diff：新旧规划对比", ""]
    for d in result.departments:
        out += _md_department(d)
    if result.only_old:
        out += ["仅旧版有的部门：" + "、".join(md_cell(x) for x in result.only_old), ""]
    if result.only_new:
        out += ["仅新版有的部门：" + "、".join(md_cell(x) for x in result.only_new), ""]
    if result.errors:
        out += ["## 未能使用的输入", ""]
        out += [f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def diff_section(d: DepartmentDiff) -> str:
    """One department's diff as an HTML <section> (escaped; fits the report page's styles)."""
    out = [f'<section class="diff"><h2>{_e(d.name)}：新旧规划对比</h2>',
           f'<p class="sub">旧：{_e("、".join(d.old_documents))}；新：{_e("、".join(d.new_documents))}；'
           f"购买服务开放度：{_e(openness_text(d))}</p>"]
    out += [f"<p><strong>{_e(n)}</strong></p>" for n in headline(d)]
    if d.empty:
        return "".join(out) + "</section>"
    out.append(f"<p>{_e(counts_text(d))}</p>")
    if d.new_terms:
        out.append("<h3>新提法</h3><table><tr><th>新提法</th><th>新版</th><th>旧版</th><th>首次出现</th></tr>")
        out += [f"<tr><td>{_e(t.term)}</td><td>{'标题' if t.in_heading else f'{t.new_uses}句'}</td>"
                f"<td>{t.old_uses}次</td><td>第{t.evidence.line}行：{_e(t.evidence.text)}</td></tr>"
                for t in d.new_terms[:TERMS_SHOWN]]
        out.append("</table>")
    if d.fits:
        out.append("<h3>适合的社会组织</h3>")
        out.append(_html_list([f"<b>{_e(f.org_name)}</b>（{_e(f.org_id)}，{f.score:.2f}）：" + "；".join(
            f"{FIT_KIND_LABEL[i.item.kind.value]}「{_e(i.item.label)}」（经由{_e(i.via)}）" for i in f.items)
            for f in d.fits]))
    if d.targets:
        out.append("<h3>目标变化</h3>")
        out.append(_html_list([f"{t.status.label}：{_e(target_values(t))}——{_e(target_text(t))}"
                               for t in d.targets[:TARGETS_SHOWN * 3]]))
    if d.sections:
        out.append("<h3>章节变化</h3>")
        out.append(_html_list([f"{SECTION_LABEL[c.status]}：{_e(heading_text(c))}"
                               for c in d.sections[:SECTIONS_SHOWN]]))
    if d.sentences:
        out.append("<h3>语句变化</h3>")
        rows = []
        for status in (SentenceStatus.ADDED, SentenceStatus.CHANGED, SentenceStatus.REMOVED):
            for c in sentences_by_weight(d, status)[:SENTENCES_SHOWN]:
                e = c.new or c.old
                text = marked(c, ("<del>", "</del>"), ("<ins>", "</ins>"), _e) if c.spans else _e(e.text if e else "")
                rows.append(f"{SENTENCE_LABEL[c.status]}（第{e.line if e else 0}行）：{text}")
        out.append(_html_list(rows))
    if d.themes:
        out.append("<h3>主题变化</h3>")
        out.append(_html_list([f"{c.change.label}：{_e(c.theme)} {_e(weight_text(c))}" for c in d.themes]))
    return "".join(out) + "</section>"


def to_html(result: DiffResult) -> str:
    """The diff as one self-contained page, with the report page's styles and script-free policy."""
    from painpoint.report.html import CSP, PAGE_CSS

    title = "painpoint diff：新旧规划对比"
    out = ['<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{CSP}">', '<link rel="icon" href="data:,">',
           f"<title>{_e(title)}</title><style>{PAGE_CSS}</style></head><body><main><h1>{_e(title)}</h1>"]
    out += [diff_section(d) for d in result.departments]
    if result.only_old:
        out.append(f"<p>仅旧版有的部门：{_e('、'.join(result.only_old))}</p>")
    if result.only_new:
        out.append(f"<p>仅新版有的部门：{_e('、'.join(result.only_new))}</p>")
    if result.errors:
        out.append("<h2>未能使用的输入</h2>" + _html_list([f"{_e(f.path)}: {_e(f.message)}" for f in result.errors]))
    return "\n".join(out) + "\n</main></body></html>\n"

"""Renderers for `painpoint links`: JSON contract painpoint.links/1, Markdown, an HTML report section."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from painpoint.analysis.links import Link, LinkMember, LinkOrg, LinksResult
from painpoint.report.scan import errors_json, evidence_json, md_cell, md_code, openness_json

LINKS_SCHEMA = "painpoint.links/1"


def member_json(m: LinkMember) -> dict[str, Any]:
    return {
        "department": m.department, "read": m.loaded, "weight": m.weight, "terms": list(m.terms),
        "themes": list(m.themes), "named_by": list(m.named_by),
        "evidence": [evidence_json(e, with_document=True) for e in m.evidence],
    }


def org_json(o: LinkOrg) -> dict[str, Any]:
    return {"org_id": o.org_id, "org_name": o.org_name, "coverage": o.coverage, "themes": list(o.themes),
            "serves": list(o.serves), "serves_all": o.serves_all}


def link_json(link: Link, rank: int) -> dict[str, Any]:
    return {
        "rank": rank, "key": link.key, "basis": [b.value for b in link.basis], "score": link.score,
        "place": link.place, "departments": [member_json(m) for m in link.members],
        "orgs": [org_json(o) for o in link.orgs],
    }


def to_json(result: LinksResult) -> str:
    doc = {
        "schema": LINKS_SCHEMA,
        "links": [link_json(link, rank) for rank, link in enumerate(result.links, start=1)],
        "departments": [{"name": d.name, "documents": list(d.documents), "place": d.place,
                         "openness": openness_json(d.openness)} for d in result.departments],
        "errors": errors_json(result.errors),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def basis_text(link: Link) -> str:
    return "、".join(b.label for b in link.basis)


def writes(m: LinkMember) -> bool:
    """True for a department whose own plan writes about the link (the others are named as units)."""
    return m.loaded and m.weight > 0


def member_note(m: LinkMember) -> str:
    """How a department whose plan writes about the link takes part: its share, and who names it."""
    note = f"约占规划{m.weight:.1%}"
    if m.named_by:
        note += f"；{'、'.join(m.named_by)}将其列为责任单位"
    return note


def named_text(link: Link) -> str:
    """Departments that are only named as responsible units on the link, each with who names it."""
    names = [f"{m.department}（{'、'.join(m.named_by)}所列）" if m.named_by else m.department
             for m in link.members if not writes(m)]
    return "、".join(names)


def org_text(o: LinkOrg) -> str:
    n = len(o.serves)
    whom = ("" if n == 1 else f"全部{n}个") if o.serves_all else f"其中{n}个"
    return (f"{o.org_name}（`{o.org_id}`，覆盖写到此事的{whom}部门，最弱{o.coverage:.2f}，"
            f"经由{'、'.join(o.themes)}）")


def to_markdown(result: LinksResult) -> str:
    out = ["# painpoint links：跨部门协作", ""]
    if not result.links:
        out += ["未发现两个以上部门共同面对的痛点。", ""]
    for rank, link in enumerate(result.links, start=1):
        out += [f"## {rank}. {md_cell(link.key)}（{basis_text(link)}，{link.score:.2f}）", ""]
        if link.place:
            out += [f"地区：{md_cell(link.place)}", ""]
        out += ["| 部门 | 占规划 | 规划用语 | 依据 |", "|---|---|---|---|"]
        for m in link.members:
            if not writes(m):
                continue
            ev = "<br>".join(f"{md_cell(md_code(e.document))} 第{e.line}行：{md_cell(e.text)}" for e in m.evidence)
            out.append(f"| {md_cell(m.department)} | {md_cell(member_note(m))} | "
                       f"{md_cell('、'.join(m.terms))} | {ev} |")
        out.append("")
        if named_text(link):
            out += [f"列为责任单位：{md_cell(named_text(link))}", ""]
        if link.orgs:
            out += ["可同时服务这些部门的组织：", ""]
            out += [f"- {md_cell(org_text(o))}" for o in link.orgs] + [""]
    if result.errors:
        out += ["## 未能使用的输入", ""]
        out += [f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def to_html_section(links: Sequence[Link], *, limit: int = 10) -> str:
    """A <section> listing the best links, for the HTML report; every piece of plan text is escaped."""
    parts = ['<section class="links"><h2>跨部门协作：多个部门共同面对的痛点</h2>']
    if not links:
        parts.append("<p>未发现两个以上部门共同面对的痛点。</p>")
    for rank, link in enumerate(links[:limit], start=1):
        parts.append(f"<h3>{rank}. {_e(link.key)} "
                     f"<small>{_e(basis_text(link))} · {link.score:.2f}</small></h3>")
        parts.append("<table><thead><tr><th>部门</th><th>参与方式</th><th>依据</th></tr></thead><tbody>")
        for m in link.members:
            if not writes(m):
                continue
            ev = "".join(f"<li>{_e(e.document)} 第{e.line}行：{_e(e.text)}</li>" for e in m.evidence)
            parts.append(f"<tr><td>{_e(m.department)}</td><td>{_e(member_note(m))}</td>"
                         f"<td><ul>{ev}</ul></td></tr>")
        parts.append("</tbody></table>")
        if named_text(link):
            parts.append(f"<p>列为责任单位：{_e(named_text(link))}</p>")
        if link.orgs:
            items = "".join(f"<li>{_e(org_text(o).replace('`', ''))}</li>" for o in link.orgs)
            parts.append(f"<p>可同时服务这些部门的组织：</p><ul>{items}</ul>")
    parts.append("</section>")
    return "\n".join(parts) + "\n"

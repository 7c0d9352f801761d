"""Renderers for `painpoint links`: JSON contract painpoint.links/1, Markdown, an HTML report section."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from painpoint.analysis.links import Link, LinkMember, LinkOrg, LinksResult
from painpoint.i18n import _
from painpoint.report.scan import errors_json, evidence_json, md_cell, md_code, md_header, openness_json

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
    note = _("about {share:.1%} of its plan").format(share=m.weight)
    if m.named_by:
        note += _("; named as a responsible unit by {names}").format(names="、".join(m.named_by))
    return note


def named_text(link: Link) -> str:
    """Departments that are only named as responsible units on the link, each with who names it."""
    names = [_("{department} (named by {names})").format(department=m.department, names="、".join(m.named_by))
             if m.named_by else m.department
             for m in link.members if not writes(m)]
    return "、".join(names)


def org_text(o: LinkOrg) -> str:
    n = len(o.serves)
    if o.serves_all:
        whom = _("the department writing on it") if n == 1 else _("all {n} departments writing on it").format(n=n)
    else:
        whom = _("{n} of the departments writing on it").format(n=n)
    return _("{org} (`{org_id}`, covers {whom}, weakest {weakest:.2f}, through {themes})").format(
        org=o.org_name, org_id=o.org_id, whom=whom, weakest=o.coverage, themes="、".join(o.themes))


def to_markdown(result: LinksResult) -> str:
    out = ["# " + _("painpoint links: work across departments"), ""]
    if not result.links:
        out += [_("No pain point shared by two or more departments."), ""]
    for rank, link in enumerate(result.links, start=1):
        out += [f"## {rank}. {md_cell(link.key)}（{basis_text(link)}，{link.score:.2f}）", ""]
        if link.place:
            out += [_("Place: {place}").format(place=md_cell(link.place)), ""]
        out += md_header(_("Department"), _("Share"), _("Plan wording"), _("Evidence"))
        for m in link.members:
            if not writes(m):
                continue
            ev = "<br>".join(f"{md_cell(md_code(e.document))} " + _("line {line}: {text}").format(
                line=e.line, text=md_cell(e.shown)) for e in m.evidence)
            out.append(f"| {md_cell(m.department)} | {md_cell(member_note(m))} | "
                       f"{md_cell('、'.join(m.terms))} | {ev} |")
        out.append("")
        if named_text(link):
            out += [_("Named as responsible units: ") + md_cell(named_text(link)), ""]
        if link.orgs:
            out += [_("Organizations that could serve these departments:"), ""]
            out += [f"- {md_cell(org_text(o))}" for o in link.orgs] + [""]
    if result.errors:
        out += ["## " + _("Inputs that could not be used"), ""]
        out += [f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def to_html_section(links: Sequence[Link], *, limit: int = 10) -> str:
    """A <section> listing the best links, for the HTML report; every piece of plan text is escaped."""
    heading = _("Work across departments: pain points several departments share")
    parts = [f'<section class="links"><h2>{_e(heading)}</h2>']
    if not links:
        parts.append("<p>" + _e(_("No pain point shared by two or more departments.")) + "</p>")
    for rank, link in enumerate(links[:limit], start=1):
        parts.append(f"<h3>{rank}. {_e(link.key)} "
                     f"<small>{_e(basis_text(link))} · {link.score:.2f}</small></h3>")
        heads = "".join(f"<th>{_e(h)}</th>" for h in (_("Department"), _("How it takes part"), _("Evidence")))
        parts.append(f"<table><thead><tr>{heads}</tr></thead><tbody>")
        for m in link.members:
            if not writes(m):
                continue
            line = _("line {line}: {text}")
            ev = "".join(f"<li>{_e(e.document)} {_e(line.format(line=e.line, text=e.shown))}</li>" for e in m.evidence)
            parts.append(f"<tr><td>{_e(m.department)}</td><td>{_e(member_note(m))}</td>"
                         f"<td><ul>{ev}</ul></td></tr>")
        parts.append("</tbody></table>")
        if named_text(link):
            parts.append("<p>" + _e(_("Named as responsible units: ") + named_text(link)) + "</p>")
        if link.orgs:
            items = "".join(f"<li>{_e(org_text(o).replace('`', ''))}</li>" for o in link.orgs)
            parts.append("<p>" + _e(_("Organizations that could serve these departments:")) + f"</p><ul>{items}</ul>")
    parts.append("</section>")
    return "\n".join(parts) + "\n"

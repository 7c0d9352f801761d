"""Renderers for `painpoint pitch`: a one-page brief as Markdown or Word (.docx).

Both formats are drawn from the same list of blocks, so they always say the same thing. The wording follows
what experienced officials advise organizations to bring: the department's pain points in its own words, the
organization's matching experience restated in that vocabulary, how its mission serves the stated goals, and
what results it will report and how they can be publicised.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from painpoint.i18n import _, ngettext
from painpoint.report import PitchFormat  # noqa: F401 - re-exported: where the format's renderers live
from painpoint.report.ooxml import FIXED_TIME, stable_zip

if TYPE_CHECKING:  # the core's imports wait until a brief is drawn
    from painpoint.match.pitch import Pitch, PitchPoint, PlanTarget


@dataclass(frozen=True)
class Span:
    """A run of text inside a block: plain, code (file paths) or bold."""

    text: str
    style: str = ""
    """"" for plain text, "code" or "bold"."""


@dataclass(frozen=True)
class Block:
    """One paragraph-level element of the brief."""

    kind: str
    """h1, h2, h3, p, li or quote."""
    spans: tuple[Span, ...]
    """Its text."""


def _b(kind: str, *parts: str | Span) -> Block:
    return Block(kind, tuple(p if isinstance(p, Span) else Span(p) for p in parts))


def _name(path: str) -> str:
    return Path(path).name or path


def _with_code(template: str, name: str, code: str, **values: object) -> tuple[Span, ...]:
    """A translated sentence frame whose placeholder `name` becomes a code span; the rest is plain text."""
    before, _sep, after = template.partition("{" + name + "}")
    spans = [Span(before.format(**values)), Span(code, "code"), Span(after.format(**values))]
    return tuple(s for s in spans if s.text)


def _where(document: str, line: int) -> tuple[Span, ...]:
    return _with_code(_(" ({document}, line {line})"), "document", _name(document), line=line)


def _quotes(items: Sequence[str]) -> str:
    """Items quoted one by one: “a”, “b” in English, 「a」「b」 in Chinese."""
    # the separator closes one quotation and opens the next: ”, “ in English, 」「 in Chinese
    return _("“{text}”").format(text=_("”, “").join(items))


def _point_meta(p: PitchPoint) -> str:
    bits = []
    if p.rank is not None:
        bits.append(_("Pain point no. {rank} of the department").format(rank=p.rank))
    else:
        bits.append(_("A minor pain point of the department"))
    if p.weight >= 0.005:
        bits.append(_("about {share:.0%} of the plan").format(share=p.weight))
    if p.terms:
        bits.append(_("the plan's words: {terms}").format(terms="、".join(p.terms[:5])))
    return _("; ").join(bits)


def _target_text(t: PlanTarget) -> str:
    if t.year:
        return _("Target for {year}: {text}").format(year=t.year, text=t.text)
    return _("Target: {text}").format(text=t.text)


def _title(p: Pitch) -> str:
    return _("Proposal: {org} × {department}").format(org=p.org.name, department=p.department)


def blocks(p: Pitch) -> list[Block]:
    """The brief as a list of blocks, in reading order."""
    org = p.org
    out: list[Block] = [_b("h1", _title(p))]
    facts = [org.name]
    if org.kind:
        facts.append(str(org.kind))
    if org.region:
        facts.append("、".join(org.region[:3]))
    if p.candidates > 1:
        standing = ngettext("match {score:.2f}, no. {rank} of {n} candidate organization for the department",
                            "match {score:.2f}, no. {rank} of {n} candidate organizations for the department",
                            p.candidates).format(score=p.score, rank=p.rank, n=p.candidates)
    else:  # a rank out of one says nothing
        standing = _("match {score:.2f} (no other organization was compared)").format(score=p.score)
    if p.local:
        standing += _(", works locally in {place}").format(place=p.place)
    bar = _(" | ")
    out.append(_b("p", bar.join(facts) + bar + standing))
    if p.weak:
        advice = _("{reasons}. Before taking this to a meeting, consider the better-fitting departments that "
                   "{command} lists, or add the relevant experience.")
        # the colon stays outside the bold span: CommonMark does not close `**` after punctuation before a letter
        out.append(_b("quote", Span(_("Weak fit"), "bold"), Span(_(": ")),
                      *_with_code(advice, "command", f"painpoint match --org {p.org.id}",
                                  reasons=_("; ").join(p.weak))))
    docs = [Span(_("Based on the plans: "))]
    for i, d in enumerate(p.documents):
        docs += [Span("、")] if i else []
        docs.append(Span(_name(d), "code"))
    out.append(_b("p", *docs))

    out.append(_b("h2", _("1. The department's pain points (in the plan's words)")))
    if p.points and not p.points[0].served:
        out.append(_b("p", _("The profile shows no experience that matches the department's pain points; these "
                             "are the department's main pain points.")))
    for i, point in enumerate(p.points, start=1):
        out.append(_b("h3", f"{i}. {point.theme}"))
        out.append(_b("p", _point_meta(point)))
        for e in point.evidence:
            out.append(_b("li", _("Plan: “{text}”").format(text=e.text), *_where(e.document, e.line)))
        if not point.evidence and point.statutory:
            out.append(_b("li", _("Statutory duty: the plan's text does not go into it, but it is within the "
                                  "department's responsibilities.")))
        for t in point.targets:
            out.append(_b("li", _target_text(t), *_where(t.document, t.line)))

    out.append(_b("h2", _("2. What we have done (in the department's words)")))
    if not p.projects:
        out.append(_b("p", _("The profile records no project that matches these pain points (see “What to add” "
                             "at the end).")))
    for pp in p.projects:
        proj = pp.project
        if proj.years:
            heading = _("Project “{name}” ({years})").format(name=proj.name, years=proj.years)
        else:
            heading = _("Project “{name}”").format(name=proj.name)
        out.append(_b("h3", heading))
        plan_words = [w for w in pp.plan_terms if w not in pp.org_terms]
        if plan_words:
            said = _("Answers the plan's {themes}: the plan says “{plan}”, we say “{ours}”.").format(
                themes=_quotes(pp.themes), plan="、".join(plan_words[:4]), ours="、".join(pp.org_terms[:3]))
        else:
            said = _("Answers the plan's {themes}.").format(themes=_quotes(pp.themes))
        out.append(_b("li", said))
        if proj.partners:
            out.append(_b("li", _("Partners: {partners}").format(partners="、".join(proj.partners))))
        if proj.summary:
            out.append(_b("li", _("What we did: {summary}").format(summary=proj.summary)))
        out.append(_b("li", _("Results: {results}").format(results=proj.results) if proj.results
                      else _("Results: not in the profile (see “What to add” at the end)")))

    out.append(_b("h2", _("3. How our mission serves the department's goals")))
    out.append(_b("quote", _("Our mission: {mission}").format(mission=org.mission)))
    if not p.links:
        out.append(_b("p", _("Nothing in the profile's services and mission speaks directly to these goals.")))
    for link in p.links:
        ours = []
        if link.services:
            ours.append(_("our services {items}").format(items=_quotes(link.services[:3])))
        if link.beneficiaries:
            ours.append(_("the people we serve, {items}").format(items=_quotes(link.beneficiaries[:3])))
        if link.mission_terms and not ours:
            ours.append(_("{items} in our mission").format(items=_quotes(link.mission_terms[:3])))
        what = ours[0] if len(ours) == 1 else _("{first} and {second}").format(first=ours[0], second=ours[1])
        ours_text = _("it matches {what}.").format(what=what)
        if link.goal is not None:
            # the goal sentence is quoted in part one already; point back to it to keep the brief to a page
            out.append(_b("li", _("Plan goal “{theme}” (line {line}, above): {ours}").format(
                theme=link.theme, line=link.goal.line, ours=ours_text)))
        else:
            out.append(_b("li", _("Plan goal “{theme}”: {ours}").format(theme=link.theme, ours=ours_text)))

    out.append(_b("h2", _("4. The results we will report, and how they can be publicised")))
    targets = p.targets
    if targets:
        several = len({t.document for t in targets[:4]}) > 1  # then a line number alone does not say which plan
        refs = "、".join(
            (_name(t.document) + " " if several else "")
            + (_("line {line} ({values})").format(line=t.line, values="、".join(t.values[:3])) if t.values
               else _("line {line}").format(line=t.line)) for t in targets[:4])
        out.append(_b("li", _("Report in the plan's own measures: against the targets on {refs}, report how much "
                              "the organization contributed, to whom and where, so that the department can count "
                              "it straight towards its results.").format(refs=refs)))
    results = [pp.project for pp in p.projects if pp.project.results]
    for proj in results:
        out.append(_b("li", _("Past results as the baseline: project “{name}”: {results}").format(
            name=proj.name, results=proj.results)))
    if not targets and not results:
        out.append(_b("li", _("The plan sets no quantified target for this and the profile records no results: "
                              "add result figures first, then agree on what to report (see the end).")))
    partners = list(dict.fromkeys(x for pp in p.projects for x in pp.project.partners))
    if partners:
        out.append(_b("li", _("Publicity: announce results along the way together with past partners "
                              "({partners}).").format(partners="、".join(partners[:5]))))
    words = list(dict.fromkeys(w for pp in p.projects for w in pp.plan_terms))
    if not words:
        words = [w for point in p.points for w in point.terms[:2]]
    if words:
        out.append(_b("li", _("Publicity: word the results brief in the plan's terms ({terms}), so that the "
                              "department can use it in its annual summary and government news.").format(
            terms="、".join(words[:6]))))
    if org.credentials:
        out.append(_b("li", _("Credentials to attach to the brief: {credentials}").format(
            credentials="、".join(org.credentials))))

    if p.gaps:
        out.append(_b("h2", _("What to add")))
        out += [_b("li", g) for g in p.gaps]
    out.append(_b("p", _("This brief states only what the plans say and facts from the organization's profile.")))
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _md_text(text: str) -> str:
    # plans and profiles are untrusted: a `<script>` or `[link](…)` stays literal text in any Markdown viewer
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def _md_span(s: Span) -> str:
    if s.style == "code" and "`" not in s.text:
        return f"`{s.text}`"
    if s.style == "bold":
        return f"**{_md_text(s.text)}**"
    return _md_text(s.text)


_MD_PREFIX = {"h1": "# ", "h2": "## ", "h3": "### ", "p": "", "li": "- ", "quote": "> "}


def to_markdown(p: Pitch) -> str:
    """The brief as Markdown; list items run together, everything else is separated by a blank line."""
    lines: list[str] = []
    previous = ""
    for block in blocks(p):
        if lines and not (block.kind == "li" and previous == "li"):
            lines.append("")
        lines.append(_MD_PREFIX[block.kind] + "".join(_md_span(s) for s in block.spans))
        previous = block.kind
    return "\n".join(lines) + "\n"


DOCX_EAST_ASIAN_FONT = "Microsoft YaHei"
"""Font named for Chinese text in the .docx; Word and LibreOffice fall back to an installed CJK font."""

# XML 1.0 forbids these; a profile can carry them through YAML escapes ("\a"), and python-docx would refuse
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_docx(p: Pitch) -> bytes:
    """The brief as a Word document, byte-identical for the same brief."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    for style_name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Quote", "List Bullet"):
        style = document.styles[style_name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), DOCX_EAST_ASIAN_FONT)
    document.styles["Normal"].font.size = Pt(10.5)
    styles = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "p": "Normal", "li": "List Bullet",
              "quote": "Quote"}
    for block in blocks(p):
        para = document.add_paragraph(style=styles[block.kind])
        for s in block.spans:
            run = para.add_run(_XML_ILLEGAL.sub("", s.text))
            if s.style == "bold":
                run.bold = True
            elif s.style == "code":
                run.font.name = "Consolas"
    props = document.core_properties
    props.title = _title(p)
    props.author = p.org.name
    props.last_modified_by = "painpoint"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    return stable_zip(buf.getvalue())

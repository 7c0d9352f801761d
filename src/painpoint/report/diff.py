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
from painpoint.i18n import N_, _
from painpoint.model import Evidence
from painpoint.plans.structure import Target
from painpoint.report.scan import errors_json, evidence_json, md_cell, md_code, md_header, openness_json

DIFF_SCHEMA = "painpoint.diff/2"
TARGETS_SHOWN = 8
"""New and dropped targets listed per department in Markdown."""
TERMS_SHOWN = 15
"""New terms listed per department in Markdown and HTML (JSON has all)."""
SENTENCES_SHOWN = 10
"""Added, changed and removed sentences listed per kind in Markdown and HTML."""
SECTIONS_SHOWN = 20
"""Section changes listed per department in Markdown and HTML."""
SECTION_LABEL = {SectionStatus.RENAMED: N_("renamed"), SectionStatus.MOVED: N_("moved"),
                 SectionStatus.ADDED: N_("added"), SectionStatus.REMOVED: N_("removed"),
                 SectionStatus.SAME: N_("same")}
"""Section statuses in the source language: show them with `section_label`."""
SENTENCE_LABEL = {SentenceStatus.ADDED: N_("added"), SentenceStatus.CHANGED: N_("reworded"),
                  SentenceStatus.REMOVED: N_("removed")}
"""Sentence statuses in the source language: show them with `sentence_label`."""
FIT_KIND_LABEL = {"term": N_("new term"), "target": N_("target"), "theme": N_("theme")}
"""What an organization fits, in the source language: show it with `fit_kind_label`."""


def section_label(status: SectionStatus) -> str:
    return _(SECTION_LABEL[status])


def sentence_label(status: SentenceStatus) -> str:
    return _(SENTENCE_LABEL[status])


def fit_kind_label(kind: str) -> str:
    return _(FIT_KIND_LABEL[kind])


def list_sep() -> str:
    """The separator of a list of labels or file names: '、' in Chinese, ', ' in English."""
    return _(", ")


def clause_sep() -> str:
    """The separator of clauses in one line: '；' in Chinese, '; ' in English."""
    return _("; ")


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
    return _("{old} → {new} ({delta} points)").format(
        old=f"{c.old_weight:.1%}", new=f"{c.new_weight:.1%}", delta=f"{c.delta * 100:+.1f}")


def _rank(rank: int | None) -> str:
    return _("#{rank}").format(rank=rank) if rank else _("none")


def rank_text(c: ThemeChange) -> str:
    return f"{_rank(c.old_rank)} → {_rank(c.new_rank)}"


def openness_text(d: DepartmentDiff) -> str:
    o, n = d.old_openness, d.new_openness
    return _("{old_level} ({old_score}) → {new_level} ({new_score})").format(
        old_level=o.level.label, old_score=f"{o.score:.2f}", new_level=n.level.label,
        new_score=f"{n.score:.2f}")


def _line_quote(line: int, text: str) -> str:
    """'第3行「text」'."""
    return _("line {line} “{text}”").format(line=line, text=text)


def target_text(t: TargetChange) -> str:
    if t.old and t.new:
        return _("line {old_line} “{old_text}” → line {new_line} “{new_text}”").format(
            old_line=t.old.line, old_text=t.old.text, new_line=t.new.line, new_text=t.new.text)
    shown = t.new or t.old
    return _line_quote(shown.line, shown.text) if shown else ""


def target_values(t: TargetChange) -> str:
    """'城镇新增就业：1100万人 → 1200万人' for a pair; the measure and values of a new or dropped target."""

    def side(target: Target | None) -> str:
        if target is None:
            return ""
        values = "、".join(target.values)
        return _("{values} ({year})").format(values=values, year=target.year) if target.year else values

    old, new = side(t.old), side(t.new)
    values = f"{old} → {new}" if t.old and t.new else f"{old}{new}"
    return _("{measure}: {values}").format(measure=t.measure, values=values) if t.measure else values


def heading_text(c: SectionChange) -> str:
    if c.old and c.new and c.status is not SectionStatus.MOVED:
        return _("“{old}” → “{new}”").format(old=c.old.text, new=c.new.text)
    if c.old and c.new:
        return _("“{text}” (old line {old_line} → new line {new_line})").format(
            text=c.new.text, old_line=c.old.line, new_line=c.new.line)
    shown = c.new or c.old
    return _line_quote(shown.line, shown.text) if shown else ""


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
        notes.append(_("Note: the old plan is {old}'s and the new plan is {new}'s, not the same department; the "
                       "differences below mostly reflect the change of department.").format(
                           old=d.old_department, new=d.name))
    if d.empty:
        notes.append(_("The two plans are the same: nothing changed."))
    return notes


def counts_text(d: DepartmentDiff) -> str:
    """'新提法12个，目标提高3项…' in one line."""
    by_status = {s: sum(1 for c in d.sentences if c.status is s) for s in SentenceStatus}
    by_target = {s: sum(1 for t in d.targets if t.status is s) for s in TargetStatus}
    by_section = {s: sum(1 for c in d.sections if c.status is s) for s in SectionStatus}
    sep = list_sep()
    targets = sep.join(_("{n} {target_status}").format(n=n, target_status=s.label)
                       for s, n in by_target.items() if n)
    sections = sep.join(_("{n} {section_status}").format(n=n, section_status=section_label(s))
                        for s, n in by_section.items() if n)
    sentences = sep.join(_("{n} {sentence_status}").format(n=n, sentence_status=sentence_label(s))
                         for s, n in by_status.items() if n)
    parts = [_("{n} new term(s)").format(n=len(d.new_terms)),
             _("targets: {items}").format(items=targets) if d.targets else "",
             _("sections: {items}").format(items=sections) if d.sections else "",
             _("sentences: {items} ({same} unchanged)").format(items=sentences, same=d.same_sentences)
             if d.sentences else "",
             _("{n} theme change(s)").format(n=len(d.themes))]
    return clause_sep().join(p for p in parts if p)


def _fit_line(name: str, org_id: str, score: float, items: str) -> str:
    """'**name**（id，0.83）：items' with `name` already marked up."""
    return _("{name} ({org_id}, {score}): {items}").format(name=name, org_id=org_id, score=f"{score:.2f}",
                                                           items=items)


def _md_department(d: DepartmentDiff) -> list[str]:
    sep = list_sep()
    out = [f"## {md_cell(d.name)}", "",
           "- " + _("Old: {documents}").format(documents=sep.join(md_code(p) for p in d.old_documents)),
           "- " + _("New: {documents}").format(documents=sep.join(md_code(p) for p in d.new_documents)),
           "- " + _("Openness to buying services from social organizations: {openness}").format(
               openness=openness_text(d)), ""]
    out += [f"**{md_cell(n)}**" for n in headline(d)]
    if d.empty:
        return [*out, ""]
    out += [_("Overview: {counts}.").format(counts=counts_text(d)), ""]
    if d.new_terms:
        out += ["### " + _("New terms"), "",
                *md_header(_("New term"), _("In the new plan"), _("In the old plan"), _("First seen"))]
        for t in d.new_terms[:TERMS_SHOWN]:
            where = _("heading") if t.in_heading else _("{n} sentence(s)").format(n=t.new_uses)
            uses = _("{n} time(s)").format(n=t.old_uses)
            first = _("line {line}: {text}").format(line=t.evidence.line, text=md_cell(t.evidence.text))
            out.append(f"| {md_cell(t.term)} | {where} | {uses} | {first} |")
        if len(d.new_terms) > TERMS_SHOWN:
            out.append("\n" + _("{n} more new term(s) (see --format json)").format(n=len(d.new_terms) - TERMS_SHOWN))
        out.append("")
    if d.fits:
        out += ["### " + _("Organizations that fit"), ""]
        for f in d.fits:
            fitted = clause_sep().join(
                _("{kind} “{label}” (via {via}, line {line})").format(
                    kind=fit_kind_label(i.item.kind.value), label=md_cell(i.item.label), via=md_cell(i.via),
                    line=i.item.evidence.line) for i in f.items)
            out.append("- " + _fit_line(f"**{md_cell(f.org_name)}**", f.org_id, f.score, fitted))
        out.append("")
    if d.targets:
        out += ["### " + _("Target changes"), ""]
        for target_status in TargetStatus:
            targets = [tc for tc in d.targets if tc.status is target_status]
            # every moved target; new and dropped ones of a long plan can run to dozens (JSON has all)
            moved = target_status in (TargetStatus.RAISED, TargetStatus.LOWERED, TargetStatus.CHANGED)
            shown = targets if moved else targets[:TARGETS_SHOWN]
            out += ["- " + _("{status}: {values} — {where}").format(
                status=tc.status.label, values=md_cell(target_values(tc)), where=md_cell(target_text(tc)))
                for tc in shown]
            if len(targets) > len(shown):
                out.append("- " + _("{n} more {status} target(s) (see --format json)").format(
                    n=len(targets) - len(shown), status=target_status.label))
        out.append("")
    if d.sections:
        out += ["### " + _("Section changes"), ""]
        out += ["- " + _("{status}: {text}").format(status=section_label(c.status), text=md_cell(heading_text(c)))
                for c in d.sections[:SECTIONS_SHOWN]]
        if len(d.sections) > SECTIONS_SHOWN:
            out.append("- " + _("{n} more section change(s) (see --format json)").format(
                n=len(d.sections) - SECTIONS_SHOWN))
        out.append("")
    if d.sentences:
        out += ["### " + _("Sentence changes"), ""]
        for sentence_status in (SentenceStatus.ADDED, SentenceStatus.CHANGED, SentenceStatus.REMOVED):
            sentences = sentences_by_weight(d, sentence_status)
            for sc in sentences[:SENTENCES_SHOWN]:
                if sc.status is SentenceStatus.CHANGED and sc.old and sc.new:
                    text = marked(sc, ("~~", "~~"), ("**", "**"))
                    out.append("- " + _("reworded (old line {old_line} → new line {new_line}): {text}").format(
                        old_line=sc.old.line, new_line=sc.new.line, text=md_cell(text)))
                elif quoted := sc.new or sc.old:
                    out.append("- " + _("{status} (line {line}): {text}").format(
                        status=sentence_label(sc.status), line=quoted.line, text=md_cell(quoted.text)))
            if len(sentences) > SENTENCES_SHOWN:
                out.append("- " + _("{n} more sentence(s) {status} (see --format json)").format(
                    n=len(sentences) - SENTENCES_SHOWN, status=sentence_label(sentence_status)))
        out.append("")
    if d.themes:
        out += ["### " + _("Theme changes"), "",
                *md_header(_("Change"), _("Theme"), _("Weight"), _("Rank"), _("Plan wording"), _("Evidence"))]
        for c in d.themes:
            ev = [_("old, line {line}: {text}").format(line=e.line, text=md_cell(e.text)) for e in c.old_evidence[:1]]
            ev += [_("new, line {line}: {text}").format(line=e.line, text=md_cell(e.text)) for e in c.new_evidence[:1]]
            out.append(f"| {c.change.label} | {md_cell(c.theme)} | {weight_text(c)} | {rank_text(c)} | "
                       f"{md_cell('、'.join(c.terms))} | {'<br>'.join(ev)} |")
        out.append("")
    else:
        out += [_("The distribution of themes did not change markedly."), ""]
    if d.steady:
        out += [_("{n} more theme(s) held roughly steady.").format(n=d.steady), ""]
    return out


def title() -> str:
    """The diff report's title."""
    return _("painpoint diff: old and new plans compared")


def to_markdown(result: DiffResult) -> str:
    out = ["# " + title(), ""]
    for d in result.departments:
        out += _md_department(d)
    if result.only_old:
        out += [_("Departments only in the old plans: {names}").format(
            names="、".join(md_cell(x) for x in result.only_old)), ""]
    if result.only_new:
        out += [_("Departments only in the new plans: {names}").format(
            names="、".join(md_cell(x) for x in result.only_new)), ""]
    if result.errors:
        out += ["## " + _("Inputs that could not be used"), ""]
        out += [f"- {md_code(f.path)}: {md_cell(f.message)}" for f in result.errors] + [""]
    return "\n".join(out)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def diff_section(d: DepartmentDiff) -> str:
    """One department's diff as an HTML <section> (escaped; fits the report page's styles)."""
    sep = list_sep()
    sub = _("Old: {old}; new: {new}; openness to buying services: {openness}").format(
        old=_e(sep.join(d.old_documents)), new=_e(sep.join(d.new_documents)), openness=_e(openness_text(d)))
    out = ['<section class="diff"><h2>' + _("{department}: old and new plans compared").format(
               department=_e(d.name)) + "</h2>",
           f'<p class="sub">{sub}</p>']
    out += [f"<p><strong>{_e(n)}</strong></p>" for n in headline(d)]
    if d.empty:
        return "".join(out) + "</section>"
    out.append(f"<p>{_e(counts_text(d))}</p>")
    if d.new_terms:
        out.append("<h3>" + _e(_("New terms")) + "</h3><table><tr>" + "".join(
            f"<th>{_e(h)}</th>" for h in (_("New term"), _("New plan"), _("Old plan"), _("First seen"))) + "</tr>")
        for t in d.new_terms[:TERMS_SHOWN]:
            where = _("heading") if t.in_heading else _("{n} sentence(s)").format(n=t.new_uses)
            uses = _("{n} time(s)").format(n=t.old_uses)
            first = _("line {line}: {text}").format(line=t.evidence.line, text=_e(t.evidence.text))
            out.append(f"<tr><td>{_e(t.term)}</td><td>{_e(where)}</td><td>{_e(uses)}</td><td>{first}</td></tr>")
        out.append("</table>")
    if d.fits:
        out.append("<h3>" + _e(_("Organizations that fit")) + "</h3>")
        out.append(_html_list([_fit_line(f"<b>{_e(f.org_name)}</b>", _e(f.org_id), f.score, clause_sep().join(
            _("{kind} “{label}” (via {via})").format(kind=_e(fit_kind_label(i.item.kind.value)),
                                                     label=_e(i.item.label), via=_e(i.via)) for i in f.items))
            for f in d.fits]))
    if d.targets:
        out.append("<h3>" + _e(_("Target changes")) + "</h3>")
        out.append(_html_list([_("{status}: {values} — {where}").format(
            status=_e(t.status.label), values=_e(target_values(t)), where=_e(target_text(t)))
            for t in d.targets[:TARGETS_SHOWN * 3]]))
    if d.sections:
        out.append("<h3>" + _e(_("Section changes")) + "</h3>")
        out.append(_html_list([_("{status}: {text}").format(status=_e(section_label(c.status)),
                                                           text=_e(heading_text(c)))
                               for c in d.sections[:SECTIONS_SHOWN]]))
    if d.sentences:
        out.append("<h3>" + _e(_("Sentence changes")) + "</h3>")
        rows = []
        for status in (SentenceStatus.ADDED, SentenceStatus.CHANGED, SentenceStatus.REMOVED):
            for c in sentences_by_weight(d, status)[:SENTENCES_SHOWN]:
                e = c.new or c.old
                text = marked(c, ("<del>", "</del>"), ("<ins>", "</ins>"), _e) if c.spans else _e(e.text if e else "")
                rows.append(_("{status} (line {line}): {text}").format(
                    status=_e(sentence_label(c.status)), line=e.line if e else 0, text=text))
        out.append(_html_list(rows))
    if d.themes:
        out.append("<h3>" + _e(_("Theme changes")) + "</h3>")
        out.append(_html_list([_("{status}: {text}").format(status=_e(c.change.label),
                                                           text=_e(f"{c.theme} {weight_text(c)}"))
                               for c in d.themes]))
    return "".join(out) + "</section>"


def to_html(result: DiffResult) -> str:
    """The diff as one self-contained page, with the report page's styles and script-free policy."""
    from painpoint.report.html import CSP, PAGE_CSS, html_lang

    heading = title()
    out = [f'<!DOCTYPE html>\n<html lang="{html_lang()}"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{CSP}">', '<link rel="icon" href="data:,">',
           f"<title>{_e(heading)}</title><style>{PAGE_CSS}</style></head><body><main><h1>{_e(heading)}</h1>"]
    out += [diff_section(d) for d in result.departments]
    if result.only_old:
        out.append("<p>" + _("Departments only in the old plans: {names}").format(
            names=_e("、".join(result.only_old))) + "</p>")
    if result.only_new:
        out.append("<p>" + _("Departments only in the new plans: {names}").format(
            names=_e("、".join(result.only_new))) + "</p>")
    if result.errors:
        out.append("<h2>" + _e(_("Inputs that could not be used")) + "</h2>"
                   + _html_list([f"{_e(f.path)}: {_e(f.message)}" for f in result.errors]))
    return "\n".join(out) + "\n</main></body></html>\n"

"""Terminal tables (rich), labelled in the language in force around the plans' and profiles' own words."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from painpoint.errors import printable
from painpoint.i18n import _
from painpoint.pipeline import MatchResult, ScanResult
from painpoint.report.scan import guess_note, place_note


def _snippet(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(table: Table, *cells: str | Text) -> None:
    """Add a row whose plain strings are shown literally: plan and profile text is untrusted, and rich would
    read '[/x]' in it as markup."""
    table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells))


def scan_table(result: ScanResult, console: Console) -> None:
    """One panel per document: department, top pain points with score and an evidence snippet."""
    for sp in result.plans:
        plan = sp.plan
        table = Table(show_header=True, header_style="bold", expand=True, show_lines=False)
        table.add_column("#", justify="right", width=3)
        table.add_column(_("Pain point"), ratio=2, overflow="fold")
        table.add_column(_("Score"), justify="right", width=5)
        table.add_column(_("Plan wording"), ratio=3, overflow="fold")
        table.add_column(_("Evidence (line: text)"), ratio=6, overflow="fold")
        for rank, p in enumerate(sp.pain_points, start=1):
            if p.evidence:
                ev = Text(f"{p.evidence[0].line}: ", style="dim") + Text(_snippet(p.evidence[0].shown))
            else:
                ev = Text(_("statutory duty (not in the text)"), style="italic dim")
            _row(table, str(rank), p.theme, f"{p.score:.2f}", "、".join(p.terms[:4]), ev)
        # a file name may hold escape sequences and newlines: shown as \x1b and \n, never acted on
        header = Text.assemble((printable(plan.title or plan.path), "bold"), "\n",
                               (_("Department: "), "dim"), plan.department or _("unknown"),
                               (guess_note(plan), "dim"), "   ", (_("File: "), "dim"), printable(plan.path))
        where = place_note(plan).strip()
        if where:
            header.append_text(Text("\n" + where, style="dim"))
        extra = []
        if plan.targets:
            extra.append(Text(_("{n} numeric target(s), e.g. line {line}: {text}").format(
                n=len(plan.targets), line=plan.targets[0].line, text=_snippet(plan.targets[0].text, 70)), style="dim"))
        console.print(Panel(Group(header, table, *extra), expand=True))


def match_table(result: MatchResult, console: Console, *, org_view: bool = False) -> None:
    """Per department: its top pain points and the organizations that fit, with the plan's words."""
    if org_view:
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column(_("Department"), ratio=2, overflow="fold")
        table.add_column(_("Score"), justify="right", width=5)
        table.add_column(_("Pain points served"), ratio=2, overflow="fold")
        table.add_column(_("In the plan's words"), ratio=2, overflow="fold")
        table.add_column(_("Reasons and evidence"), ratio=5, overflow="fold")
        for m in result.matches:
            why = Text("\n".join(m.reasons[:3]))
            if m.evidence:
                why.append(f"\n{m.evidence[0].line}: {_snippet(m.evidence[0].shown, 50)}", style="dim")
            _row(table, m.department, f"{m.score:.2f}", "、".join(m.pain_points), "、".join(m.plan_terms[:4]),
                          why)
        title = (_("Departments {org} fits best").format(org=result.matches[0].org_name) if result.matches
                 else _("no match"))
        console.print(Panel(table, title=Text(title)))
        return
    by_dept: dict[str, list] = {}  # type: ignore[type-arg]
    for m in result.matches:
        by_dept.setdefault(m.department, []).append(m)
    for d in result.departments:
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("#", justify="right", width=3)
        table.add_column(_("Organization"), ratio=2, overflow="fold")
        table.add_column(_("Score"), justify="right", width=5)
        table.add_column(_("Pain points served"), ratio=2, overflow="fold")
        table.add_column(_("Reasons"), ratio=5, overflow="fold")
        for m in by_dept.get(d.name, []):
            _row(table, str(m.rank), m.org_name, f"{m.score:.2f}", "、".join(m.pain_points),
                          "\n".join(m.reasons[:2]))
        pains = "、".join(p.theme for p in d.pain_points[:5]) or _("(none found)")
        header = Text.assemble((d.name, "bold"), "\n", (_("Main pain points: "), "dim"), pains)
        console.print(Panel(Group(header, table), expand=True))


def links_table(result, console: Console) -> None:  # type: ignore[no-untyped-def]
    """One panel per cross-department link: departments, how each takes part, evidence, organizations."""
    from painpoint.report.links import basis_text, named_text, org_text, writes

    if not result.links:
        console.print(Text(_("No pain point shared by two or more departments.")))
    for rank, link in enumerate(result.links, start=1):
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column(_("Department"), ratio=2, overflow="fold")
        table.add_column(_("Share"), justify="right", width=6)
        table.add_column(_("Evidence (line: text)"), ratio=6, overflow="fold")
        for m in link.members:
            if not writes(m):
                continue
            if m.evidence:
                ev = Text(f"{m.evidence[0].line}: ", style="dim") + Text(_snippet(m.evidence[0].shown, 70))
            else:
                ev = Text("—", style="dim")
            _row(table, m.department, f"{m.weight:.1%}", ev)
        header = Text.assemble((f"{rank}. {link.key}", "bold"), "  ", (basis_text(link), "dim"),
                               ("  " + _("Score") + " ", "dim"), f"{link.score:.2f}")
        extra = []
        if named_text(link):
            extra.append(Text(_("Named as responsible units: ") + named_text(link), style="dim"))
        if link.orgs:
            orgs = _("; ").join(org_text(o).replace("`", "") for o in link.orgs[:3])
            extra.append(Text(_("Could serve them all: ") + orgs, style="green"))
        console.print(Panel(Group(header, table, *extra), expand=True))


def diff_table(result, console: Console) -> None:  # type: ignore[no-untyped-def]
    """Per department, most important first and about a screen long: new terms, fitting organizations,
    target moves, sections, sentences, then theme shifts; the full lists are in --format md/json/html."""
    from painpoint.analysis.align import SentenceStatus
    from painpoint.analysis.diff import TargetStatus
    from painpoint.report.diff import (
        clause_sep,
        counts_text,
        fit_kind_label,
        heading_text,
        headline,
        list_sep,
        marked,
        openness_text,
        section_label,
        sentences_by_weight,
        target_values,
    )

    for d in result.departments:
        sep = list_sep()
        lines: list[Text] = [Text.assemble((d.name, "bold"), "  ", (_("Old: "), "dim"), sep.join(d.old_documents),
                                           "  ", (_("New: "), "dim"), sep.join(d.new_documents))]
        lines += [Text(n, style="bold yellow") for n in headline(d)]
        if d.empty:
            console.print(Panel(Group(*lines), expand=True))
            continue
        lines.append(Text(counts_text(d), style="dim"))
        if d.new_terms:
            terms = list_sep().join(_("{term} ({where})").format(
                term=t.term, where=_("heading") if t.in_heading else _("{n} sentence(s)").format(n=t.new_uses))
                for t in d.new_terms[:10])
            lines.append(Text.assemble((_("New terms: "), "bold"), terms))
            top = d.new_terms[0]
            lines.append(Text("  " + _("first seen on line {line}: {text}").format(
                line=top.evidence.line, text=_snippet(top.evidence.text, 30)), style="dim"))
        for f in d.fits[:3]:
            items = clause_sep().join(_("{kind} “{label}”").format(kind=fit_kind_label(i.item.kind.value),
                                                                   label=i.item.label) for i in f.items[:3])
            lines.append(Text.assemble((_("Fits: "), "bold"), f"{f.org_name}: ", _snippet(items, 24)))
        moved = [t for t in d.targets if t.status in (TargetStatus.RAISED, TargetStatus.LOWERED)]
        for t in moved[:5]:
            lines.append(Text.assemble((_("Target {status}: ").format(status=t.status.label), "bold"),
                                       _snippet(target_values(t), 32)))
        for t in [t for t in d.targets if t.status is TargetStatus.NEW][:3]:
            lines.append(Text.assemble((_("Target {status}: ").format(status=t.status.label), "bold"),
                                       _snippet(target_values(t), 32)))
        for c in d.sections[:4]:
            lines.append(Text.assemble((_("Section {status}: ").format(status=section_label(c.status)), "bold"),
                                       _snippet(heading_text(c), 32)))
        for c in sentences_by_weight(d, SentenceStatus.ADDED)[:3]:
            if c.new:
                lines.append(Text.assemble((_("New sentence: "), "bold"),
                                           _("line {line}").format(line=c.new.line) + " ", _snippet(c.new.text, 28)))
        for c in sentences_by_weight(d, SentenceStatus.CHANGED)[:2]:
            if c.new:
                lines.append(Text.assemble((_("Reworded: "), "bold"),
                                           _("line {line}").format(line=c.new.line) + " ", _snippet(marked(c), 32)))
        if d.themes:
            kinds = dict.fromkeys(c.change for c in d.themes)
            lines.append(Text.assemble((_("Themes: "), "bold"), clause_sep().join(
                f"{kind.label} " + "、".join([c.theme for c in d.themes if c.change is kind][:5]) for kind in kinds)))
        lines.append(Text.assemble((_("Openness to buying services: "), "dim"), openness_text(d)))
        console.print(Panel(Group(*lines), expand=True))
    if result.only_old:
        console.print(Text(_("Departments only in the old plans: ") + "、".join(result.only_old)))
    if result.only_new:
        console.print(Text(_("Departments only in the new plans: ") + "、".join(result.only_new)))


def eval_table(scores: dict[str, Any], corpus: str) -> Table:
    """painpoint's scores on a labelled corpus beside the plain baselines and, when measured, the same scores
    without the taxonomy's NGO terms that occur in the corpus profiles (the generalization check)."""
    table = Table(title=_("painpoint eval: {corpus}").format(corpus=corpus))
    table.add_column(_("metric"))
    table.add_column("painpoint", justify="right")
    table.add_column(_("baseline"), justify="right")
    held = scores.get("generalization") or {}
    if held:
        table.add_column(_("without profile NGO terms"), justify="right")
    rows = [(_("nDCG@3 (match)"), "match_ndcg3", "baseline_tfidf_ndcg3"),
            (_("theme recall@10 (scan)"), "theme_recall10", "baseline_jieba_recall10"),
            (_("generic share of top-10"), "generic_rate10", "baseline_jieba_generic_rate10"),
            (_("calibration AUC"), "calibration_auc", None)]
    for label, ours, base in rows:
        row = [label, f"{scores[ours]:.3f}", f"{scores[base]:.3f}" if base and base in scores else "—"]
        table.add_row(*row, *([f"{held[ours]:.3f}"] if held else []))
    if held:
        table.add_row(_("nDCG@3 gap ({n} NGO terms removed)").format(n=held["ngo_terms_removed"]), "", "",
                      f"{held['ndcg3_gap']:.3f}")
    return table

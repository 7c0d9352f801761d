"""The HTML report of a match run: one self-contained page with inline CSS and SVG charts, no scripts.

Plans and profiles are untrusted input, so every piece of their text goes through `html.escape`, and the page
carries a Content-Security-Policy that forbids scripts and any network fetch: even a missed escape could not
run code or call out. Charts are hand-written SVG and an HTML table, so the file works offline, prints, and
renders the same in every browser.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from painpoint import __version__
from painpoint.analysis.links import Link
from painpoint.i18n import _, language
from painpoint.match import Department, Match
from painpoint.match.shared import SharedTheme, shared_themes
from painpoint.pipeline import MatchResult
from painpoint.themes.extract import PainPoint, PainPointSource

FONT_STACK = ('"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
              '"WenQuanYi Micro Hei",sans-serif')
"""Chinese fonts that ship with macOS, Windows and common Linux desktops, in that order, then any sans."""

DETAIL_TOP = 5
"""Organizations described in full under each department (the heat map shows every one)."""
CHART_POINTS = 10
TARGETS_SHOWN = 5
SHARED_SHOWN = 12
LABEL_CHARS = 10

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --accent:#1769aa; --soft:#f0f4f8; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0; line-height: 1.6; background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 6px; }
.sub, .muted { color: var(--muted); }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; background: var(--soft);
       padding: 1px 4px; border-radius: 3px; word-break: break-all; }
nav { margin: 14px 0; font-size: 14px; }
nav a { margin-right: 12px; color: var(--accent); text-decoration: none; white-space: nowrap; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.card { background: var(--soft); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; }
.heatmap { margin: 8px 0; }
.heatmap th, .heatmap td { border: 1px solid #fff; padding: 4px 6px; }
.heatmap thead th { vertical-align: bottom; font-weight: normal; }
.heatmap thead th span { writing-mode: vertical-rl; white-space: nowrap; max-height: 190px;
                          overflow: hidden; text-overflow: ellipsis; display: inline-block; }
.heatmap tbody th { text-align: right; font-weight: normal; white-space: nowrap; padding-right: 10px; }
.heatmap td { text-align: center; min-width: 42px; font-variant-numeric: tabular-nums; }
.legend { font-size: 12px; color: var(--muted); margin: 6px 0 0; }
.legend i { display: inline-block; width: 26px; height: 12px; vertical-align: middle; margin: 0 1px; }
.shared th, .shared td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left;
                         vertical-align: top; }
.chip { display: inline-block; background: var(--soft); border-radius: 10px; padding: 0 8px; margin: 1px 2px;
        font-size: 12px; white-space: nowrap; }
.dept { margin-top: 28px; }
.cols { display: flex; gap: 24px; flex-wrap: wrap; }
.cols > div { flex: 1 1 420px; min-width: 0; }
svg.chart text { font-family: FONTS; font-size: 13px; fill: var(--ink); }
svg.chart text.value { fill: var(--muted); font-size: 12px; }
svg.chart rect.bar { fill: #3b82c4; }
svg.chart rect.bar.statutory { fill: #b8c4d0; }
svg.chart rect.bar.count { fill: #e08a2c; }
ul.targets, ul.evidence, ul.reasons { margin: 4px 0; padding-left: 20px; font-size: 13px; }
ol.orgs { list-style: none; padding: 0; margin: 0; }
li.org { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
.org-head { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.rank { color: #fff; background: var(--accent); border-radius: 50%; width: 22px; height: 22px;
        display: inline-flex; align-items: center; justify-content: center; font-size: 12px; }
.meter { display: inline-block; width: 120px; height: 8px; background: var(--soft); border-radius: 4px;
         vertical-align: middle; margin-right: 6px; }
.meter i { display: block; height: 8px; background: var(--accent); border-radius: 4px; }
.score { font-variant-numeric: tabular-nums; font-size: 13px; }
.terms { font-size: 13px; margin: 4px 0; }
details summary { cursor: pointer; font-size: 13px; color: var(--muted); }
.errors li { color: #b42318; }
footer { margin-top: 48px; font-size: 12px; color: var(--muted); }
.diff th, .diff td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
.diff ins { background: #e6f4ea; text-decoration: none; }
.diff del { background: #fde7e9; }
@media print { nav { display: none; } .dept { break-inside: avoid-page; } }
""".replace("FONTS", FONT_STACK)

PAGE_CSS = _CSS
"""The report page's styles, for other pages of painpoint's (the diff page) to share."""

_LOW = (0xF3, 0xF7, 0xFB)
_HIGH = (0x0B, 0x4F, 0x8A)


def html_lang() -> str:
    """The <html lang> of a page in the language in force: zh-CN or en."""
    return "zh-CN" if language() == "zh" else "en"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _color(score: float) -> str:
    s = min(1.0, max(0.0, score))
    r, g, b = (round(lo + (hi - lo) * s) for lo, hi in zip(_LOW, _HIGH, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _org_order(matches: Sequence[Match]) -> list[tuple[str, str]]:
    """(id, name) of every organization, the best-fitting anywhere first."""
    best: dict[str, tuple[float, str]] = {}
    for m in matches:
        if m.org_id not in best or m.score > best[m.org_id][0]:
            best[m.org_id] = (m.score, m.org_name)
    return [(org_id, name) for org_id, (_score, name) in sorted(best.items(), key=lambda x: (-x[1][0], x[0]))]


def bar_chart(points: Sequence[PainPoint], label: str) -> str:
    """Horizontal SVG bars: each pain point's score within its department (statutory duties in grey)."""
    rows = list(points[:CHART_POINTS])
    row_h, label_w, bar_w = 26, 170, 330
    width, height = label_w + bar_w + 56, row_h * len(rows) + 8
    out = [f'<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}"><title>{_e(label)}</title>']
    for i, p in enumerate(rows):
        y = 4 + i * row_h
        w = round(bar_w * min(1.0, max(0.0, p.score)), 1)
        statutory = p.source is PainPointSource.STATUTORY
        tip = _("{theme}: {text}").format(theme=p.theme, text=f"{p.score:.2f}")
        if p.terms:
            tip += _("; plan wording: {terms}").format(terms="、".join(p.terms[:5]))
        if statutory:
            tip += _(" (statutory duty, not developed in the text)")
        out.append(f'<g><title>{_e(tip)}</title>'
                   f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{_e(_short(p.theme))}</text>'
                   f'<rect class="bar{" statutory" if statutory else ""}" x="{label_w}" y="{y + 4}" '
                   f'width="{w}" height="{row_h - 9}" rx="3"/>'
                   f'<text class="value" x="{label_w + w + 6}" y="{y + 17}">{p.score:.2f}</text></g>')
    out.append("</svg>")
    return "".join(out)


def count_chart(shared: Sequence[SharedTheme], total: int) -> str:
    """Horizontal SVG bars: how many departments share each theme."""
    row_h, label_w, bar_w = 26, 170, 330
    width, height = label_w + bar_w + 90, row_h * len(shared) + 8
    label = _e(_("Shared themes: departments per theme"))
    out = [f'<svg class="chart shared-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
           f'<title>{label}</title>']
    for i, s in enumerate(shared):
        y = 4 + i * row_h
        n = len(s.departments)
        w = round(bar_w * n / max(total, 1), 1)
        tip = _("{theme}: {text}").format(theme=s.theme, text="、".join(d for d, _score in s.departments))
        count = _e(_("{n} department(s)").format(n=n))
        out.append(f'<g><title>{_e(tip)}</title>'
                   f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{_e(_short(s.theme))}</text>'
                   f'<rect class="bar count" x="{label_w}" y="{y + 4}" width="{w}" '
                   f'height="{row_h - 9}" rx="3"/>'
                   f'<text class="value" x="{label_w + w + 6}" y="{y + 17}">{count}</text></g>')
    out.append("</svg>")
    return "".join(out)


def heat_map(departments: Sequence[Department], matches: Sequence[Match], dept_ids: dict[str, str]) -> str:
    """Department × organization table, each cell shaded by the match score."""
    orgs = _org_order(matches)
    score = {(m.department, m.org_id): m for m in matches}
    out = ['<table class="heatmap"><thead><tr><th></th>']
    for org_id, name in orgs:
        title = _e(_("{name} ({org_id})").format(name=name, org_id=org_id))
        out.append(f'<th title="{title}"><span>{_e(name)}</span></th>')
    out.append("</tr></thead><tbody>")
    for d in departments:
        out.append(f'<tr><th><a href="#{dept_ids[d.name]}">{_e(d.name)}</a></th>')
        for org_id, name in orgs:
            m = score.get((d.name, org_id))
            if m is None:
                out.append('<td class="na">–</td>')
                continue
            ink = "#ffffff" if m.score >= 0.5 else "#1f2933"
            tip = _("{department} × {org}: {score}, rank {rank}").format(
                department=d.name, org=name, score=f"{m.score:.2f}", rank=m.rank)
            if m.pain_points:
                tip += _("; pain points served: {names}").format(names="、".join(m.pain_points))
            out.append(f'<td style="background:{_color(m.score)};color:{ink}" title="{_e(tip)}">'
                       f"{m.score:.2f}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    steps = "".join(f'<i style="background:{_color(x / 4)}"></i>' for x in range(5))
    legend = _e(_("the darker, the better the fit; hover for the pain points served"))
    out.append(f'<p class="legend">0 {steps} 1 &nbsp; {legend}</p>')
    return "".join(out)


def _evidence_items(items, limit: int | None = None) -> str:  # type: ignore[no-untyped-def]
    rows = [f'<li><code>{_e(Path(e.document).name)}</code> '
            + _("line {line}: {text}").format(line=e.line, text=_e(e.text)) + "</li>" for e in list(items)[:limit]]
    return "".join(rows)


def _org_card(m: Match) -> str:
    pct = round(min(1.0, max(0.0, m.score)) * 100)
    out = [f'<li class="org"><div class="org-head"><span class="rank">{m.rank}</span>'
           f'<b>{_e(m.org_name)}</b> <code>{_e(m.org_id)}</code>'
           f'<span class="score"><span class="meter"><i style="width:{pct}%"></i></span>{m.score:.2f}</span>'
           "</div>"]
    if m.pain_points:
        chips = "".join(f'<span class="chip">{_e(t)}</span>' for t in m.pain_points)
        out.append('<p class="terms">' + _("Pain points served: {chips}").format(chips=chips))
        if m.plan_terms:
            out.append(" &nbsp; " + _("In the plan's words: {terms}").format(terms=_e("、".join(m.plan_terms[:6]))))
        out.append("</p>")
    out.append('<ul class="reasons">' + "".join(f"<li>{_e(r)}</li>" for r in m.reasons) + "</ul>")
    if m.evidence:
        summary = _e(_("Evidence from the plans ({n})").format(n=len(m.evidence)))
        out.append(f'<details open><summary>{summary}</summary>'
                   f'<ul class="evidence">{_evidence_items(m.evidence)}</ul></details>')
    out.append("</li>")
    return "".join(out)


def _department(d: Department, anchor: str, matches: Sequence[Match], result: MatchResult) -> str:
    docs = _(", ").join(f"<code>{_e(p)}</code>" for p in d.documents)
    place = f' <span class="sub">{_e(d.place)}</span>' if d.place and d.place not in d.name else ""
    plans = _("Plans: {documents}").format(documents=docs)
    out = [f'<section class="dept" id="{anchor}"><h2>{_e(d.name)}{place}</h2><p class="sub">{plans}</p>',
           '<div class="cols"><div><h3>' + _e(_("Pain points (the higher the score, the more prominent)"))
           + "</h3>"]
    if d.pain_points:
        out.append(bar_chart(d.pain_points, _("Pain points of {department}").format(department=d.name)))
    else:
        out.append('<p class="muted">' + _e(_("No pain point found.")) + "</p>")
    out.append("</div><div><h3>" + _e(_("Numeric targets")) + "</h3>")
    targets = [(sp.plan.path, t) for sp in result.plans if sp.plan.path in d.documents
               for t in sp.plan.targets]
    if targets:
        out.append('<ul class="targets">' + "".join(
            f'<li><code>{_e(Path(path).name)}</code> ' + _("line {line}: {text}").format(line=t.line, text=_e(t.text))
            + "</li>" for path, t in targets[:TARGETS_SHOWN]) + "</ul>")
        if len(targets) > TARGETS_SHOWN:
            more = _("{n} more target(s) in matches.xlsx.").format(n=len(targets) - TARGETS_SHOWN)
            out.append(f'<p class="muted">{_e(more)}</p>')
    else:
        out.append('<p class="muted">' + _e(_("No numeric target found in the plans.")) + "</p>")
    top = [p for p in d.pain_points if p.evidence][:3]
    if top:
        out.append("<h3>" + _e(_("The plans' words (main pain points)")) + "</h3><ul class=\"evidence\">" + "".join(
            "<li>" + _("{theme}: {text}").format(theme=f"<b>{_e(p.theme)}</b>", text=_e(p.evidence[0].text))
            + ' <span class="muted">' + _("({document} line {line})").format(
                document=f"<code>{_e(Path(p.evidence[0].document).name)}</code>", line=p.evidence[0].line)
            + "</span></li>" for p in top) + "</ul>")
    out.append("</div></div><h3>" + _e(_("Suitable social organizations")) + "</h3>")
    shown = [m for m in matches if m.pain_points][:DETAIL_TOP]
    if shown:
        out.append('<ol class="orgs">' + "".join(_org_card(m) for m in shown) + "</ol>")
    else:
        out.append('<p class="muted">' + _e(_("No organization's services or projects serve this department's pain "
                                               "points.")) + "</p>")
    out.append("</section>")
    return "".join(out)


def _shared(shared: Sequence[SharedTheme], total: int) -> str:
    if not shared:
        return '<p class="muted">' + _e(_("No theme is shared by two or more departments.")) + "</p>"
    rows = list(shared[:SHARED_SHOWN])
    headers = (_("Theme"), _("Departments (pain point score)"),
               _("Organizations that can serve several departments (departments, mean match score)"))
    out = [count_chart(rows, total),
           '<table class="shared"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in headers)
           + "</tr></thead><tbody>"]
    for s in rows:
        depts = "".join(f'<span class="chip">{_e(name)} {score:.2f}</span>' for name, score in s.departments)
        orgs = "".join('<span class="chip">' + _e(_("{name} ({n}, {mean})").format(name=name, n=n, mean=f"{mean:.2f}"))
                       + "</span>" for _org_id, name, n, mean in s.organizations[:5]) or '<span class="muted">—</span>'
        out.append(f"<tr><td><b>{_e(s.theme)}</b></td><td>{depts}</td><td>{orgs}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def to_html(result: MatchResult, *, title: str | None = None, links: Sequence[Link] = (),
            diffs: Sequence[str] = ()) -> str:
    """The whole report as one HTML page, in the language in force; the same result always gives the same bytes.

    `links` (from painpoint.analysis.links) adds the cross-department cooperation section; `diffs` (HTML
    sections from painpoint.report.diff.diff_section) what is new against the previous plans.
    """
    anchors = {d.name: f"dept-{i}" for i, d in enumerate(result.departments, start=1)}
    by_dept: dict[str, list[Match]] = {}
    for m in result.matches:
        by_dept.setdefault(m.department, []).append(m)
    for ms in by_dept.values():
        ms.sort(key=lambda m: (m.rank, m.org_id))
    orgs = _org_order(result.matches)
    best = max(result.matches, key=lambda m: (m.score, m.department, m.org_id), default=None)
    shared = shared_themes(result.departments, result.matches)
    if title is None:
        title = _("painpoint report: department pain points and social organizations matched")
    out = [f'<!DOCTYPE html>\n<html lang="{html_lang()}"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           # an empty icon keeps the browser from asking for /favicon.ico, which a file URL cannot serve
           '<link rel="icon" href="data:,">',
           f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>",
           f"<h1>{_e(title)}</h1>",
           '<p class="sub">' + _e(_("Each department's pain points come from the text of its plans (with line "
                                     "numbers); scores run from 0 to 1 and compare across departments and "
                                     "organizations.")) + "</p>",
           '<div class="cards">',
           *(f'<div class="card"><b>{n}</b><span>{_e(label)}</span></div>' for n, label in (
               (len(result.plans) or sum(len(d.documents) for d in result.departments), _("plans")),
               (len(result.departments), _("departments")), (len(orgs), _("social organizations"))))]
    if best is not None:
        pair = _("Best match: {department} × {org}").format(department=_e(best.department), org=_e(best.org_name))
        out.append(f'<div class="card"><b>{best.score:.2f}</b><span>{pair}</span></div>')
    out.append("</div><nav>")
    nav = [("heatmap", _("Heat map")), ("shared", _("Shared themes"))]
    if links:
        nav.append(("links", _("Cross-department cooperation")))
    if diffs:
        nav.append(("diff", _("New this year")))
    out += [f'<a href="#{anchor}">{_e(label)}</a>' for anchor, label in nav]
    out += [f'<a href="#{anchors[d.name]}">{_e(d.name)}</a>' for d in result.departments]
    if result.errors:
        out.append('<a href="#errors">' + _e(_("Inputs that could not be used")) + "</a>")
    out.append("</nav>")
    out.append('<section id="heatmap"><h2>' + _e(_("Departments × organizations heat map")) + "</h2>")
    if result.departments and result.matches:
        out.append(heat_map(result.departments, result.matches, anchors))
    else:
        out.append('<p class="muted">' + _e(_("No departments or organizations to compare.")) + "</p>")
    out.append("</section>")
    out.append('<section id="shared"><h2>' + _e(_("Shared themes: one joint project can serve several departments"))
               + "</h2>")
    out.append(_shared(shared, len(result.departments)))
    out.append("</section>")
    if links:
        from painpoint.report.links import to_html_section

        out.append(to_html_section(links).replace('<section class="links">', '<section id="links" class="links">', 1))
    if diffs:
        out.append('<section id="diff"><h2>'
                   + _e(_("Against the previous plans: new terms, new targets and the organizations that fit"))
                   + "</h2>" + "".join(diffs) + "</section>")
    for d in result.departments:
        out.append(_department(d, anchors[d.name], by_dept.get(d.name, []), result))
    if result.errors:
        items = "".join("<li>" + _("{path}: {message}").format(path=f"<code>{_e(f.path)}</code>", message=_e(f.message))
                        + "</li>" for f in result.errors)
        out.append('<section id="errors"><h2>' + _e(_("Inputs that could not be used")) + "</h2>"
                   f'<ul class="errors">{items}</ul></section>')
    out.append(f"<footer>painpoint {_e(__version__)} · "
               + _e(_("quotes only facts from the plans and the organizations' profiles")) + " · "
               + _e(_("the same input always gives the same file")) + "</footer></main></body></html>\n")
    return "".join(out)

"""Renderers for `painpoint themes list|show`: the taxonomy in use, as plain text lines."""

from __future__ import annotations

import difflib

from painpoint.errors import UsageError
from painpoint.i18n import _
from painpoint.themes.taxonomy import Taxonomy, Theme


def _kind(theme: Theme) -> str:
    if theme.population:
        return _("umbrella (people)")
    return _("umbrella (field)") if theme.umbrella else _("theme")


def themes_list_text(taxonomy: Taxonomy) -> str:
    """One line per theme: name, kind, owning departments, number of plan and NGO terms."""
    lines = []
    for t in taxonomy.themes:
        owners = "、".join(t.departments[:3]) or "—"
        lines.append(_("{name}\t{kind}\t{owners}\t{terms} plan terms, {ngo} NGO terms").format(
            name=t.name, kind=_kind(t), owners=owners, terms=len(t.terms), ngo=len(t.ngo_terms)))
    lines.append(_("{n} themes").format(n=len(taxonomy.themes)))
    return "\n".join(lines) + "\n"


def find_theme(taxonomy: Taxonomy, name: str) -> Theme:
    """The theme called `name`; a usage error naming the closest names when there is none."""
    theme = taxonomy.by_name.get(name.strip())
    if theme is not None:
        return theme
    close = difflib.get_close_matches(name, list(taxonomy.by_name), n=3, cutoff=0.3)
    close += [n for n in taxonomy.by_name if name and name in n and n not in close][:3]
    hint = _("did you mean: {names}").format(names="、".join(close)) if close else _(
        "painpoint themes list shows every theme")
    raise UsageError(_("no theme named '{name}'").format(name=name), hint=hint)


def theme_show_text(taxonomy: Taxonomy, name: str) -> str:
    """Every field of one theme, with its links to broader and narrower themes."""
    t = find_theme(taxonomy, name)

    def words(values: tuple[str, ...]) -> str:
        return "、".join(values) or "—"

    rows = [
        (_("theme"), t.name),
        (_("kind"), _kind(t)),
        (_("category"), t.category),
        (_("departments"), words(t.departments)),
        (_("social delivery"), f"{t.social:.2f}"),
        (_("plan terms"), words(t.terms)),
        (_("NGO terms"), words(t.ngo_terms)),
        (_("beneficiaries"), words(t.beneficiaries)),
        (_("broader themes"), words(t.related)),
        (_("narrower themes"), words(taxonomy.narrower(t.name))),
    ]
    if t.umbrella:
        rows.append((_("served through"), words(tuple(m.name for m in taxonomy.family(t)))))
    return "".join(f"{label}: {value}\n" for label, value in rows)

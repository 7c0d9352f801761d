"""Terminal view of `painpoint orgs import`: per draft, what was read, from which line, and how sure it is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from painpoint.i18n import N_, _

if TYPE_CHECKING:
    from painpoint.orgs.importer import Imported

_CERTAINTY = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
"""How sure the importer is of a value (its machine value → the word shown)."""


def import_table(results: Sequence[Imported], console: Console) -> None:
    """One table per written draft, then the next command to run."""
    from painpoint.orgs.importer import summary_rows

    written = [r for r in results if r.output and r.draft is not None]
    for r in written:
        assert r.draft is not None
        table = Table(title=f"{r.output}  ←  {r.path}", show_header=True, header_style="bold", expand=True)
        table.add_column(_("field"), no_wrap=True)
        table.add_column(_("value"), ratio=2, overflow="fold")
        table.add_column(_("source line"), ratio=3, overflow="fold")
        sure = [_("sure"), *(_(word) for word in _CERTAINTY.values())]
        table.add_column(_("sure"), width=max(4, *(cell_len(word) for word in sure)))
        for field, value, source, certainty in summary_rows(r.draft):
            style = "yellow" if value == "待补充" else ""
            table.add_row(Text(field), Text(value[:80], style=style), Text(source[:80]),
                          Text(_(_CERTAINTY[certainty]) if certainty in _CERTAINTY else certainty or "—"))
        console.print(table)
    if written:
        folder = str(written[0].output).rsplit("/", 1)[0] if "/" in written[0].output else "."
        console.print(_("Next: review the draft in an editor (fill every “# 待补充”), then run:"))
        for r in written:
            console.print(Text(f"  painpoint orgs check {r.output}"))
        console.print(Text(f"  painpoint match --orgs {folder} --org {written[0].profile_id} --plans "
                           + _("PLAN_FOLDER")))

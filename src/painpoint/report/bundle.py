"""The files `painpoint report` writes into one folder: HTML, Excel, the JSON contract and CSV for Excel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from painpoint.pipeline import MatchResult
from painpoint.report.write import write_files

REPORT_FILES = ("report.html", "matches.xlsx", "matches.json", "matches.csv")
"""What a report folder holds, in the order they are written."""


def _links(result: MatchResult) -> list:  # type: ignore[type-arg]
    """Cross-department links among the result's plans, with the organizations that could serve them."""
    from painpoint.analysis.links import links_between
    from painpoint.match import capability
    from painpoint.themes import load_taxonomy

    if not result.plans:
        return []
    taxonomy = load_taxonomy()
    caps = [capability(p, taxonomy) for p in result.profiles]
    return links_between(result.plans, caps, taxonomy)[1]


def _diffs(previous: Sequence[str], current: Sequence[str], org_paths: Sequence[str]) -> list[str]:
    """HTML sections: what each department's `current` plans changed against `previous` (an earlier year)."""
    from painpoint.analysis.diff import diff_plans
    from painpoint.report.diff import diff_section

    if not previous or not current:
        return []
    return [diff_section(d) for d in diff_plans(previous, current, org_paths=org_paths).departments]


def write_report(result: MatchResult, folder: str | Path, *, previous: Sequence[str] = (),
                 current: Sequence[str] = (), org_paths: Sequence[str] = ()) -> tuple[Path, ...]:
    """Write every report file into `folder` (created if needed) as one set; return their paths.

    `previous`: plans of an earlier year; the HTML then shows what `current` (the plans matched) has new
    (painpoint diff) and which of `org_paths`' organizations fit it. Every file is rendered before any is
    written, and all are renamed into place after all are written, so a failure or an interrupt leaves the old
    set whole (never a new report.html beside an old workbook). Nothing in the files depends on the time or the
    machine, so the same result gives byte-identical files.
    """
    from painpoint.report import match as match_render
    from painpoint.report.html import to_html
    from painpoint.report.xlsx import to_xlsx

    out = Path(folder)
    html_path, xlsx_path, json_path, csv_path = (out / name for name in REPORT_FILES)
    write_files([(html_path, to_html(result, links=_links(result), diffs=_diffs(previous, current, org_paths))),
                 (xlsx_path, to_xlsx(result)), (json_path, match_render.to_json(result)),
                 (csv_path, b"\xef\xbb\xbf" + match_render.to_csv(result).encode("utf-8"))])
    return html_path, xlsx_path, json_path, csv_path

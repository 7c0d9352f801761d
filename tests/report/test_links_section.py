"""The HTML report carries the cross-department cooperation section."""

from __future__ import annotations

from pathlib import Path

from painpoint.pipeline import match
from painpoint.report.bundle import write_report

ROOT = Path(__file__).resolve().parents[2]


def test_report_has_links_section(tmp_path: Path) -> None:
    result = match([str(ROOT / "data" / "plans")], [str(ROOT / "data" / "orgs")], top=0)
    html_path = write_report(result, tmp_path)[0]
    page = html_path.read_text(encoding="utf-8")
    assert '<section id="links" class="links">' in page
    assert 'href="#links"' in page
    assert "留守儿童" in page.split('id="links"')[1].split("</section>")[0]

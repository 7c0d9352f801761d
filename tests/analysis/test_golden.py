"""Golden Markdown for links and diff on small fixtures: a renderer change shows up as a diff to review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from painpoint import i18n
from painpoint.analysis.diff import diff_plans
from painpoint.analysis.links import find_links
from painpoint.report import diff as diff_render
from painpoint.report import links as links_render

ASSETS = Path(__file__).resolve().parents[1] / "assets"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PAINPOINT_UPDATE_GOLDEN") == "1"
"""Set PAINPOINT_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change; review the diff."""


@pytest.fixture(autouse=True)
def _chinese() -> None:
    """The golden files are the Chinese reports a user reads (the English labels are tested elsewhere)."""
    i18n.set_language("zh")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}: run with PAINPOINT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_links_markdown_matches_golden_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ASSETS)  # relative paths, as a user types them, keep the file stable across machines
    plans = ["links/civil.txt", "links/education.txt", "links/women.txt"]
    _golden("links.md", links_render.to_markdown(find_links(plans, ["links/orgs"], top=3)))


def test_diff_markdown_matches_golden_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ASSETS)
    _golden("diff.md", diff_render.to_markdown(diff_plans(["diff/civil_2024.txt"], ["diff/civil_2025.txt"])))

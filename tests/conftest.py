"""Shared fixtures: a pinned terminal, no user cache, and the development corpus when it exists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# English while test modules import painpoint.cli (its help texts are built then); tests of the Chinese
# interface set the language themselves or run painpoint in a subprocess
os.environ["PAINPOINT_LANG"] = "en"

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PAINPOINT_CACHE_DIR", str(tmp_path / "cache"))
    # English unless a test asks for Chinese (tests that read both languages set it themselves)
    monkeypatch.setenv("PAINPOINT_LANG", "en")
    from painpoint import i18n

    i18n.set_language("en")


@pytest.fixture
def corpus() -> Path:
    """../shared/corpus, or skip: the core suite must pass without it."""
    if not (CORPUS / "gold.yaml").is_file():
        pytest.skip("../shared/corpus is absent")
    return CORPUS


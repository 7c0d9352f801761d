"""Shared inputs of the report tests: two small plans and two profiles under tests/report/assets."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLANS = "tests/report/assets/plans"
ORGS = "tests/report/assets/orgs"


def _match(plans: str, orgs: str, cache: Path):  # type: ignore[no-untyped-def]
    from painpoint.pipeline import match

    # session fixtures run before the autouse per-test isolation, so they send the cache to tmp themselves;
    # paths relative to the repository root keep evidence paths, and so the golden files, checkout-independent
    with pytest.MonkeyPatch.context() as mp, contextlib.chdir(ROOT):
        mp.setenv("PAINPOINT_CACHE_DIR", str(cache))
        return match([plans], [orgs], top=0)


@pytest.fixture(scope="session")
def assets_result(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The match run over the assets with every pair kept, as `painpoint report` renders it."""
    return _match(PLANS, ORGS, tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def sample_result(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The match run over the bundled sample county (data/plans, data/orgs)."""
    return _match("data/plans", "data/orgs", tmp_path_factory.mktemp("cache"))

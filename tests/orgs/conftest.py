"""Fixtures for organization-profile tests: writing profile files into tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteProfile = Callable[..., str]


@pytest.fixture
def write_profile(tmp_path: Path) -> WriteProfile:
    """Write text (str, UTF-8) or raw bytes to tmp_path/name and return the path as a string."""

    def write(name: str, content: str | bytes, folder: Path | None = None) -> str:
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    return write

"""Where manifests live (plans.yaml or plans.csv beside the plans): light enough for a replayed run's key."""

from __future__ import annotations

import os
from collections.abc import Iterable

MANIFEST_NAMES = ("plans.yaml", "plans.yml", "plans.csv")
"""File names read as a manifest in a plan's folder (and up to two folders above it)."""


def folders(path: str) -> list[str]:
    """The folders whose manifest may name `path`: its own, then up to two above, nearest first."""
    folder = os.path.dirname(os.path.abspath(path))
    out = [folder]
    for _i in range(2):
        parent = os.path.dirname(out[-1])
        if parent == out[-1]:
            break
        out.append(parent)
    return out


def manifests_in(folder: str) -> tuple[str, ...]:
    """The manifests in one folder, in MANIFEST_NAMES order."""
    return tuple(os.path.join(folder, n) for n in MANIFEST_NAMES if os.path.isfile(os.path.join(folder, n)))


def manifest_files(files: Iterable[str]) -> list[str]:
    """Manifests that apply to these plan files, in first-seen order (for keys of cached runs)."""
    found: dict[str, None] = {}
    for path in files:
        for folder in folders(path):
            for manifest in manifests_in(folder):
                found.setdefault(manifest, None)
    return list(found)

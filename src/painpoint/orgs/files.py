"""Which files are organization profiles: the folders and files given, expanded without reading YAML."""

from __future__ import annotations

import os
from collections.abc import Sequence

from painpoint.i18n import _

MAX_PROFILE_BYTES = 1024 * 1024
"""Profiles are short hand-written files; anything over 1 MB is the wrong file or an attack."""

PROFILE_SUFFIXES = (".yaml", ".yml")
"""File endings `load_profiles` picks up in a folder (compared case-insensitively)."""


def profile_files(entries: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[str]]:
    """The profile files `load_profiles` reads from these entries, in order, and a problem line per bad entry."""
    files: list[str] = []
    problems: list[str] = []
    for entry in entries:
        entry_files, entry_problems = _profile_files(os.fspath(entry))
        files += entry_files
        problems += entry_problems
    return files, problems


def _profile_files(entry: str) -> tuple[list[str], list[str]]:
    if os.path.isdir(entry):
        try:
            names = sorted(os.listdir(entry))
        except OSError as exc:
            return [], [f"{entry}: " + _("cannot read folder: {reason}").format(reason=exc.strerror or exc)]
        files = [os.path.join(entry, name) for name in names
                 if not name.startswith(".") and name.lower().endswith(PROFILE_SUFFIXES)
                 and os.path.isfile(os.path.join(entry, name))]
        if not files:
            return [], [f"{entry}: " + _("no profiles (*.yaml, *.yml) in this folder")]
        return files, []
    if os.path.exists(entry):
        return [entry], []
    return [], [f"{entry}: " + _("no such file or folder — check the path")]

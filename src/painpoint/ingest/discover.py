"""discover: turn the files and folders a user names into the list of documents to read."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence

from painpoint.errors import InputError
from painpoint.i18n import _
from painpoint.ingest.formats import SUPPORTED_SUFFIXES, is_supported, os_error, unsupported_error

MAX_WALK_ENTRIES = 200_000
"""Most entries (files and folders) one given folder's walk looks at; a plans folder holds hundreds."""


def discover(paths: Sequence[str]) -> tuple[list[str], list[InputError]]:
    """Expand `paths` into readable document paths, and collect a problem for each bad entry.

    Files are taken as given (an unsupported suffix is a problem). Folders are searched recursively in
    sorted order for supported suffixes, skipping hidden entries (".name") and Office lock files ("~$name");
    members keep the folder's spelling: os.path.join(folder, relative path). Symbolic links to files are
    followed; a link to a folder is followed only when that folder lies inside the given one (a link to `/`
    would otherwise walk the whole file system, /proc included) and is otherwise reported, not entered.
    Each folder is entered once, so link loops end, and a walk looks at most MAX_WALK_ENTRIES entries.
    A file reached twice is listed once, first spelling kept. A folder with no supported file is reported
    as a problem too.
    """
    found: list[str] = []
    problems: list[InputError] = []
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def add_file(path: str, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key not in seen_files:
            seen_files.add(key)
            found.append(path)

    for path in paths:
        try:
            info = os.stat(path)
        except OSError as exc:
            problems.append(os_error(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            problems_before = len(problems)
            documents = _walk(path, info, seen_dirs, add_file, problems)
            if documents == 0 and len(problems) == problems_before:
                problems.append(InputError(
                    "no supported files in folder", path=path,
                    hint="painpoint reads " + " ".join(SUPPORTED_SUFFIXES)))
        elif not stat.S_ISREG(info.st_mode):
            problems.append(InputError("not a regular file", path=path, hint="give a saved document file"))
        elif not is_supported(path):
            problems.append(unsupported_error(path))
        else:
            add_file(path, info)
    return found, problems


def _walk(root: str, root_info: os.stat_result, seen_dirs: set[tuple[int, int]],
          add_file: Callable[[str, os.stat_result], None], problems: list[InputError]) -> int | None:
    """Add the documents under `root`; return how many were found, or None if `root` was already walked.

    Depth-first and sorted, without recursion: folders nest as deep as the file system allows.
    """
    root_key = (root_info.st_dev, root_info.st_ino)
    if root_key in seen_dirs:
        return None
    seen_dirs.add(root_key)
    inside = os.path.realpath(root)
    documents = 0
    looked = 0
    # Each stack entry is a folder's remaining entries, reversed so pop() yields them in sorted order.
    stack = [_list_dir(root, problems)]
    while stack:
        entries = stack[-1]
        if not entries:
            stack.pop()
            continue
        path = entries.pop()
        looked += 1
        if looked > MAX_WALK_ENTRIES:
            problems.append(InputError(
                _("more than {limit:,} files and folders; stopped looking").format(limit=MAX_WALK_ENTRIES),
                path=root, hint=_("give the folder that holds the plans")))
            break
        try:
            info = os.stat(path)
        except OSError as exc:
            # Broken links and link loops inside a folder are worth reporting only if they look like
            # documents; anything else there is none of painpoint's business.
            if is_supported(path):
                problems.append(os_error(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                continue
            if os.path.islink(path) and not _within(os.path.realpath(path), inside):
                problems.append(InputError(
                    _("link to a folder outside {root}, not followed").format(root=root), path=path,
                    hint=_("give that folder itself if its plans are wanted")))
                continue
            seen_dirs.add(key)
            stack.append(_list_dir(path, problems))
        elif stat.S_ISREG(info.st_mode) and is_supported(path):
            documents += 1
            add_file(path, info)
    return documents


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _list_dir(folder: str, problems: list[InputError]) -> list[str]:
    """The visible entries of `folder` as joined paths, reverse-sorted for popping."""
    try:
        names = os.listdir(folder)
    except OSError as exc:
        problems.append(os_error(folder, exc))
        return []
    visible = [name for name in names if not name.startswith((".", "~$"))]
    return [os.path.join(folder, name) for name in sorted(visible, reverse=True)]
